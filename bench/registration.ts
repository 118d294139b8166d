/**
 * `npm run bench:registration`: meeting registration under a rush, on SQLite and PostgreSQL. For
 * each database a fresh one gets the migrations, the reference and the demo data through the
 * application's own code; one demo activity without registrations becomes a published meeting on future days and opens
 * registration with 300 seats, approval manual (`saveRegistrationSettings`, as the organiser's
 * form saves them). Then the server is started as a separate process, from the sources
 * (`node --import tsx src/main.ts`, with the flags of `npm start` and its defaults: one worker per
 * core, its standard output to a file), with REGISTRATIONS_PER_IP_PER_HOUR=1000000 and no SMTP
 * (mail stays in the outbox), and 500 different people post the public form over real TCP, 50 at a
 * time, each from its own network address (X-Forwarded-For, as behind the reverse proxy the
 * default HOST expects). Before that, untimed, a second meeting takes 50 registrations (warm-up),
 * and GET /healthz is measured at the same concurrency as the reference the registration
 * throughput is given as a ratio of (the figure to compare between runs on a noisy machine).
 *
 * It prints wall time, throughput, p50/p95/p99/max latency and the status codes, then checks from
 * the database: 500 registrations, exactly 300 holding a seat (pending: none approved without the
 * organiser), 200 on the waiting list, the seats given in lock order (every seated id below every
 * waitlisted one), no duplicate address, every response a 303, one mail per registrant in the
 * outbox agreeing with its registration, and nothing at warn or above in the server's log. The
 * exit code is non-zero when a check fails or a server does not start, never on the figures.
 *
 * Options: --dialect=sqlite|postgres (default both, SQLite first), --requests=N (default 500),
 *          --capacity=N (default 300), --concurrency=N (default 50), --workers=N (the server's
 *          WORKERS; default one per core, as `npm start`)
 * Environment: BENCH_PG_URL, a PostgreSQL role that may create databases (default
 *          postgres://postgres@127.0.0.1:5432/postgres).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { prepareDiwanDatabase } from '../src/app/index.js';
import { saveRegistrationSettings } from '../src/modules/meetings/registration.commands.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { openDatabase, type Db } from '../src/platform/db/database.js';
import { translator, type MessageKey } from '../src/platform/i18n/i18n.js';
import { createMailer } from '../src/platform/mail/mailer.js';
import { Children, type Tracked } from './processes.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const PUBLIC_URL = 'http://localhost';
/** The Node.js flags `npm start` runs with (package.json is their one place). */
const START_FLAGS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start.match(/--[a-z-]+=\S+/g) ?? [];
const STARTUP_TIMEOUT_MS = 120_000;
const REQUEST_TIMEOUT_MS = 60_000;
const WARMUP_REGISTRATIONS = 50;
const REFERENCE_REQUESTS = 2000;
const EMAIL_DOMAIN = 'registration-bench.example';

type Dialect = 'sqlite' | 'postgres';

class BenchError extends Error {}

function settings() {
  const { values } = parseArgs({
    options: { dialect: { type: 'string' }, requests: { type: 'string' }, capacity: { type: 'string' }, concurrency: { type: 'string' }, workers: { type: 'string' } },
    allowPositionals: false,
  });
  const n = (name: string, v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback;
    const x = Number(v);
    if (!Number.isInteger(x) || x < 1) throw new BenchError(`--${name} must be a whole number >= 1 (got "${v}")`);
    return x;
  };
  if (values.dialect !== undefined && values.dialect !== 'sqlite' && values.dialect !== 'postgres') throw new BenchError(`--dialect must be sqlite or postgres (got "${values.dialect}")`);
  const s = {
    dialects: values.dialect ? [values.dialect as Dialect] : (['sqlite', 'postgres'] as Dialect[]),
    requests: n('requests', values.requests, 500),
    capacity: n('capacity', values.capacity, 300),
    concurrency: n('concurrency', values.concurrency, 50),
    workers: values.workers === undefined ? undefined : n('workers', values.workers, 1),
    pgUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  };
  if (s.capacity > s.requests) throw new BenchError('--capacity must not exceed --requests (the waiting list would stay empty)');
  return s;
}
type Settings = ReturnType<typeof settings>;

// ---------------------------------------------------------------------------------------------
// Processes and cleanup: the server by PID, the temporary folders and the PostgreSQL database.

const children = new Children();
const tempDirs = new Set<string>();
const pgDatabases = new Map<string, string>(); // name -> admin URL
let cleaning: Promise<void> | undefined;

async function dropDatabase(name: string, adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    pgDatabases.delete(name);
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function removeTempDirs(): void {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

function cleanup(): Promise<void> {
  cleaning ??= children
    .stopAll()
    .then(() => Promise.all([...pgDatabases].map(([name, url]) => dropDatabase(name, url).catch(() => undefined))))
    .then(removeTempDirs);
  return cleaning;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    console.error(`\n${sig} received: stopping the server and cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}
process.once('exit', () => {
  children.killAllNow();
  removeTempDirs();
});

// ---------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (x: number, digits = 1) => x.toFixed(digits);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
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

const tail = (text: string, lines = 30) => text.trimEnd().split('\n').slice(-lines).join('\n');

// ---------------------------------------------------------------------------------------------
// The database: demo data, two meetings on future days, registration open on both.

interface Meeting {
  id: number;
  slug: string;
}

/**
 * Fills a fresh database as a first start does (migrations, reference data, demo data), then makes
 * the two most recent published demo activities without registrations meetings on known future
 * days (as the HTTP test does) and opens registration on them: `capacity` seats on the measured one, none counted on the
 * warm-up one, approval manual, through the organiser's command.
 */
async function prepare(config: Config, capacity: number): Promise<{ measured: Meeting; warmup: Meeting; seq: number }> {
  const db = await prepareDiwanDatabase(config, { info: () => undefined });
  try {
    const year = new Date().getUTCFullYear() + 1;
    // Activities the demo left without registrations (its own upcoming meeting has some).
    const rows = await db
      .selectFrom('activities as a')
      .select(['a.id', 'a.workflow'])
      .where('a.workflow', '=', 'published')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('meeting_registration as m').select('m.activity_id').whereRef('m.activity_id', '=', 'a.id'))))
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('registrations as r').select('r.id').whereRef('r.activity_id', '=', 'a.id'))))
      .orderBy('a.id', 'desc')
      .limit(2)
      .execute();
    if (rows.length < 2) throw new BenchError('the demo data has fewer than two published activities without registrations');
    const organiser = await db.selectFrom('users').select('id').where('email', '=', 'admin@demo.diwan.example').executeTakeFirstOrThrow();
    // No SMTP: a mail is only recorded (and opening registration on an empty meeting sends none).
    const mailer = createMailer(config, db, { info: () => undefined, warn: () => undefined }, { send: () => Promise.reject(new Error('no job queue in the bench')) });
    const ctx = { db, mailer, baseUrl: PUBLIC_URL, config };
    const meetings: Meeting[] = [];
    for (const [i, row] of rows.entries()) {
      await db
        .updateTable('activities')
        .set({ start_date: `${year}-03-1${i}`, end_date: `${year}-03-1${i + 1}`, date_precision: 'day', status: 'announced', published_at: new Date(Date.now() - 60_000).toISOString() })
        .where('id', '=', row.id)
        .execute();
      await saveRegistrationSettings(ctx, row, { open: true, form: 'public', closesOn: null, capacity: i === 0 ? capacity : null, approval: 'manual' }, organiser.id);
      const en = await db.selectFrom('activity_translations').select('slug').where('activity_id', '=', row.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      meetings.push({ id: row.id, slug: en.slug });
    }
    const { seq } = await db.selectFrom('meeting_registration').select('seq').where('activity_id', '=', meetings[0]!.id).executeTakeFirstOrThrow();
    return { measured: meetings[0]!, warmup: meetings[1]!, seq };
  } finally {
    await db.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// The server

/** Starts the server from the sources with `npm start`'s flags and defaults, on the prepared database; waits until every worker serves. */
async function startServer(config: Config, s: Settings, logFile: string): Promise<{ server: Tracked; port: number; workers: number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST,
    DATA_DIR: config.dataDir,
    DATABASE_URL: config.databaseUrl,
    PUBLIC_URL,
    SEED_DEMO: 'never',
    NODE_ENV: 'production',
    REGISTRATIONS_PER_IP_PER_HOUR: '1000000',
  };
  // Diwan's defaults for the rest; no SMTP, so every mail stays in the outbox.
  for (const k of ['SMTP_URL', 'LOG_LEVEL', 'ACCESS_LOG_LEVEL', 'WORKERS', 'PAGE_CACHE_ENTRIES', 'CONTENT_POLL_MS', 'DIWAN_WORKER_ROLE']) delete env[k];
  if (s.workers !== undefined) env.WORKERS = String(s.workers);
  const server = children.spawn('diwan', process.execPath, [...START_FLAGS, '--import', 'tsx', path.join(ROOT, 'src', 'main.ts')], { cwd: ROOT, env, stdoutFile: logFile });
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (!server.running) throw new BenchError(`the server did not start (exit ${server.exitCode ?? server.signal})\n--- log ---\n${existsSync(logFile) ? tail(readFileSync(logFile, 'utf8')) : ''}\n--- stderr ---\n${tail(server.stderr())}`);
    // "[diwan] serving ..." comes once every worker listens (from the primary when there are several).
    const line = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').find((l) => l.startsWith('[diwan] serving')) : undefined;
    if (line) {
      const res = await fetch(`http://${HOST}:${port}/healthz`, { signal: AbortSignal.timeout(5000) }).catch(() => null);
      await res?.arrayBuffer();
      if (res?.status === 200) return { server, port, workers: Number(/(\d+) workers\)/.exec(line)?.[1] ?? 1) };
    }
    await sleep(50);
  }
  throw new BenchError(`the server did not serve within ${STARTUP_TIMEOUT_MS / 1000} s\n${tail(server.stderr())}`);
}

/** What the server wrote at warn or above (pino levels 40+), and anything on its standard error. */
function serverProblems(logFile: string, server: Tracked): string[] {
  const problems: string[] = [];
  for (const line of existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n') : []) {
    if (!line.startsWith('{')) continue;
    try {
      if (((JSON.parse(line) as { level?: number }).level ?? 0) >= 40) problems.push(line);
    } catch {
      problems.push(line);
    }
  }
  for (const line of server.stderr().split('\n')) if (line.trim() && !/ExperimentalWarning|--trace-warnings/.test(line)) problems.push(`stderr: ${line}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Load: n requests, `concurrency` in flight, each timed from its start to its body's end.

interface Load {
  wallMs: number;
  latencies: number[]; // sorted
  statuses: Map<string, number>;
  errors: string[];
  perRequest: { status: number; ms: number }[];
}

async function load(n: number, concurrency: number, send: (i: number) => Promise<Response>): Promise<Load> {
  const perRequest: { status: number; ms: number }[] = new Array(n);
  const errors: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        let status = 0;
        try {
          const res = await send(i);
          await res.arrayBuffer();
          status = res.status;
        } catch (err) {
          errors.push(err instanceof Error ? `${err.message}${err.cause ? ` (${String(err.cause)})` : ''}` : String(err));
        }
        perRequest[i] = { status, ms: performance.now() - t };
      }
    }),
  );
  const wallMs = performance.now() - started;
  const statuses = new Map<string, number>();
  for (const r of perRequest) statuses.set(r.status ? String(r.status) : 'error', (statuses.get(r.status ? String(r.status) : 'error') ?? 0) + 1);
  return { wallMs, latencies: perRequest.map((r) => r.ms).sort((a, b) => a - b), statuses, errors, perRequest };
}

const throughput = (l: Load) => (l.perRequest.length / l.wallMs) * 1000;
const describeLoad = (l: Load) =>
  `wall ${fmt(l.wallMs / 1000, 2)} s, ${fmt(throughput(l))} req/s, latency p50 ${fmt(percentile(l.latencies, 50))} ms, p95 ${fmt(percentile(l.latencies, 95))} ms, p99 ${fmt(percentile(l.latencies, 99))} ms, max ${fmt(l.latencies.at(-1) ?? NaN)} ms; status ${[...l.statuses].map(([k, v]) => `${k}×${v}`).join(' ')}`;

const FORM = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' };
const emailOf = (label: string, i: number) => `${label}-${String(i).padStart(4, '0')}@${EMAIL_DOMAIN}`;
/** Person i of a run: the form's required fields, a distinct address and network. */
function registration(port: number, meeting: Meeting, label: string, i: number): Promise<Response> {
  const body = new URLSearchParams({ title: 'ms', given_name: `Given${i}`, family_name: `Family ${label} ${i}`, represents: 'c:SN', email: emailOf(label, i), consent_data: '1' });
  return fetch(`http://${HOST}:${port}/en/activities/${meeting.slug}/register`, {
    method: 'POST',
    body: body.toString(),
    headers: { ...FORM, 'x-forwarded-for': `10.${label === 'bench' ? 77 : 78}.${i >> 8}.${i & 255}` },
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

// ---------------------------------------------------------------------------------------------
// Checks from the database

interface Check {
  ok: boolean;
  what: string;
}

async function verify(db: Db, meeting: Meeting, s: Settings, run: Load, seqBefore: number, problems: string[]): Promise<Check[]> {
  const checks: Check[] = [];
  const check = (ok: boolean, what: string) => checks.push({ ok, what });
  const rows = await db.selectFrom('registrations').select(['id', 'state', 'email', 'email_key', 'token']).where('activity_id', '=', meeting.id).orderBy('id').execute();
  const count = (states: string[]) => rows.filter((r) => states.includes(r.state)).length;
  const waiting = s.requests - s.capacity;

  const non303 = run.perRequest.filter((r) => r.status !== 303).length;
  check(non303 === 0, `every response a 303 to the "sent" page (${s.requests - non303} of ${s.requests}${run.errors.length ? `; ${run.errors.length} network errors, first: ${run.errors[0]}` : ''})`);
  check(rows.length === s.requests, `${s.requests} registrations stored (${rows.length})`);
  check(count(['pending', 'approved']) === s.capacity, `exactly ${s.capacity} hold a seat, pending or approved (${count(['pending', 'approved'])}: ${count(['pending'])} pending, ${count(['approved'])} approved)`);
  check(count(['approved']) === 0, `none approved without the organiser (approval manual) (${count(['approved'])})`);
  check(count(['waitlisted']) === waiting, `${waiting} on the waiting list (${count(['waitlisted'])})`);
  const others = rows.length - count(['pending', 'approved', 'waitlisted']);
  check(others === 0, `no registration in another state (${others})`);
  const maxSeated = Math.max(...rows.filter((r) => r.state !== 'waitlisted').map((r) => r.id));
  const minWaiting = Math.min(...rows.filter((r) => r.state === 'waitlisted').map((r) => r.id));
  check(rows.length > 0 && maxSeated < minWaiting, `seats given in lock order: every seated id below every waitlisted one (last seated #${maxSeated}, first waitlisted #${minWaiting})`);
  const keys = new Set(rows.map((r) => r.email_key));
  const sent = new Set(Array.from({ length: s.requests }, (_, i) => emailOf('bench', i)));
  check(keys.size === rows.length, `no duplicate address (${rows.length - keys.size} duplicates)`);
  check(keys.size === sent.size && [...sent].every((e) => keys.has(e)), `each address sent is registered once (${[...sent].filter((e) => keys.has(e)).length} of ${sent.size})`);

  const mails = await db.selectFrom('outbox').select(['to_address', 'purpose', 'text_body']).where('to_address', 'like', `bench-%@${EMAIL_DOMAIN}`).execute();
  const mailTo = new Map<string, typeof mails>();
  for (const m of mails) mailTo.set(m.to_address, [...(mailTo.get(m.to_address) ?? []), m]);
  check(mails.length === s.requests && mailTo.size === s.requests, `the outbox holds ${s.requests} mails, one per registrant (${mails.length} mails to ${mailTo.size} addresses)`);
  // Each mail names the registration's own link and the state it has: pending or waiting list.
  const tr = translator('en');
  const stateLine = (state: string) => tr.t(`registration.mail.state.${state}` as MessageKey);
  const disagree = rows.filter((r) => {
    const m = mailTo.get(r.email)?.[0];
    return !m || m.purpose !== 'registration_received' || !m.text_body.includes(`/registrations/${r.token}`) || !m.text_body.includes(stateLine(r.state));
  });
  check(disagree.length === 0, `each mail is a "received" mail with its registrant's link and state (${rows.length - disagree.length} of ${rows.length}${disagree[0] ? `; first not: ${disagree[0].email}, ${disagree[0].state}` : ''})`);

  const { seq } = await db.selectFrom('meeting_registration').select('seq').where('activity_id', '=', meeting.id).executeTakeFirstOrThrow();
  check(seq - seqBefore === s.requests, `the meeting's lock taken once per registration (seq +${seq - seqBefore})`);
  check(problems.length === 0, `nothing at warn or above in the server's log, nothing on its stderr (${problems.length} lines${problems[0] ? `; first: ${problems[0].slice(0, 300)}` : ''})`);
  return checks;
}

// ---------------------------------------------------------------------------------------------
// One database

interface Report {
  dialect: Dialect;
  workers: number;
  reference: Load;
  run: Load;
  checks: Check[];
}

async function measure(dialect: Dialect, config: Config, s: Settings, logFile: string): Promise<Report> {
  const say = (line: string) => console.log(`  ${dialect}: ${line}`);
  const t = performance.now();
  const { measured, warmup, seq } = await prepare(config, s.capacity);
  say(`database with the demo data ready in ${fmt((performance.now() - t) / 1000)} s; meeting #${measured.id} (${measured.slug}): ${s.capacity} seats, approval manual; warm-up meeting #${warmup.id}`);
  const { server, port, workers } = await startServer(config, s, logFile);
  say(`server (pid ${server.pid}, ${workers} worker${workers > 1 ? 's' : ''}) on ${HOST}:${port}`);
  let reference: Load;
  let run: Load;
  try {
    // Untimed: warm every worker's code paths (the form page, a registration, the health check).
    const form = await load(200, s.concurrency, () => fetch(`http://${HOST}:${port}/en/activities/${measured.slug}/register`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
    const warm = await load(WARMUP_REGISTRATIONS, s.concurrency, (i) => registration(port, warmup, 'warmup', i));
    if (form.statuses.get('200') !== 200 || warm.statuses.get('303') !== WARMUP_REGISTRATIONS) throw new BenchError(`the warm-up failed: form ${[...form.statuses]}, registrations ${[...warm.statuses]} ${warm.errors[0] ?? ''}`);
    await load(500, s.concurrency, () => fetch(`http://${HOST}:${port}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));

    reference = await load(REFERENCE_REQUESTS, s.concurrency, () => fetch(`http://${HOST}:${port}/healthz`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
    say(`reference GET /healthz, ${REFERENCE_REQUESTS} requests, ${s.concurrency} in flight: ${describeLoad(reference)}`);
    run = await load(s.requests, s.concurrency, (i) => registration(port, measured, 'bench', i));
    say(`registrations POST /en/activities/…/register, ${s.requests} requests, ${s.concurrency} in flight: ${describeLoad(run)}`);
    say(`registration throughput = ${fmt(throughput(run) / throughput(reference), 3)} × /healthz's`);
  } finally {
    await children.stop(server);
  }
  const db = openDatabase(config);
  try {
    const checks = await verify(db, measured, s, run, seq, serverProblems(logFile, server));
    for (const c of checks) say(`${c.ok ? 'PASS' : 'FAIL'} ${c.what}`);
    return { dialect, workers, reference, run, checks };
  } finally {
    await db.destroy();
  }
}

async function main(): Promise<number> {
  const s = settings();
  console.log(`\nRegistration rush: ${s.requests} people register at once for a meeting with ${s.capacity} seats, ${s.concurrency} requests in flight, over TCP (${os.availableParallelism()} cores)`);
  const base = { SEED_DEMO: 'auto', LOG_LEVEL: 'silent', CONTENT_POLL_MS: '0' } as NodeJS.ProcessEnv;
  const reports: Report[] = [];
  let failed = false;
  for (const dialect of s.dialects) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-registration-'));
    tempDirs.add(dir);
    let name: string | undefined;
    try {
      let env: NodeJS.ProcessEnv = { ...base, DATA_DIR: dir };
      if (dialect === 'postgres') {
        name = `diwan_bench_registration_${process.pid}`;
        const admin = new pg.Client({ connectionString: s.pgUrl, connectionTimeoutMillis: 3000 });
        try {
          await admin.connect();
          await admin.query(`create database ${name}`);
          pgDatabases.set(name, s.pgUrl);
        } finally {
          await admin.end().catch(() => undefined);
        }
        const url = new URL(s.pgUrl);
        url.pathname = `/${name}`;
        env = { ...env, DATABASE_URL: url.toString() };
      }
      reports.push(await measure(dialect, loadConfig(env), s, path.join(dir, 'server.log')));
    } catch (err) {
      failed = true;
      console.log(`  ${dialect}: FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } finally {
      if (name) await dropDatabase(name, s.pgUrl).catch((err: unknown) => console.log(`  ${dialect}: could not drop ${name}: ${String(err)}`));
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    }
  }

  console.log('');
  console.log(`${'dialect'.padEnd(9)}${'workers'.padStart(8)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'/healthz req/s'.padStart(16)}${'ratio'.padStart(8)}  checks`);
  for (const r of reports) {
    const passed = r.checks.filter((c) => c.ok).length;
    if (passed < r.checks.length) failed = true;
    console.log(
      `${r.dialect.padEnd(9)}${String(r.workers).padStart(8)}${fmt(throughput(r.run)).padStart(9)}${fmt(percentile(r.run.latencies, 50)).padStart(9)}${fmt(percentile(r.run.latencies, 95)).padStart(9)}${fmt(percentile(r.run.latencies, 99)).padStart(9)}${fmt(throughput(r.reference)).padStart(16)}${fmt(throughput(r.run) / throughput(r.reference), 3).padStart(8)}  ${passed}/${r.checks.length} ${passed === r.checks.length ? 'PASS' : 'FAIL'}`,
    );
  }
  console.log(failed ? '\nFAIL' : '\nPASS');
  return failed ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(err instanceof BenchError ? err.message : err);
} finally {
  await cleanup();
}
process.exit(code);
