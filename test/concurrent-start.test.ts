/**
 * Instances started at once on an empty database: each prepares it (migrations, reference data,
 * demo data) in turn under the start's lock (an advisory lock on PostgreSQL, a lock database beside
 * the SQLite file), none fails, and the demo is there once (not twice).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

test('four instances start at once on one new SQLite file: all succeed, the demo is loaded once', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-concurrent-'));
  try {
    const env = { ...process.env, DATA_DIR: dir, SEED_DEMO: 'auto', NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' } as NodeJS.ProcessEnv;
    delete env.DATABASE_URL;
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', 'test/helpers/prepare-once.ts'], { env, timeout: 120_000 })));
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? String((r.reason as { stderr?: string }).stderr ?? r.reason) : 'ok')),
      ['ok', 'ok', 'ok', 'ok'],
    );
    const db = openDatabase({ dialect: 'sqlite', databaseUrl: `sqlite:${path.join(dir, 'diwan.sqlite')}` });
    try {
      const demo = await db.selectFrom('users').select('email').where('email', 'like', '%@demo.diwan.example').execute();
      assert.equal(demo.length, 4, 'each demo account once');
      const keys = await db.selectFrom('activities').select('key').execute();
      assert.equal(new Set(keys.map((k) => k.key)).size, keys.length, 'each demo activity once');
    } finally {
      await db.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
