import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { MessageKey } from './i18n/i18n.js';
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
}
