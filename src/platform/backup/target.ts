/**
 * Loading rows into a database, for a restore and a move: the target is checked to be empty (or
 * cleared when the operator forces it), brought to the source's migration level, then filled in
 * one transaction, parents first, with the id sequences moved past every id.
 */
import { Migrator, sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import type { Db } from '../db/database.js';
import { BackupRefused } from './archive.js';
import { MIGRATION_TABLES, appliedMigrations, readSchema, serialSequence, type SchemaInfo, type TableInfo } from './schema-info.js';

/** Every migration this Diwan knows, in order. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(migrations).sort();

/** Refuses a migration history this Diwan cannot bring a database to (a newer Diwan's, or a foreign one). */
export function assertKnownMigrations(history: readonly string[], what: string): void {
  const unknown = history.filter((m) => !KNOWN_MIGRATIONS.includes(m));
  if (unknown.length) {
    throw new BackupRefused(`${what} comes from a newer Diwan: its schema has migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, which this Diwan does not know; upgrade Diwan first`);
  }
  if (history.some((m, i) => KNOWN_MIGRATIONS[i] !== m)) throw new BackupRefused(`${what} has a migration history that does not match this Diwan's`);
}

/** The tables that hold rows in a non-empty database (the dumped ones and the derived ones). */
export async function tablesWithRows(db: Db, schema: SchemaInfo): Promise<string[]> {
  const found: string[] = [];
  for (const name of [...schema.dumped, ...schema.derived]) {
    const { rows } = await sql`SELECT 1 AS x FROM ${sql.table(name)} LIMIT 1`.execute(db);
    if (rows.length) found.push(name);
  }
  return found;
}

/** Removes every table of the database (of PostgreSQL's current schema) and the functions its migrations made. */
async function dropEverything(db: Db, schema: SchemaInfo): Promise<void> {
  if (schema.dialect === 'postgres') {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`.execute(trx);
      if (rows.length) await sql`DROP TABLE IF EXISTS ${sql.join(rows.map((r) => sql.table(r.name)))} CASCADE`.execute(trx);
      // Functions of the migrations (the audit log's guard); those of extensions stay.
      const fns = await sql<{ sig: string }>`
        SELECT p.oid::regprocedure::text AS sig FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`.execute(trx);
      for (const f of fns.rows) await sql`DROP FUNCTION IF EXISTS ${sql.raw(f.sig)} CASCADE`.execute(trx);
    });
    return;
  }
  // Foreign keys are checked per statement: off while every table goes (a pragma outside a transaction).
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    const { rows } = await sql<{ name: string; sql: string | null }>`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`.execute(db);
    // Virtual tables first: dropping one drops its shadow tables.
    const virtualFirst = [...rows].sort((a, b) => Number(/^\s*create\s+virtual/i.test(b.sql ?? '')) - Number(/^\s*create\s+virtual/i.test(a.sql ?? '')));
    for (const t of virtualFirst) await sql`DROP TABLE IF EXISTS ${sql.table(t.name)}`.execute(db);
    const seq = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'`.execute(db);
    if (seq.rows[0]?.n) await sql`DELETE FROM sqlite_sequence`.execute(db);
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

/** Runs the migrations up to and including `last` (never the reference data: the rows come from the source). */
async function migrateTo(db: Db, last: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLES[0]!,
    migrationLockTableName: MIGRATION_TABLES[1]!,
  });
  const { error, results = [] } = await migrator.migrateTo(last);
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/**
 * Makes the target ready for the rows of a source at migration level `history`: refuses it when
 * it holds rows (unless `force`, which removes every table first), clears an empty one whose
 * schema is ahead of the source's, and runs the migrations to the source's level. Returns the
 * target's schema at that level.
 */
export async function prepareTarget(db: Db, history: readonly string[], options: { force: boolean; refusal: (tables: string[]) => string }): Promise<SchemaInfo> {
  const before = await readSchema(db);
  const filled = await tablesWithRows(db, before);
  if (filled.length && !options.force) throw new BackupRefused(options.refusal(filled));
  const applied = await appliedMigrations(db, before);
  const behind = applied.length <= history.length && applied.every((m, i) => history[i] === m);
  if (filled.length || !behind) await dropEverything(db, before);
  await migrateTo(db, history[history.length - 1]!);
  return readSchema(db);
}

/** Refuses a target whose tables or columns differ from the source's (they share a migration level, so they should not). */
export function assertSameTables(target: SchemaInfo, source: { name: string; columns: string[] }[]): void {
  const names = source.map((t) => t.name).sort();
  const theirs = [...target.dumped].sort();
  const missing = names.filter((n) => !theirs.includes(n));
  const extra = theirs.filter((n) => !names.includes(n));
  if (missing.length || extra.length) {
    throw new Error(`the target's tables differ from the source's at the same migration level (only in the source: ${missing.join(', ') || 'none'}; only in the target: ${extra.join(', ') || 'none'})`);
  }
  for (const t of source) {
    const cols = target.tables.get(t.name)!.columns.map((c) => c.name);
    if (cols.join(',') !== t.columns.join(',')) throw new Error(`the columns of ${t.name} differ between the source (${t.columns.join(', ')}) and the target (${cols.join(', ')})`);
  }
}

/** Values bound per statement: under SQLite's historical limit of 999. */
const MAX_PARAMETERS = 900;
/** Bytes of values per statement, so a batch of large texts or PDFs stays small. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

function sizeOf(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof Uint8Array) return v.byteLength;
  return 8;
}

/**
 * Inserts the rows of every table in a given order inside one transaction. A reference to a table
 * that comes later in the order (or to the same table: a theme's parent) cannot be checked yet,
 * so such a column is inserted empty and filled in by `finish()` once every table is loaded.
 */
export class Loader {
  private readonly order: readonly string[];
  private readonly pending: { table: TableInfo; column: string; key: unknown[]; value: unknown }[] = [];

  constructor(
    private readonly trx: Db,
    private readonly schema: SchemaInfo,
    order: readonly string[],
  ) {
    this.order = order;
    for (const [i, name] of order.entries()) {
      for (const column of this.deferredColumns(name, i)) {
        if (!schema.tables.get(name)!.columns.find((c) => c.name === column)!.nullable) {
          throw new Error(`${name}.${column} references a table loaded after it and cannot be left empty meanwhile`);
        }
      }
    }
  }

  private deferredColumns(name: string, position: number): string[] {
    return this.schema.tables
      .get(name)!
      .foreignKeys.filter((f) => f.references === name || this.order.indexOf(f.references) > position)
      .map((f) => f.column);
  }

  /** A writer for one table's rows (values in its sorted column order); call `flush()` at its end. */
  table(name: string): { add(row: unknown[]): Promise<void>; flush(): Promise<void> } {
    const table = this.schema.tables.get(name)!;
    const columns = table.columns.map((c) => c.name);
    const deferred = new Set(this.deferredColumns(name, this.order.indexOf(name)).map((c) => columns.indexOf(c)));
    const keyAt = table.primaryKey.map((k) => columns.indexOf(k));
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    let batch: unknown[][] = [];
    let bytes = 0;
    const flush = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      bytes = 0;
      await sql`INSERT INTO ${sql.table(name)} (${sql.join(columns.map((c) => sql.ref(c)))}) VALUES ${sql.join(rows.map((r) => sql`(${sql.join(r.map((v) => sql`${v}`))})`))}`.execute(this.trx);
    };
    return {
      add: async (row) => {
        if (row.length !== columns.length) throw new Error(`a row of ${name} has ${row.length} values for ${columns.length} columns`);
        if (deferred.size) {
          row = row.map((v, i) => {
            if (!deferred.has(i) || v === null) return v;
            this.pending.push({ table, column: columns[i]!, key: keyAt.map((k) => row[k]), value: v });
            return null;
          });
        }
        batch.push(row);
        bytes += row.reduce<number>((n, v) => n + sizeOf(v), 0);
        if (batch.length >= perStatement || bytes >= MAX_BATCH_BYTES) await flush();
      },
      flush,
    };
  }

  /** Fills the references left empty, then moves the id sequences past every id and past the source's marks. */
  async finish(sequences: Record<string, number>): Promise<void> {
    for (const p of this.pending) {
      const where = sql.join(p.table.primaryKey.map((k, i) => sql`${sql.ref(k)} = ${p.key[i]}`), sql` AND `);
      await sql`UPDATE ${sql.table(p.table.name)} SET ${sql.ref(p.column)} = ${p.value} WHERE ${where}`.execute(this.trx);
    }
    for (const name of this.order) await resetSequence(this.trx, this.schema, this.schema.tables.get(name)!, sequences[name] ?? 0);
  }
}

/**
 * Sets a table's id sequence so the next new row gets an id above every id present and above the
 * source's mark (ids of rows deleted before the backup are not given again).
 */
async function resetSequence(trx: Db, schema: SchemaInfo, table: TableInfo, mark: number): Promise<void> {
  if (!table.serial) return;
  const { rows } = await sql<{ m: number | null }>`SELECT max(${sql.ref(table.serial)}) AS m FROM ${sql.table(table.name)}`.execute(trx);
  const top = Math.max(Number(rows[0]?.m ?? 0), mark);
  if (schema.dialect === 'postgres') {
    const seq = await serialSequence(trx, table.name, table.serial);
    if (!seq) return;
    if (top > 0) await sql`SELECT setval(${seq}::regclass, ${top}, true)`.execute(trx);
    else await sql`SELECT setval(${seq}::regclass, 1, false)`.execute(trx);
    return;
  }
  await sql`DELETE FROM sqlite_sequence WHERE name = ${table.name}`.execute(trx);
  if (top > 0) await sql`INSERT INTO sqlite_sequence (name, seq) VALUES (${table.name}, ${top})`.execute(trx);
}

