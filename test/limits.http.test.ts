/**
 * Over a real socket: nothing anonymous makes the server read a large body. A post that declares
 * 60 MB is answered from its headers alone (the body is never sent), on every route that takes
 * files or pasted pages and on the public forms; and three anonymous 60 MB bodies really sent at
 * once leave the server's memory where it was.
 */
import assert from 'node:assert/strict';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createUser } from '../src/modules/auth/index.js';
import { TestClient, csrfToken } from './helpers/client.js';

const MB = 1024 * 1024;

/** Sends the request line and headers (and `bodyBytes` of body, at most), then waits for the status line. */
function statusFromHeaders(port: number, path: string, headers: Record<string, string>, send: { bodyBytes?: number; timeoutMs?: number; chunked?: boolean } = {}): Promise<{ status: number; ms: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${path} within ${send.timeoutMs ?? 3000} ms`));
    }, send.timeoutMs ?? 3000);
    socket.on('error', () => undefined); // the server may close while we still write
    socket.on('connect', () => {
      const head = Object.entries({ host: 'localhost', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      const data = Buffer.alloc(64 * 1024, 0x61);
      // Without a declared length the server must count while it reads.
      const chunk = send.chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data;
      const pump = () => {
        while (sent < (send.bodyBytes ?? 0) && !socket.destroyed) {
          sent += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (m) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(m[1]), ms: performance.now() - started, sent });
      }
    });
  });
}

describe('limits before work', () => {
  let t: TestApp;
  let port = 0;
  let editorCookie = '';
  before(async () => {
    t = await createTestApp('sqlite', { demo: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    await createUser(t.db, { email: 'editor@limits.test', password: 'editor window sixty', role: 'admin', displayName: 'Ada' });
    await createUser(t.db, { email: 'focal@limits.test', password: 'focal window sixty', role: 'focal_point', displayName: 'Fatou', countryCode: 'SN' });
    const editor = new TestClient(t.app);
    assert.equal((await editor.login('editor@limits.test', 'editor window sixty')).statusCode, 303);
    editorCookie = [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  });
  after(async () => t?.close());

  const big = { 'content-length': String(60 * MB) };
  const multipart = { ...big, 'content-type': 'multipart/form-data; boundary=xx' };
  const form = { ...big, 'content-type': 'application/x-www-form-urlencoded' };

  test('an anonymous 60 MB post is answered from its headers, without its body, on every route that takes a large one', async () => {
    for (const [path, headers] of [
      ['/admin/imports/upload', multipart],
      ['/admin/imports/review', form],
      ['/admin/imports/accept', form],
      ['/admin/documents/1/files', multipart],
      ['/admin/login', form],
      ['/en/alerts', form],
      ['/en/activities/no-such-meeting/register', form],
    ] as const) {
      const r = await statusFromHeaders(port, path, headers);
      assert.ok(r.status >= 300 && r.status < 500 && r.status !== 200, `${path}: ${r.status}`);
      assert.equal(r.sent, 0, `${path}: answered before any body`);
    }
  });

  test('a signed-in admin, who may import, still cannot declare more than the limit: 413 at once', async () => {
    const r = await statusFromHeaders(port, '/admin/imports/upload', { ...multipart, 'content-length': String(200 * MB), cookie: editorCookie });
    assert.equal(r.status, 413);
    assert.equal(r.sent, 0);
  });

  test('a signed-in account without the import permission is refused before its body is read', async () => {
    const focal = new TestClient(t.app);
    assert.equal((await focal.login('focal@limits.test', 'focal window sixty')).statusCode, 303);
    const cookie = [...focal.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await statusFromHeaders(port, '/admin/imports/upload', { ...multipart, 'content-length': String(10 * MB), cookie });
    assert.equal(r.status, 403);
    assert.equal(r.sent, 0);
  });

  test('three anonymous 60 MB bodies sent at once without a declared length leave memory bounded, and the site answers meanwhile', async () => {
    const before = process.memoryUsage().rss;
    const chunked = (type: string) => ({ 'content-type': type, 'transfer-encoding': 'chunked' });
    const sends = [
      statusFromHeaders(port, '/admin/imports/upload', chunked('multipart/form-data; boundary=xx'), { bodyBytes: 60 * MB, timeoutMs: 10_000, chunked: true }),
      statusFromHeaders(port, '/admin/login', chunked('application/x-www-form-urlencoded'), { bodyBytes: 60 * MB, timeoutMs: 10_000, chunked: true }),
      statusFromHeaders(port, '/en/alerts', chunked('application/x-www-form-urlencoded'), { bodyBytes: 60 * MB, timeoutMs: 10_000, chunked: true }),
    ];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    await health.arrayBuffer();
    assert.equal(health.status, 200);
    const answers = await Promise.all(sends);
    assert.deepEqual(answers.map((r) => r.status), [303, 413, 413], 'anonymous upload sent to sign in; the others cut at their limit');
    for (const r of answers) assert.ok(r.sent < 8 * MB, `answered after ${r.sent} bytes`);
    const grown = (process.memoryUsage().rss - before) / MB;
    assert.ok(grown < 60, `memory grew by ${grown.toFixed(0)} MB`);
  });

  test('the CSRF token is still checked on an upload that passed the early checks', async () => {
    const editor = new TestClient(t.app);
    await editor.login('editor@limits.test', 'editor window sixty');
    const page = await editor.get('/admin/imports/new');
    assert.ok(csrfToken(page.body));
    const body = '--xx\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nforged\r\n--xx\r\nContent-Disposition: form-data; name="page_file"; filename="a.html"\r\nContent-Type: text/html\r\n\r\n<h1>x</h1>\r\n--xx--\r\n';
    const res = await t.app.inject({ method: 'POST', url: '/admin/imports/upload', payload: body, headers: { 'content-type': 'multipart/form-data; boundary=xx', cookie: [...editor.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(res.statusCode, 403);
  });
});

describe('searches and filtered lists are limited per network', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { demo: true, config: { searchesPerMinute: 5 } });
  });
  after(async () => t?.close());

  test('past SEARCHES_PER_MINUTE on a search route a network gets the "too many requests" page with Retry-After; another network and cached pages are not held back', async () => {
    const ask = (url: string, remoteAddress = '198.51.100.20') => t.app.inject({ url, remoteAddress, headers: { 'accept-language': 'fr' } });
    const codes: number[] = [];
    for (const q of ['migration', 'retour', 'rapport', 'emploi', 'visa']) codes.push((await ask(`/fr/search?q=${q}`)).statusCode);
    assert.deepEqual(codes, [200, 200, 200, 200, 200]);
    const held = await ask('/fr/search?q=travail');
    assert.equal(held.statusCode, 429);
    assert.ok(Number(held.headers['retry-after']) > 0, 'Retry-After');
    assert.match(held.body, /<html lang="fr"/);
    assert.equal(held.headers['x-ratelimit-remaining'], undefined);
    assert.equal((await ask('/fr/search?q=travail', '203.0.113.40')).statusCode, 200, 'another network');
    assert.equal((await ask('/fr/')).statusCode, 200, 'pages without a search are not counted');
    // The document library and the activity list count apart.
    for (let i = 0; i < 5; i++) assert.equal((await ask(`/fr/documents?q=rapport${i}`)).statusCode, 200);
    assert.equal((await ask('/fr/documents?q=rapport9')).statusCode, 429);
    assert.equal((await ask('/fr/activities?year=2015')).statusCode, 200);
    // A page under the limit carries no counters (it may be cached and shared).
    assert.equal((await ask('/fr/search?q=travail', '203.0.113.41')).headers['x-ratelimit-remaining'], undefined);
  });
});
