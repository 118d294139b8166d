/**
 * What a backup needs to know of a database's schema, read from the database itself (not from
 * schema.ts), so that a table added by a later migration is carried without anyone listing it:
 * each table's stored columns, primary key, foreign keys and id sequence, and which tables are
 * dumped, which are derived (rebuilt after a restore) and which belong to the database or the
 * migrator.
 */
import { sql } from 'kysely';
import { isPostgres, type Db } from '../db/database.js';

/** The tables of the migrator: a restore runs the migrations to the archive's level, which writes them. */
export const MIGRATION_TABLES: readonly string[] = ['diwan_migrations', 'diwan_migrations_lock'];

/**
 * The site search index (search module, decision 0019): built from the content by the search
 * module's own rebuild (`onPrepared`), through SQLite's FTS5 table or PostgreSQL's generated
 * tsvector columns. Copying it raw would copy one database's index format into the other; it is
 * left out and rebuilt after a restore or a move.
 */
export const DERIVED_TABLES: readonly string[] = ['search_entries', 'search_sources'];

/** The columns that name stored files (content keys of the FileStore): a backup carries the files they name. */
export const FILE_KEY_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  document_files: ['storage_key', 'thumbnail_key'],
};

export type ColumnKind = 'integer' | 'text' | 'blob' | 'other';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  nullable: boolean;
  /** Computed by the database (never dumped, never inserted). */
  generated: boolean;
}

export interface TableInfo {
  name: string;
  /** Stored (not generated) columns, sorted by name: the order of every dumped row. */
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: { column: string; references: string }[];
  /** The column whose values come from a sequence (PostgreSQL serial, SQLite AUTOINCREMENT), if any. */
  serial: string | null;
}

export interface SchemaInfo {
  dialect: 'sqlite' | 'postgres';
  tables: Map<string, TableInfo>;
  /** The tables a backup dumps, parents before the tables that reference them. */
  dumped: string[];
  /** Derived tables present in this database. */
  derived: string[];
  /** True when the migrator's table exists. */
  migrated: boolean;
}

function kindOf(type: string): ColumnKind {
  const t = type.toLowerCase();
  if (t.includes('int')) return 'integer';
  if (t.includes('char') || t.includes('text') || t.includes('clob')) return 'text';
  if (t.includes('blob') || t === 'bytea' || t === '') return 'blob';
  return 'other';
}

/** SQLite's own tables, and each virtual table (FTS5) with the shadow tables it keeps. */
function sqliteInternal(tables: { name: string; sql: string | null }[]): Set<string> {
  const internal = new Set(tables.filter((t) => t.name.startsWith('sqlite_')).map((t) => t.name));
  const virtual = tables.filter((t) => /^\s*create\s+virtual\s+table/i.test(t.sql ?? '')).map((t) => t.name);
  for (const v of virtual) {
    internal.add(v);
    for (const t of tables) if (['data', 'idx', 'content', 'docsize', 'config'].some((s) => t.name === `${v}_${s}`)) internal.add(t.name);
  }
  return internal;
}

async function readSqlite(db: Db): Promise<TableInfo[]> {
  const { rows } = await sql<{ name: string; sql: string | null }>`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`.execute(db);
  const internal = sqliteInternal(rows);
  const tables: TableInfo[] = [];
  for (const t of rows) {
    if (internal.has(t.name)) continue;
    const cols = await sql<{ name: string; type: string; notnull: number; pk: number; hidden: number }>`SELECT name, type, "notnull", pk, hidden FROM pragma_table_xinfo(${t.name})`.execute(db);
    const fks = await sql<{ table: string; from: string }>`SELECT "table", "from" FROM pragma_foreign_key_list(${t.name})`.execute(db);
    const primaryKey = cols.rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const autoincrement = /\bautoincrement\b/i.test(t.sql ?? '') && primaryKey.length === 1;
    tables.push({
      name: t.name,
      // Hidden 2 and 3 are generated columns; 1 is a virtual table's hidden column.
      columns: cols.rows.map((c) => ({ name: c.name, kind: kindOf(c.type), nullable: !c.notnull && c.pk === 0, generated: c.hidden === 2 || c.hidden === 3 })),
      primaryKey,
      foreignKeys: fks.rows.map((f) => ({ column: f.from, references: f.table })),
      serial: autoincrement ? primaryKey[0]! : null,
    });
  }
  return tables;
}

async function readPostgres(db: Db): Promise<TableInfo[]> {
  const names = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const cols = await sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; is_generated: string; column_default: string | null }>`
    SELECT table_name, column_name, data_type, is_nullable, is_generated, column_default FROM information_schema.columns
    WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
  const pks = await sql<{ table_name: string; column_name: string }>`
    SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema() ORDER BY kcu.table_name, kcu.ordinal_position`.execute(db);
  const fks = await sql<{ table_name: string; column_name: string; references: string }>`
    SELECT src.relname AS table_name, a.attname AS column_name, dst.relname AS "references"
    FROM pg_constraint c
    JOIN pg_class src ON src.oid = c.conrelid
    JOIN pg_class dst ON dst.oid = c.confrelid
    CROSS JOIN LATERAL unnest(c.conkey) AS k(attnum)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    WHERE c.contype = 'f' AND src.relnamespace = current_schema()::regnamespace`.execute(db);
  return names.rows.map(({ name }) => {
    const own = cols.rows.filter((c) => c.table_name === name);
    const primaryKey = pks.rows.filter((p) => p.table_name === name).map((p) => p.column_name);
    const serial = own.find((c) => c.column_default?.startsWith('nextval(')) ?? null;
    return {
      name,
      columns: own.map((c) => ({ name: c.column_name, kind: kindOf(c.data_type), nullable: c.is_nullable === 'YES', generated: c.is_generated === 'ALWAYS' })),
      primaryKey,
      foreignKeys: fks.rows.filter((f) => f.table_name === name).map((f) => ({ column: f.column_name, references: f.references })),
      serial: serial?.column_name ?? null,
    };
  });
}

/**
 * Tables in an order that inserts parents first: repeatedly the first table by name whose
 * referenced tables are all placed. In a cycle the first remaining table by name goes next; a
 * restore fills its references to later tables once every table is loaded.
 */
export function parentsFirst(tables: TableInfo[]): string[] {
  const names = new Set(tables.map((t) => t.name));
  const needs = new Map(tables.map((t) => [t.name, new Set(t.foreignKeys.map((f) => f.references).filter((r) => r !== t.name && names.has(r)))]));
  const order: string[] = [];
  const placed = new Set<string>();
  const remaining = [...names].sort();
  while (remaining.length) {
    let i = remaining.findIndex((n) => [...needs.get(n)!].every((r) => placed.has(r)));
    if (i < 0) i = 0;
    const [next] = remaining.splice(i, 1);
    order.push(next!);
    placed.add(next!);
  }
  return order;
}

/** Reads the schema of a database (or of a transaction, to see the schema of its snapshot). */
export async function readSchema(db: Db): Promise<SchemaInfo> {
  const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
  const all = dialect === 'postgres' ? await readPostgres(db) : await readSqlite(db);
  for (const t of all) {
    t.columns = t.columns.filter((c) => !c.generated).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (!t.primaryKey.length) t.primaryKey = t.columns.map((c) => c.name);
  }
  const dumpable = all.filter((t) => !MIGRATION_TABLES.includes(t.name) && !DERIVED_TABLES.includes(t.name));
  return {
    dialect,
    tables: new Map(all.map((t) => [t.name, t])),
    dumped: parentsFirst(dumpable),
    derived: all.filter((t) => DERIVED_TABLES.includes(t.name)).map((t) => t.name),
    migrated: all.some((t) => t.name === MIGRATION_TABLES[0]),
  };
}

/** The migrations applied to a database, in order (none when it was never migrated). */
export async function appliedMigrations(db: Db, schema: SchemaInfo): Promise<string[]> {
  if (!schema.migrated) return [];
  const { rows } = await sql<{ name: string }>`SELECT name FROM diwan_migrations ORDER BY name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * The high-water mark of each id sequence (ids never given again), by table: SQLite's
 * `sqlite_sequence`, PostgreSQL's sequences. A restore sets each sequence to at least this.
 */
export async function readSequences(db: Db, schema: SchemaInfo): Promise<Record<string, number>> {
  const marks: Record<string, number> = {};
  if (schema.dialect === 'sqlite') {
    if (!schema.tables.size) return marks;
    const exists = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_sequence'`.execute(db);
    if (!exists.rows[0]?.n) return marks;
    const { rows } = await sql<{ name: string; seq: number }>`SELECT name, seq FROM sqlite_sequence`.execute(db);
    for (const r of rows) if (schema.dumped.includes(r.name)) marks[r.name] = Number(r.seq);
    return marks;
  }
  for (const name of schema.dumped) {
    const serial = schema.tables.get(name)!.serial;
    if (!serial) continue;
    const seq = await serialSequence(db, name, serial);
    if (!seq) continue;
    const { rows } = await sql<{ last_value: number; is_called: boolean }>`SELECT last_value, is_called FROM ${sql.raw(seq)}`.execute(db);
    marks[name] = rows[0]?.is_called ? Number(rows[0].last_value) : 0;
  }
  return marks;
}

/** The sequence behind a PostgreSQL serial column, as a quoted, schema-qualified name (from the database itself). */
export async function serialSequence(db: Db, table: string, column: string): Promise<string | null> {
  const { rows } = await sql<{ seq: string | null }>`SELECT pg_get_serial_sequence(${quoteIdent(table)}, ${column}) AS seq`.execute(db);
  return rows[0]?.seq ?? null;
}

/** A PostgreSQL identifier quoted as `quote_ident` would (for pg_get_serial_sequence's first argument). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
