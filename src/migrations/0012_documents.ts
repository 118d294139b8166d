import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * The document library. A document is an editorial record (workflow, revisions, slugs per
 * language) with a type, a date, a reference and an access tier; its files are kept apart: one
 * current file per language, older ones kept as versions, each stored once by its SHA-256 (the
 * storage key) and read for its text in the background.
 *
 * `access` defaults to 'restricted' with no roles: a document nobody has opened up is seen only by
 * the staff who may see every document.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('documents')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('doc_date', 'text')
    .addColumn('reference', 'text')
    .addColumn('access', 'text', (c) => c.notNull().defaultTo('restricted'))
    .addColumn('access_roles', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_activity_id', 'integer', (c) => c.references('activities.id').onDelete('set null'))
    .addColumn('workflow', 'text', (c) => c.notNull().defaultTo('draft'))
    .addColumn('published_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('pending_version', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer')
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema.createIndex('documents_public_idx').on('documents').columns(['workflow', 'access', 'doc_date']).execute();
  await db.schema
    .createTable('document_translations')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_translations_pk', ['document_id', 'lang'])
    .addUniqueConstraint('document_translations_slug_uq', ['lang', 'slug'])
    .execute();
  await db.schema
    .createTable('document_files')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    // Per document and language, 1, 2, 3...; the highest is the current file.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('adopted'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('pages', 'integer')
    // pending (waiting for the extraction job), done, failed (text_error says why).
    .addColumn('text_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('text_error', 'text')
    .addColumn('text_lang', 'text')
    .addColumn('thumbnail_key', 'text')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addUniqueConstraint('document_files_version_uq', ['document_id', 'lang', 'version'])
    .execute();
  await db.schema.createIndex('document_files_key_idx').on('document_files').column('storage_key').execute();
  await db.schema.createIndex('document_files_state_idx').on('document_files').column('text_state').execute();
  await db.schema
    .createTable('document_texts')
    .addColumn('file_id', 'integer', (c) => c.primaryKey().references('document_files.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('document_activities')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_activities_pk', ['document_id', 'activity_id'])
    .execute();
  await db.schema.createIndex('document_activities_activity_idx').on('document_activities').columns(['activity_id', 'position']).execute();
  await db.schema
    .createTable('document_themes')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('document_themes_pk', ['document_id', 'theme_id'])
    .execute();
  await db.schema
    .createTable('document_countries')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull().references('countries.code').onDelete('cascade'))
    .addPrimaryKeyConstraint('document_countries_pk', ['document_id', 'country_code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['document_countries', 'document_themes', 'document_activities', 'document_texts', 'document_files', 'document_translations', 'documents']) await db.schema.dropTable(t).execute();
}
