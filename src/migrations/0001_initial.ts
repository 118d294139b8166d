import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/** Reference data (countries, organisations, frameworks and themes), activities and site state. */
export async function up(db: Kysely<any>): Promise<void> {
  const id = idColumn(db);
  const idT = idType(db);

  await db.schema.createTable('site_state').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();

  await db.schema
    .createTable('countries')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('founder', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema
    .createTable('country_names')
    .addColumn('country_code', 'text', (c) => c.notNull().references('countries.code').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('country_names_pk', ['country_code', 'lang'])
    .execute();

  await db.schema
    .createTable('organisations')
    .addColumn('id', idT, id)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema
    .createTable('organisation_names')
    .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('abbr', 'text')
    .addPrimaryKeyConstraint('organisation_names_pk', ['organisation_id', 'lang'])
    .execute();

  await db.schema
    .createTable('frameworks')
    .addColumn('id', idT, id)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('adopted_on', 'text')
    .addColumn('period_start', 'integer')
    .addColumn('period_end', 'integer')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema
    .createTable('framework_names')
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('framework_names_pk', ['framework_id', 'lang'])
    .execute();

  await db.schema
    .createTable('themes')
    .addColumn('id', idT, id)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('framework_id', 'integer', (c) => c.notNull().references('frameworks.id'))
    .addColumn('parent_id', 'integer', (c) => c.references('themes.id'))
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema.createIndex('themes_framework_idx').on('themes').column('framework_id').execute();
  await db.schema
    .createTable('theme_names')
    .addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('theme_names_pk', ['theme_id', 'lang'])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('id', idT, id)
    .addColumn('key', 'text', (c) => c.unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('date_precision', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.references('countries.code'))
    .addColumn('host_country_code', 'text', (c) => c.references('countries.code'))
    .addColumn('host_organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addColumn('participants', 'integer')
    .addColumn('participants_qualifier', 'text')
    .addColumn('countries_count', 'integer')
    .addColumn('countries_qualifier', 'text')
    .addColumn('organisations_count', 'integer')
    .addColumn('organisations_qualifier', 'text')
    .addColumn('gallery_url', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('edited_at', 'text')
    .execute();
  await db.schema.createIndex('activities_start_idx').on('activities').columns(['start_date', 'id']).execute();
  await db.schema.createIndex('activities_country_idx').on('activities').column('country_code').execute();

  await db.schema
    .createTable('activity_translations')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('narrative_html', 'text', (c) => c.notNull())
    .addColumn('city', 'text')
    .addColumn('venue', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_translations_pk', ['activity_id', 'lang'])
    .addUniqueConstraint('activity_translations_slug_uq', ['lang', 'slug'])
    .execute();

  await db.schema
    .createTable('activity_co_chairs')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.references('countries.code'))
    .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id'))
    .addPrimaryKeyConstraint('activity_co_chairs_pk', ['activity_id', 'position'])
    .execute();

  await db.schema
    .createTable('activity_themes')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id'))
    .addPrimaryKeyConstraint('activity_themes_pk', ['activity_id', 'theme_id'])
    .execute();
  await db.schema.createIndex('activity_themes_theme_idx').on('activity_themes').column('theme_id').execute();

  await db.schema
    .createTable('activity_documents')
    .addColumn('id', idT, id)
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer')
    .addColumn('mime', 'text')
    .execute();
  await db.schema.createIndex('activity_documents_activity_idx').on('activity_documents').columns(['activity_id', 'position']).execute();
  await db.schema
    .createTable('activity_document_titles')
    .addColumn('document_id', 'integer', (c) => c.notNull().references('activity_documents.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_document_titles_pk', ['document_id', 'lang'])
    .execute();

  await db.schema
    .createTable('activity_relations')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('related_activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('activity_relations_pk', ['activity_id', 'related_activity_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'activity_relations',
    'activity_document_titles',
    'activity_documents',
    'activity_themes',
    'activity_co_chairs',
    'activity_translations',
    'activities',
    'theme_names',
    'themes',
    'framework_names',
    'frameworks',
    'organisation_names',
    'organisations',
    'country_names',
    'countries',
    'site_state',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
