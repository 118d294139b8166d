/**
 * The ceiling for the public-pages benchmark: a plain `node:http` server that answers every request
 * with one page's bytes, already gzip-compressed and held in memory, with the same header shape as
 * the app (content-type, content-encoding, content-length, etag). Nothing is rendered, looked up or
 * compressed per request, so it is the most a Node process can do for that page on this machine.
 *
 * Started by public-pages.bench.ts as its own process (its own event loop, like the app), with:
 *   BENCH_BODY_FILE  path of the compressed body
 *   BENCH_HEADERS    JSON object of the response headers (content-length is computed here)
 *   BENCH_HOST       address to listen on (default 127.0.0.1); the port is chosen by the system
 * It prints one JSON line `{"port": N}` on stdout once listening.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const bodyFile = process.env.BENCH_BODY_FILE;
const headersJson = process.env.BENCH_HEADERS;
if (!bodyFile || !headersJson) {
  console.error('ceiling-server: BENCH_BODY_FILE and BENCH_HEADERS are required');
  process.exit(2);
}

const body = readFileSync(bodyFile);
const headers: Record<string, string | number> = {
  ...(JSON.parse(headersJson) as Record<string, string>),
  'content-length': body.length,
};

const server = http.createServer((_request, response) => {
  response.writeHead(200, headers);
  response.end(body);
});

server.listen({ port: 0, host: process.env.BENCH_HOST ?? '127.0.0.1' }, () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 1000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
