import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { poolStats, type Db } from '../db/database.js';
import type { PageCache } from '../http/page-cache.js';
import { jobErrorMessage, withTimeout, type JobQueue } from '../jobs/jobs.js';

/**
 * What GET /metrics exposes (decision 0033), in Prometheus' text format, from a registry of this
 * app's own: tests build many apps in one process, and prom-client's global registry would mix them.
 * Labels take few values: a route is Fastify's pattern (never the address asked), a method one of a
 * fixed list, a status its class.
 */
export interface AppMetrics {
  /** The exposition format's content type (text/plain; version=0.0.4). */
  readonly contentType: string;
  /** True when an Authorization header carries the configured bearer token (compared in constant time). */
  authorized(authorization: string | undefined): boolean;
  /** Counts a response written from memory before Fastify (a cached page or an asset): one increment, nothing more. */
  memoryHit(method: string | undefined, status: number): void;
  /** Records a response Fastify sent: its route pattern (undefined when no route matched), method, status and time. */
  observe(route: string | undefined, method: string, status: number, elapsedMs: number): void;
  /** The exposition text, with the gauges (queue depth, pool, cache entries) read now. */
  scrape(): Promise<string>;
}

export interface MetricsSources {
  /** The bearer token scrapers send (METRICS_TOKEN). */
  token: string;
  cache: Pick<PageCache, 'stats'>;
  jobs: Pick<JobQueue, 'depth'>;
  db: Db;
  /** The worker's place under WORKERS > 1 (its `worker` label); undefined for a single process. */
  workerSlot: number | undefined;
  log: { warn(obj: Record<string, unknown>, msg: string): void };
}

/** The route label of requests answered from memory, and of those no route matched. */
export const MEMORY_ROUTE = '(memory)';
export const NO_ROUTE = '(none)';
/** Longest a scrape waits for the job queue's count. */
const DEPTH_TIMEOUT_MS = 2000;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const methodLabel = (method: string | undefined) => (method && METHODS.has(method) ? method : 'OTHER');
const statusClass = (status: number) => `${Math.min(Math.max(Math.floor(status / 100), 1), 5)}xx`;

/** A check of `Authorization: Bearer <token>`: both sides are hashed, so the comparison takes the same time whatever the length. */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token).digest();
  return (authorization) => {
    const given = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    const digest = createHash('sha256').update(given ?? '').digest();
    return timingSafeEqual(digest, expected) && given !== undefined;
  };
}

let processRegistry: Registry | undefined;
/**
 * prom-client's process metrics (CPU, memory, event loop, GC) with the diwan_ prefix, made once per
 * process: they describe the process, and each set installs observers that are never removed.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'diwan_' });
  }
  return processRegistry;
}

/**
 * A counter whose value lives elsewhere (a plain number the hot path increments): at each scrape
 * it catches up by what was added since the last one.
 */
function mirror(read: () => number, add: (delta: number) => void): () => void {
  let reported = 0;
  return () => {
    const now = read();
    if (now > reported) add(now - reported);
    reported = now;
  };
}

/** The metrics of one app: HTTP requests, the page cache, the job queue, the database pool, the process. */
export function createMetrics({ token, cache, jobs, db, workerSlot, log }: MetricsSources): AppMetrics {
  const registry = new Registry();
  const registers = [registry];

  // Responses from memory, by method (GET, HEAD) and status class (1xx-5xx): a plain array the hot
  // path increments; the request counter takes them in at each scrape.
  const memory = new Array<number>(12).fill(0);
  const memoryMirrors = (['GET', 'HEAD'] as const).flatMap((method, m) =>
    [1, 2, 3, 4, 5].map((c) =>
      mirror(
        () => memory[m * 6 + c]!,
        (delta) => requests.inc({ route: MEMORY_ROUTE, method, status_class: `${c}xx` }, delta),
      ),
    ),
  );
  const requests = new Counter({
    name: 'diwan_http_requests_total',
    help: 'HTTP responses, by route pattern ((memory): answered from the page cache or the assets before routing; (none): no route matched), method and status class.',
    labelNames: ['route', 'method', 'status_class'] as const,
    registers,
    collect() {
      for (const catchUp of memoryMirrors) catchUp();
    },
  });
  const duration = new Histogram({
    name: 'diwan_http_request_duration_seconds',
    help: 'Time to answer the requests that reached the application (not those answered from memory), by route pattern and method.',
    labelNames: ['route', 'method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  const cacheHits = mirror(
    () => cache.stats().hits,
    (delta) => hits.inc(delta),
  );
  const hits = new Counter({
    name: 'diwan_page_cache_hits_total',
    help: 'Public pages answered from the page cache.',
    registers,
    collect: cacheHits,
  });
  const cacheMisses = mirror(
    () => cache.stats().misses,
    (delta) => misses.inc(delta),
  );
  const misses = new Counter({
    name: 'diwan_page_cache_misses_total',
    help: 'Cacheable public pages rendered because they were not in the page cache.',
    registers,
    collect: cacheMisses,
  });
  new Gauge({
    name: 'diwan_page_cache_entries',
    help: 'Pages held in the page cache.',
    registers,
    collect() {
      this.set(cache.stats().entries);
    },
  });

  new Gauge({
    name: 'diwan_job_queue_depth',
    help: 'Background jobs due and not yet started, by queue (job name); absent when the database did not answer.',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      try {
        const depth = await withTimeout(jobs.depth(), DEPTH_TIMEOUT_MS, `the job queue did not answer within ${DEPTH_TIMEOUT_MS} ms`);
        for (const [queue, n] of Object.entries(depth)) this.set({ queue }, n);
      } catch (err) {
        log.warn({ error: jobErrorMessage(err) }, 'metrics: could not count the waiting jobs');
      }
    },
  });

  if (poolStats(db)) {
    const pool = (name: string, help: string, read: (s: NonNullable<ReturnType<typeof poolStats>>) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const stats = poolStats(db);
          if (stats) this.set(read(stats));
        },
      });
    pool('diwan_db_pool_connections', 'Connections the PostgreSQL pool holds open.', (s) => s.total);
    pool('diwan_db_pool_idle_connections', 'Open PostgreSQL connections not in use.', (s) => s.idle);
    pool('diwan_db_pool_waiting_queries', 'Queries waiting for a PostgreSQL connection.', (s) => s.waiting);
  }

  const exposed = Registry.merge([processMetrics(), registry]);
  if (workerSlot !== undefined) exposed.setDefaultLabels({ worker: String(workerSlot) });

  return {
    contentType: exposed.contentType,
    authorized: bearerTokenCheck(token),
    memoryHit(method, status) {
      memory[(method === 'HEAD' ? 6 : 0) + ((status / 100) | 0)]!++;
    },
    observe(route, method, status, elapsedMs) {
      const labels = { route: route ?? NO_ROUTE, method: methodLabel(method) };
      requests.inc({ ...labels, status_class: statusClass(status) });
      duration.observe(labels, elapsedMs / 1000);
    },
    scrape: () => exposed.metrics(),
  };
}
