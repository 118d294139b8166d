import type { Kysely } from 'kysely';

/**
 * The list's facet counts scan the published activities once per facet: this index holds every
 * column they filter and group on, so the scans read the index alone, never the table's rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activities_facets_idx')
    .on('activities')
    .columns(['workflow', 'published_at', 'type', 'format', 'start_date', 'country_code', 'host_country_code'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activities_facets_idx').execute();
}
