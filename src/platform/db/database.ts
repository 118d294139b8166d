import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import type { Config } from '../config.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Dialect = Config['dialect'];

let pgLoaded: typeof pgModule | undefined;
/** The PostgreSQL driver, loaded only when a PostgreSQL URL is configured (a SQLite site never pays for it). */
export function pgDriver(): typeof pgModule {
  if (!pgLoaded) {
    pgLoaded = createRequire(import.meta.url)('pg') as typeof pgModule;
    // PostgreSQL returns int8 (counts) as strings; our counts always fit a JS number.
    pgLoaded.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  }
  return pgLoaded;
}

/** Opens the configured database: SQLite (WAL, foreign keys on) by default, PostgreSQL for postgres URLs. */
export function openDatabase(config: Pick<Config, 'databaseUrl' | 'dialect'>): Db {
  if (config.dialect === 'postgres') {
    const pool = new (pgDriver().Pool)({ connectionString: config.databaseUrl, max: 10 });
    // An idle connection the server closes (a restart, a failover, an administrator) is an 'error'
    // event on the pool: without a listener Node.js would end the process. The pool drops that
    // connection and opens a new one for the next query; only the error's code is reported.
    pool.on('error', (err: Error & { code?: string }) => {
      process.emitWarning(`an idle database connection was closed (${err.code ?? 'no code'}); the next query opens a new one`, { code: 'DIWAN_DB_IDLE_CONNECTION_LOST' });
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const file = config.databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** The current time as stored in timestamp columns. */
export function nowIso(): string {
  return new Date().toISOString();
}
