import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CachedPage } from './page-cache.js';

/** Picks the best encoding the client accepts among those we keep ready. */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  if (/\bbr\b(?!;q=0(\.0*)?\b)/.test(acceptEncoding)) return 'br';
  if (/\bgzip\b(?!;q=0(\.0*)?\b)/.test(acceptEncoding)) return 'gzip';
  return null;
}

/** Sends a prepared page: 304 when the client has it, else the smallest encoding it accepts. */
export function sendPrepared(request: FastifyRequest, reply: FastifyReply, page: CachedPage, status = 200): FastifyReply {
  reply.headers(page.headers);
  reply.header('etag', page.etag);
  reply.header('vary', 'Accept-Encoding');
  const inm = request.headers['if-none-match'];
  if (status === 200 && inm && inm.split(/\s*,\s*/).some((t) => t === page.etag || t === `W/${page.etag}` || t === '*')) {
    return reply.code(304).send();
  }
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const body = encoding === 'br' ? page.br : encoding === 'gzip' ? page.gzip : page.raw;
  if (encoding) reply.header('content-encoding', encoding);
  reply.header('content-length', body.length);
  return reply.code(status).send(body);
}
