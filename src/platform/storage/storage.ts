/**
 * Uploaded files behind one interface: on the local disk by default, in S3-compatible object
 * storage when several instances share the files. Every upload is first staged in a local
 * temporary (hashed and size-checked as it streams in, so it can be inspected before anything is
 * kept), then committed under a key derived from its SHA-256: the same bytes are stored once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseStorageUrl } from './url.js';

/** A complete upload in a local temporary file, not yet stored. */
export interface StagedFile {
  /** The temporary file (always on the local disk, also for S3): read it to inspect or extract text. */
  path: string;
  /** Hex SHA-256 of the content. */
  sha256: string;
  size: number;
  /** Deletes the temporary; safe to call more than once. */
  discard(): Promise<void>;
}

/** A file kept by the store, found again by its key. */
export interface StoredFile {
  key: string;
  sha256: string;
  size: number;
}

/** An inclusive byte range, as in an HTTP Range header (`bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** How a commit treats the staged temporary. */
export interface CommitOptions {
  /** Leaves the temporary in place (the caller discards it) instead of moving or removing it. */
  keepStaged?: boolean;
}

/** Where uploaded files are kept; see openFileStore. */
export interface FileStore {
  kind: 'local' | 's3';
  /** Streams an upload into a local temporary, hashing it; throws FileTooLarge as soon as it exceeds maxBytes. */
  stage(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, options: { maxBytes: number }): Promise<StagedFile>;
  /**
   * Stores a staged file under its content key (once only for the same bytes) and removes the
   * temporary, or keeps it with `keepStaged` (for a second commit should the stored file be
   * collected before a row names it; the caller discards it then).
   */
  commit(staged: StagedFile, options?: CommitOptions): Promise<StoredFile>;
  /** The size of a stored file, or null when there is none under that key. */
  stat(key: string): Promise<{ size: number } | null>;
  /** The content of a stored file, or one inclusive range of it; throws FileMissing when there is none. */
  read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream>;
  /** Removes a stored file; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored key. */
  list(): AsyncIterable<string>;
  /** Deletes temporaries untouched for longer than olderThanMs (left by a crash or a lost upload); returns how many. */
  sweep(olderThanMs: number): Promise<number>;
  /** Releases connections; the store is not used afterwards. */
  close(): Promise<void>;
}

/** An upload larger than the limit it was staged with. */
export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than ${limit} bytes`);
    this.name = 'FileTooLarge';
  }
}

/** No stored file under the key that was asked for. */
export class FileMissing extends Error {
  constructor(readonly key: string) {
    super(`no stored file under ${key}`);
    this.name = 'FileMissing';
  }
}

const KEY = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The key a file with this (hex) SHA-256 is stored under: `sha256/ab/<64 hex>`. */
export function keyFor(sha256: string): string {
  if (!SHA256.test(sha256)) throw new TypeError('a SHA-256 is 64 lowercase hex digits');
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

/** True for a key keyFor could have made (so no key can point outside the store). */
export function isValidKey(key: string): boolean {
  return typeof key === 'string' && KEY.test(key) && key.slice(7, 9) === key.slice(10, 12);
}

/** Throws unless the key is valid; every store method taking a key calls it first. */
export function assertValidKey(key: string): void {
  // The key itself is not in the message: it may come from a request.
  if (!isValidKey(key)) throw new TypeError('invalid file key');
}

/** Throws unless the range is a well-formed inclusive range of byte offsets. */
export function assertValidRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new RangeError('a byte range needs integers 0 <= start <= end');
  }
}

/** The local folder of upload temporaries, for both kinds of store. */
export function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'tmp', 'uploads');
}

const PART = /^[0-9a-f]{32}\.part$/;

/** Throws unless the staged file is a temporary of this data directory (commit moves or uploads only those). */
export function assertStagedHere(staged: StagedFile, dataDir: string): void {
  const dir = path.resolve(uploadsDir(dataDir));
  if (path.dirname(path.resolve(staged.path)) !== dir || !PART.test(path.basename(staged.path))) {
    throw new TypeError('not a file staged by this store');
  }
  if (!Number.isSafeInteger(staged.size) || staged.size < 0) throw new TypeError('a staged file has a size');
  keyFor(staged.sha256);
}

/** Counts and hashes the bytes passing through; fails once more than maxBytes went by. */
class Meter extends Transform {
  size = 0;
  private readonly hash = createHash('sha256');

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += bytes.byteLength;
    if (this.size > this.maxBytes) {
      done(new FileTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(bytes);
    done(null, bytes);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Streams a source into a new `.part` file of `<dataDir>/tmp/uploads` (mode 0600), hashing as it
 * goes. Memory stays bounded by the streams' buffers whatever the size: past maxBytes the source is
 * destroyed and the temporary deleted; on any error the temporary is deleted too.
 */
export async function stageUpload(dataDir: string, source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, maxBytes: number): Promise<StagedFile> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
  const dir = uploadsDir(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${randomBytes(16).toString('hex')}.part`);
  const meter = new Meter(maxBytes);
  try {
    await pipeline(source, meter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    // pipeline has destroyed every stream (the source too) before it rejects.
    await rm(file, { force: true });
    throw err;
  }
  return { path: file, sha256: meter.digest(), size: meter.size, discard: () => rm(file, { force: true }) };
}

/** Flushes a file, or a directory's entries (a rename into it), to the disk. */
export async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Deletes `.part` files of the uploads folder last written before now - olderThanMs; returns how many. */
export async function sweepUploads(dataDir: string, olderThanMs: number): Promise<number> {
  const dir = uploadsDir(dataDir);
  const cutoff = Date.now() - olderThanMs;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(dir, name);
    // A live upload keeps touching its file, so only abandoned ones are this old.
    const info = await stat(file).catch(() => null);
    // Whole milliseconds: a file written in this very millisecond has a fractional mtime past
    // Date.now(), and a sweep of everything (olderThanMs 0) must still take it.
    if (!info?.isFile() || Math.floor(info.mtimeMs) > cutoff) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}

/**
 * Opens the store a storage URL names: none or `file:` keeps files under `<dataDir>/files`,
 * `s3://...` in a bucket (see url.ts). Staging is local in both cases, under `<dataDir>/tmp`.
 */
export async function openFileStore(options: { url?: string; dataDir: string }): Promise<FileStore> {
  const settings = parseStorageUrl(options.url);
  if (settings.kind === 'local') {
    const { openLocalStore } = await import('./local.js');
    return openLocalStore(options.dataDir);
  }
  // The AWS SDK is loaded only by sites that store files in a bucket.
  const { openS3Store } = await import('./s3.js');
  return openS3Store(settings, options.dataDir);
}
