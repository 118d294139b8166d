/**
 * The backup archive: a plain tar file (the `tar` package writes and reads it), so that an
 * operator can look into one with `tar tvf`. Its entries, in this order:
 *
 * - `diwan-backup.json`: the format, the source database's dialect, its migrations, the time;
 * - `tables/<table>/<n>.jsonl.gz`: each dumped table's rows (see rows.ts), in chunks of a few
 *   megabytes, gzipped; tables parents first;
 * - `files/sha256/ab/<sha256>`: each stored file the rows name, as it is;
 * - `manifest.json`, last: per table its columns, row count and SHA-256, the id sequences, per
 *   file its key (its SHA-256) and size.
 *
 * A tar header holds the size of its entry, so an archive is written and read as a stream, and an
 * archive cut short or damaged shows: the manifest is last, and every part is checked against it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Pack, entries, WriteEntry, type ReadEntry } from 'tar';
import { z } from 'zod';
import { fsync, isValidKey } from '../storage/storage.js';

export const ARCHIVE_FORMAT = 'diwan-backup';
/** The version of the archive's layout this code writes and reads. */
export const ARCHIVE_VERSION = 1;

export const HEADER_ENTRY = 'diwan-backup.json';
export const MANIFEST_ENTRY = 'manifest.json';
export const TABLE_ENTRY = /^tables\/([a-z_][a-z0-9_]*)\/(\d{6})\.jsonl\.gz$/;
export const FILE_ENTRY = /^files\/(sha256\/[0-9a-f]{2}\/[0-9a-f]{64})$/;

export const tableEntryPath = (table: string, chunk: number) => `tables/${table}/${String(chunk).padStart(6, '0')}.jsonl.gz`;
export const fileEntryPath = (key: string) => `files/${key}`;

/** A backup that is refused, before anything is written: a damaged archive, one from a newer Diwan, a database that is not empty. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const HeaderSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.number().int().min(1),
  createdAt: z.string(),
  dialect: z.enum(['sqlite', 'postgres']),
  migrations: z.array(z.string().min(1)).min(1),
});
export type ArchiveHeader = z.infer<typeof HeaderSchema>;

const ManifestSchema = HeaderSchema.extend({
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z_][a-z0-9_]*$/),
      columns: z.array(z.string().min(1)).min(1),
      rows: z.number().int().min(0),
      chunks: z.number().int().min(0),
      sha256: Sha256,
    }),
  ),
  sequences: z.record(z.string(), z.number().int().min(0)),
  files: z.array(z.object({ key: z.string().refine(isValidKey, 'a file key'), size: z.number().int().min(0) })),
  /** Tables left out because they are rebuilt from the others (the search index). */
  derived: z.array(z.string()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** Reads the first entry; refuses an archive of another kind or of a newer layout. */
export function parseHeader(text: string): ArchiveHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupRefused('this is not a Diwan backup (its first entry is not readable)');
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if ((raw as { format?: unknown } | null)?.format === ARCHIVE_FORMAT && typeof version === 'number' && version > ARCHIVE_VERSION) {
    throw new BackupRefused(`this backup was made by a newer Diwan (archive format ${version}; this Diwan reads format ${ARCHIVE_VERSION}): upgrade Diwan first`);
  }
  const parsed = HeaderSchema.safeParse(raw);
  if (!parsed.success) throw new BackupRefused('this is not a Diwan backup (its first entry is not a Diwan backup header)');
  return parsed.data;
}

export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupRefused('the backup is damaged: its manifest is not readable');
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) throw new BackupRefused('the backup is damaged: its manifest is not valid');
  return parsed.data;
}

/** An entry of the archive (owner-only permissions: a backup holds password hashes and personal data). */
export function archiveEntry(entryPath: string, size: number, body: Uint8Array | AsyncIterable<Uint8Array>, mtime: Date): WriteEntry {
  return new WriteEntry({ path: entryPath, size, mode: 0o600, mtime, uid: 0, gid: 0, uname: '', gname: '' }, body);
}

/** A failure to write the archive file, naming the file and saying that no backup was left. */
export class ArchiveWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const reason =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? `the disk holding ${file} is full (${code})`
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `${file} cannot be written (${code})`
          : `${file}: ${cause instanceof Error ? cause.message : String(cause)}`;
    super(`${reason}; no backup was written`, { cause });
    this.name = 'ArchiveWriteError';
  }
}

/** True for errors of the file system (as opposed to a failure of what was being archived). */
function isFsError(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | undefined;
  return typeof e?.code === 'string' && typeof e.syscall === 'string';
}

/**
 * Streams the entries into `<file>.part`, flushes it to the disk and renames it to `file`: a
 * backup that is killed or fails leaves no `file`, and what it had written is removed (a killed
 * one leaves its `.part`, which the next backup to that name overwrites).
 */
export async function writeArchive(file: string, source: AsyncIterable<WriteEntry>): Promise<number> {
  const target = path.resolve(file);
  const part = `${target}.part`;
  try {
    const pack = new Pack();
    pack.add(source);
    pack.end();
    // `flush`: the file is synced to the disk before it is closed, so the rename publishes whole data.
    await pipeline(Readable.from(pack), createWriteStream(part, { mode: 0o600, flush: true }));
    const { size } = await stat(part);
    await rename(part, target);
    await fsync(path.dirname(target));
    return size;
  } catch (err) {
    await rm(part, { force: true }).catch(() => undefined);
    if (err instanceof BackupRefused) throw err;
    throw isFsError(err) ? new ArchiveWriteError(part, err) : err;
  }
}

/** The entries of an archive file, read as a stream; any damage the tar reader sees is an error. */
export async function* readArchive(file: string): AsyncGenerator<ReadEntry> {
  try {
    for await (const entry of entries(createReadStream(file), { strict: true, file })) {
      if (entry.type !== 'File') throw new BackupRefused(`the backup is damaged: ${entry.path} is not a file`);
      yield entry;
    }
  } catch (err) {
    if (err instanceof BackupRefused) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new BackupRefused(`${file} cannot be read (${code})`);
    throw new BackupRefused(`the backup is damaged or cut short: ${err instanceof Error ? err.message : String(err)}`);
  }
}
