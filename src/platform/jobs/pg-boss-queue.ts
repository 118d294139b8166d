import { randomUUID } from 'node:crypto';
import { PgBoss, type Job } from 'pg-boss';
import {
  COMPLETED_RETENTION_SECONDS,
  MAX_RETRY_DELAY_SECONDS,
  jobErrorMessage,
  jobOptions,
  sleep,
  type JobCounts,
  type AnyJobHandler,
  type JobLog,
  type JobQueue,
  type JobQueueTuning,
} from './jobs.js';

/** pg-boss keeps its tables in a schema of its own, beside Diwan's. */
const SCHEMA = 'pgboss';
/** Connections of pg-boss's own pool, per process. */
const POOL_MAX = 3;
const POLL_SECONDS = 0.5;

/**
 * The queue of a PostgreSQL site: pg-boss, which claims with SKIP LOCKED, so each job runs once
 * across instances and workers, and expires attempts that outlive `expireInSeconds` (a process
 * that died) into a retry. Every queue has the `exclusive` policy: a job sent with a singletonKey
 * is refused while another with the key waits or runs; a job sent without one gets a key of its
 * own, so it never collides.
 */
export function createPgBossQueue(databaseUrl: string, log: JobLog, tuning: JobQueueTuning): JobQueue {
  const handlers = new Map<string, AnyJobHandler>();
  const supervise = tuning.superviseIntervalSeconds;
  const concurrency = tuning.concurrency ?? 2;
  const stopTimeoutMs = tuning.stopTimeoutMs ?? 10_000;
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: SCHEMA,
    max: POOL_MAX,
    application_name: 'diwan-jobs',
    ...(supervise ? { superviseIntervalSeconds: supervise, monitorIntervalSeconds: supervise } : {}),
  });
  // Without a listener an error event would end the process; it never carries job data here.
  boss.on('error', (err: unknown) => log.warn({ error: jobErrorMessage(err) }, 'the job queue (pg-boss) reported an error'));

  let booting: Promise<void> | null = null;
  let working = false;
  const queues = new Map<string, Promise<void>>();
  const workers = new Map<string, string>();

  const boot = () => (booting ??= boss.start().then(() => undefined));

  const queueOptions = (name: string) => {
    const o = jobOptions(handlers.get(name));
    return {
      retryLimit: o.retryLimit,
      retryDelay: o.retryDelaySeconds,
      retryBackoff: o.retryBackoff,
      // pg-boss accepts a cap only with backoff.
      ...(o.retryBackoff ? { retryDelayMax: MAX_RETRY_DELAY_SECONDS } : {}),
      expireInSeconds: o.expireInSeconds,
      deleteAfterSeconds: COMPLETED_RETENTION_SECONDS,
    };
  };

  /** pg-boss 12 needs a queue before a send or a worker; its options follow the handler's. */
  const ensureQueue = (name: string): Promise<void> => {
    let ready = queues.get(name);
    if (!ready) {
      ready = (async () => {
        await boot();
        if (await boss.getQueue(name)) return boss.updateQueue(name, { retryDelayMax: null, ...queueOptions(name) });
        try {
          await boss.createQueue(name, { policy: 'exclusive', ...queueOptions(name) });
        } catch (err) {
          // Another instance made it at the same moment.
          if (!(await boss.getQueue(name))) throw err;
        }
      })();
      ready.catch(() => queues.delete(name));
      queues.set(name, ready);
    }
    return ready;
  };

  /** Runs one job; the error pg-boss keeps is our message only (no data, no address). */
  async function run(handler: AnyJobHandler, job: Job<unknown>): Promise<void> {
    const meta = { job: handler.name, jobId: job.id, attempt: job.retryCount + 1 };
    try {
      await handler.run(job.data, { id: job.id, attempt: job.retryCount + 1 });
      log.info(meta, 'job completed');
    } catch (err) {
      const error = jobErrorMessage(err);
      if (job.retryCount < jobOptions(handler).retryLimit) log.warn({ ...meta, error }, 'job failed; it will be retried');
      else (log.error ?? log.warn).call(log, { ...meta, error }, 'job failed after its last attempt');
      throw new Error(error);
    }
  }

  async function work(handler: AnyJobHandler): Promise<void> {
    await ensureQueue(handler.name);
    if (!working || workers.has(handler.name)) return;
    const id = await boss.work(handler.name, { pollingIntervalSeconds: POLL_SECONDS, localConcurrency: concurrency, batchSize: 1 }, async (jobs: Job<unknown>[]) => {
      for (const job of jobs) await run(handler, job);
    });
    workers.set(handler.name, id);
  }

  const query = async <R>(text: string, values: unknown[]): Promise<R[]> => {
    await boot();
    return (await boss.getDb().executeSql(text, values)).rows as R[];
  };

  return {
    kind: 'pg-boss',
    register(handler) {
      handlers.set(handler.name, handler);
      if (working) work(handler).catch((err: unknown) => log.warn({ job: handler.name, error: jobErrorMessage(err) }, 'could not start a job worker'));
    },
    async send(name, data, options = {}) {
      await ensureQueue(name);
      const id = randomUUID();
      const sent = await boss.send(name, (data ?? null) as object | null, {
        ...queueOptions(name),
        id,
        singletonKey: options.singletonKey ?? `job:${id}`,
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
      });
      const worker = workers.get(name);
      if (sent && worker) boss.notifyWorker(worker);
      return sent;
    },
    async start() {
      if (working) return;
      working = true;
      await boot();
      for (const handler of handlers.values()) await work(handler);
    },
    async stop() {
      if (!booting) return;
      working = false;
      workers.clear();
      const started = await booting.then(
        () => true,
        () => false,
      );
      if (started) await boss.stop({ graceful: true, close: true, timeout: stopTimeoutMs });
    },
    async drain({ names, timeoutMs = 10_000 } = {}) {
      const wanted = names ?? [...handlers.keys()];
      const deadline = Date.now() + timeoutMs;
      for (const name of wanted) await ensureQueue(name);
      for (;;) {
        let ran = false;
        for (const name of wanted) {
          const handler = handlers.get(name);
          const worker = workers.get(name);
          if (worker) boss.notifyWorker(worker);
          else if (handler) {
            // Nothing works here: run what is due in this call.
            const [job] = await boss.fetch<unknown>(name);
            if (!job) continue;
            ran = true;
            try {
              await run(handler, job);
              await boss.complete(name, job.id);
            } catch (err) {
              await boss.fail(name, job.id, { message: jobErrorMessage(err) });
            }
          }
        }
        if (ran) continue;
        const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.job WHERE name = ANY($1::text[]) AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= to_timestamp($2::double precision / 1000)))`,
          [wanted, deadline],
        );
        const left = Number(row?.n ?? 0);
        if (!left) return;
        if (Date.now() > deadline) throw new Error(`${left} job(s) still waiting or running after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
    async counts(name) {
      const rows = await query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM ${SCHEMA}.job WHERE ($1::text IS NULL OR name = $1) GROUP BY state`, [name ?? null]);
      const counts: JobCounts = { pending: 0, active: 0, failed: 0, completed: 0 };
      for (const r of rows) {
        if (r.state === 'created' || r.state === 'retry') counts.pending += Number(r.n);
        else if (r.state in counts) counts[r.state as keyof JobCounts] += Number(r.n);
      }
      return counts;
    },
    async depth() {
      const rows = await query<{ name: string; n: number }>(`SELECT name, count(*)::int AS n FROM ${SCHEMA}.job WHERE state IN ('created', 'retry') AND start_after <= now() GROUP BY name`, []);
      const depth: Record<string, number> = Object.fromEntries([...handlers.keys()].map((name) => [name, 0]));
      for (const r of rows) depth[r.name] = Number(r.n);
      return depth;
    },
    async failures(limit = 20) {
      const rows = await query<{ id: string; name: string; output: unknown; retry_count: number }>(
        `SELECT id, name, output, retry_count FROM ${SCHEMA}.job WHERE state = 'failed' ORDER BY completed_on DESC NULLS LAST, created_on DESC LIMIT $1`,
        [limit],
      );
      return rows.map((r) => {
        const output = r.output as { message?: unknown; value?: { message?: unknown } } | null;
        const message = output?.message ?? output?.value?.message ?? '';
        return { id: r.id, name: r.name, error: jobErrorMessage(String(message)), attempts: Number(r.retry_count) + 1 };
      });
    },
  };
}
