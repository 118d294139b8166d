import type { Config } from '../config.js';
import type { Db } from '../db/database.js';

/** How a kind of job is retried and how long one attempt may run. */
export interface JobOptions {
  /** Retries after the first attempt (0: one attempt only). */
  retryLimit: number;
  /** Wait before a retry; doubled at each retry when `retryBackoff` is on. */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** Longest an attempt may run; an attempt still running then counts as failed. */
  expireInSeconds: number;
}

/** A kind of job: its name, its options and what it does. `run` throws to have the job retried. */
export interface JobHandler<T = unknown> {
  name: string;
  options?: Partial<JobOptions>;
  run(data: T, job: { id: string; attempt: number }): Promise<void>;
}

/** A handler whatever its data, as queues keep them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler checks its own data
export type AnyJobHandler = JobHandler<any>;

export interface JobCounts {
  pending: number;
  active: number;
  failed: number;
  completed: number;
}

export interface JobFailure {
  id: string;
  name: string;
  error: string;
  attempts: number;
}

/**
 * The persistent background job queue, the same on both databases (decision 0020): pg-boss on
 * PostgreSQL, a table with leases on SQLite. A job sent is kept until it has run once, across
 * restarts and instances; job data holds ids, never personal data.
 */
export interface JobQueue {
  kind: 'sqlite' | 'pg-boss';
  /** Makes a kind of job known to this process: it may send it, and runs it once started. */
  register(handler: AnyJobHandler): void;
  /** Queues a job; null when a waiting or running job of that name already has the `singletonKey`. */
  send(name: string, data: unknown, options?: { singletonKey?: string; startAfter?: Date }): Promise<string | null>;
  /** Starts running the registered jobs (on SQLite, only in the process that holds the runner lease). */
  start(): Promise<void>;
  /** Stops taking jobs and waits (bounded) for the running ones. */
  stop(): Promise<void>;
  /**
   * Runs or waits until no waiting or running job of those names (default: every registered one)
   * remains, for tests and the command line; throws after `timeoutMs` (default 10 s). A job queued
   * to start after that time (tomorrow's digest) is not waited for.
   */
  drain(options?: { names?: string[]; timeoutMs?: number }): Promise<void>;
  counts(name?: string): Promise<JobCounts>;
  /**
   * Jobs due and not yet started, per name, read now (for metrics): each registered name appears,
   * with 0 when none waits; a job queued to start later (tomorrow's digest) is not counted.
   */
  depth(): Promise<Record<string, number>>;
  /** The most recent jobs that failed for good, newest first, with their last error's message. */
  failures(limit?: number): Promise<JobFailure[]>;
}

/** The logger a queue writes to (Fastify's fits). It is given names, ids, attempts and messages only. */
export interface JobLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error?(obj: Record<string, unknown>, msg: string): void;
}

/** Timings that tests shorten; the defaults suit a server. */
export interface JobQueueTuning {
  /** SQLite: how often the loop looks for due jobs (default 500 ms). */
  pollIntervalMs?: number;
  /** Jobs run at once by one process (default 2). */
  concurrency?: number;
  /** SQLite: how long the runner lease lasts unless renewed (default 15 s). */
  runnerLeaseMs?: number;
  /** SQLite: false lets every started queue run the loop, without electing one (tests of the claim). */
  elect?: boolean;
  /** PostgreSQL: pg-boss's supervise and monitor interval, which expires jobs (default 60 s). */
  superviseIntervalSeconds?: number;
  /** Longest `stop()` waits for running jobs (default 10 s). */
  stopTimeoutMs?: number;
}

export const DEFAULT_JOB_OPTIONS: JobOptions = { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 15 * 60 };
/** Longest wait between two retries, whatever the backoff says. */
export const MAX_RETRY_DELAY_SECONDS = 3600;
/** Completed jobs are kept this long (to be counted), then deleted. */
export const COMPLETED_RETENTION_SECONDS = 86_400;
/** Longest error message kept with a job. */
export const MAX_ERROR_LENGTH = 500;

/** A handler's options over the defaults. */
export function jobOptions(handler: AnyJobHandler | undefined): JobOptions {
  return { ...DEFAULT_JOB_OPTIONS, ...handler?.options };
}

/** Seconds to wait before the attempt after `attempt` (1 for the first). */
export function retryDelaySeconds(options: JobOptions, attempt: number): number {
  const base = options.retryDelaySeconds;
  const delay = options.retryBackoff ? base * 2 ** Math.min(Math.max(attempt - 1, 0), 20) : base;
  return Math.min(delay, MAX_RETRY_DELAY_SECONDS);
}

const ADDRESS = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;

/**
 * An error's message as a job keeps and logs it: without anything that looks like an e-mail
 * address (a mail server's refusal may quote one), at most MAX_ERROR_LENGTH characters.
 */
export function jobErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message || 'error').replace(ADDRESS, '[address]').slice(0, MAX_ERROR_LENGTH);
}

/** Runs `work` but gives up after `ms` with an error (the work itself cannot be cancelled). */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits; the timer keeps the process alive (a drain is awaited by someone). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The queue of the configured database: pg-boss (in its own `pgboss` schema) on PostgreSQL, the
 * `jobs` table on SQLite. Nothing runs until `start()`.
 */
export async function createJobQueue(options: {
  db: Db;
  config: Pick<Config, 'dialect' | 'databaseUrl'>;
  log: JobLog;
  tuning?: JobQueueTuning;
}): Promise<JobQueue> {
  if (options.config.dialect === 'postgres') {
    const { createPgBossQueue } = await import('./pg-boss-queue.js');
    return createPgBossQueue(options.config.databaseUrl, options.log, options.tuning ?? {});
  }
  const { createSqliteQueue } = await import('./sqlite-queue.js');
  return createSqliteQueue(options.db, options.log, options.tuning ?? {});
}
