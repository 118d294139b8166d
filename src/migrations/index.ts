import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_accounts_workflow_audit.js';
import * as m0003 from './0003_legacy_sources.js';

/** Every migration in order. Append only: never edit one that has landed on main. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_accounts_workflow_audit': m0002,
  '0003_legacy_sources': m0003,
};
