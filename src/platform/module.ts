import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Db } from './db/database.js';
import type { RouteName } from './http/urls.js';
import type { MessageKey } from './i18n/i18n.js';
import type { JobHandler } from './jobs/jobs.js';
import type { Actor } from './policy.js';

/** An entry of the back-office navigation, shown to those the module allows. */
export interface AdminNavEntry {
  /** Marks the entry as current when a page passes the same value. */
  id: string;
  href: string;
  label: MessageKey;
  /** Place in the navigation, smallest first (entries of equal place keep the modules' order). */
  position: number;
  visible(actor: Actor | null): boolean;
}

/** A link of the public navigation (the header), in one language. */
export interface NavLink {
  href: string;
  label: string;
}

/** The signed-in actor behind a session cookie, as the auth module finds it. */
export type Authenticate = (db: Db, config: Config, token: string | undefined) => Promise<{ actor: Actor } | null>;

/** What a record gives the site search in one language: only what the public may read. */
export interface SearchEntry {
  /** The record's id in its source. */
  id: number;
  lang: string;
  title: string;
  /** The text searched and quoted in snippets, plain (no markup). */
  body: string;
  /** The slug of the record's public address in this language. */
  slug: string;
  /** The date results are sorted by when asked to (an activity's start, a page's publication). */
  date: string | null;
  /** From when the public sees it: a scheduled record is indexed and found from that time. */
  publishedAt: string | null;
}

/** A kind of record the site search finds (activities, pages...), offered by its module. */
export interface SearchSource {
  /** The entity of the change events about these records, and the source's name in the index. */
  entity: string;
  /** The named public route of a result, which takes the entry's `slug`. */
  route: RouteName;
  /** What a result of this kind is called, as a message key. */
  label: MessageKey;
  /** What the public may find of these records, per language; nothing for a draft or a deleted record. */
  entries(db: Db, ids: readonly number[]): Promise<SearchEntry[]>;
  /** Every record of the source, for a rebuild. */
  ids(db: Db): Promise<number[]>;
  /** Changes whenever a record of the source changes: the index is rebuilt when it differs from what it was built from. */
  fingerprint(db: Db): Promise<string>;
}

/**
 * What a module offers the application: its face, exported from `src/modules/<name>/index.ts` and
 * listed once in the composition root (`src/app/modules.ts`). The platform knows modules only
 * through this interface.
 */
export interface DiwanModule {
  name: string;
  /** Loads the reference data the module needs (idempotent); returns a line for the start log. */
  referenceData?(db: Db): Promise<string | undefined>;
  /** True when the module holds content: the demo data is loaded only while no module does. */
  hasContent?(db: Db): Promise<boolean>;
  /**
   * Loads the demo data (idempotent); returns lines for the log. `freshInstall` is true only on the
   * first start of an empty database: demo accounts, whose passwords are public, are made only then.
   */
  seedDemo?(db: Db, config: Config, options: { freshInstall: boolean }): Promise<string[]>;
  /**
   * The next moment this module's public pages change by themselves, with no edit (a registration
   * closing at a set time), or null: cached pages are dropped then.
   */
  nextPublicChange?(db: Db, now: Date, config: Config): Promise<Date | null>;
  /** Public routes (under a language prefix, or the module's own addresses). */
  publicRoutes?(app: FastifyInstance): void;
  /** Back-office routes, registered under /admin with sessions and CSRF. */
  adminRoutes?(admin: FastifyInstance): void;
  /** Back-office navigation entries, in the module's order. */
  adminNav?: AdminNavEntry[];
  /** The public header's links for one language (the pages module offers its menu pages). */
  navigation?(db: Db, lang: string, now: string): Promise<NavLink[]>;
  /** Finds the actor of a session (the auth module). */
  authenticate?: Authenticate;
  /** The kinds of records the site search finds among this module's. */
  searchSources?: SearchSource[];
  /**
   * Runs once the database is ready: at each start (in the process that prepares the database) and
   * after a command-line command that writes content. Derived data (the search index) is brought
   * up to date here.
   */
  onPrepared?(db: Db, modules: readonly DiwanModule[], log: { info(msg: string): void }): Promise<void>;
  /** The kinds of background jobs the module runs (decision 0020); its commands send them through `ctx.jobs`. */
  jobs?(ctx: AppContext): JobHandler[];
}
