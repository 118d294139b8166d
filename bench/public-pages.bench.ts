/**
 * `npm run bench`: what a public page costs, against nginx on the same bytes, in one run.
 *
 * It builds Diwan when dist/ is stale and starts the compiled server (`node dist/main.js`, as
 * `npm start` does) with its default settings (log level, no access log, WORKERS = one per core;
 * its output goes to a file) on a fresh SQLite database with the demo data, and prints its start
 * time and idle memory. Then, for two pages, under wrk (autocannon when wrk is missing): Diwan from
 * its page cache (also with ACCESS_LOG_LEVEL=info), Diwan on a cache miss (PAGE_CACHE_ENTRIES=0), nginx sending the same bytes from
 * disk with sendfile and nginx compressing them per request (gzip 6), each with the ratios to nginx.
 * Then how soon an edit through one worker is seen by every visitor, and the scale part
 * (bench/scale.ts). It only prints figures: the exit code is non-zero only when a server does not
 * start or requests fail.
 *
 * Environment (all optional):
 *   BENCH_DURATION     seconds per measurement (default 10)
 *   BENCH_CONNECTIONS  concurrent connections (default 50)
 *   BENCH_WARMUP       seconds of unmeasured load on each server before its measurement (default 2; 0 = none)
 *   BENCH_LOAD_TOOL    auto (default: wrk, else autocannon) | wrk | autocannon
 *   BENCH_SCALE        0 skips the 20,000-activity part
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Starts the compiled server as `npm start` would, with Diwan's defaults (log level, access log
 * level, one worker per core) except the given settings; its standard output goes to a
 * file, as it would to a journal.
 */
async function startApp(dataDir: string, extraEnv: Record<string, string> = {}, label = 'app'): Promise<{ app: Tracked; port: number; startupMs: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost',
    SEED_DEMO: 'auto',
    NODE_ENV: 'production',
    // The load comes from one address: the per-network search limit would measure itself.
    SEARCHES_PER_MINUTE: '1000000',
    ...extraEnv,
  };
  delete env.DATABASE_URL; // always a fresh SQLite database in DATA_DIR
  delete env.LOG_LEVEL;
  delete env.ACCESS_LOG_LEVEL;
  delete env.WORKERS;
  Object.assign(env, extraEnv);
  const started = performance.now();
  const app = children.spawn(label, process.execPath, [...START_FLAGS, path.join(ROOT, 'dist', 'main.js')], { cwd: ROOT, env, stdoutFile: path.join(tempDir!, `${label}.log`) });
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
  throw new BenchError(`the server did not answer /healthz with 200 within ${STARTUP_TIMEOUT_MS / 1000} s\n${tail(app.stderr())}`);
}

/** The process and its children (a primary and its workers), with their resident memory. */
function processTree(pid: number): { pid: number; mb: number | undefined }[] {
  let kids: number[] = [];
  try {
    kids = execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // no children
  }
  return [pid, ...kids].map((p) => ({ pid: p, mb: rssMb(p) }));
}

/** The nginx executable, or undefined. */
function findNginx(): string | undefined {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * nginx with two workers serving one page's bytes from disk, on two ports: one sends the
 * precompressed file with sendfile (gzip_static), the other compresses it per request at gzip
 * level 6. Neither keeps an access log, as Diwan by default.
 */
async function startNginx(nginx: string, html: Buffer, gzip: Buffer, label: string): Promise<{ nginx: Tracked; sendfilePort: number; gzipPort: number }> {
  const dir = path.join(tempDir!, `nginx-${label}`);
  mkdirSync(path.join(dir, 'sendfile'), { recursive: true });
  mkdirSync(path.join(dir, 'gzip'), { recursive: true });
  writeFileSync(path.join(dir, 'sendfile', 'page.html'), html);
  writeFileSync(path.join(dir, 'sendfile', 'page.html.gz'), gzip);
  writeFileSync(path.join(dir, 'gzip', 'page.html'), html);
  const [sendfilePort, gzipPort] = [await freePort(), await freePort()];
  const server = (port: number, root: string, extra: string) => `
    server {
      listen ${HOST}:${port};
      root ${path.join(dir, root)};
      location / { default_type 'text/html; charset=utf-8'; try_files /page.html =404; ${extra} }
    }`;
  const conf = `
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 2;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')};
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  etag on;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  ${server(sendfilePort, 'sendfile', 'gzip_static on;')}
  ${server(gzipPort, 'gzip', 'gzip on; gzip_comp_level 6; gzip_types text/html; gzip_min_length 1;')}
}`;
  const confFile = path.join(dir, 'nginx.conf');
  writeFileSync(confFile, conf);
  const proc = children.spawn('nginx', nginx, ['-p', dir, '-c', confFile, '-g', 'daemon off;'], {});
  const deadline = performance.now() + 15_000;
  while (performance.now() < deadline) {
    if (!proc.running) throw new BenchError(`nginx did not start: ${describeExit(proc)}\n${existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8') : ''}`);
    try {
      const [a, b] = [await get(sendfilePort, '/', { 'accept-encoding': 'gzip' }), await get(gzipPort, '/', { 'accept-encoding': 'gzip' })];
      if (a.status === 200 && b.status === 200) {
        if (!a.body.equals(gzip)) throw new BenchError('nginx (sendfile) did not send the page bytes');
        if (b.headers['content-encoding'] !== 'gzip' || !gunzipSync(b.body).equals(html)) throw new BenchError('nginx (gzip) did not compress the page');
        return { nginx: proc, sendfilePort, gzipPort };
      }
    } catch (err) {
      if (err instanceof BenchError) throw err;
    }
    await sleep(50);
  }
  throw new BenchError('nginx did not answer within 15 s');
}

/**
 * How long an edit takes to be seen by every visitor: the demo admin saves the About page through
 * one worker, then anonymous requests (spread over the workers) are made until `n` in a row show it.
 */
async function editPropagation(port: number, n: number, logFile: string): Promise<number> {
  // The demo admin's random password is printed once, at the first start.
  const password = /demo admin: admin@demo\.diwan\.example \/ password (\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1];
  if (!password) throw new BenchError(`the demo admin's password is not in ${logFile}`);
  const cookies = new Map<string, string>();
  const req = async (target: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
    const res = await fetch(`http://${HOST}:${port}${target}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      body,
      headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const i = pair.indexOf('=');
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return { status: res.status, body: await res.text() };
  };
  const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const login = await req('/admin/login');
  const signedIn = await req('/admin/login', { method: 'POST', form: { _csrf: csrf(login.body), email: 'admin@demo.diwan.example', password } });
  if (signedIn.status !== 303) throw new BenchError(`the demo admin could not sign in (${signedIn.status})`);
  const list = await req('/admin/pages');
  const id = /href="\/admin\/pages\/(\d+)">About the Rabat Process</.exec(list.body)?.[1];
  if (!id) throw new BenchError('the About page is not in the back-office list');
  const form = await req(`/admin/pages/${id}`);
  const value = (fieldId: string) => new RegExp(`<input[^>]*id="${fieldId}"[^>]*value="([^"]*)"`).exec(form.body)?.[1] ?? '';
  const text = (fieldId: string) => (new RegExp(`<textarea[^>]*id="${fieldId}"[^>]*>([\\s\\S]*?)</textarea>`).exec(form.body)?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  const marker = `About the Rabat Process (bench ${Date.now()})`;
  const fields: Record<string, string> = { _csrf: csrf(form.body), version: /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '', nav_position: value('nav_position') };
  for (const l of ['en', 'fr']) Object.assign(fields, { [`t_${l}_title`]: value(`t_${l}_title`), [`t_${l}_slug`]: value(`t_${l}_slug`), [`t_${l}_body_html`]: text(`t_${l}_body_html`) });
  fields.t_en_title = marker;
  // Every worker keeps the page before the edit.
  for (let i = 0; i < 20; i++) await get(port, '/en/about');
  const saved = await req(`/admin/pages/${id}`, { method: 'POST', form: fields });
  if (saved.status !== 303) throw new BenchError(`saving the page answered ${saved.status}`);
  const start = performance.now();
  let inARow = 0;
  while (inARow < n) {
    const page = await get(port, '/en/about');
    inARow = page.body.toString().includes(marker) ? inARow + 1 : 0;
    if (performance.now() - start > 10_000) throw new BenchError('the edit was not seen by every worker within 10 s');
  }
  return performance.now() - start;
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
  results: { server: string; result: LoadResult }[];
}

async function main(): Promise<void> {
  const durationSeconds = positiveInt('BENCH_DURATION', 10, 1);
  const connections = positiveInt('BENCH_CONNECTIONS', 50, THREADS);
  const warmupSeconds = positiveInt('BENCH_WARMUP', 2, 0);
  const toolChoice = (process.env.BENCH_LOAD_TOOL ?? 'auto').trim() || 'auto';
  if (!['auto', 'wrk', 'autocannon'].includes(toolChoice)) throw new BenchError(`BENCH_LOAD_TOOL must be auto, wrk or autocannon (got "${toolChoice}")`);
  const wrk = toolChoice === 'autocannon' ? undefined : findWrk();
  if (toolChoice === 'wrk' && !wrk) throw new BenchError('BENCH_LOAD_TOOL=wrk but wrk is not installed (apt-get install -y wrk)');
  const nginx = findNginx();

  const cpus = os.cpus();
  console.log('Diwan public pages benchmark');
  console.log(`  machine:     ${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${fmt(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.platform()} ${os.release()}`);
  console.log(`  node:        ${process.version}`);
  console.log(`  load avg:    ${loadAvg()} at start${os.loadavg()[0]! > os.availableParallelism() ? ' — WARNING: the machine is already busy; absolute figures will be low and noisy' : ''}`);
  console.log(wrk ? `  load tool:   wrk (${wrk})` : '  load tool:   autocannon — FALLBACK: wrk is not installed (apt-get install -y wrk); autocannon needs a core itself and caps low');
  console.log(nginx ? `  reference:   nginx (${nginx}), 2 workers, no access log (as Diwan by default), the same page bytes from disk` : '  reference:   nginx is NOT installed (apt-get install -y nginx): falling back to a node:http server sending the bytes from memory, and no gzip reference');
  console.log(`  load:        ${connections} connections, ${THREADS} threads, ${durationSeconds} s per measurement, header Accept-Encoding: gzip`);
  console.log(`  warm-up:     ${warmupSeconds ? `${warmupSeconds} s of unmeasured load on each server before its measurement` : 'none (BENCH_WARMUP=0)'}`);
  console.log('  Diwan:       the compiled server with its default settings (LOG_LEVEL, ACCESS_LOG_LEVEL, WORKERS = one per core), output to a file; also once with ACCESS_LOG_LEVEL=info');
  console.log('  note:        load generator and servers share the same cores; compare the ratios, not absolute figures');

  tempDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-bench-'));
  const dataDir = path.join(tempDir, 'data');
  if (await ensureBuilt({ log: (m) => console.log(`\n${m}`) })) console.log('  (dist/ was missing or stale)');
  console.log(`\nStarting the compiled server (node dist/main.js) on a fresh SQLite database in ${dataDir} ...`);
  const first = await startApp(dataDir, {}, 'first');
  console.log(`  fresh database: first 200 after ${fmt(first.startupMs)} ms (migrations + demo data)`);
  await children.stop(first.app);
  const { app, port, startupMs } = await startApp(dataDir);
  console.log(`  existing database: first 200 after ${fmt(startupMs)} ms (pid ${app.pid}, port ${port}; target <= 2,000 ms; node ${START_FLAGS.join(' ')})`);

  const pages = new Map<string, { gzip: Buffer; raw: Buffer; headers: Record<string, string> }>();
  console.log('\nPages (fetched with Accept-Encoding: gzip):');
  for (const t of TARGETS) {
    const warm = await get(port, t.path, { 'accept-encoding': 'gzip' });
    if (warm.status !== 200) throw new BenchError(`GET ${t.path} answered ${warm.status}, expected 200`);
    const res = await get(port, t.path, { 'accept-encoding': 'gzip' });
    if (res.status !== 200 || res.headers['content-encoding'] !== 'gzip') throw new BenchError(`GET ${t.path}: ${res.status}, content-encoding ${res.headers['content-encoding'] ?? 'none'}`);
    const raw = gunzipSync(res.body);
    pages.set(t.path, { gzip: res.body, raw, headers: { 'content-type': String(res.headers['content-type'] ?? 'text/html; charset=utf-8'), 'content-encoding': 'gzip', etag: String(res.headers.etag ?? '') } });
    console.log(`  ${t.name.padEnd(14)} ${t.path}: ${fmt(res.body.length)} bytes gzip (${fmt(raw.length)} bytes HTML), ${Object.keys(res.headers).length} response headers`);
  }

  await sleep(2000);
  const tree = processTree(app.pid);
  const totalMb = tree.reduce((n, p) => n + (p.mb ?? 0), 0);
  console.log(`\nIdle memory after serving each page: ${tree.map((p, i) => `${i === 0 ? 'primary' : `worker ${i}`} ${p.mb === undefined ? 'n/a' : `${fmt(p.mb, 1)} MB`}`).join(', ')}; total ${fmt(totalMb, 1)} MB RSS (target <= 120 MB per instance: ${tree.length > 1 ? `${fmt(Math.max(...tree.slice(1).map((p) => p.mb ?? 0)), 1)} MB for the largest worker` : `${fmt(totalMb, 1)} MB`})`);

  const settings = (p: number, target: string, seconds: number): LoadSettings => ({ url: `http://${HOST}:${p}${target}`, durationSeconds: seconds, connections, threads: THREADS, headers: { 'Accept-Encoding': 'gzip' } });
  const loadFor = (p: number, target: string, seconds: number) => (wrk ? runWrk(wrk, settings(p, target, seconds), run) : runAutocannon(settings(p, target, seconds), run));
  const load = async (p: number, target: string) => {
    if (warmupSeconds > 0) await loadFor(p, target, warmupSeconds);
    return loadFor(p, target, durationSeconds);
  };

  const measured: Measured[] = TARGETS.map((t) => ({ target: t, gzipBytes: pages.get(t.path)!.gzip.length, rawBytes: pages.get(t.path)!.raw.length, results: [] }));
  for (const m of measured) {
    console.log(`\nMeasuring ${m.target.name}: Diwan, page cache ...`);
    m.results.push({ server: 'Diwan, cached', result: await load(port, m.target.path) });
    if (!app.running) throw new BenchError(`the server stopped during the measurement: ${describeExit(app)}`);
  }
  await children.stop(app);

  console.log('\nStarting Diwan with an access line per request (ACCESS_LOG_LEVEL=info) ...');
  const logged = await startApp(dataDir, { ACCESS_LOG_LEVEL: 'info' }, 'logged');
  for (const m of measured) {
    await get(logged.port, m.target.path, { 'accept-encoding': 'gzip' });
    console.log(`Measuring ${m.target.name}: Diwan, page cache, access log ...`);
    m.results.push({ server: 'Diwan, cached, access log', result: await load(logged.port, m.target.path) });
  }
  await children.stop(logged.app);

  console.log('\nStarting a second Diwan with its page cache off (PAGE_CACHE_ENTRIES=0: every request a miss) ...');
  const miss = await startApp(dataDir, { PAGE_CACHE_ENTRIES: '0' }, 'miss');
  for (const m of measured) {
    console.log(`Measuring ${m.target.name}: Diwan, cache miss ...`);
    m.results.push({ server: 'Diwan, cache miss', result: await load(miss.port, m.target.path) });
  }
  await children.stop(miss.app);

  for (const m of measured) {
    const page = pages.get(m.target.path)!;
    if (nginx) {
      console.log(`Measuring ${m.target.name}: nginx ...`);
      const ng = await startNginx(nginx, page.raw, page.gzip, m.target.name.replace(/\W+/g, '-'));
      try {
        m.results.push({ server: 'nginx, sendfile', result: await load(ng.sendfilePort, '/') });
        m.results.push({ server: 'nginx, gzip 6', result: await load(ng.gzipPort, '/') });
      } finally {
        await children.stop(ng.nginx);
      }
    } else {
      console.log(`Measuring ${m.target.name}: node ceiling ...`);
      const { ceiling, port: cport } = await startCeiling(page.gzip, page.headers, tempDir, m.target.name.replace(/\W+/g, '-'));
      try {
        m.results.push({ server: 'nginx, sendfile', result: await load(cport, m.target.path) });
      } finally {
        await children.stop(ceiling);
      }
    }
  }

  console.log('\nEdit propagation: the demo admin saves the About page through one worker ...');
  const edited = await startApp(dataDir, {}, 'edit');
  const workers = Math.max(1, processTree(edited.app.pid).length - 1);
  const propagationMs = await editPropagation(edited.port, 10 * workers, path.join(tempDir, 'first.log'));
  await children.stop(edited.app);
  console.log(`  seen by every visitor (${10 * workers} requests in a row, over ${workers} worker${workers > 1 ? 's' : ''}) ${fmt(propagationMs, 1)} ms after the save returned (target <= 100 ms)`);

  const rows: string[][] = [['page', 'server', 'requests/s', 'p50 ms', 'p99 ms', 'vs nginx sendfile', 'vs nginx gzip', 'errors']];
  for (const m of measured) {
    const ref = (name: string) => m.results.find((r) => r.server === name)?.result.requestsPerSecond;
    for (const [i, r] of m.results.entries()) {
      const sendfile = ref('nginx, sendfile');
      const gz = ref('nginx, gzip 6');
      rows.push([
        i === 0 ? m.target.name : '',
        r.server,
        fmt(r.result.requestsPerSecond),
        fmt(r.result.p50Ms, 2),
        fmt(r.result.p99Ms, 2),
        sendfile ? fmt(r.result.requestsPerSecond / sendfile, 2) : '',
        gz ? fmt(r.result.requestsPerSecond / gz, 2) : '',
        fmt(r.result.non2xx + r.result.socketErrors),
      ]);
    }
  }
  console.log(`\nResults (${measured[0]?.results[0]?.result.tool ?? 'n/a'}, ${connections} connections, ${THREADS} threads, ${durationSeconds} s each, ${os.availableParallelism()} cores)\n`);
  console.log(table(rows, [false, false, true, true, true, true, true, true]));
  console.log(`\nLoad average at the end: ${loadAvg()}`);

  console.log('\nVerdict (informational only):');
  let requestErrors = 0;
  for (const m of measured) {
    const by = (name: string) => m.results.find((r) => r.server === name)?.result;
    const cached = by('Diwan, cached')!;
    const missed = by('Diwan, cache miss')!;
    const sendfile = by('nginx, sendfile');
    const gz = by('nginx, gzip 6');
    requestErrors += m.results.reduce((n, r) => n + r.result.non2xx + r.result.socketErrors, 0);
    if (sendfile) {
      const ratio = cached.requestsPerSecond / sendfile.requestsPerSecond;
      const ok = ratio >= 0.5 && cached.p99Ms <= 10;
      console.log(`  ${m.target.name}, cached: ${ok ? 'meets' : 'MISSES'} the target (>= 0.5x nginx sendfile, p99 <= 10 ms): ${fmt(ratio, 2)}x, p99 ${fmt(cached.p99Ms, 2)} ms`);
    }
    if (gz) {
      const ratio = missed.requestsPerSecond / gz.requestsPerSecond;
      const ok = ratio >= 0.4 && missed.p99Ms <= 25;
      console.log(`  ${m.target.name}, cache miss: ${ok ? 'meets' : 'MISSES'} the target (>= 0.4x nginx gzip, p99 <= 25 ms): ${fmt(ratio, 2)}x, p99 ${fmt(missed.p99Ms, 2)} ms`);
    }
  }
  console.log(`  edit propagation: ${propagationMs <= 100 ? 'meets' : 'MISSES'} the target (<= 100 ms): ${fmt(propagationMs, 1)} ms`);
  if (requestErrors > 0) {
    console.log('\nSome requests failed under load: the figures above are not trustworthy.');
    process.exitCode = 1;
  }

  if (process.env.BENCH_SCALE !== '0') {
    const { runScaleBench } = await import('./scale.js');
    await runScaleBench();
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
