import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppContext } from '../../platform/context.js';
import { extractTextIsolated, makeThumbnail, type Extracted } from '../../platform/files/extract.js';
import { FileRejected, type FileKind } from '../../platform/files/inspect.js';
import type { JobHandler } from '../../platform/jobs/jobs.js';
import type { StagedFile } from '../../platform/storage/storage.js';
import { recordExtraction } from './documents.commands.js';

/** The job that reads a file's text, page count and thumbnail after its upload. */
export const EXTRACT_JOB = 'documents.extract';
const RETRY_LIMIT = 3;
/** Attempts at one file's text, counted on its row, after which it is marked failed for good. */
export const MAX_EXTRACTION_ATTEMPTS = 3;
/** Longest one attempt at a file's text may run before its reader is stopped. */
export const EXTRACTION_TIMEOUT_MS = 2 * 60 * 1000;

/** Reads a local copy's text; extractTextIsolated unless a test gives another. */
export type TextExtractor = (path: string, kind: FileKind, options: { timeoutMs: number }) => Promise<Extracted>;

export interface ExtractionJobOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  extract?: TextExtractor;
}

/** Why a file's text was given up, as text_error keeps it (the admin's file list shows it). */
export function gaveUpReason(attempts: number, last?: string): string {
  return `gave up after ${attempts} attempts: ${last ?? 'none finished (the reader hung or the server stopped while reading)'}`;
}

/**
 * Reads one stored file: its bytes are copied to a local temporary (the store may be remote), the
 * text and page count read, an image's thumbnail stored beside it. The attempt is counted on the
 * file's row, in its own committed statement, before the file is read: one that hangs or takes
 * the process down still counts, and once `maxAttempts` have been made the file is marked failed
 * instead of being read again. The reading itself runs where it can be stopped (a worker thread
 * or a child process, see extractTextIsolated), for at most `timeoutMs`. A file the readers refuse
 * (corrupt, a zip bomb) is marked failed at once with the reason; any other error or a timeout is
 * retried with backoff until the attempts run out, so it never loops.
 */
export function extractionJob(ctx: Pick<AppContext, 'db' | 'files' | 'config'>, options: ExtractionJobOptions = {}): JobHandler<{ fileId: number }> {
  const timeoutMs = options.timeoutMs ?? EXTRACTION_TIMEOUT_MS;
  const maxAttempts = options.maxAttempts ?? MAX_EXTRACTION_ATTEMPTS;
  const extract: TextExtractor = options.extract ?? ((file, kind, o) => extractTextIsolated(file, kind, o));
  return {
    name: EXTRACT_JOB,
    options: { retryLimit: RETRY_LIMIT, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 15 * 60 },
    async run(data, job) {
      const fileId = Number(data?.fileId);
      if (!Number.isInteger(fileId) || fileId <= 0) return;
      const file = await ctx.db.selectFrom('document_files').select(['id', 'storage_key', 'kind', 'text_state', 'text_attempts']).where('id', '=', fileId).executeTakeFirst();
      // Removed since, or already read by another try.
      if (!file || file.text_state !== 'pending') return;
      if (file.text_attempts >= maxAttempts) return recordExtraction(ctx.db, ctx.files, fileId, { ok: false, error: gaveUpReason(file.text_attempts) });
      await ctx.db
        .updateTable('document_files')
        .set((eb) => ({ text_attempts: eb('text_attempts', '+', 1) }))
        .where('id', '=', fileId)
        .execute();
      const attempts = file.text_attempts + 1;
      const dir = path.join(ctx.config.dataDir, 'tmp', 'extract');
      await mkdir(dir, { recursive: true });
      const local = path.join(dir, `${randomBytes(8).toString('hex')}.part`);
      let thumbnail: StagedFile | null = null;
      try {
        await pipeline(await ctx.files.read(file.storage_key), createWriteStream(local, { mode: 0o600 }));
        const kind = file.kind as FileKind;
        const extracted = await extract(local, kind, { timeoutMs });
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
        const message = err instanceof Error ? err.message : String(err);
        if (attempts >= maxAttempts || job.attempt > RETRY_LIMIT) return recordExtraction(ctx.db, ctx.files, fileId, { ok: false, error: gaveUpReason(attempts, message) });
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
    if (info && Date.now() - Math.floor(info.mtimeMs) >= olderThanMs) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * At start: every file still waiting for its text is sent to the extraction job again (after a
 * restart, or jobs lost with a database restore), except those whose attempts are used up (each
 * one hung or stopped the process: a poison file), which are marked failed instead of crashing or
 * stalling every start. Returns how many were sent and how many given up.
 */
export async function enqueuePendingExtractions(ctx: Pick<AppContext, 'db' | 'jobs' | 'files'>, options: { maxAttempts?: number } = {}): Promise<{ sent: number; gaveUp: number }> {
  const maxAttempts = options.maxAttempts ?? MAX_EXTRACTION_ATTEMPTS;
  const pending = await ctx.db.selectFrom('document_files').select(['id', 'text_attempts']).where('text_state', '=', 'pending').orderBy('id').execute();
  let sent = 0;
  let gaveUp = 0;
  for (const f of pending) {
    if (f.text_attempts >= maxAttempts) {
      await recordExtraction(ctx.db, ctx.files, f.id, { ok: false, error: gaveUpReason(f.text_attempts) });
      gaveUp++;
    } else {
      await ctx.jobs.send(EXTRACT_JOB, { fileId: f.id }, { singletonKey: `file:${f.id}` });
      sent++;
    }
  }
  return { sent, gaveUp };
}
