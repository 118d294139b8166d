import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/platform/app.js';
import { migrateAndLoadReferenceData } from '../../src/platform/bootstrap.js';
import type { Config } from '../../src/platform/config.js';
import { openDatabase, type Db } from '../../src/platform/db/database.js';
import { seedDemoActivities } from '../../src/modules/activities/demo/demo-seeder.js';
import { seedDemoPages } from '../../src/modules/pages/pages.commands.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

const quiet = { info: () => undefined };

/** A migrated database of one dialect with the reference data, optionally the demo activities, and the app on it. */
export async function createTestApp(dialect: 'sqlite' | 'postgres', options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const tdb: TestDatabase = await createTestDatabase(dialect, options.config);
  const db = openDatabase(tdb.config);
  await migrateAndLoadReferenceData(db, quiet);
  if (options.demo !== false) {
    await seedDemoActivities(db);
    await seedDemoPages(db);
  }
  const app = await buildApp({ config: tdb.config, db });
  await app.ready();
  return {
    app,
    db,
    config: tdb.config,
    close: async () => {
      await app.close();
      await db.destroy();
      await tdb.drop();
    },
  };
}
