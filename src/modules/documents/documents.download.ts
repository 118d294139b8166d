import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ByteRange, FileStore } from '../../platform/storage/storage.js';
import { FileMissing } from '../../platform/storage/storage.js';
import type { FileSummary } from './documents.repository.js';
import { contentDisposition } from '../../platform/http/download.js';

export { contentDisposition };

/** The one byte range asked for (`bytes=a-b`, `bytes=a-`, `bytes=-n`), 'invalid' when it cannot be served, null for the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | 'invalid' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges at once are served whole (allowed by RFC 9110).
  if (!m) return header.includes(',') ? null : 'invalid';
  const [, a, b] = m;
  if (a === '' && b === '') return 'invalid';
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) return 'invalid';
  return { start, end };
}

/**
 * Sends a stored file once its reader has been allowed: its type from the content check, never
 * sniffed by the browser; its name; a strong ETag from its hash; ranges. A file of a document
 * not open to everyone is never kept by a shared cache.
 */
export async function sendStoredFile(request: FastifyRequest, reply: FastifyReply, store: FileStore, file: FileSummary, options: { public: boolean }): Promise<FastifyReply> {
  const etag = `"${file.sha256}"`;
  reply.header('content-type', file.mime);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('content-disposition', contentDisposition(file.fileName));
  reply.header('etag', etag);
  reply.header('accept-ranges', 'bytes');
  reply.header('content-security-policy', "default-src 'none'; sandbox");
  // Public copies are revalidated at each use (a 304 by the ETag), so a file that stops being public stops being served.
  reply.header('cache-control', options.public ? 'public, max-age=0, must-revalidate' : 'private, no-store');
  if (!options.public) reply.header('vary', 'cookie');
  const inm = request.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) return reply.code(304).send();
  const ifRange = request.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(request.headers.range, file.size);
  if (range === 'invalid') return reply.code(416).header('content-range', `bytes */${file.size}`).send();
  try {
    if (request.method === 'HEAD') {
      reply.header('content-length', String(range ? range.end - range.start + 1 : file.size));
      return reply.code(range ? 206 : 200).send();
    }
    const stream = await store.read(file.storageKey, range ?? undefined);
    if (range) {
      reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${file.size}`).header('content-length', String(range.end - range.start + 1));
    } else reply.header('content-length', String(file.size));
    return reply.send(stream);
  } catch (err) {
    if (err instanceof FileMissing) {
      request.log.error({ fileId: file.id }, 'a stored file is missing');
      reply.removeHeader('content-disposition');
      reply.removeHeader('etag');
      reply.header('content-type', 'text/plain; charset=utf-8');
      return reply.code(503).send('The file cannot be read at the moment.');
    }
    throw err;
  }
}
