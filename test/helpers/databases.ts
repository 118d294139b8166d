import { createHash, randomBytes } from 'node:crypto';
import { inputsHash } from '../../scripts/build.mjs';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
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

/**
 * What a test database starts with: nothing (`empty`, for tests of the migrations themselves), the
 * migrations and reference data (`reference`), or those plus the demo activities and pages (`demo`).
 */
export type Template = 'empty' | 'reference' | 'demo';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TEMPLATE_DIR = path.join(ROOT, 'node_modules/.cache/diwan/test-templates');
const BASE_ENV = { LOG_LEVEL: 'silent', CONTENT_POLL_MS: '0', PUBLIC_URL: 'http://diwan.test', SEED_DEMO: 'never', SEARCHES_PER_MINUTE: '1000000' } as NodeJS.ProcessEnv;

let templateKey: string | undefined;
/** The build's digest of the sources (migrations, reference and demo data, seeders...): a change makes new templates. */
function templatesKey(): string {
  templateKey ??= inputsHash().slice(0, 12);
  return templateKey;
}

/** Migrates a database and fills it as the template asks, through the application's own code. */
async function fill(config: Config, template: Exclude<Template, 'empty'>): Promise<void> {
  const { migrateDiwan, seedDiwanDemo, syncDiwan } = await import('../../src/app/index.js');
  const { openDatabase } = await import('../../src/platform/db/database.js');
  const db = openDatabase(config);
  try {
    await migrateDiwan(db, { info: () => undefined });
    if (template === 'demo') await seedDiwanDemo(db, config, { info: () => undefined });
    // As at a start: derived data (the search index) follows the content.
    await syncDiwan(db, { info: () => undefined });
    // A single file with no write-ahead log beside it, so that a copy of it is the whole database.
    if (config.dialect === 'sqlite') await sql`PRAGMA journal_mode = DELETE`.execute(db);
  } finally {
    await db.destroy();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One SQLite template file per kind and code version, made once for the whole run by whichever test
 * process needs it first (the others wait on a lock directory), then copied for each test file.
 */
async function sqliteTemplate(template: Exclude<Template, 'empty'>): Promise<string> {
  const file = path.join(TEMPLATE_DIR, `${templatesKey()}-${template}.sqlite`);
  if (existsSync(file)) return file;
  mkdirSync(TEMPLATE_DIR, { recursive: true });
  const lock = `${file}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(file)) return file;
      // A lock older than two minutes belongs to a process that died while building.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(50);
    }
  }
  try {
    if (existsSync(file)) return file;
    for (const old of readdirSync(TEMPLATE_DIR)) if (old.endsWith(`-${template}.sqlite`) || old.endsWith(`-${template}.sqlite.files`)) rmSync(path.join(TEMPLATE_DIR, old), { recursive: true, force: true });
    const building = path.join(lock, 'build.sqlite');
    await fill(loadConfig({ ...BASE_ENV, DATA_DIR: lock, DATABASE_URL: `sqlite:${building}` }), template);
    // The files the demo data stored (the library's), kept beside the template for each copy.
    rmSync(`${file}.files`, { recursive: true, force: true });
    if (existsSync(path.join(lock, 'files'))) renameSync(path.join(lock, 'files'), `${file}.files`);
    renameSync(building, file);
    return file;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function pgUrlFor(name: string): string {
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Where the files stored while a PostgreSQL template was filled are kept (the demo library's). */
function postgresTemplateData(name: string): string {
  return path.join(TEMPLATE_DIR, `${name}.data`);
}

/** The PostgreSQL template database of a kind for this code version, made once (under an advisory lock). */
async function postgresTemplate(template: Exclude<Template, 'empty'>): Promise<string> {
  // Named for this checkout too: a CI clone on the same server keeps its templates (and their
  // files, under its own folder) apart from ours.
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 8);
  const name = `diwan_tpl_${checkout}_${templatesKey()}_${template}`;
  // The template is whole only with the files its filling stored: another checkout on the same
  // server (a CI clone) may have made the database with its files under its own folder.
  const filled = path.join(postgresTemplateData(name), '.filled');
  const exists = (c: pg.Client) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]).then((r) => r.rowCount === 1 && existsSync(filled));
  if (await withAdmin(exists)) return name;
  await withAdmin(async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', ['diwan-test-templates']);
    try {
      if (await exists(c)) return;
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      const building = `${name}_build_${process.pid}`;
      await c.query(`DROP DATABASE IF EXISTS ${building}`);
      await c.query(`CREATE DATABASE ${building}`);
      const data = postgresTemplateData(name);
      rmSync(data, { recursive: true, force: true });
      mkdirSync(data, { recursive: true });
      await fill(loadConfig({ ...BASE_ENV, DATA_DIR: data, DATABASE_URL: pgUrlFor(building) }), template);
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      writeFileSync(filled, new Date().toISOString());
      // Templates of older code are of no further use.
      const old = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $3 AND datname <> $1 AND datname LIKE $2", [name, `%\\_${template}`, `diwan\\_tpl\\_${checkout}\\_%`]);
      for (const r of old.rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname}`).catch(() => undefined);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', ['diwan-test-templates']);
    }
  });
  return name;
}

/** Creates a database of one dialect for one test file, from a template, and a configuration pointing at it. */
export async function createTestDatabase(dialect: 'sqlite' | 'postgres', overrides: Partial<Config> = {}, template: Template = 'empty'): Promise<TestDatabase> {
  const base = BASE_ENV;
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-test-'));
    const file = path.join(dir, 'test.sqlite');
    if (template !== 'empty') {
      const source = await sqliteTemplate(template);
      copyFileSync(source, file);
      if (existsSync(`${source}.files`)) cpSync(`${source}.files`, path.join(dir, 'files'), { recursive: true });
    }
    const config = loadConfig({ ...base, DATA_DIR: dir, DATABASE_URL: `sqlite:${file}` }, overrides);
    return { dialect, config, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `diwan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const source = template === 'empty' ? null : await postgresTemplate(template);
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(source ? `CREATE DATABASE ${name} TEMPLATE ${source}` : `CREATE DATABASE ${name}`);
        return;
      } catch (err) {
        // Another process's clone of the same template is still being made: try again shortly.
        if ((err as { code?: string }).code !== '55006' || attempt >= 50) throw err;
        await sleep(100);
      }
    }
  });
  const u = new URL(PG_URL);
  u.pathname = `/${name}`;
  // Each database has its own data folder (uploaded files, temporaries).
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-test-'));
  if (source && existsSync(path.join(postgresTemplateData(source), 'files'))) cpSync(path.join(postgresTemplateData(source), 'files'), path.join(dataDir, 'files'), { recursive: true });
  const config = loadConfig({ ...base, DATA_DIR: dataDir, DATABASE_URL: u.toString() }, overrides);
  return {
    dialect,
    config,
    drop: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
