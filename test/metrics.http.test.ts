/**
 * GET /metrics (decision 0033): absent without METRICS_TOKEN; with it, answered only to the bearer
 * of the token and otherwise exactly the page an unknown address gets; the exposition counts
 * requests by route pattern (never an address), pages answered from memory, the page cache, the
 * job queue and the database pool, and is never cached nor logged with the token.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildDiwan } from '../src/app/index.js';
import { openDatabase } from '../src/platform/db/database.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createTestDatabase, dialectsUnderTest } from './helpers/databases.js';

const TOKEN = 'k3Jq9-vX2_mN8.pL5~wR7+tY4/zA6bC0dE1fG';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

/** Reads the Prometheus text format (0.0.4): HELP and TYPE lines, then `name{label="value",...} number`. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const [, keyword, name, rest] = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line) ?? [];
      assert.ok(keyword && name, `a comment line is HELP or TYPE: ${line}`);
      if (keyword === 'TYPE') types.set(name, rest!);
      continue;
    }
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    assert.ok(name, `a sample starts with a metric name: ${line}`);
    let i = name.length;
    const labels: Record<string, string> = {};
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(i));
        assert.ok(label, `a label is name="value": ${line}`);
        i += label[0].length;
        let value = '';
        for (; line[i] !== '"'; i++) {
          assert.ok(i < line.length, `an unterminated label value: ${line}`);
          if (line[i] === '\\') {
            i++;
            value += line[i] === 'n' ? '\n' : line[i];
          } else value += line[i];
        }
        i++;
        labels[label[1]!] = value;
        if (line[i] === ',') i++;
      }
      i++;
    }
    const rest = line.slice(i).trim().split(/\s+/);
    assert.ok(rest.length === 1 || rest.length === 2, `a sample is a value and maybe a timestamp: ${line}`);
    // Prometheus reads NaN in any case (prom-client writes `Nan`), and +Inf, -Inf.
    const nan = /^nan$/i.test(rest[0]!);
    const value = rest[0] === '+Inf' ? Infinity : rest[0] === '-Inf' ? -Infinity : nan ? Number.NaN : Number(rest[0]);
    assert.ok(nan || !Number.isNaN(value), `a sample value is a number: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/** The samples of a metric whose labels include `labels`. */
const find = (e: Exposition, name: string, labels: Record<string, string> = {}) =>
  e.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
/** A response's headers but those that differ between any two responses (date, length, connection). */
const comparable = (headers: Headers) => [...headers].filter(([k]) => !['date', 'content-length', 'connection', 'keep-alive'].includes(k));
const total = (e: Exposition, name: string, labels: Record<string, string> = {}) => find(e, name, labels).reduce((sum, s) => sum + s.value, 0);

for (const dialect of await dialectsUnderTest()) {
  describe(`metrics without METRICS_TOKEN (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    test('there is no /metrics: the page any unknown address gets', async () => {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
        const res = await t.app.inject({ url: '/metrics', headers });
        assert.equal(res.statusCode, 404);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.doesNotMatch(res.body, /diwan_/);
      }
    });
  });

  describe(`metrics with METRICS_TOKEN (${dialect})`, () => {
    let t: TestApp;
    let base = '';
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${base}${path}`, { headers, redirect: 'manual' });
      return { status: res.status, headers: res.headers, body: await res.text() };
    };
    const scrape = async () => {
      const res = await get('/metrics', { authorization: `Bearer ${TOKEN}` });
      assert.equal(res.status, 200, res.body.slice(0, 200));
      return { res, metrics: parseExposition(res.body) };
    };
    before(async () => {
      t = await createTestApp(dialect, { config: { metricsToken: TOKEN } });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(async () => t?.close());

    test('without the token, with a wrong one, or with the token elsewhere than the header: the unknown page', async () => {
      const unknown = await get('/no-such-page');
      assert.equal(unknown.status, 404);
      const refusals: [string, Record<string, string>][] = [
        ['/metrics', {}],
        ['/metrics', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
        ['/metrics', { authorization: `Bearer ${TOKEN}x` }],
        ['/metrics', { authorization: `Basic ${Buffer.from(`metrics:${TOKEN}`).toString('base64')}` }],
        ['/metrics', { authorization: TOKEN }],
        ['/metrics', { authorization: 'Bearer ' }],
        [`/metrics?token=${TOKEN}`, {}],
        [`/metrics?access_token=${TOKEN}`, {}],
        ['/metrics', { cookie: `token=${TOKEN}` }],
      ];
      for (const [path, headers] of refusals) {
        const res = await get(path, headers);
        assert.equal(res.status, 404, `${path} ${JSON.stringify(headers)}`);
        assert.deepEqual(comparable(res.headers), comparable(unknown.headers), 'the same headers');
        // The same page as any unknown address, but for the address it names.
        assert.equal(res.body.replaceAll('/metrics', '/no-such-page'), unknown.body);
      }
    });

    test('the bearer of the token gets the exposition, uncached; requests are counted by route pattern', async () => {
      // A known page with a slug and a query, the same list twice (the second from memory), an unknown page.
      const list = await get('/en/activities?type=thematic_meeting&year=2015');
      assert.equal(list.status, 200);
      const [, link, slug] = /href="[^"]*?(\/en\/activities\/([a-z0-9-]+)\?back=[^"]+)"/.exec(list.body) ?? [];
      assert.ok(link && slug, 'the list links to an activity, with the list to go back to');
      assert.equal((await get(link.replaceAll('&amp;', '&'))).status, 200);
      assert.equal((await get('/en/activities?type=thematic_meeting&year=2015')).status, 200);
      assert.equal((await get('/en/no-such-page-at-all')).status, 404);

      const { res, metrics } = await scrape();
      assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(String(res.headers.get('cache-control')), /no-store/);
      assert.ok(!res.body.includes(TOKEN), 'the token is not in the exposition');

      assert.equal(metrics.types.get('diwan_http_requests_total'), 'counter');
      assert.equal(metrics.types.get('diwan_http_request_duration_seconds'), 'histogram');
      assert.ok(total(metrics, 'diwan_http_requests_total', { route: '/:lang/activities/:slug', method: 'GET', status_class: '2xx' }) >= 1);
      assert.ok(total(metrics, 'diwan_http_requests_total', { route: '/:lang/activities', method: 'GET', status_class: '2xx' }) >= 1);
      assert.ok(total(metrics, 'diwan_http_requests_total', { route: '(memory)', method: 'GET', status_class: '2xx' }) >= 1, 'the cache hit is counted');
      assert.ok(total(metrics, 'diwan_http_requests_total', { route: '(none)', method: 'GET', status_class: '4xx' }) >= 1, 'the unknown page is counted without its address');
      assert.ok(total(metrics, 'diwan_http_request_duration_seconds_count', { route: '/:lang/activities/:slug', method: 'GET' }) >= 1);
      assert.equal(find(metrics, 'diwan_http_request_duration_seconds_count', { route: '(memory)' }).length, 0, 'no time is measured per hit from memory');

      // Every route label is a pattern or one of the two markers: never an address, a slug or a query.
      const routes = new Set(metrics.samples.filter((s) => s.name.startsWith('diwan_http_')).map((s) => s.labels.route));
      for (const route of routes) {
        assert.ok(route === '(memory)' || route === '(none)' || (route?.startsWith('/') && !route.includes('?')), `route label ${route}`);
        assert.ok(!route?.includes(slug) && !route?.includes('no-such-page') && !route?.includes('thematic'), `route label ${route}`);
      }
      for (const s of metrics.samples.filter((s) => s.name === 'diwan_http_requests_total')) {
        assert.match(s.labels.status_class ?? '', /^[1-5]xx$/);
        assert.match(s.labels.method ?? '', /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|OTHER)$/);
      }

      // A histogram's buckets only grow, and +Inf is its count.
      const labels = { route: '/:lang/activities/:slug', method: 'GET' };
      const buckets = find(metrics, 'diwan_http_request_duration_seconds_bucket', labels);
      assert.ok(buckets.length > 5);
      for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]!.value >= buckets[i - 1]!.value);
      assert.equal(buckets.at(-1)!.labels.le, '+Inf');
      assert.equal(buckets.at(-1)!.value, total(metrics, 'diwan_http_request_duration_seconds_count', labels));

      assert.ok(total(metrics, 'diwan_page_cache_hits_total') >= 1);
      assert.ok(total(metrics, 'diwan_page_cache_misses_total') >= 1);
      assert.ok(total(metrics, 'diwan_page_cache_entries') >= 1);
      // prom-client's process metrics, with the prefix.
      assert.equal(metrics.types.get('diwan_process_cpu_user_seconds_total'), 'counter');
      assert.ok(find(metrics, 'diwan_nodejs_heap_size_used_bytes').length === 1);
      // The pool on PostgreSQL; nothing of the kind on SQLite.
      if (dialect === 'postgres') assert.ok(total(metrics, 'diwan_db_pool_connections') >= 1);
      else assert.equal(find(metrics, 'diwan_db_pool_connections').length, 0);
      // A single process: no worker label.
      assert.ok(metrics.samples.every((s) => s.labels.worker === undefined));
    });

    test('hits from memory are counted once, however often the metrics are read; the scrape is never cached', async () => {
      const before = (await scrape()).metrics;
      const again = (await scrape()).metrics;
      const hits = (e: Exposition) => total(e, 'diwan_http_requests_total', { route: '(memory)' });
      assert.equal(hits(again), hits(before));
      assert.equal(total(again, 'diwan_http_requests_total', { route: '/metrics', status_class: '2xx' }), total(before, 'diwan_http_requests_total', { route: '/metrics', status_class: '2xx' }) + 1, 'each scrape reached the application');
      const path = '/en/activities?type=thematic_meeting&year=2015';
      await get(path);
      await get(path);
      const after = (await scrape()).metrics;
      assert.equal(hits(after), hits(again) + 2);
      assert.equal(total(after, 'diwan_page_cache_hits_total'), total(again, 'diwan_page_cache_hits_total') + 2);
    });

    test('the job queue depth is read at each scrape, by queue', async () => {
      const before = (await scrape()).metrics;
      assert.equal(before.types.get('diwan_job_queue_depth'), 'gauge');
      assert.equal(find(before, 'diwan_job_queue_depth', { queue: 'mail.send' }).length, 1, 'each registered queue is there, waiting or not');
      // A job no process here runs stays waiting.
      await t.app.diwan.jobs.send('metrics.probe', { n: 1 });
      await t.app.diwan.jobs.send('metrics.probe', { n: 2 });
      await t.app.diwan.jobs.send('metrics.probe', { n: 3 }, { startAfter: new Date(Date.now() + 86_400_000) });
      const after = (await scrape()).metrics;
      assert.equal(total(after, 'diwan_job_queue_depth', { queue: 'metrics.probe' }), 2, 'jobs due count; one for tomorrow does not');
    });
  });
}

describe('metrics: logs and workers', () => {
  test('the token is never written to the log; under WORKERS each series names its worker', async () => {
    const tdb = await createTestDatabase('sqlite', { metricsToken: TOKEN, logLevel: 'info', accessLogLevel: 'info', workerSlot: 2 }, 'reference');
    const db = openDatabase(tdb.config);
    const lines: string[] = [];
    const app = await buildDiwan({ config: tdb.config, db, logStream: { write: (line: string) => void lines.push(line) } });
    try {
      await app.ready();
      const refused = await app.inject({ url: `/metrics?token=${TOKEN}` });
      assert.equal(refused.statusCode, 404);
      const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(res.statusCode, 200);
      const access = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
      assert.deepEqual(access.map((l) => [l.path, l.status]), [
        ['/metrics', 404],
        ['/metrics', 200],
      ]);
      assert.ok(!lines.join('\n').includes(TOKEN), 'the token is not in the log');
      const metrics = parseExposition(res.body);
      assert.ok(metrics.samples.length > 0);
      for (const s of metrics.samples) assert.equal(s.labels.worker, '2', s.name);
    } finally {
      await app.close();
      await db.destroy();
      await tdb.drop();
    }
  });
});
