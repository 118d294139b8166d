import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { HANGING_JOB, HANGING_JOB_OPTIONS } from './hanging-job.fixture.js';
import { createJobQueue, jobErrorMessage, retryDelaySeconds, DEFAULT_JOB_OPTIONS, type JobQueue, type JobQueueTuning } from './jobs.js';

const FIXTURE = path.join(import.meta.dirname, 'hanging-job.fixture.ts');
const FAST: JobQueueTuning = { pollIntervalMs: 50, superviseIntervalSeconds: 1, stopTimeoutMs: 3000 };

function recordingLog() {
  const lines: string[] = [];
  const write = (obj: Record<string, unknown>, msg: string) => lines.push(`${msg} ${JSON.stringify(obj)}`);
  return { lines, log: { info: write, warn: write, error: write } };
}

test('the retry delay doubles with backoff, up to its cap', () => {
  const o = { ...DEFAULT_JOB_OPTIONS, retryDelaySeconds: 10, retryBackoff: true };
  assert.deepEqual([1, 2, 3].map((a) => retryDelaySeconds(o, a)), [10, 20, 40]);
  assert.equal(retryDelaySeconds(o, 40), 3600);
  assert.equal(retryDelaySeconds({ ...o, retryBackoff: false }, 3), 10);
  assert.equal(jobErrorMessage(new Error('550 <someone@example.org> refused')), '550 <[address]> refused');
  assert.equal(jobErrorMessage(new Error('x'.repeat(900))).length, 500);
});

for (const dialect of await dialectsUnderTest()) {
  describe(`the job queue (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    const open: JobQueue[] = [];
    const queue = async (tuning: JobQueueTuning = FAST, log = recordingLog().log) => {
      const q = await createJobQueue({ db, config: tdb.config, log, tuning });
      open.push(q);
      return q;
    };

    before(async () => {
      tdb = await createTestDatabase(dialect);
      db = openDatabase(tdb.config);
      await migrateToLatest(db);
    });
    after(async () => {
      for (const q of open) await q.stop();
      await db.destroy();
      await tdb.drop();
    });

    test(`${dialect}: a job sent runs once, with its data`, async () => {
      const q = await queue();
      const runs: unknown[] = [];
      q.register({ name: 'test.once', run: async (data, job) => void runs.push({ data, attempt: job.attempt }) });
      await q.start();
      const id = await q.send('test.once', { n: 1 });
      assert.ok(id);
      await q.drain();
      assert.deepEqual(runs, [{ data: { n: 1 }, attempt: 1 }]);
      assert.deepEqual(await q.counts('test.once'), { pending: 0, active: 0, failed: 0, completed: 1 });
      await q.stop();
    });

    test(`${dialect}: a failing job is retried with backoff, then failed with its error (no data, no address)`, async () => {
      const { lines, log } = recordingLog();
      const q = await queue(FAST, log);
      const at: number[] = [];
      q.register({
        name: 'test.fails',
        options: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true },
        run: async () => {
          at.push(Date.now());
          throw new Error('refused by the server for someone@example.org');
        },
      });
      await q.start();
      await q.send('test.fails', { email: 'private-person@example.org' });
      await q.drain({ timeoutMs: 20_000 });
      assert.equal(at.length, 3);
      const gaps = [at[1]! - at[0]!, at[2]! - at[1]!];
      if (dialect === 'sqlite') {
        assert.ok(gaps[0]! >= 950 && gaps[1]! >= 1950, `gaps ${gaps.join(', ')}`);
      } else {
        // pg-boss adds jitter to the doubled delay.
        assert.ok(gaps.every((g) => g >= 400), `gaps ${gaps.join(', ')}`);
      }
      assert.deepEqual(await q.counts('test.fails'), { pending: 0, active: 0, failed: 1, completed: 0 });
      const failures = (await q.failures()).filter((f) => f.name === 'test.fails');
      assert.equal(failures.length, 1);
      assert.equal(failures[0]!.attempts, 3);
      assert.match(failures[0]!.error, /refused by the server/);
      assert.doesNotMatch(failures[0]!.error, /example\.org/);
      const logged = lines.join('\n');
      assert.match(logged, /test\.fails/);
      assert.doesNotMatch(logged, /example\.org/);
      await q.stop();
    });

    test(`${dialect}: a singletonKey refuses a second job while the first waits`, async () => {
      const q = await queue();
      const runs: string[] = [];
      q.register({ name: 'test.single', run: async (data) => void runs.push((data as { k: string }).k) });
      const first = await q.send('test.single', { k: 'a' }, { singletonKey: 'reindex' });
      assert.ok(first);
      assert.equal(await q.send('test.single', { k: 'b' }, { singletonKey: 'reindex' }), null);
      assert.ok(await q.send('test.single', { k: 'c' }, { singletonKey: 'other' }));
      assert.ok(await q.send('test.single', { k: 'd' }));
      await q.drain();
      assert.deepEqual(runs.sort(), ['a', 'c', 'd']);
      // Once it has run, the key is free again.
      assert.ok(await q.send('test.single', { k: 'e' }, { singletonKey: 'reindex' }));
      await q.drain();
      assert.deepEqual(runs.sort(), ['a', 'c', 'd', 'e']);
    });

    test(`${dialect}: two queues on the same database run each job exactly once`, async () => {
      const runs = new Map<number, number>();
      const handler = {
        name: 'test.pair',
        run: async (data: unknown) => {
          const n = (data as { n: number }).n;
          runs.set(n, (runs.get(n) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 5));
        },
      };
      // Both run their loop (no election), so only the atomic claim keeps them apart.
      const a = await queue({ ...FAST, elect: false });
      const b = await queue({ ...FAST, elect: false });
      a.register(handler);
      b.register(handler);
      await Promise.all([a.start(), b.start()]);
      for (let n = 0; n < 30; n++) await (n % 2 ? a : b).send('test.pair', { n });
      await Promise.all([a.drain({ timeoutMs: 20_000 }), b.drain({ timeoutMs: 20_000 })]);
      assert.equal(runs.size, 30);
      assert.ok([...runs.values()].every((count) => count === 1), JSON.stringify([...runs]));
      await Promise.all([a.stop(), b.stop()]);
    });

    test(`${dialect}: a job whose process was killed mid-run runs again elsewhere and completes`, async () => {
      const q = await queue();
      const runs: number[] = [];
      q.register({ name: HANGING_JOB, options: HANGING_JOB_OPTIONS, run: async (_data, job) => void runs.push(job.attempt) });
      // Sent here (not started): only the child process runs it at first.
      assert.ok(await q.send(HANGING_JOB, { n: 1 }));
      const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, tdb.config.databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the child never started the job')), 20_000);
          child.stdout.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('running')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.once('exit', () => reject(new Error('the child stopped')));
        });
        assert.equal((await q.counts(HANGING_JOB)).active, 1);
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
      // Its lease (SQLite) or expiry (pg-boss) runs out; the job is claimed again and completes.
      await q.drain({ timeoutMs: 20_000 });
      assert.deepEqual(runs, [2]);
      assert.deepEqual(await q.counts(HANGING_JOB), { pending: 0, active: 0, failed: 0, completed: 1 });
    });
  });
}
