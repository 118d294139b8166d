import type { Assets } from './assets.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { PageCache } from './http/page-cache.js';
import type { JobQueue } from './jobs/jobs.js';
import type { FileStore } from './storage/storage.js';
import type { Mailer } from './mail/mailer.js';
import type { AdminNavEntry, DiwanModule, NavLink } from './module.js';

/** What every module's routes need: configuration, the database, the page cache and the assets. */
export interface AppContext {
  config: Config;
  db: Db;
  cache: PageCache;
  assets: Assets;
  /** Absolute base URL (scheme and host, no trailing slash) used in canonical and Open Graph links. */
  baseUrl: string;
  mailer: Mailer;
  /** The persistent background job queue (pg-boss on PostgreSQL, the jobs table on SQLite). */
  jobs: JobQueue;
  /** Where uploaded files are kept (local disk, or S3-compatible storage). */
  files: FileStore;
  /** The modules, in the composition root's order. */
  modules: readonly DiwanModule[];
  /** The back-office navigation entries of every module. */
  adminNav: readonly AdminNavEntry[];
  /** The public header's links in a language (empty when no module offers any, or the database fails). */
  navigation(lang: string, now?: string): Promise<NavLink[]>;
}
