/**
 * Rows in a form both databases agree on: each row a JSON array of its stored columns sorted by
 * name, bytes as `{"$base64": ...}`, one row a line. The lines are read in primary-key order
 * (text compared byte by byte on both databases), so the SHA-256 of a table's lines is the same
 * for the same data whichever database holds it: a backup records it, a restore and a move check
 * it.
 */
import { createHash, type Hash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { TableInfo } from './schema-info.js';

/** One row as a line of the archive (no line break: JSON escapes those inside strings). */
export function encodeRow(table: string, columns: readonly string[], values: readonly unknown[]): string {
  return JSON.stringify(
    values.map((v, i) => {
      if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new TypeError(`${table}.${columns[i]}: a number that JSON cannot hold`);
        return v;
      }
      if (v instanceof Uint8Array) return { $base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      // A column type the format does not know yet (a date, a bigint past 2^53...) fails the backup
      // instead of being written in a form that would not come back the same.
      throw new TypeError(`${table}.${columns[i]}: values of this type (${typeof v}) cannot be backed up yet`);
    }),
  );
}

/** A line of the archive back to the values of its row. */
export function decodeRow(line: string): unknown[] {
  const values: unknown = JSON.parse(line);
  if (!Array.isArray(values)) throw new TypeError('a row is a JSON array');
  return values.map((v: unknown) => {
    if (v !== null && typeof v === 'object') {
      const b64 = (v as { $base64?: unknown }).$base64;
      if (typeof b64 !== 'string') throw new TypeError('an object in a row holds bytes as $base64');
      return Buffer.from(b64, 'base64');
    }
    return v;
  });
}

/** The row count and SHA-256 of a table's lines, fed line by line. */
export class TableDigest {
  rows = 0;
  private readonly hash: Hash = createHash('sha256');

  add(line: string): void {
    this.hash.update(line);
    this.hash.update('\n');
    this.rows++;
  }

  /** For bytes that are already whole lines (a chunk of the archive). */
  addLines(bytes: Uint8Array): void {
    this.hash.update(bytes);
    for (const b of bytes) if (b === 0x0a) this.rows++;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Rows per read: fewer for tables that hold files as bytes (PDFs), to bound memory. */
function batchSize(table: TableInfo): number {
  return table.columns.some((c) => c.kind === 'blob') ? 8 : 250;
}

let cursors = 0;

/**
 * Every row of a table, in primary-key order, in batches of values in the table's column order.
 * Inside a transaction both ways read one snapshot: PostgreSQL through a cursor (one sort, with
 * text in byte order by the "C" collation), SQLite by key ranges on the primary key's index.
 */
export async function* readRows(db: Db, table: TableInfo, dialect: 'sqlite' | 'postgres'): AsyncGenerator<unknown[][]> {
  const list = sql.join(table.columns.map((c) => sql.ref(c.name)));
  const kinds = new Map(table.columns.map((c) => [c.name, c.kind]));
  const size = batchSize(table);
  if (dialect === 'postgres') {
    const order = sql.join(table.primaryKey.map((k) => (kinds.get(k) === 'text' ? sql`${sql.ref(k)} COLLATE "C"` : sql.ref(k))));
    const cursor = sql.raw(`diwan_backup_${++cursors}`);
    await sql`DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${list} FROM ${sql.table(table.name)} ORDER BY ${order}`.execute(db);
    try {
      for (;;) {
        const { rows } = await sql<Record<string, unknown>>`FETCH FORWARD ${sql.raw(String(size))} FROM ${cursor}`.execute(db);
        if (!rows.length) return;
        yield rows.map((r) => table.columns.map((c) => r[c.name]));
        if (rows.length < size) return;
      }
    } finally {
      await sql`CLOSE ${cursor}`.execute(db).catch(() => undefined);
    }
  }
  const key = table.primaryKey.map((k) => table.columns.findIndex((c) => c.name === k));
  const keyList = sql.join(table.primaryKey.map((k) => sql.ref(k)));
  let last: unknown[] | null = null;
  for (;;) {
    const after: ReturnType<typeof sql> = last
      ? sql`WHERE (${keyList}) > (${sql.join(last.map((v) => sql`${v}`))})`
      : sql``;
    const { rows } = await sql<Record<string, unknown>>`SELECT ${list} FROM ${sql.table(table.name)} ${after} ORDER BY ${keyList} LIMIT ${size}`.execute(db);
    if (!rows.length) return;
    const batch = rows.map((r) => table.columns.map((c) => r[c.name]));
    yield batch;
    if (rows.length < size) return;
    const end = batch[batch.length - 1]!;
    last = key.map((i) => end[i]);
  }
}

/** The row count and SHA-256 of each table as it is now, read in one snapshot (`db` is a transaction). */
export async function digestTables(db: Db, tables: TableInfo[], dialect: 'sqlite' | 'postgres'): Promise<Map<string, { rows: number; sha256: string }>> {
  const out = new Map<string, { rows: number; sha256: string }>();
  for (const table of tables) {
    const digest = new TableDigest();
    const names = table.columns.map((c) => c.name);
    for await (const batch of readRows(db, table, dialect)) for (const row of batch) digest.add(encodeRow(table.name, names, row));
    out.set(table.name, { rows: digest.rows, sha256: digest.digest() });
  }
  return out;
}
