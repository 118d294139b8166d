import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_accounts_workflow_audit.js';
import * as m0003 from './0003_legacy_sources.js';
import * as m0004 from './0004_editorial_core.js';
import * as m0005 from './0005_revisions_data.js';
import * as m0006 from './0006_workflow_default_draft.js';
import * as m0007 from './0007_facet_index.js';
import * as m0008 from './0008_activity_facet_tables.js';
import * as m0009 from './0009_slug_index.js';
import * as m0010 from './0010_search_index.js';
import * as m0011 from './0011_jobs.js';
import * as m0012 from './0012_documents.js';
import * as m0013 from './0013_file_collection.js';
import * as m0014 from './0014_extraction_attempts.js';
import * as m0016 from './0016_alerts.js';
import * as m0017 from './0017_search_layout.js';
import * as m0018 from './0018_agenda.js';
import * as m0019 from './0019_registration.js';
import * as m0020 from './0020_delegations.js';
import * as m0021 from './0021_registration_fields.js';

/** Every migration in order. Append only: never edit one that has landed on main. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_accounts_workflow_audit': m0002,
  '0003_legacy_sources': m0003,
  '0004_editorial_core': m0004,
  '0005_revisions_data': m0005,
  '0006_workflow_default_draft': m0006,
  '0007_facet_index': m0007,
  '0008_activity_facet_tables': m0008,
  '0009_slug_index': m0009,
  '0010_search_index': m0010,
  '0011_jobs': m0011,
  '0012_documents': m0012,
  '0013_file_collection': m0013,
  '0014_extraction_attempts': m0014,
  '0016_alerts': m0016,
  '0017_search_layout': m0017,
  '0018_agenda': m0018,
  '0019_registration': m0019,
  '0020_delegations': m0020,
  '0021_registration_fields': m0021,
};
