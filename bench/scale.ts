/**
 * `npm run bench:scale` (also the last part of `npm run bench`): the activity list with every facet
 * count, at 20,000 activities, on SQLite and PostgreSQL, uncached. A fresh database per dialect
 * gets the migrations, the reference data and a synthetic record (bench/synthetic.ts); then each
 * query the list runs is timed on its own (p50/p95), and so is the whole page rendered by the
 * application with its page cache off; then the search index is built and search pages are timed
 * (every activity matches "synthetic": the worst case). It prints figures and never fails on them.
 *
 * Environment (optional):
 *   BENCH_ACTIVITIES   how many activities (default 20000)
 *   BENCH_RUNS         timed runs per measurement (default 30, after 3 untimed)
 *   BENCH_PG_URL       a PostgreSQL role that may create databases (default postgres://postgres@127.0.0.1:5432/postgres);
 *                      PostgreSQL is skipped, with a message, when it cannot be reached
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildDiwan, prepareDiwanDatabase, syncDiwan } from '../src/app/index.js';
import { facetCounts, listPublishedActivities, themeWithDescendants } from '../src/modules/activities/activities.repository.js';
import type { ActivityFilters } from '../src/modules/activities/index.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import type { Db } from '../src/platform/db/database.js';
import { generateActivities } from './synthetic.js';

const TARGET_P95_MS = { sqlite: 30, postgres: 50 } as const;

function settings() {
  const n = (name: string, fallback: number) => {
    const v = Number(process.env[name] ?? '');
    return Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return { activities: n('BENCH_ACTIVITIES', 20_000), runs: n('BENCH_RUNS', 30), pgUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

interface Row {
  dialect: 'sqlite' | 'postgres';
  what: string;
  p50: number;
  p95: number;
}

async function measure(dialect: 'sqlite' | 'postgres', config: Config, s: ReturnType<typeof settings>, say: (line: string) => void): Promise<Row[]> {
  const db: Db = await prepareDiwanDatabase(config, { info: () => undefined });
  const rows: Row[] = [];
  try {
    const { ms } = await generateActivities(db, s.activities);
    say(`  ${dialect}: ${s.activities.toLocaleString('en-US')} activities generated in ${(ms / 1000).toFixed(1)} s`);
    const now = new Date().toISOString();
    const theme = (await db.selectFrom('themes').select('code').where('parent_id', 'is', null).orderBy('id').executeTakeFirstOrThrow()).code;
    const themeIds = await themeWithDescendants(db, theme);
    const cases: [string, ActivityFilters, number[] | null][] = [
      ['no filter', {}, null],
      ['year=2015', { year: 2015 }, null],
      [`theme=${theme}`, { theme }, themeIds],
      ['type+country', { type: 'thematic_meeting', country: 'MA' }, null],
    ];
    for (const [label, filters, ids] of cases) {
      const list = await timed(s.runs, () => listPublishedActivities(db, { filters, themeIds: ids, offset: 0, limit: 20, now }));
      rows.push({ dialect, what: `list page 1 + total (${label})`, ...list });
      const facets = await timed(s.runs, () => facetCounts(db, filters, ids, now));
      rows.push({ dialect, what: `all facet counts (${label})`, ...facets });
    }
    const deep = await timed(s.runs, () => listPublishedActivities(db, { filters: {}, themeIds: null, offset: 20 * 499, limit: 20, now }));
    rows.push({ dialect, what: 'list page 500 + total (deep pagination)', ...deep });

    // The search index, as a start after writes made elsewhere builds it.
    const indexing = performance.now();
    await syncDiwan(db, { info: () => undefined });
    say(`  ${dialect}: search index built in ${((performance.now() - indexing) / 1000).toFixed(1)} s`);

    const app = await buildDiwan({ config, db });
    await app.ready();
    try {
      const rare = Math.floor(s.activities / 3);
      for (const url of [
        '/en/search?q=synthetic',
        '/en/search?q=migration',
        '/en/search?q=migration&sort=date',
        '/en/search?q=%22border+cooperation%22',
        '/fr/search?q=reunion+asile',
        `/en/search?q=${rare}`,
        '/en/search?q=migration+-asylum&page=10',
      ]) {
        const page = await timed(s.runs, async () => {
          const res = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        });
        rows.push({ dialect, what: `search page ${decodeURIComponent(url.slice(3))}`, ...page });
      }
      const one = await db.selectFrom('activity_translations').select('slug').where('lang', '=', 'en').where('activity_id', '=', Math.floor(s.activities / 2)).executeTakeFirstOrThrow();
      for (const url of ['/en/activities', '/en/activities?year=2015', `/en/activities?theme=${theme}`, '/en/activities?page=500', `/en/activities/${one.slug}`]) {
        const page = await timed(s.runs, async () => {
          const res = await app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
          if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
        });
        rows.push({ dialect, what: `whole page ${url} (rendered, cache off)`, ...page });
      }
    } finally {
      await app.close();
    }
  } finally {
    await db.destroy();
  }
  return rows;
}

/** Runs the scale measurements and prints their table; returns the rows. */
export async function runScaleBench(say: (line: string) => void = console.log): Promise<Row[]> {
  const s = settings();
  say(`\nScale: ${s.activities.toLocaleString('en-US')} activities, ${s.runs} timed runs each (after 3 untimed), one request at a time, uncached`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-scale-'));
  const base = { LOG_LEVEL: 'silent', SEED_DEMO: 'never', PAGE_CACHE_ENTRIES: '0', SEARCHES_PER_MINUTE: '1000000', WORKERS: '1', CONTENT_POLL_MS: '0', DATA_DIR: dir } as NodeJS.ProcessEnv;
  const rows: Row[] = [];
  try {
    rows.push(...(await measure('sqlite', loadConfig(base), s, say)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const admin = new pg.Client({ connectionString: s.pgUrl, connectionTimeoutMillis: 3000 });
  const name = `diwan_bench_${process.pid}`;
  let reachable = false;
  try {
    await admin.connect();
    reachable = true;
    await admin.query(`create database ${name}`);
    const url = new URL(s.pgUrl);
    url.pathname = `/${name}`;
    rows.push(...(await measure('postgres', loadConfig({ ...base, DATABASE_URL: url.toString() }), s, say)));
  } catch (err) {
    say(`  postgres: ${reachable ? 'failed' : 'skipped (not reachable at BENCH_PG_URL)'}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    if (reachable) await admin.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }

  const width = Math.max(...rows.map((r) => r.what.length));
  say('');
  say(`${'dialect'.padEnd(9)}${'measurement'.padEnd(width + 2)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(9)}`);
  for (const r of rows) say(`${r.dialect.padEnd(9)}${r.what.padEnd(width + 2)}${r.p50.toFixed(2).padStart(8)}${r.p95.toFixed(2).padStart(9)}`);
  say('');
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const page = rows.find((r) => r.dialect === dialect && r.what.startsWith('whole page /en/activities (rendered'));
    if (!page) continue;
    const ok = page.p95 <= TARGET_P95_MS[dialect];
    say(`Verdict (${dialect}): the list with every facet count ${ok ? 'meets' : 'MISSES'} the target: p95 ${page.p95.toFixed(1)} ms ${ok ? '<=' : '>'} ${TARGET_P95_MS[dialect]} ms (informational only)`);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runScaleBench();
}
