/**
 * Cache hits and assets are answered before Fastify sees the request. Over a real socket they
 * must be exactly what the application answers through its own pipeline: the same bytes and
 * headers (security headers included), 304 for a known ETag, no body for HEAD; and a request with
 * credentials, a back-office address or an unknown page never comes from memory.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let port = 0;
before(async () => {
  t = await createTestApp('sqlite');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
after(async () => t?.close());

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}
const comparable = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)));

test('a page from the cache is the same, over the socket, as through the application', async () => {
  const path = '/en/activities?type=thematic_meeting&year=2015';
  const first = await get(path, { 'accept-encoding': 'gzip' });
  assert.equal(first.status, 200);
  const hit = await get(path, { 'accept-encoding': 'gzip' });
  const viaApp = await t.app.inject({ url: path, headers: { 'accept-encoding': 'gzip' } });
  assert.deepEqual(comparable(hit.headers), comparable(viaApp.headers));
  assert.equal(gunzipSync(hit.body).toString(), gunzipSync(viaApp.rawPayload).toString());
  assert.match(String(hit.headers['content-security-policy']), /default-src 'none'/);

  const notModified = await get(path, { 'if-none-match': String(hit.headers.etag) });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.body.length, 0);
  const head = await get(path, { 'accept-encoding': 'gzip' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(head.headers['content-length'], hit.headers['content-length']);
});

test('credentials, the back-office and unknown pages go through the application', async () => {
  const path = '/en/activities?type=thematic_meeting&year=2015';
  await get(path);
  const withSession = await get(path, { cookie: 'diwan_session=not-a-real-session' });
  assert.equal(withSession.status, 200);
  assert.equal(withSession.headers['cache-control'], 'private, no-store', 'a request with a session cookie is never served from the shared cache');
  const admin = await get('/admin/');
  assert.equal(admin.status, 303);
  const missing = await get('/en/no-such-page');
  assert.equal(missing.status, 404);
  assert.match(String(missing.headers['content-security-policy']), /default-src/);
  const asset = await get(String((await get('/en/')).body.toString().match(/href="(\/assets\/site-[^"]+\.css)"/)?.[1]));
  assert.equal(asset.status, 200);
  assert.match(String(asset.headers['cache-control']), /immutable/);
});
