import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/platform/config.js';
import { loadConfig } from '../../src/platform/config.js';

/** Where tests find PostgreSQL: a role that may create databases (see .ci/run and STACK.md). */
const PG_URL = process.env.TEST_PG_URL ?? 'postgres://diwan:diwan@127.0.0.1:5432/postgres';
const PG_SUPERUSER_URL = process.env.TEST_PG_SUPERUSER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  config: Config;
  /** Removes the database (file or PostgreSQL database) made for this test file. */
  drop(): Promise<void>;
}

async function tryQuery(url: string, sql: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(sql);
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

let pgAvailable: Promise<boolean> | undefined;

/** True when the PostgreSQL test role can connect; creates the role with the local superuser if needed. */
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    if (await tryQuery(PG_URL, 'select 1')) return true;
    const u = new URL(PG_URL);
    const role = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password).replace(/'/g, "''");
    await tryQuery(PG_SUPERUSER_URL, `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE "${role}" LOGIN PASSWORD '${password}' CREATEDB; END IF; END $$`);
    return tryQuery(PG_URL, 'select 1');
  })();
  return pgAvailable;
}

/** The dialects this run tests: SQLite always; PostgreSQL when reachable, and required under CI. */
export async function dialectsUnderTest(): Promise<('sqlite' | 'postgres')[]> {
  const only = process.env.DIWAN_TEST_DIALECTS?.split(',').map((s) => s.trim());
  const wanted = (only ?? ['sqlite', 'postgres']) as ('sqlite' | 'postgres')[];
  if (!wanted.includes('postgres')) return wanted;
  if (await postgresAvailable()) return wanted;
  if (process.env.CI === 'true' || process.env.DIWAN_REQUIRE_PG === '1') {
    throw new Error(`PostgreSQL is required for this run but ${PG_URL.replace(/:[^:@/]*@/, ':***@')} is unreachable`);
  }
  console.warn('# PostgreSQL unreachable: running the SQLite half only (CI would fail here)');
  return wanted.filter((d) => d !== 'postgres');
}

/** Creates an empty database of one dialect for one test file, and a configuration pointing at it. */
export async function createTestDatabase(dialect: 'sqlite' | 'postgres', overrides: Partial<Config> = {}): Promise<TestDatabase> {
  const base = { LOG_LEVEL: 'silent', CONTENT_POLL_MS: '0', PUBLIC_URL: 'http://diwan.test', SEED_DEMO: 'never' } as NodeJS.ProcessEnv;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-test-'));
    const config = loadConfig({ ...base, DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'test.sqlite')}` }, overrides);
    return { dialect, config, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `diwan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  const config = loadConfig({ ...base, DATA_DIR: os.tmpdir(), DATABASE_URL: u.toString() }, overrides);
  return {
    dialect,
    config,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
