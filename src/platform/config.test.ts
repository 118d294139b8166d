import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig, passwordHashCost } from './config.js';

test('defaults: port 3000 on 127.0.0.1, SQLite under ./data, English and French', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.dialect, 'sqlite');
  assert.equal(c.dataDir, path.resolve('./data'));
  assert.equal(c.databaseUrl, `sqlite:${path.resolve('./data/diwan.sqlite')}`);
  assert.deepEqual(c.languages, ['en', 'fr']);
  assert.equal(c.defaultLanguage, 'en');
});

test('a postgres URL selects PostgreSQL', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/d' }).dialect, 'postgres');
  assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u:p@db/d' }).dialect, 'postgres');
});

test('invalid values are all reported, by name, with a clear message', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' }),
    (err: unknown) => err instanceof ConfigError && /PORT/.test(err.message) && /LOG_LEVEL/.test(err.message),
  );
  assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), /DATABASE_URL: use sqlite:/);
  assert.throws(() => loadConfig({ LANGUAGES: 'en,de' }), /no interface catalogue for de/);
  assert.throws(() => loadConfig({ PUBLIC_URL: 'not a url' }), /PUBLIC_URL must be an absolute URL/);
});

test('languages are configuration: French first makes French the default', () => {
  const c = loadConfig({ LANGUAGES: 'fr, en' });
  assert.deepEqual(c.languages, ['fr', 'en']);
  assert.equal(c.defaultLanguage, 'fr');
});

test('a cheap password hash is refused outside a test run', () => {
  assert.equal(passwordHashCost({}), 'owasp');
  assert.equal(passwordHashCost({ PASSWORD_HASH_COST: 'test', NODE_ENV: 'test' }), 'test');
  assert.throws(() => passwordHashCost({ PASSWORD_HASH_COST: 'test', NODE_ENV: 'production' }), (e: unknown) => e instanceof ConfigError && /only with NODE_ENV=test/.test(e.message));
  assert.throws(() => passwordHashCost({ PASSWORD_HASH_COST: 'weak' }), /use owasp/);
});

test('TRUST_PROXY: empty by default (X-Forwarded-For ignored); addresses, ranges and loopback accepted; anything else named', () => {
  assert.deepEqual(loadConfig({}).trustProxy, []);
  assert.deepEqual(loadConfig({ TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8,loopback,2001:db8::/32 ' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', 'loopback', '2001:db8::/32']);
  for (const bad of ['*', 'true', 'proxy.example.org', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129']) {
    assert.throws(() => loadConfig({ TRUST_PROXY: bad }), (e: unknown) => e instanceof ConfigError && /TRUST_PROXY/.test(e.message), bad);
  }
});

test('demo passwords are random outside a test run', () => {
  assert.equal(loadConfig({ NODE_ENV: 'production' }).demoPasswords, 'random');
  assert.equal(loadConfig({}).demoPasswords, 'random');
  assert.equal(loadConfig({ NODE_ENV: 'test' }).demoPasswords, 'fixed');
});

test('METRICS_TOKEN: empty means no /metrics; a short or unsendable token is refused, by name', () => {
  assert.equal(loadConfig({}).metricsToken, undefined);
  assert.equal(loadConfig({ METRICS_TOKEN: '  ' }).metricsToken, undefined);
  const token = 'f'.repeat(64);
  assert.equal(loadConfig({ METRICS_TOKEN: ` ${token} ` }).metricsToken, token);
  for (const bad of ['secret', 'x'.repeat(31), `${'x'.repeat(20)} ${'y'.repeat(20)}`, `${'x'.repeat(32)}"`]) {
    assert.throws(() => loadConfig({ METRICS_TOKEN: bad }), (e: unknown) => e instanceof ConfigError && /METRICS_TOKEN: METRICS_TOKEN must be empty .* at least 32 characters/.test(e.message), bad);
  }
});
