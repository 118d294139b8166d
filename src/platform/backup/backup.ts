/**
 * `diwan backup FILE`: one archive (archive.ts) with a consistent snapshot of the database and the
 * stored files its rows name, taken while the server may be running and writing. Every dumped
 * table is read inside one read-only transaction: on PostgreSQL at REPEATABLE READ, on SQLite a
 * transaction whose first read fixes its view of the write-ahead log. A write that commits during
 * the backup is therefore wholly in it or wholly out. Stored files never change under their key
 * (the key is their SHA-256), so they are read after the snapshot, through the FileStore (local
 * disk or S3), each checked against its key as it streams into the archive.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { sql, type ControlledTransaction } from 'kysely';
import { isPostgres, type Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { isValidKey, type FileStore } from '../storage/storage.js';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION, BackupRefused, HEADER_ENTRY, MANIFEST_ENTRY, archiveEntry, fileEntryPath, tableEntryPath, writeArchive, type Manifest } from './archive.js';
import { TableDigest, encodeRow, readRows } from './rows.js';
import { FILE_KEY_COLUMNS, appliedMigrations, readSchema, readSequences } from './schema-info.js';
import type { WriteEntry } from 'tar';

const gzipAsync = promisify(gzip);

/** Raw bytes of rows per archive chunk (gzipped before it is written). */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * A read-only transaction that sees one snapshot of the whole database. Its first statement is a
 * read, made here: on PostgreSQL that fixes the REPEATABLE READ snapshot, on SQLite (deferred
 * BEGIN in WAL mode) the point of the log it reads up to.
 */
export async function beginSnapshot(db: Db): Promise<ControlledTransaction<Database>> {
  const trx = isPostgres(db)
    ? await db.startTransaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute()
    : await db.startTransaction().execute();
  try {
    await sql`SELECT 1 AS x FROM ${sql.table(isPostgres(db) ? 'pg_class' : 'sqlite_master')} LIMIT 1`.execute(trx);
  } catch (err) {
    await trx.rollback().execute().catch(() => undefined);
    throw err;
  }
  return trx;
}

export interface BackupReport {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  files: number;
  fileBytes: number;
  manifest: Manifest;
}

export interface BackupOptions {
  /** Called after each table is in the archive (in the order they are written), awaited. */
  onTable?: (table: string, rows: number) => void | Promise<void>;
}

/** Streams a stored file, failing when its bytes do not hash to its key or do not have its size. */
async function* checkedFile(stream: NodeJS.ReadableStream, key: string, size: number): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let seen = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    seen += chunk.byteLength;
    yield chunk;
  }
  if (seen !== size || hash.digest('hex') !== key.slice(-64)) throw new Error(`the stored file ${key} does not match its SHA-256: it was changed or damaged in the store`);
}

/** Writes a backup of the database and its stored files to `file` (see the file's comment). */
export async function createBackup(db: Db, store: FileStore, file: string, options: BackupOptions = {}): Promise<BackupReport> {
  const createdAt = new Date();
  const dialect = isPostgres(db) ? 'postgres' : 'sqlite';
  let manifest: Manifest | undefined;
  let rowsTotal = 0;
  let fileBytes = 0;

  async function* archive(): AsyncGenerator<WriteEntry> {
    const keys = new Set<string>();
    const tables: Manifest['tables'] = [];
    let header: Omit<Manifest, 'tables' | 'sequences' | 'files' | 'derived'>;
    let sequences: Record<string, number>;
    let derived: string[];
    const trx = await beginSnapshot(db);
    try {
      const schema = await readSchema(trx);
      const migrations = await appliedMigrations(trx, schema);
      if (!migrations.length) throw new BackupRefused('this database has no Diwan schema (no migrations applied): there is nothing to back up');
      header = { format: ARCHIVE_FORMAT, version: ARCHIVE_VERSION, createdAt: createdAt.toISOString(), dialect, migrations };
      const text = Buffer.from(JSON.stringify(header, null, 2));
      yield archiveEntry(HEADER_ENTRY, text.length, text, createdAt);
      sequences = await readSequences(trx, schema);
      derived = schema.derived;
      for (const name of schema.dumped) {
        const table = schema.tables.get(name)!;
        const columns = table.columns.map((c) => c.name);
        const keyColumns = (FILE_KEY_COLUMNS[name] ?? []).map((c) => columns.indexOf(c)).filter((i) => i >= 0);
        const digest = new TableDigest();
        let lines: string[] = [];
        let bytes = 0;
        let chunks = 0;
        const chunk = async () => {
          const gz = await gzipAsync(Buffer.from(`${lines.join('\n')}\n`));
          lines = [];
          bytes = 0;
          return archiveEntry(tableEntryPath(name, ++chunks), gz.length, gz, createdAt);
        };
        for await (const batch of readRows(trx, table, dialect)) {
          for (const row of batch) {
            for (const i of keyColumns) {
              const key = row[i];
              if (key === null || key === undefined) continue;
              if (typeof key !== 'string' || !isValidKey(key)) throw new Error(`${name}.${columns[i]} holds a value that is not a file key`);
              keys.add(key);
            }
            const line = encodeRow(name, columns, row);
            digest.add(line);
            lines.push(line);
            bytes += line.length;
            if (bytes >= CHUNK_BYTES) yield await chunk();
          }
        }
        if (lines.length) yield await chunk();
        tables.push({ name, columns, rows: digest.rows, chunks, sha256: digest.digest() });
        rowsTotal += digest.rows;
        await options.onTable?.(name, digest.rows);
      }
    } finally {
      // Read only: nothing to commit; ending it lets SQLite's log be checkpointed past it.
      await trx.rollback().execute().catch(() => undefined);
    }
    const files: Manifest['files'] = [];
    for (const key of [...keys].sort()) {
      const info = await store.stat(key);
      if (!info) throw new Error(`the stored file ${key}, named by the database, is missing from the file store`);
      yield archiveEntry(fileEntryPath(key), info.size, checkedFile(await store.read(key), key, info.size), createdAt);
      files.push({ key, size: info.size });
      fileBytes += info.size;
    }
    manifest = { ...header, tables, sequences, files, derived };
    const text = Buffer.from(JSON.stringify(manifest, null, 2));
    yield archiveEntry(MANIFEST_ENTRY, text.length, text, createdAt);
  }

  const bytes = await writeArchive(file, archive());
  return { file, bytes, tables: manifest!.tables.length, rows: rowsTotal, files: manifest!.files.length, fileBytes, manifest: manifest! };
}
