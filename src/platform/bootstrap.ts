import { sql } from 'kysely';
import type { Config } from './config.js';
import { databasePlace, isPostgres, openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import type { DiwanModule } from './module.js';

export interface Logger {
  info(msg: string): void;
}

/** Applies migrations, then lets each module load its reference data (countries, frameworks, roles...). */
export async function migrateAndLoadReferenceData(db: Db, modules: readonly DiwanModule[], log: Logger): Promise<void> {
  const applied = await migrateToLatest(db);
  for (const r of applied) log.info(`migration ${r.migrationName}: ${r.status}`);
  const loaded: string[] = [];
  for (const m of modules) {
    const line = await m.referenceData?.(db);
    if (line) loaded.push(line);
  }
  if (loaded.length) log.info(`reference data: ${loaded.join(', ')}`);
}

/** True when no module holds content yet (a fresh install). */
export async function isEmpty(db: Db, modules: readonly DiwanModule[]): Promise<boolean> {
  for (const m of modules) if (await m.hasContent?.(db)) return false;
  return true;
}

/** Runs every module's demo seeder in order and logs what each did. */
export async function seedDemo(db: Db, config: Config, modules: readonly DiwanModule[], options: { freshInstall: boolean }, log: Logger): Promise<void> {
  for (const m of modules) for (const line of (await m.seedDemo?.(db, config, options)) ?? []) log.info(line);
}

/** The PostgreSQL advisory lock that instances starting at once take in turn ("diwan" in ASCII). */
const STARTUP_LOCK = 0x646977616e;

/**
 * Runs a start's database work (migrations, reference data, demo data) one instance at a time, so
 * any number of instances may start at once on an empty database and the later ones find the work
 * done. On PostgreSQL: a session advisory lock held on a connection of its own (the work uses the
 * others). On SQLite: an exclusive transaction on a small lock database beside the file
 * (`<file>.start-lock`), which the others wait for; the system releases it if the process dies.
 */
export async function underStartupLock<T>(db: Db, config: Pick<Config, 'databaseUrl'>, fn: () => Promise<T>): Promise<T> {
  if (!isPostgres(db)) {
    const file = config.databaseUrl.replace(/^sqlite:/, '');
    if (file === ':memory:') return fn();
    const { default: SQLite } = await import('better-sqlite3');
    const lock = new SQLite(`${file}.start-lock`);
    try {
      // A start may wait for another's migrations and demo data: up to five minutes.
      lock.pragma('busy_timeout = 300000');
      lock.exec('BEGIN EXCLUSIVE');
      try {
        return await fn();
      } finally {
        lock.exec('COMMIT');
      }
    } finally {
      lock.close();
    }
  }
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
    try {
      return await fn();
    } finally {
      await sql`SELECT pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn).catch(() => undefined);
    }
  });
}

/** Opens the database, brings it up to date and, on a fresh install, loads the demo data. */
export async function prepareDatabase(config: Config, modules: readonly DiwanModule[], log: Logger): Promise<Db> {
  const db = openDatabase(config);
  await waitForDatabase(db, config, log);
  await underStartupLock(db, config, async () => {
    await migrateAndLoadReferenceData(db, modules, log);
    if (config.seedDemo === 'auto' && (await isEmpty(db, modules))) await seedDemo(db, config, modules, { freshInstall: true }, log);
    // Inside the lock too: these write (statistics, derived search data), and on SQLite a write
    // racing another instance's would fail rather than wait.
    await refreshPlannerStatistics(db, config.dialect);
    await afterPrepared(db, modules, log);
  });
  return db;
}

/** Error codes of a database server that is not (yet) there: refused, unreachable, its name not yet known (a container starting), starting, shutting down, full of connections. */
const NOT_YET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/**
 * Waits for PostgreSQL at start: a server that is starting too, or restarting, is asked again
 * (after 0.5, 1, 2, 4... s, at most 5 s apart) for up to `waitMs`, each try said in one line that
 * names the host and the cause, never the password. Anything else (a wrong password, no such
 * database) stops at once with its message.
 */
export async function waitForDatabase(db: Db, config: Pick<Config, 'databaseUrl' | 'dialect'>, log: Logger, waitMs = 60_000): Promise<void> {
  if (config.dialect !== 'postgres') return;
  const where = databasePlace(config.databaseUrl);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await sql`SELECT 1`.execute(db);
      if (attempt > 0) log.info(`${where} answers`);
      return;
    } catch (err) {
      const code = String((err as { code?: unknown }).code ?? '');
      if (!NOT_YET.has(code)) throw err;
      const delay = Math.min(5000, 500 * 2 ** attempt);
      if (Date.now() + delay > deadline) throw new Error(`${where} did not answer within ${Math.round(waitMs / 1000)} s (${code}): is it running, and is DATABASE_URL right?`);
      log.info(`waiting for ${where} (${code}); asking again in ${delay / 1000} s`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Lets each module bring its derived data up to date (at start, and after a command that writes content). */
export async function afterPrepared(db: Db, modules: readonly DiwanModule[], log: Logger): Promise<void> {
  for (const m of modules) await m.onPrepared?.(db, modules, log);
}

/**
 * SQLite chooses indexes from statistics that only ANALYZE gathers: without them it may walk every
 * published activity to find one by its slug. `PRAGMA optimize` (with 0x10002: look at every table)
 * analyzes the tables whose statistics are missing or stale, cheaply. PostgreSQL's autovacuum does
 * this by itself.
 */
export async function refreshPlannerStatistics(db: Db, dialect: Config['dialect']): Promise<void> {
  if (dialect === 'sqlite') await sql`PRAGMA optimize=0x10002`.execute(db);
}
