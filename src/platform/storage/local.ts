/**
 * Files on the local disk, under `<dataDir>/files/<key>`. A commit renames the staged temporary
 * into place (both are under the data directory, so the rename is atomic) after syncing it, so a
 * stored file is either complete or absent, whatever happens to the process.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  FileMissing,
  assertStagedHere,
  assertValidKey,
  assertValidRange,
  isValidKey,
  keyFor,
  stageUpload,
  fsync,
  sweepUploads,
  type ByteRange,
  type CommitOptions,
  type FileStore,
  type StagedFile,
  type StoredFile,
} from './storage.js';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
}

/** Local storage; see the file's comment. */
class LocalFileStore implements FileStore {
  readonly kind = 'local';
  private readonly filesDir: string;

  constructor(private readonly dataDir: string) {
    this.filesDir = path.join(dataDir, 'files');
  }

  private fileOf(key: string): string {
    assertValidKey(key);
    return path.join(this.filesDir, key);
  }

  stage(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, options: { maxBytes: number }): Promise<StagedFile> {
    return stageUpload(this.dataDir, source, options.maxBytes);
  }

  async commit(staged: StagedFile, options: CommitOptions = {}): Promise<StoredFile> {
    assertStagedHere(staged, this.dataDir);
    const stored = { key: keyFor(staged.sha256), sha256: staged.sha256, size: staged.size };
    const target = this.fileOf(stored.key);
    // The key is the content's hash: a file already there with the same size holds the same bytes.
    const existing = await statOrNull(target);
    if (existing?.isFile() && existing.size === staged.size) {
      if (!options.keepStaged) await staged.discard();
      return stored;
    }
    await fsync(staged.path);
    const dir = path.dirname(target);
    const created = await mkdir(dir, { recursive: true, mode: 0o700 });
    if (options.keepStaged) {
      // A second name for the same bytes (no copy) is moved into place; the temporary stays. Left by
      // a crash, that name is one more temporary for the sweep.
      const twin = path.join(path.dirname(staged.path), `${randomBytes(16).toString('hex')}.part`);
      await link(staged.path, twin);
      try {
        await rename(twin, target);
      } catch (err) {
        await rm(twin, { force: true });
        throw err;
      }
    } else {
      await rename(staged.path, target);
    }
    await fsync(dir);
    // Directories just made must reach the disk too, or the rename might not survive a power cut.
    if (created) {
      const top = path.dirname(created);
      for (let d = path.dirname(dir); ; d = path.dirname(d)) {
        await fsync(d);
        if (d === top || d === path.dirname(d)) break;
      }
    }
    return stored;
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const info = await statOrNull(this.fileOf(key));
    return info?.isFile() ? { size: info.size } : null;
  }

  async read(key: string, range?: ByteRange): Promise<NodeJS.ReadableStream> {
    const file = this.fileOf(key);
    if (range) assertValidRange(range);
    // Opening first turns a missing file into FileMissing here, not into a stream error later.
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      if (isMissing(err)) throw new FileMissing(key);
      throw err;
    }
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  async *list(): AsyncIterable<string> {
    const root = path.join(this.filesDir, 'sha256');
    for (const dir of await readdirOrEmpty(root)) {
      for (const name of await readdirOrEmpty(path.join(root, dir))) {
        const key = `sha256/${dir}/${name}`;
        if (isValidKey(key)) yield key;
      }
    }
  }

  sweep(olderThanMs: number): Promise<number> {
    return sweepUploads(this.dataDir, olderThanMs);
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}

/** Opens local storage under `<dataDir>/files` (folders are made with the first commit). */
export function openLocalStore(dataDir: string): FileStore {
  return new LocalFileStore(path.resolve(dataDir));
}
