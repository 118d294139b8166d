import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * Legacy import: the runs of `import-legacy` and their reports, the old addresses (source URLs)
 * each imported activity came from, and the confidence of the imported values (so a later, better
 * page may improve a field an import filled, but never one an editor set).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const idT = idType(db);

  await db.schema
    .createTable('legacy_import_runs')
    .addColumn('id', idT, id)
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('merged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('legacy_import_items')
    .addColumn('id', idT, id)
    .addColumn('run_id', 'integer', (c) => c.notNull().references('legacy_import_runs.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('activity_id', 'integer', (c) => c.references('activities.id').onDelete('set null'))
    .addColumn('title', 'text')
    .addColumn('file_name', 'text')
    .addColumn('source_url', 'text')
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('extracted', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('legacy_import_items_run_idx').on('legacy_import_items').columns(['run_id', 'position']).execute();

  await db.schema
    .createTable('legacy_sources')
    .addColumn('id', idT, id)
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('source_url', 'text')
    .addColumn('host', 'text')
    .addColumn('path', 'text')
    .addColumn('lang', 'text')
    .addColumn('page_layout', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('file_name', 'text')
    .addColumn('run_id', 'integer', (c) => c.references('legacy_import_runs.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('legacy_sources_address_uq', ['host', 'path', 'activity_id'])
    .execute();
  await db.schema.createIndex('legacy_sources_path_idx').on('legacy_sources').column('path').execute();
  await db.schema.createIndex('legacy_sources_activity_idx').on('legacy_sources').column('activity_id').execute();

  await db.schema
    .createTable('legacy_provenance')
    .addColumn('activity_id', 'integer', (c) => c.primaryKey().references('activities.id').onDelete('cascade'))
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['legacy_provenance', 'legacy_sources', 'legacy_import_items', 'legacy_import_runs']) {
    await db.schema.dropTable(t).execute();
  }
}
