/**
 * `diwan restore FILE`: brings the configured installation back to the state of a backup. The
 * archive is read whole and checked against its manifest before anything is written (a damaged or
 * cut archive, or one from a newer Diwan, is refused); then the database is prepared (refused when
 * it holds rows, unless forced), migrated to the archive's level, the files are put back through
 * the FileStore (each checked again), and the rows inserted in one transaction. Then the database
 * is migrated on to this Diwan's level when the archive is older, the search index rebuilt, and
 * the content version moved, so running servers drop the pages they cached.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { afterPrepared, migrateAndLoadReferenceData, type Logger } from '../bootstrap.js';
import type { Db } from '../db/database.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { announceChanges } from '../events/changes.js';
import type { DiwanModule } from '../module.js';
import type { FileStore } from '../storage/storage.js';
import { BackupRefused, FILE_ENTRY, HEADER_ENTRY, MANIFEST_ENTRY, TABLE_ENTRY, parseHeader, parseManifest, readArchive, type ArchiveHeader, type Manifest } from './archive.js';
import { TableDigest, decodeRow } from './rows.js';
import { readSchema } from './schema-info.js';
import { KNOWN_MIGRATIONS, Loader, assertKnownMigrations, assertSameTables, prepareTarget, tablesWithRows } from './target.js';

const gunzipAsync = promisify(gunzip);
/** The most a chunk may inflate to: one row of a large PDF fits; a forged chunk cannot fill the memory. */
const MAX_CHUNK_BYTES = 1024 * 1024 * 1024;
const MAX_HEADER_BYTES = 1024 * 1024;

async function inflate(bytes: Uint8Array, entryPath: string): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: MAX_CHUNK_BYTES });
  } catch {
    throw new BackupRefused(`the backup is damaged: ${entryPath} cannot be decompressed`);
  }
}

/** Turns a failure while reading the archive's bodies into a refusal (the tar reader's own errors are already). */
function asDamage(err: unknown): never {
  if (err instanceof BackupRefused) throw err;
  throw new BackupRefused(`the backup is damaged or cut short: ${err instanceof Error ? err.message : String(err)}`);
}

/**
 * Reads the whole archive and checks it: the header first (its format, and a migration history
 * this Diwan knows), every table chunk and file against the manifest that ends it (row counts,
 * SHA-256 of each table's rows, of each file). Returns the manifest; throws BackupRefused.
 */
export async function verifyArchive(file: string): Promise<Manifest> {
  let header: ArchiveHeader | undefined;
  let manifest: Manifest | undefined;
  const tables = new Map<string, { digest: TableDigest; chunks: number }>();
  const order: string[] = [];
  const files = new Map<string, number>();
  try {
    for await (const entry of readArchive(file)) {
      if (manifest) throw new BackupRefused(`the backup is damaged: ${entry.path} comes after the manifest`);
      // Entries read whole are bounded, so a forged archive cannot fill the memory.
      const limit = entry.path === HEADER_ENTRY ? MAX_HEADER_BYTES : entry.path === MANIFEST_ENTRY || TABLE_ENTRY.test(entry.path) ? MAX_CHUNK_BYTES : Infinity;
      if (entry.size > limit) throw new BackupRefused(`the backup is damaged or not a Diwan backup: ${entry.path} is too large`);
      if (!header) {
        if (entry.path !== HEADER_ENTRY) throw new BackupRefused('this is not a Diwan backup (it does not start with diwan-backup.json)');
        header = parseHeader(await entry.text());
        assertKnownMigrations(header.migrations, 'this backup');
        continue;
      }
      if (entry.path === MANIFEST_ENTRY) {
        manifest = parseManifest(await entry.text());
        continue;
      }
      const table = TABLE_ENTRY.exec(entry.path);
      if (table) {
        const [, name, n] = table;
        if (files.size) throw new BackupRefused(`the backup is damaged: ${entry.path} comes after the files`);
        let state = tables.get(name!);
        if (state && order[order.length - 1] !== name) throw new BackupRefused(`the backup is damaged: the rows of ${name} are not together`);
        if (!state) {
          state = { digest: new TableDigest(), chunks: 0 };
          tables.set(name!, state);
          order.push(name!);
        }
        if (Number(n) !== ++state.chunks) throw new BackupRefused(`the backup is damaged: chunk ${n} of ${name} is out of order`);
        state.digest.addLines(await inflate(await entry.bytes(), entry.path));
        continue;
      }
      const stored = FILE_ENTRY.exec(entry.path);
      if (stored) {
        const hash = createHash('sha256');
        let size = 0;
        for await (const chunk of entry.body) {
          hash.update(chunk);
          size += chunk.byteLength;
        }
        if (hash.digest('hex') !== stored[1]!.slice(-64)) throw new BackupRefused(`the backup is damaged: ${entry.path} does not match its SHA-256`);
        files.set(stored[1]!, size);
        continue;
      }
      throw new BackupRefused(`the backup is damaged or not a Diwan backup: unexpected entry ${entry.path}`);
    }
  } catch (err) {
    asDamage(err);
  }
  if (!header) throw new BackupRefused('this is not a Diwan backup (it is empty)');
  if (!manifest) throw new BackupRefused('the backup is incomplete: it ends before its manifest (it was cut short)');
  if (manifest.createdAt !== header.createdAt || manifest.dialect !== header.dialect || manifest.migrations.join() !== header.migrations.join()) {
    throw new BackupRefused('the backup is damaged: its manifest does not match its header');
  }
  for (const t of manifest.tables) {
    const seen = tables.get(t.name);
    const rows = seen?.digest.rows ?? 0;
    const sha256 = seen?.digest.digest() ?? new TableDigest().digest();
    if ((seen?.chunks ?? 0) !== t.chunks || rows !== t.rows || sha256 !== t.sha256) throw new BackupRefused(`the backup is damaged: the rows of ${t.name} do not match its manifest`);
    tables.delete(t.name);
  }
  if (tables.size) throw new BackupRefused(`the backup is damaged: rows of ${[...tables.keys()].join(', ')} are not in its manifest`);
  if (order.join() !== manifest.tables.filter((t) => t.chunks > 0).map((t) => t.name).join()) throw new BackupRefused('the backup is damaged: its tables are not in the order of its manifest');
  for (const f of manifest.files) {
    if (files.get(f.key) !== f.size) throw new BackupRefused(`the backup is damaged: the file ${f.key} is missing or has the wrong size`);
    files.delete(f.key);
  }
  if (files.size) throw new BackupRefused('the backup is damaged: it holds files its manifest does not list');
  return manifest;
}

export interface RestoreOptions {
  /** Replace a database that holds rows (every table is removed first). */
  force?: boolean;
  modules: readonly DiwanModule[];
  log: Logger;
}

export interface RestoreReport {
  manifest: Manifest;
  rows: number;
  files: number;
  /** The files that were already in the store (same key, same size). */
  filesKept: number;
  /** True when the archive was older than this Diwan and the newer migrations were run after it. */
  migratedOn: boolean;
}

/** Puts the archive's files into the store (through staging: each is hashed again on the way in). */
async function restoreFiles(file: string, manifest: Manifest, store: FileStore): Promise<number> {
  const sizes = new Map(manifest.files.map((f) => [f.key, f.size]));
  let kept = 0;
  for await (const entry of readArchive(file)) {
    const stored = FILE_ENTRY.exec(entry.path);
    if (!stored) continue;
    const key = stored[1]!;
    const size = sizes.get(key)!;
    if ((await store.stat(key))?.size === size) {
      kept++;
      continue;
    }
    let staged;
    try {
      staged = await store.stage(entry.body, { maxBytes: size });
    } catch (err) {
      asDamage(err);
    }
    if (staged.sha256 !== key.slice(-64) || staged.size !== size) {
      await staged.discard();
      throw new BackupRefused(`the backup changed while it was being restored: ${entry.path} no longer matches its SHA-256`);
    }
    await store.commit(staged);
  }
  return kept;
}

let known: Promise<ReadonlySet<string>> | undefined;
/**
 * The tables this Diwan's migrations make (and their derived ones), found by migrating an empty
 * in-memory database once.
 */
function diwanTables(): Promise<ReadonlySet<string>> {
  known ??= (async () => {
    const scratch = openDatabase({ dialect: 'sqlite', databaseUrl: 'sqlite::memory:' });
    try {
      await migrateToLatest(scratch);
      const schema = await readSchema(scratch);
      return new Set([...schema.dumped, ...schema.derived]);
    } finally {
      await scratch.destroy();
    }
  })();
  return known;
}

/** Restores a backup into the database and file store (see the file's comment). */
export async function restoreBackup(db: Db, store: FileStore, file: string, options: RestoreOptions): Promise<RestoreReport> {
  const refusal = (tables: string[]) =>
    `the database is not empty (${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''} hold rows): restore replaces everything in it only with --force`;
  // A quick look first, so an operator who forgot --force is not made to wait for the whole check.
  if (!options.force) {
    const filled = await tablesWithRows(db, await readSchema(db));
    if (filled.length) throw new BackupRefused(refusal(filled));
  }
  const manifest = await verifyArchive(file);
  // Only Diwan's own tables are ever removed or loaded: an archive or a database that holds others
  // (a database shared with another application) is refused before anything is touched.
  const known = await diwanTables();
  const strangers = manifest.tables.map((t) => t.name).filter((n) => !known.has(n));
  if (strangers.length) throw new BackupRefused(`the backup holds tables this Diwan does not know (${strangers.slice(0, 5).join(', ')}): it cannot be restored here`);
  const foreign = (await readSchema(db)).dumped.filter((n) => !known.has(n));
  if (foreign.length) throw new BackupRefused(`the database holds tables Diwan did not make (${foreign.slice(0, 5).join(', ')}): restore only into a database of Diwan's own`);
  // The files first: they are stored by their hash and only ever added, so a failure here (a full
  // disk, an unreachable bucket) leaves the installation as it was.
  const filesKept = await restoreFiles(file, manifest, store);
  const schema = await prepareTarget(db, manifest.migrations, { force: !!options.force, refusal });
  assertSameTables(schema, manifest.tables);
  const order = manifest.tables.map((t) => t.name);
  let rows = 0;
  await db.transaction().execute(async (trx) => {
    const loader = new Loader(trx, schema, order);
    let current: { name: string; writer: ReturnType<Loader['table']> } | undefined;
    for await (const entry of readArchive(file)) {
      if (entry.path === HEADER_ENTRY) continue;
      const chunk = TABLE_ENTRY.exec(entry.path);
      // The tables come first: the rest of the archive is the files and the manifest.
      if (!chunk) break;
      const name = chunk[1]!;
      if (current?.name !== name) {
        await current?.writer.flush();
        current = { name, writer: loader.table(name) };
      }
      const text = (await inflate(await entry.bytes(), entry.path)).toString('utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        await current.writer.add(decodeRow(line));
        rows++;
      }
    }
    await current?.writer.flush();
    if (rows !== manifest.tables.reduce((n, t) => n + t.rows, 0)) throw new BackupRefused('the backup changed while it was being restored');
    await loader.finish(manifest.sequences);
  });
  const migratedOn = manifest.migrations.length < KNOWN_MIGRATIONS.length;
  if (migratedOn) await migrateAndLoadReferenceData(db, options.modules, options.log);
  // The search index is rebuilt from the restored content (its fingerprints are not there).
  await afterPrepared(db, options.modules, options.log);
  // Every server drops its cached pages: the content version moves and, on PostgreSQL, they are told at once.
  await announceChanges(db, [{ entity: 'site', id: 'restore', action: 'restored', public: true, visibleFrom: null }]);
  return { manifest, rows, files: manifest.files.length, filesKept, migratedOn };
}
