/**
 * Instances started at once on an empty PostgreSQL database: each prepares it (migrations,
 * reference data, demo data) in turn under the start's advisory lock, none fails, and the demo is
 * there once (not twice).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { openDatabase, type Db } from '../src/platform/db/database.js';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './helpers/databases.js';

const available = await postgresAvailable();
let database: TestDatabase | undefined;
const opened: Db[] = [];

before(async () => {
  if (available) database = await createTestDatabase('postgres', { seedDemo: 'auto' });
});
after(async () => {
  for (const db of opened) await db.destroy().catch(() => undefined);
  await database?.drop();
});

const run = promisify(execFile);

test('four instances start at once on an empty database: all succeed, the demo is loaded once', { skip: !available && !process.env.CI ? 'no PostgreSQL here' : false }, async () => {
  // Four processes, as four servers would be: truly at once, each with its own connections.
  const env = { ...process.env, DATABASE_URL: database!.config.databaseUrl, DATA_DIR: database!.config.dataDir, SEED_DEMO: 'auto', NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' };
  const results = await Promise.allSettled(Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', 'test/helpers/prepare-once.ts'], { env, timeout: 120_000 })));
  assert.deepEqual(
    results.map((r) => (r.status === 'rejected' ? String((r.reason as { stderr?: string }).stderr ?? r.reason) : 'ok')),
    ['ok', 'ok', 'ok', 'ok'],
  );
  const db = openDatabase(database!.config);
  opened.push(db);
  const demo = await db.selectFrom('users').select('email').where('email', 'like', '%@demo.diwan.example').execute();
  assert.equal(demo.length, 4, 'each demo account once');
  const countries = await db.selectFrom('countries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.ok(Number(countries.n) > 50);
});
