import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../platform/context.js';
import { extractText, makeThumbnail } from '../../platform/files/extract.js';
import { FileRejected, type FileKind } from '../../platform/files/inspect.js';
import type { JobHandler } from '../../platform/jobs/jobs.js';
import type { StagedFile } from '../../platform/storage/storage.js';
import { recordExtraction } from './documents.commands.js';

/** The job that reads a file's text, page count and thumbnail after its upload. */
export const EXTRACT_JOB = 'documents.extract';
const RETRY_LIMIT = 3;

/**
 * Reads one stored file: its bytes are copied to a local temporary (the store may be remote), the
 * text and page count read, an image's thumbnail stored beside it. A file the readers refuse
 * (corrupt, a zip bomb) is marked failed at once with the reason; any other error is retried with
 * backoff, and after the last try the file is marked failed, so it never loops.
 */
export function extractionJob(ctx: Pick<AppContext, 'db' | 'files' | 'config'>): JobHandler<{ fileId: number }> {
  return {
    name: EXTRACT_JOB,
    options: { retryLimit: RETRY_LIMIT, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
    async run(data, job) {
      const fileId = Number(data?.fileId);
      if (!Number.isInteger(fileId) || fileId <= 0) return;
      const file = await ctx.db.selectFrom('document_files').select(['id', 'storage_key', 'kind', 'text_state']).where('id', '=', fileId).executeTakeFirst();
      // Removed since, or already read by another try.
      if (!file || file.text_state !== 'pending') return;
      const dir = path.join(ctx.config.dataDir, 'tmp', 'extract');
      await mkdir(dir, { recursive: true });
      const local = path.join(dir, `${randomBytes(8).toString('hex')}.part`);
      let thumbnail: StagedFile | null = null;
      try {
        await pipeline(await ctx.files.read(file.storage_key), createWriteStream(local, { mode: 0o600 }));
        const kind = file.kind as FileKind;
        const extracted = await extractText(local, kind);
        const thumb = await makeThumbnail(local, kind);
        // The staged copy of the thumbnail stays until its row is written: the same preview may be
        // stored already, unnamed, and collected before that row commits (see claimStoredFiles).
        thumbnail = thumb ? await ctx.files.stage(Readable.from([thumb]), { maxBytes: 10 * 1024 * 1024 }) : null;
        const thumbnailKey = thumbnail ? (await ctx.files.commit(thumbnail, { keepStaged: true })).key : null;
        await recordExtraction(ctx.db, ctx.files, fileId, {
          ok: true,
          text: extracted.text,
          pages: extracted.pages,
          language: extracted.language,
          thumbnail: thumbnail && thumbnailKey ? { key: thumbnailKey, staged: thumbnail } : null,
        });
      } catch (err) {
        if (err instanceof FileRejected) return recordExtraction(ctx.db, ctx.files, fileId, { ok: false, error: err.reason + (err.detail ? `: ${err.detail}` : '') });
        if (job.attempt > RETRY_LIMIT) return recordExtraction(ctx.db, ctx.files, fileId, { ok: false, error: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        await rm(local, { force: true });
        await thumbnail?.discard();
      }
    },
  };
}

/** Removes copies a killed extraction left under DATA_DIR/tmp/extract (older than `olderThanMs`); returns how many. */
export async function sweepExtractionCopies(dataDir: string, olderThanMs: number): Promise<number> {
  const dir = path.join(dataDir, 'tmp', 'extract');
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && Date.now() - info.mtimeMs >= olderThanMs) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

/** Sends the extraction job again for every file still waiting (after a restart, or jobs lost with a database restore). */
export async function enqueuePendingExtractions(ctx: Pick<AppContext, 'db' | 'jobs'>): Promise<number> {
  const pending = await ctx.db.selectFrom('document_files').select('id').where('text_state', '=', 'pending').orderBy('id').execute();
  for (const f of pending) await ctx.jobs.send(EXTRACT_JOB, { fileId: f.id }, { singletonKey: `file:${f.id}` });
  return pending.length;
}
