import { sql, type Kysely } from 'kysely';

/**
 * Two tables the activity commands keep in step with an activity's own rows, in the same
 * transaction, so that the list's country and theme counts are one grouped read each:
 *
 * - activity_countries: each country an activity is about, once (where it takes place, its host,
 *   its co-chairs);
 * - activity_theme_index: each theme an activity carries and every theme above it, once.
 *
 * Filled here for the activities that exist.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('activity_countries')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('activity_countries_pk', ['activity_id', 'country_code'])
    .execute();
  await db.schema.createIndex('activity_countries_country_idx').on('activity_countries').columns(['country_code', 'activity_id']).execute();
  await db.schema
    .createTable('activity_theme_index')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('theme_id', 'integer', (c) => c.notNull().references('themes.id'))
    .addPrimaryKeyConstraint('activity_theme_index_pk', ['activity_id', 'theme_id'])
    .execute();
  await db.schema.createIndex('activity_theme_index_theme_idx').on('activity_theme_index').columns(['theme_id', 'activity_id']).execute();

  await sql`
    INSERT INTO activity_countries (activity_id, country_code)
    SELECT id, country_code FROM activities WHERE country_code IS NOT NULL
    UNION SELECT id, host_country_code FROM activities WHERE host_country_code IS NOT NULL
    UNION SELECT activity_id, country_code FROM activity_co_chairs WHERE country_code IS NOT NULL`.execute(db);
  await sql`
    WITH RECURSIVE ancestry(theme_id, ancestor_id) AS (
      SELECT id, id FROM themes
      UNION ALL
      SELECT ancestry.theme_id, themes.parent_id FROM ancestry JOIN themes ON themes.id = ancestry.ancestor_id WHERE themes.parent_id IS NOT NULL
    )
    INSERT INTO activity_theme_index (activity_id, theme_id)
    SELECT DISTINCT activity_themes.activity_id, ancestry.ancestor_id FROM activity_themes JOIN ancestry ON ancestry.theme_id = activity_themes.theme_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('activity_theme_index').execute();
  await db.schema.dropTable('activity_countries').execute();
}
