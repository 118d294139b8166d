import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { CachedPage } from './page-cache.js';

/** Picks the best encoding the client accepts among those we keep ready. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  if (/\bbr\b(?!;q=0(\.0*)?\b)/.test(acceptEncoding)) return 'br';
  if (/\bgzip\b(?!;q=0(\.0*)?\b)/.test(acceptEncoding)) return 'gzip';
  return null;
}

function matchesEtag(headers: IncomingHttpHeaders, etag: string): boolean {
  const inm = headers['if-none-match'];
  return !!inm && inm.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === '*');
}

/** Writes a prepared page on a raw response with its prebuilt headers (304 when the client has it); returns the status. */
export function writePrepared(req: IncomingMessage, res: ServerResponse, page: CachedPage): 200 | 304 {
  if (matchesEtag(req.headers, page.etag)) {
    const { 'content-length': _l, 'content-encoding': _e, ...headers } = page.wire('identity');
    res.writeHead(304, headers);
    res.end();
    return 304;
  }
  // Small bodies are not worth compressing (the headers cost more than the saving).
  const encoding = page.raw.length > 1024 ? (pickEncoding(req.headers['accept-encoding']) ?? 'identity') : 'identity';
  res.writeHead(200, page.wire(encoding));
  res.end(req.method === 'HEAD' ? undefined : page.body(encoding));
  return 200;
}

/**
 * Sends a prepared page straight to the socket with its prebuilt headers (304 when the client has
 * it): a cache hit costs one write, not Fastify's reply pipeline.
 */
export function sendPrepared(request: FastifyRequest, reply: FastifyReply, page: CachedPage): void {
  reply.hijack();
  writePrepared(request.raw, reply.raw, page);
}

/** Sends a page that will not be cached (errors, 400s, back-office): one fast compression in the encoding asked for. */
export function sendOnce(request: FastifyRequest, reply: FastifyReply, body: string, status: number, headers: Record<string, string>): FastifyReply {
  const raw = Buffer.from(body, 'utf8');
  const encoding = raw.length > 1024 ? pickEncoding(request.headers['accept-encoding']) : null;
  const payload = encoding === 'br' ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : encoding === 'gzip' ? gzipSync(raw, { level: 4 }) : raw;
  reply.headers(headers);
  if (encoding) reply.header('content-encoding', encoding).header('vary', 'Accept-Encoding');
  return reply.code(status).send(payload);
}
