/**
 * `diwan move-database --to postgres://...`: copies the installation's database (SQLite, as a
 * site starts) into an empty PostgreSQL database, the way a restore would, without an archive in
 * between: the source is read in one snapshot, the target migrated to the source's level and
 * filled in one transaction, its search index rebuilt, and then every table's row count and
 * SHA-256 is read back from the target and compared with the source's snapshot. The stored files
 * are not copied: they stay where DATA_DIR or STORAGE_URL keep them.
 */
import { afterPrepared, type Logger } from '../bootstrap.js';
import type { Db } from '../db/database.js';
import type { DiwanModule } from '../module.js';
import { beginSnapshot } from './backup.js';
import { TableDigest, digestTables, encodeRow, readRows } from './rows.js';
import { appliedMigrations, readSchema, readSequences } from './schema-info.js';
import { BackupRefused } from './archive.js';
import { Loader, assertKnownMigrations, assertSameTables, prepareTarget } from './target.js';

export interface TableComparison {
  table: string;
  source: { rows: number; sha256: string };
  target: { rows: number; sha256: string };
  same: boolean;
}

export interface MoveReport {
  migrations: string[];
  tables: TableComparison[];
  /** True when every table has the same rows in the target as in the source's snapshot. */
  same: boolean;
  /** When the source's snapshot was taken: later writes to the source are not in the target. */
  snapshotAt: string;
}

/** Copies the source database into the empty target and compares them (see the file's comment). */
export async function moveDatabase(source: Db, target: Db, options: { modules: readonly DiwanModule[]; log: Logger }): Promise<MoveReport> {
  const snapshotAt = new Date().toISOString();
  const snapshot = await beginSnapshot(source);
  const before = new Map<string, { rows: number; sha256: string }>();
  let migrations: string[];
  let order: string[];
  try {
    const schema = await readSchema(snapshot);
    migrations = await appliedMigrations(snapshot, schema);
    if (!migrations.length) throw new BackupRefused('the current database has no Diwan schema (no migrations applied): there is nothing to move');
    assertKnownMigrations(migrations, 'the current database');
    const sequences = await readSequences(snapshot, schema);
    order = schema.dumped;
    const targetSchema = await prepareTarget(target, migrations, {
      force: false,
      refusal: (tables) => `the target database is not empty (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''} hold rows): move into an empty database`,
    });
    assertSameTables(targetSchema, order.map((name) => ({ name, columns: schema.tables.get(name)!.columns.map((c) => c.name) })));
    await target.transaction().execute(async (trx) => {
      const loader = new Loader(trx, targetSchema, order);
      for (const name of order) {
        const table = schema.tables.get(name)!;
        const columns = table.columns.map((c) => c.name);
        const writer = loader.table(name);
        const digest = new TableDigest();
        for await (const batch of readRows(snapshot, table, schema.dialect)) {
          for (const row of batch) {
            digest.add(encodeRow(name, columns, row));
            await writer.add(row);
          }
        }
        await writer.flush();
        before.set(name, { rows: digest.rows, sha256: digest.digest() });
        options.log.info(`copied ${name}: ${digest.rows} rows`);
      }
      await loader.finish(sequences);
    });
  } finally {
    await snapshot.rollback().execute().catch(() => undefined);
  }
  await afterPrepared(target, options.modules, options.log);
  // Read back in one snapshot of the target, through the same canonical form as the source's.
  const check = await beginSnapshot(target);
  let after: Map<string, { rows: number; sha256: string }>;
  try {
    const schema = await readSchema(check);
    after = await digestTables(check, order.map((n) => schema.tables.get(n)!), schema.dialect);
  } finally {
    await check.rollback().execute().catch(() => undefined);
  }
  const tables = order.map((table) => {
    const s = before.get(table)!;
    const t = after.get(table)!;
    return { table, source: s, target: t, same: s.rows === t.rows && s.sha256 === t.sha256 };
  });
  return { migrations, tables, same: tables.every((t) => t.same), snapshotAt };
}
