import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
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

/** The pool behind each PostgreSQL handle, read by the metrics (Kysely does not expose it). */
const pools = new WeakMap<Db, pgModule.Pool>();

/** A PostgreSQL handle's connections: open, idle, and queries waiting for one; undefined on SQLite. */
export function poolStats(db: Db): { total: number; idle: number; waiting: number } | undefined {
  const pool = pools.get(db);
  return pool && { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** Statements kept prepared per SQLite connection (the distinct queries the application runs fit easily). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 behind Kysely, with its prepared statements kept: Kysely prepares every query
 * afresh, and preparing cost as much as running the query on a page that is not cached. A
 * statement is reused for the same SQL text (parameters differ), least recently used first out.
 */
/** A statement that does nothing: what a rollback is when SQLite has already rolled back. */
const NO_OP_STATEMENT = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }), all: () => [], iterate: () => [][Symbol.iterator]() } as unknown as SQLite.Statement;

export function withStatementCache(sqlite: SQLite.Database, max = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      statements.clear();
      sqlite.close();
    },
    prepare(sql: string) {
      // SQLite ends a transaction itself on some errors (a full disk, an I/O error): Kysely's
      // rollback would then fail with "no transaction is active" and hide the error that matters.
      if (!sqlite.inTransaction && /^rollback\b/i.test(sql)) return NO_OP_STATEMENT;
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  const file = config.databaseUrl.replace(/^sqlite:/, '');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  // First the wait for another process's lock: switching a new file to WAL takes one.
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * Where a database is, for messages to the operator, never with a secret: the SQLite file, or
 * "PostgreSQL at host:port/database" (the URL's user and password left out).
 */
export function databasePlace(databaseUrl: string): string {
  if (databaseUrl.startsWith('sqlite:')) return databaseUrl.slice('sqlite:'.length);
  try {
    const url = new URL(databaseUrl);
    return `PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

/** True when a handle (or a transaction of it) talks to PostgreSQL, for the few queries each database writes its own way. */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/** The current time as stored in timestamp columns. */
export function nowIso(): string {
  return new Date().toISOString();
}
