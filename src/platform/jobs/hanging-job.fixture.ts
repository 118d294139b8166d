/**
 * A process for jobs.test.ts: it runs the queue on the database given as its argument with a
 * handler that never finishes, says `running` when the job has started, and waits to be killed.
 */
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../db/database.js';
import { createJobQueue, type JobOptions } from './jobs.js';

/** The options of the job the test kills this process in the middle of: a short lease and expiry. */
export const HANGING_JOB_OPTIONS: Partial<JobOptions> = { retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 2 };
export const HANGING_JOB = 'test.hang';

async function main(databaseUrl: string): Promise<void> {
  const config = { databaseUrl, dialect: databaseUrl.startsWith('sqlite:') ? ('sqlite' as const) : ('postgres' as const) };
  const db = openDatabase(config);
  const quiet = { info: () => undefined, warn: () => undefined };
  const queue = await createJobQueue({ db, config, log: quiet, tuning: { pollIntervalMs: 50, superviseIntervalSeconds: 1 } });
  queue.register({
    name: HANGING_JOB,
    options: HANGING_JOB_OPTIONS,
    run: () => {
      process.stdout.write('running\n');
      return new Promise<void>(() => undefined);
    },
  });
  // The queue's own timers do not keep a process alive.
  setInterval(() => undefined, 1000);
  await queue.start();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv[2] ?? '').catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
