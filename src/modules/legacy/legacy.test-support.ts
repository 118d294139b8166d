import type { Kysely } from 'kysely';
import { migrateDiwan } from '../../app/index.js';
import { openDatabase, type Db } from '../../platform/db/database.js';
import { seedDemoActivities } from '../activities/index.js';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';

export interface LegacyTestDb {
  db: Db;
  tdb: TestDatabase;
  close(): Promise<void>;
}

/** A fresh, migrated database (SQLite file or PostgreSQL database) with reference data and, optionally, the demo activities. */
export async function createLegacyTestDb(dialect: 'sqlite' | 'postgres', options: { demo?: boolean } = {}): Promise<LegacyTestDb> {
  const tdb = await createTestDatabase(dialect);
  const db = openDatabase(tdb.config);
  await migrateDiwan(db, { info: () => undefined });
  if (options.demo) await seedDemoActivities(db);
  return {
    db,
    tdb,
    close: async () => {
      await db.destroy();
      await tdb.drop();
    },
  };
}

/** Rows in a table, for before/after comparisons. */
export async function countRows(db: Db, table: string): Promise<number> {
  const row = await (db as unknown as Kysely<any>).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
