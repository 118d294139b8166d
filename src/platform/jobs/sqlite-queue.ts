import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import {
  COMPLETED_RETENTION_SECONDS,
  jobErrorMessage,
  jobOptions,
  retryDelaySeconds,
  sleep,
  withTimeout,
  type JobCounts,
  type AnyJobHandler,
  type JobLog,
  type JobOptions,
  type JobQueue,
  type JobQueueTuning,
} from './jobs.js';

interface JobRow {
  id: number;
  name: string;
  data: string;
  attempts: number;
  retry_limit: number;
}

/** Longest lease a running job holds between two heartbeats: a job whose process died is claimed again within it. */
const MAX_JOB_LEASE_MS = 30_000;
/** Failed jobs are kept this long for the back-office, then deleted. */
const FAILED_RETENTION_SECONDS = 30 * 86_400;
/** How often the runner expires dead attempts and deletes old jobs. */
const HOUSEKEEPING_MS = 5_000;

const iso = (ms: number) => new Date(ms).toISOString();
const leaseMs = (options: JobOptions) => Math.min(options.expireInSeconds * 1000, MAX_JOB_LEASE_MS);

/**
 * The queue of a SQLite site: jobs are rows of `jobs`, claimed by one atomic UPDATE for a lease the
 * running process renews (a heartbeat). A process killed mid-job stops renewing, and the job is
 * claimed again once its lease has run out. Several processes share the file: one of them, elected
 * through the `job_runner` lease, runs the loop; the others only send.
 */
export function createSqliteQueue(db: Db, log: JobLog, tuning: JobQueueTuning): JobQueue {
  const handlers = new Map<string, AnyJobHandler>();
  const pollMs = tuning.pollIntervalMs ?? 500;
  const concurrency = tuning.concurrency ?? 2;
  const runnerLeaseMs = tuning.runnerLeaseMs ?? 15_000;
  const elect = tuning.elect ?? true;
  const stopTimeoutMs = tuning.stopTimeoutMs ?? 10_000;
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<void>>();
  const heartbeats = new Set<NodeJS.Timeout>();
  let ticking: Promise<void> | null = null;
  let again = false;
  let leaseUntil = 0;
  let lastElection = 0;
  let lastHousekeeping = 0;

  /** True while this process holds the runner lease (renewed when half of it is gone). */
  async function holdsRunnerLease(now: number): Promise<boolean> {
    if (!elect || leaseUntil - now > runnerLeaseMs / 2) return true;
    // Another process runs the loop: look again only now and then.
    if (leaseUntil <= now && now - lastElection < runnerLeaseMs / 3) return false;
    lastElection = now;
    const until = now + runnerLeaseMs;
    const { rows } = await sql<{ owner: string }>`
      INSERT INTO job_runner (id, owner, locked_until) VALUES (1, ${owner}, ${iso(until)})
      ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, locked_until = excluded.locked_until
      WHERE job_runner.owner = excluded.owner OR job_runner.locked_until < ${iso(now)}
      RETURNING owner`.execute(db);
    if (rows.length && leaseUntil === 0) log.info({ runner: owner }, 'this process runs the job queue');
    leaseUntil = rows.length ? until : 0;
    return leaseUntil > 0;
  }

  /** Attempts whose lease ran out with no attempt left fail for good; old jobs are deleted. */
  async function housekeeping(now: number, force = false): Promise<void> {
    if (!force && now - lastHousekeeping < HOUSEKEEPING_MS) return;
    lastHousekeeping = now;
    await sql`
      UPDATE jobs SET state = 'failed', locked_until = NULL, completed_at = ${iso(now)},
        last_error = 'the attempt stopped before it finished (its process ended or it ran out of time)'
      WHERE state = 'active' AND locked_until < ${iso(now)} AND attempts > retry_limit`.execute(db);
    await sql`
      DELETE FROM jobs
      WHERE (state = 'completed' AND completed_at < ${iso(now - COMPLETED_RETENTION_SECONDS * 1000)})
         OR (state = 'failed' AND completed_at < ${iso(now - FAILED_RETENTION_SECONDS * 1000)})`.execute(db);
  }

  /** Claims the next due job of those names (or one whose lease ran out), atomically. */
  async function claim(names: string[], now: number): Promise<JobRow | undefined> {
    if (!names.length) return undefined;
    const lease = sql.join(
      names.map((n) => sql`WHEN ${n} THEN ${iso(now + leaseMs(jobOptions(handlers.get(n))))}`),
      sql` `,
    );
    const { rows } = await sql<JobRow>`
      UPDATE jobs SET state = 'active', attempts = attempts + 1, locked_until = CASE name ${lease} END
      WHERE id = (
        SELECT id FROM jobs
        WHERE name IN (${sql.join(names)})
          AND ((state = 'pending' AND run_after <= ${iso(now)})
            OR (state = 'active' AND locked_until < ${iso(now)} AND attempts <= retry_limit))
        ORDER BY run_after, id
        LIMIT 1)
      RETURNING id, name, data, attempts, retry_limit`.execute(db);
    return rows[0];
  }

  /** Runs one claimed attempt, renewing its lease meanwhile, and records how it ended. */
  async function runJob(row: JobRow): Promise<void> {
    const handler = handlers.get(row.name)!;
    const options = jobOptions(handler);
    const lease = leaseMs(options);
    const meta = { job: row.name, jobId: String(row.id), attempt: row.attempts };
    // Each write is fenced by the attempt: a runner that lost its lease cannot settle the next attempt.
    const mine = sql`id = ${row.id} AND state = 'active' AND attempts = ${row.attempts}`;
    const beat = setInterval(() => {
      sql`UPDATE jobs SET locked_until = ${iso(Date.now() + lease)} WHERE ${mine}`.execute(db).catch((err: unknown) => log.warn({ ...meta, error: jobErrorMessage(err) }, 'could not renew a job lease'));
    }, lease / 3);
    beat.unref();
    heartbeats.add(beat);
    try {
      await withTimeout(handler.run(JSON.parse(row.data), { id: String(row.id), attempt: row.attempts }), options.expireInSeconds * 1000, `the job did not finish within ${options.expireInSeconds} s`);
      clearInterval(beat);
      await sql`UPDATE jobs SET state = 'completed', completed_at = ${iso(Date.now())}, locked_until = NULL, last_error = NULL WHERE ${mine}`.execute(db);
      log.info(meta, 'job completed');
    } catch (err) {
      clearInterval(beat);
      const error = jobErrorMessage(err);
      const now = Date.now();
      if (row.attempts <= row.retry_limit) {
        const delay = retryDelaySeconds(options, row.attempts);
        await sql`UPDATE jobs SET state = 'pending', run_after = ${iso(now + delay * 1000)}, locked_until = NULL, last_error = ${error} WHERE ${mine}`.execute(db);
        log.warn({ ...meta, error, retryInSeconds: delay }, 'job failed; it will be retried');
      } else {
        await sql`UPDATE jobs SET state = 'failed', completed_at = ${iso(now)}, locked_until = NULL, last_error = ${error} WHERE ${mine}`.execute(db);
        (log.error ?? log.warn).call(log, { ...meta, error }, 'job failed after its last attempt');
      }
    } finally {
      clearInterval(beat);
      heartbeats.delete(beat);
    }
  }

  function track(row: JobRow): void {
    const p: Promise<void> = runJob(row)
      .catch((err: unknown) => log.warn({ job: row.name, jobId: String(row.id), error: jobErrorMessage(err) }, 'could not record how a job ended'))
      .finally(() => {
        running.delete(p);
        wake();
      });
    running.add(p);
  }

  async function tick(): Promise<void> {
    const now = Date.now();
    if (!(await holdsRunnerLease(now))) return;
    await housekeeping(now);
    while (running.size < concurrency && started && !stopping) {
      const row = await claim([...handlers.keys()], Date.now());
      if (!row) break;
      track(row);
    }
  }

  /** Looks for work soon: at each poll, after a send in this process, after a job ends. */
  function wake(): void {
    if (!started || stopping) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = (async () => {
      do {
        again = false;
        await tick().catch((err: unknown) => log.warn({ error: jobErrorMessage(err) }, 'the job queue could not look for jobs'));
      } while (again && started && !stopping);
    })().finally(() => {
      ticking = null;
    });
  }

  /** Jobs running, or waiting to run by `before` (a job queued for tomorrow is not waited for). */
  async function countWaiting(names: string[], before: number): Promise<number> {
    if (!names.length) return 0;
    const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM jobs WHERE name IN (${sql.join(names)}) AND (state = 'active' OR (state = 'pending' AND run_after <= ${iso(before)}))`.execute(db);
    return Number(rows[0]?.n ?? 0);
  }

  return {
    kind: 'sqlite',
    register(handler) {
      handlers.set(handler.name, handler);
    },
    async send(name, data, options = {}) {
      const now = Date.now();
      const { rows } = await sql<{ id: number }>`
        INSERT INTO jobs (name, data, state, attempts, retry_limit, run_after, singleton_key, created_at)
        VALUES (${name}, ${JSON.stringify(data ?? null)}, 'pending', 0, ${jobOptions(handlers.get(name)).retryLimit},
          ${iso(options.startAfter?.getTime() ?? now)}, ${options.singletonKey ?? null}, ${iso(now)})
        ON CONFLICT DO NOTHING
        RETURNING id`.execute(db);
      if (!rows[0]) return null;
      if (handlers.has(name)) wake();
      return String(rows[0].id);
    },
    async start() {
      if (started) return;
      started = true;
      stopping = false;
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    async stop() {
      if (!started) return;
      stopping = true;
      clearInterval(timer);
      let bound: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all([ticking, ...running]).then(() => true),
        new Promise<boolean>((resolve) => (bound = setTimeout(() => resolve(false), stopTimeoutMs))),
      ]);
      clearTimeout(bound);
      if (!finished) {
        // Their leases lapse, so another process takes them up.
        for (const beat of heartbeats) clearInterval(beat);
        log.warn({ running: running.size }, 'jobs still running when the queue stopped');
      }
      started = false;
      if (leaseUntil > 0) {
        leaseUntil = 0;
        // Another process may take over at once.
        await sql`UPDATE job_runner SET locked_until = ${iso(0)} WHERE owner = ${owner}`.execute(db).catch(() => undefined);
      }
    },
    async drain({ names, timeoutMs = 10_000 } = {}) {
      const wanted = names ?? [...handlers.keys()];
      const runnable = wanted.filter((n) => handlers.has(n));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = Date.now();
        await housekeeping(now, true);
        const row = await claim(runnable, now);
        if (row) {
          await runJob(row);
          continue;
        }
        const left = await countWaiting(wanted, deadline);
        if (!left) return;
        if (Date.now() > deadline) throw new Error(`${left} job(s) still waiting or running after ${timeoutMs} ms`);
        await sleep(Math.min(50, pollMs));
      }
    },
    async counts(name) {
      const { rows } = await sql<{ state: string; n: number }>`
        SELECT state, count(*) AS n FROM jobs ${name === undefined ? sql`` : sql`WHERE name = ${name}`} GROUP BY state`.execute(db);
      const counts: JobCounts = { pending: 0, active: 0, failed: 0, completed: 0 };
      for (const r of rows) if (r.state in counts) counts[r.state as keyof JobCounts] = Number(r.n);
      return counts;
    },
    async depth() {
      const { rows } = await sql<{ name: string; n: number }>`
        SELECT name, count(*) AS n FROM jobs WHERE state = 'pending' AND run_after <= ${iso(Date.now())} GROUP BY name`.execute(db);
      const depth: Record<string, number> = Object.fromEntries([...handlers.keys()].map((name) => [name, 0]));
      for (const r of rows) depth[r.name] = Number(r.n);
      return depth;
    },
    async failures(limit = 20) {
      const { rows } = await sql<{ id: number; name: string; last_error: string | null; attempts: number }>`
        SELECT id, name, last_error, attempts FROM jobs WHERE state = 'failed' ORDER BY completed_at DESC, id DESC LIMIT ${limit}`.execute(db);
      return rows.map((r) => ({ id: String(r.id), name: r.name, error: r.last_error ?? '', attempts: Number(r.attempts) }));
    },
  };
}
