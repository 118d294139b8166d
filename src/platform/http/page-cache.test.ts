import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { pickEncoding } from './negotiate.js';
import { PageCache, preparePage } from './page-cache.js';

test('a prepared page holds the same bytes in every encoding, with a strong ETag', () => {
  const body = '<p>Réunion thématique</p>'.repeat(50);
  const page = preparePage(body, { 'content-type': 'text/html' });
  assert.equal(gunzipSync(page.body('gzip')).toString(), body);
  assert.equal(brotliDecompressSync(page.body('br')).toString(), body);
  assert.ok(page.body('gzip').length < page.raw.length);
  assert.match(page.etag, /^"[\w-]{22}"$/);
  assert.equal(preparePage(body, {}).etag, page.etag);
  assert.notEqual(preparePage(`${body}.`, {}).etag, page.etag);
});

test('encodings are computed when first asked for; a page sent once is compressed fast', () => {
  const body = '<p>Réunion thématique sur la protection internationale</p>'.repeat(200);
  const stored = preparePage(body, {});
  assert.deepEqual(stored.ready(), ['identity']);
  stored.body('br');
  assert.deepEqual(stored.ready().sort(), ['br', 'identity']);
  assert.equal(stored.wire('br')['content-length'], stored.body('br').length);
  const once = preparePage(body, {}, {}, 'once');
  assert.equal(gunzipSync(once.body('gzip')).toString(), body);
  assert.ok(once.body('gzip').length >= stored.body('gzip').length, 'the fast level is never smaller');
  assert.equal(once.etag, stored.etag, 'the same bytes have the same ETag whatever the effort');
});

test('the cache evicts the least recently used page and empties when the content version moves', () => {
  const cache = new PageCache(2);
  const p = preparePage('x', {});
  cache.setHorizon(Date.now() + 60_000);
  cache.set('/a', p);
  cache.set('/b', p);
  assert.ok(cache.get('/a'));
  cache.set('/c', p);
  assert.equal(cache.get('/b'), undefined, 'b was least recently used');
  assert.ok(cache.get('/a'));
  cache.observeVersion('v1');
  assert.equal(cache.size, 0);
  cache.setHorizon(Date.now() + 60_000);
  cache.set('/a', p);
  cache.observeVersion('v1');
  assert.equal(cache.size, 1, 'same version keeps pages');
  assert.equal(new PageCache(0).size, 0);
});

test('the cache stores nothing until it knows its horizon, and empties itself when the horizon passes', () => {
  let now = 1_000;
  const cache = new PageCache(10, () => now);
  const p = preparePage('x', {});
  cache.set('/a', p);
  assert.equal(cache.size, 0, 'no horizon yet: nothing is kept');
  assert.ok(cache.needsHorizon());
  cache.setHorizon(2_000);
  cache.set('/a', p);
  assert.ok(cache.get('/a'));
  cache.setHorizon(5_000);
  now = 1_999;
  assert.ok(cache.get('/a'), 'a later horizon never extends an earlier one');
  now = 2_000;
  assert.equal(cache.get('/a'), undefined, 'at the horizon (a scheduled publication) every page goes');
  assert.equal(cache.size, 0);
  assert.ok(cache.needsHorizon());
});

test('a page rendered before a change is not stored after it', () => {
  const cache = new PageCache(10);
  const p = preparePage('x', {});
  cache.setHorizon(Date.now() + 60_000);
  const generation = cache.generation;
  cache.clear();
  cache.setHorizon(Date.now() + 60_000);
  cache.set('/stale', p, generation);
  assert.equal(cache.get('/stale'), undefined);
  cache.set('/fresh', p, cache.generation);
  assert.ok(cache.get('/fresh'));
});

test('encoding negotiation prefers brotli, honours q=0 and falls back to identity', () => {
  assert.equal(pickEncoding('gzip, deflate, br'), 'br');
  assert.equal(pickEncoding('gzip'), 'gzip');
  assert.equal(pickEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(pickEncoding('identity'), null);
  assert.equal(pickEncoding(undefined), null);
});
