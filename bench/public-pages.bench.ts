/**
 * `npm run bench`: throughput and latency of two public pages served from the page cache, against
 * a ceiling (a plain node:http server sending the same precompressed bytes from memory).
 *
 * It builds Diwan when dist/ is stale, starts the compiled server (`node dist/main.js`, as
 * `npm start` does) on a fresh SQLite database with the demo data in a temporary directory, and
 * prints its start time (process start to the first 200, on the fresh database and again on the
 * existing one) and its idle memory (RSS). It then loads each page with wrk (autocannon when wrk is missing),
 * then loads the ceiling for the same page in the same run, and prints a table with the ratio
 * app/ceiling. It only prints figures: the exit code is 0 whatever they are, and non-zero only when
 * the server does not start or a request fails.
 *
 * Environment (all optional):
 *   BENCH_DURATION     seconds per measurement (default 10)
 *   BENCH_CONNECTIONS  concurrent connections (default 50)
 *   BENCH_WARMUP       seconds of unmeasured load on each server before its measurement, so both
 *                      are measured with their code already optimised by the JIT (default 2; 0 = none)
 *   BENCH_LOAD_TOOL    auto (default: wrk, else autocannon) | wrk | autocannon
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ensureBuilt } from '../scripts/build.mjs';
import { findWrk, runAutocannon, runWrk, type LoadResult, type LoadSettings, type Runner } from './load-tools.js';
import { Children, type Tracked } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const THREADS = 2;
/** The Node.js flags `npm start` runs with (package.json is their one place). */
const START_FLAGS = ((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.match(/--[a-z-]+=\S+/g) ?? []);
const STARTUP_TIMEOUT_MS = 180_000;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

const TARGETS = [
  { name: 'activity page', path: '/en/activities/thematic-meeting-asylum-international-protection-2015' },
  { name: 'filtered list', path: '/en/activities?type=thematic_meeting&year=2019' },
] as const;

// ---------------------------------------------------------------------------------------------
// Settings

function positiveInt(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new BenchError(`${name} must be an integer >= ${min} (got "${raw}")`);
  return n;
}

class BenchError extends Error {}

// ---------------------------------------------------------------------------------------------
// Processes and cleanup

const children = new Children();
let tempDir: string | undefined;
let cleaning: Promise<void> | undefined;
let interrupted = false;

function removeTempDir(): void {
  if (!tempDir) return;
  try {
    rmSync(tempDir, { recursive: true, force: true });
  } catch {
    // best effort
  }
  tempDir = undefined;
}

function cleanup(): Promise<void> {
  cleaning ??= children.stopAll().finally(removeTempDir);
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    interrupted = true;
    console.error(`\n${sig} received: stopping child processes`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  children.killAllNow();
  removeTempDir();
});

const run: Runner = (command, args, timeoutMs) => children.run(path.basename(command), command, args, timeoutMs);

// ---------------------------------------------------------------------------------------------
// HTTP helpers

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A GET with node:http, so a gzip body arrives exactly as sent (fetch would decompress it). */
function get(port: number, target: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: target, headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${target} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen({ port: 0, host: HOST }, () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MB, from /proc (Linux). */
function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function describeExit(t: Tracked): string {
  return `${t.name} (pid ${t.pid}) exited with ${t.exitCode ?? t.signal}\n--- stdout ---\n${tail(t.stdout())}\n--- stderr ---\n${tail(t.stderr())}`;
}

// ---------------------------------------------------------------------------------------------
// Servers

async function startApp(dataDir: string): Promise<{ app: Tracked; port: number; startupMs: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PUBLIC_URL: 'http://localhost',
    SEED_DEMO: 'auto',
    NODE_ENV: 'production',
  };
  delete env.DATABASE_URL; // always a fresh SQLite database in DATA_DIR
  const started = performance.now();
  const app = children.spawn('app', process.execPath, [...START_FLAGS, path.join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env });
  const deadline = started + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (!app.running) throw new BenchError(`the server did not start: ${describeExit(app)}`);
    try {
      const res = await fetch(`http://${HOST}:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return { app, port, startupMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new BenchError(`the server did not answer /healthz with 200 within ${STARTUP_TIMEOUT_MS / 1000} s\n${tail(app.stdout())}\n${tail(app.stderr())}`);
}

async function startCeiling(page: Buffer, headers: Record<string, string>, dir: string, label: string): Promise<{ ceiling: Tracked; port: number }> {
  const bodyFile = path.join(dir, `${label}.gz`);
  writeFileSync(bodyFile, page);
  const ceiling = children.spawn('ceiling', process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'ceiling-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BODY_FILE: bodyFile, BENCH_HEADERS: JSON.stringify(headers), BENCH_HOST: HOST },
  });
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    if (!ceiling.running) throw new BenchError(`the ceiling server did not start: ${describeExit(ceiling)}`);
    const line = ceiling.stdout().split('\n').find((l) => l.startsWith('{'));
    if (line) return { ceiling, port: (JSON.parse(line) as { port: number }).port };
    await sleep(50);
  }
  throw new BenchError('the ceiling server did not report its port within 30 s');
}

// ---------------------------------------------------------------------------------------------
// Output

function loadAvg(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ') + ' (1 / 5 / 15 min)';
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(rows: string[][], rightAligned: boolean[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), sep, ...rows.slice(1).map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

interface Measured {
  target: (typeof TARGETS)[number];
  gzipBytes: number;
  rawBytes: number;
  app: LoadResult;
  ceiling: LoadResult;
}

async function main(): Promise<void> {
  const durationSeconds = positiveInt('BENCH_DURATION', 10, 1);
  const connections = positiveInt('BENCH_CONNECTIONS', 50, THREADS);
  const warmupSeconds = positiveInt('BENCH_WARMUP', 2, 0);
  const toolChoice = (process.env.BENCH_LOAD_TOOL ?? 'auto').trim() || 'auto';
  if (!['auto', 'wrk', 'autocannon'].includes(toolChoice)) throw new BenchError(`BENCH_LOAD_TOOL must be auto, wrk or autocannon (got "${toolChoice}")`);

  const wrk = toolChoice === 'autocannon' ? undefined : findWrk();
  if (toolChoice === 'wrk' && !wrk) throw new BenchError('BENCH_LOAD_TOOL=wrk but wrk is not installed (apt-get install -y wrk)');

  const cpus = os.cpus();
  console.log('Diwan public pages benchmark');
  console.log(`  machine:     ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.platform()} ${os.release()}`);
  console.log(`  node:        ${process.version}`);
  console.log(`  load avg:    ${loadAvg()} at start${os.loadavg()[0]! > os.availableParallelism() ? ' — WARNING: the machine is already busy; absolute figures will be low and noisy' : ''}`);
  if (wrk) {
    console.log(`  load tool:   wrk (${wrk})`);
  } else {
    console.log(
      toolChoice === 'autocannon'
        ? '  load tool:   autocannon (chosen with BENCH_LOAD_TOOL=autocannon)'
        : '  load tool:   autocannon — FALLBACK: wrk is not installed (apt-get install -y wrk); autocannon needs a core itself and caps low, so figures are lower than with wrk',
    );
  }
  console.log(`  load:        ${connections} connections, ${THREADS} threads, ${durationSeconds} s per measurement, header Accept-Encoding: gzip`);
  console.log(`  warm-up:     one request per page, then ${warmupSeconds ? `${warmupSeconds} s of unmeasured load on each server before its measurement` : 'no warm-up load (BENCH_WARMUP=0)'}`);
  console.log('  note:        load generator and servers share the same cores; compare the ratio, not absolute figures');

  tempDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-bench-'));
  const dataDir = path.join(tempDir, 'data');
  if (await ensureBuilt({ log: (m) => console.log(`\n${m}`) })) console.log('  (dist/ was missing or stale)');
  console.log(`\nStarting the compiled server (node dist/main.js) on a fresh SQLite database in ${dataDir} ...`);
  const first = await startApp(dataDir);
  console.log(`  fresh database: first 200 after ${fmt(first.startupMs)} ms (migrations + demo data)`);
  await children.stop(first.app);
  const { app, port, startupMs } = await startApp(dataDir);
  console.log(`  existing database: first 200 after ${fmt(startupMs)} ms (pid ${app.pid}, port ${port}; target <= 2,000 ms; node ${START_FLAGS.join(' ')})`);

  // Verify, warm, and capture the exact compressed bytes of each page.
  const pages = new Map<string, { gzip: Buffer; headers: Record<string, string>; rawBytes: number }>();
  console.log('\nPages (fetched with Accept-Encoding: gzip):');
  for (const t of TARGETS) {
    const warm = await get(port, t.path, { 'accept-encoding': 'gzip' });
    if (warm.status !== 200) throw new BenchError(`GET ${t.path} answered ${warm.status}, expected 200`);
    const res = await get(port, t.path, { 'accept-encoding': 'gzip' });
    if (res.status !== 200) throw new BenchError(`GET ${t.path} answered ${res.status} on the second request, expected 200`);
    if (res.headers['content-encoding'] !== 'gzip') throw new BenchError(`GET ${t.path} was not gzip-compressed (content-encoding: ${res.headers['content-encoding'] ?? 'none'})`);
    if (warm.headers.etag !== res.headers.etag) console.log(`  warning: ${t.path} changed between two requests (etag ${warm.headers.etag} then ${res.headers.etag})`);
    const rawBytes = gunzipSync(res.body).length;
    const headers = {
      'content-type': String(res.headers['content-type'] ?? 'text/html; charset=utf-8'),
      'content-encoding': 'gzip',
      etag: String(res.headers.etag ?? ''),
    };
    pages.set(t.path, { gzip: res.body, headers, rawBytes });
    const headerCount = Object.keys(res.headers).length;
    console.log(`  ${t.name.padEnd(14)} ${t.path}`);
    console.log(`  ${''.padEnd(14)} 200, ${fmt(res.body.length)} bytes gzip (${fmt(rawBytes)} bytes HTML), ${headerCount} response headers, etag ${headers.etag}`);
  }

  await sleep(2000);
  const idle = rssMb(app.pid);
  console.log(`\nIdle memory after serving each page once: ${idle === undefined ? 'n/a (no /proc)' : `${fmt(idle, 1)} MB RSS`} (target <= 120 MB)`);

  const measured: Measured[] = [];
  for (const t of TARGETS) {
    const page = pages.get(t.path)!;
    const settings = (p: number, seconds: number): LoadSettings => ({
      url: `http://${HOST}:${p}${t.path}`,
      durationSeconds: seconds,
      connections,
      threads: THREADS,
      headers: { 'Accept-Encoding': 'gzip' },
    });
    const loadFor = (p: number, seconds: number) => (wrk ? runWrk(wrk, settings(p, seconds), run) : runAutocannon(settings(p, seconds), run));
    const load = async (p: number) => {
      if (warmupSeconds > 0) await loadFor(p, warmupSeconds);
      return loadFor(p, durationSeconds);
    };

    console.log(`\nMeasuring ${t.name}: app ...`);
    const appResult = await load(port);
    if (!app.running) throw new BenchError(`the server stopped during the measurement: ${describeExit(app)}`);

    console.log(`Measuring ${t.name}: ceiling ...`);
    const { ceiling, port: cport } = await startCeiling(page.gzip, page.headers, tempDir, t.name.replace(/\W+/g, '-'));
    try {
      const check = await get(cport, t.path, { 'accept-encoding': 'gzip' });
      if (check.status !== 200 || !check.body.equals(page.gzip)) throw new BenchError('the ceiling server did not return the page bytes');
      const ceilingResult = await load(cport);
      if (!ceiling.running) throw new BenchError(`the ceiling server stopped during the measurement: ${describeExit(ceiling)}`);
      measured.push({ target: t, gzipBytes: page.gzip.length, rawBytes: page.rawBytes, app: appResult, ceiling: ceilingResult });
    } finally {
      await children.stop(ceiling);
    }
  }

  // Results.
  const rows: string[][] = [['target', 'server', 'requests/s', 'p50 ms', 'p99 ms', 'app/ceiling', 'requests', 'non-2xx', 'socket errors']];
  for (const m of measured) {
    const ratio = m.app.requestsPerSecond / m.ceiling.requestsPerSecond;
    for (const [server, r] of [
      ['app', m.app],
      ['ceiling', m.ceiling],
    ] as const) {
      rows.push([
        server === 'app' ? m.target.name : '',
        server,
        fmt(r.requestsPerSecond),
        fmt(r.p50Ms, 2),
        fmt(r.p99Ms, 2),
        server === 'app' ? `${fmt(ratio * 100, 1)} %` : '',
        fmt(r.totalRequests),
        fmt(r.non2xx),
        fmt(r.socketErrors),
      ]);
    }
  }
  console.log(`\nResults (${measured[0]?.app.tool ?? 'n/a'}, ${connections} connections, ${THREADS} threads, ${durationSeconds} s each, ${os.availableParallelism()} cores)\n`);
  console.log(table(rows, [false, false, true, true, true, true, true, true, true]));
  console.log(`\nLoad average at the end: ${loadAvg()}${os.loadavg()[0]! > os.availableParallelism() ? ' — the machine was busy with other work: treat the figures as noisy' : ''}`);

  console.log(`\nVerdict (target: app >= ${TARGET_RATIO * 100} % of the ceiling and app p99 <= ${TARGET_P99_MS} ms; informational only):`);
  let requestErrors = 0;
  for (const m of measured) {
    const ratio = m.app.requestsPerSecond / m.ceiling.requestsPerSecond;
    const misses: string[] = [];
    if (ratio < TARGET_RATIO) misses.push(`throughput ${fmt(ratio * 100, 1)} % < ${TARGET_RATIO * 100} %`);
    if (m.app.p99Ms > TARGET_P99_MS) misses.push(`p99 ${fmt(m.app.p99Ms, 2)} ms > ${TARGET_P99_MS} ms`);
    const errors = m.app.non2xx + m.app.socketErrors + m.ceiling.non2xx + m.ceiling.socketErrors;
    requestErrors += errors;
    const verdict = misses.length ? `MISSES the target (${misses.join('; ')})` : 'meets the target';
    console.log(
      `  ${m.target.name.padEnd(14)} ${verdict}: ${fmt(ratio * 100, 1)} % of the ceiling, p99 ${fmt(m.app.p99Ms, 2)} ms; page ${fmt(m.gzipBytes)} bytes gzip (${fmt(m.rawBytes)} bytes HTML)` +
        (errors ? `; WARNING: ${errors} failed requests (non-2xx or socket errors)` : ''),
    );
  }
  if (requestErrors > 0) {
    console.log('\nSome requests failed under load: the figures above are not trustworthy.');
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (err) {
  if (!interrupted)
    console.error(`\nbenchmark failed: ${err instanceof BenchError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
