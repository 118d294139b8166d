import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * The editorial core's tables: one revision history for every editable record (activities, pages
 * and the records to come), and a pointer from a published record to the revision of it that waits
 * for review. Schema only; the next migration copies the older per-type revisions across.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('revisions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // saved (written to the live record), pending (waiting for review), published (a pending
    // revision a reviewer published), discarded (a pending revision a reviewer sent back).
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'integer')
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addUniqueConstraint('revisions_version_uq', ['entity_type', 'entity_id', 'version'])
    .execute();
  for (const table of ['activities', 'pages']) {
    // No pending revision unless a save creates one.
    await db.schema.alterTable(table).addColumn('pending_version', 'integer').execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['activities', 'pages']) await db.schema.alterTable(table).dropColumn('pending_version').execute();
  await db.schema.dropTable('revisions').execute();
}
