import type { Generated, Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';

/** Table types of the legacy import (migration 0003_legacy_sources); JSON columns hold text. */
export interface LegacyImportRunTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  /** JSON array of the file names the run read. */
  files: string;
  created: Generated<number>;
  merged: Generated<number>;
  skipped: Generated<number>;
  failed: Generated<number>;
  warnings: Generated<number>;
}

export interface LegacyImportItemTable {
  id: Generated<number>;
  run_id: number;
  position: number;
  /** created | merged | skipped | failed */
  action: string;
  activity_id: number | null;
  title: string | null;
  file_name: string | null;
  source_url: string | null;
  /** JSON array of the fields a merge filled or improved. */
  changes: string;
  /** JSON array of warnings. */
  warnings: string;
  /** JSON of the extracted activity, for review. */
  extracted: string;
}

export interface LegacySourceTable {
  id: Generated<number>;
  activity_id: number;
  source_url: string | null;
  /** Lower-case host of the old address (with its port when not the default). */
  host: string | null;
  /** Normalised old path (see normaliseOldPath), the key of redirects. */
  path: string | null;
  /** Language the old address was in (/fr/...), if it says. */
  lang: string | null;
  /** detail (a page about the activity) or list (a page listing several). */
  page_layout: string;
  position: Generated<number>;
  file_name: string | null;
  run_id: number | null;
  created_at: string;
}

export interface LegacyProvenanceTable {
  activity_id: number;
  /** JSON object: field → confidence of the value an import wrote. */
  confidence: string;
  updated_at: string;
}

export interface LegacyTables {
  legacy_import_runs: LegacyImportRunTable;
  legacy_import_items: LegacyImportItemTable;
  legacy_sources: LegacySourceTable;
  legacy_provenance: LegacyProvenanceTable;
}

export type LegacyDatabase = Database & LegacyTables;

/** The database seen with the legacy tables (until schema.ts gathers them, the same instance under a wider type). */
export function legacyDb(db: Db): Kysely<LegacyDatabase> {
  return db as unknown as Kysely<LegacyDatabase>;
}
