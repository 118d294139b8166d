/**
 * Logging that costs little and says nothing it should not: one access line per request at the
 * chosen level (none below it), with the path but not the query (which may hold an e-mail address
 * or a search), no cookies, no IP address.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildDiwan } from '../src/app/index.js';
import { openDatabase } from '../src/platform/db/database.js';
import { createTestDatabase, type TestDatabase } from './helpers/databases.js';

const opened: { close(): Promise<void> }[] = [];
after(async () => {
  for (const o of opened) await o.close();
});

async function appLogging(overrides: { logLevel: 'info' | 'warn'; accessLogLevel: 'info' | 'debug' | 'off'; trustProxy?: string[] }) {
  const tdb: TestDatabase = await createTestDatabase('sqlite', { trustProxy: ['loopback'], ...overrides }, 'demo');
  const db = openDatabase(tdb.config);
  const lines: Record<string, unknown>[] = [];
  const app = await buildDiwan({ config: tdb.config, db, logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
  await app.ready();
  opened.push({ close: async () => (await app.close(), await db.destroy(), await tdb.drop()) });
  return { app, lines };
}

test('one line per request, with the path and status but not the query, the cookie or the address', async () => {
  const { app, lines } = await appLogging({ logLevel: 'info', accessLogLevel: 'info' });
  lines.length = 0;
  await app.inject({ url: '/en/activities?type=thematic_meeting&q=someone%40example.org', headers: { cookie: 'diwan_session=secret-token', 'x-forwarded-for': '203.0.113.9' } });
  await app.inject({ url: '/en/no-such-page' });
  await app.inject({ url: '/en/activities?type=thematic_meeting' });
  const access = lines.filter((l) => l.msg === 'request');
  assert.equal(access.length, 3, JSON.stringify(lines));
  assert.equal(lines.length, 3, 'nothing else is logged per request at the default level');
  assert.deepEqual(access.map((l) => [l.method, l.path, l.status]), [
    ['GET', '/en/activities', 301],
    ['GET', '/en/no-such-page', 404],
    ['GET', '/en/activities', 200],
  ]);
  const text = JSON.stringify(lines);
  for (const secret of ['someone', 'example.org', 'secret-token', '203.0.113.9']) assert.ok(!text.includes(secret), `${secret} is not in the log`);
  assert.ok(access.every((l) => typeof l.ms === 'number' && l.level === 30));
});

test('a page answered from memory over the socket writes its line too, without the query', async () => {
  const { app, lines } = await appLogging({ logLevel: 'info', accessLogLevel: 'info' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as import('node:net').AddressInfo;
  lines.length = 0;
  for (let i = 0; i < 2; i++) await (await fetch(`http://127.0.0.1:${port}/en/activities?type=thematic_meeting&year=2015`)).text();
  const access = lines.filter((l) => l.msg === 'request');
  assert.deepEqual(access.map((l) => [l.path, l.status, l.route]), [
    ['/en/activities', 200, '/:lang/activities'],
    ['/en/activities', 200, '(memory)'],
  ]);
  assert.ok(!JSON.stringify(lines).includes('thematic_meeting'));
});

test('at a level the deployment does not log, or off, there is no access line', async () => {
  for (const settings of [{ logLevel: 'info', accessLogLevel: 'debug' }, { logLevel: 'info', accessLogLevel: 'off' }, { logLevel: 'warn', accessLogLevel: 'info' }] as const) {
    const { app, lines } = await appLogging(settings);
    lines.length = 0;
    await app.inject({ url: '/en/' });
    assert.deepEqual(lines.filter((l) => l.msg === 'request'), [], JSON.stringify(settings));
  }
});

test('an address that carries a secret token is logged as its route, without the token', async () => {
  const { app, lines } = await appLogging({ logLevel: 'info', accessLogLevel: 'info' });
  lines.length = 0;
  const token = 'Zq9secretTOKENvalue0123456789abcdefXYZ';
  await app.inject({ url: `/admin/password/reset/${token}` });
  await app.inject({ url: `/en/alerts/unsubscribe/${token}` });
  const access = lines.filter((l) => l.msg === 'request');
  assert.deepEqual(access.map((l) => l.path), ['/admin/password/reset/:token', '/:lang/alerts/unsubscribe/:token']);
  assert.ok(!JSON.stringify(lines).includes(token), 'the token is not in the log');
});

test('a proxy on this machine that TRUST_PROXY does not name is said once, as a warning', async () => {
  const { app, lines } = await appLogging({ logLevel: 'warn', accessLogLevel: 'off', trustProxy: [] });
  lines.length = 0;
  for (let i = 0; i < 3; i++) await app.inject({ url: `/en/activities?year=${2010 + i}`, headers: { 'x-forwarded-for': '203.0.113.9' } });
  const said = lines.filter((l) => /TRUST_PROXY is empty/.test(String(l.msg)));
  assert.equal(said.length, 1, JSON.stringify(lines));
  assert.ok(!JSON.stringify(lines).includes('203.0.113.9'), 'the address is not logged');
});
