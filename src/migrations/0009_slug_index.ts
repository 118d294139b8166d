import type { Kysely } from 'kysely';

/**
 * Indexes for reading one activity. An activity's public address is looked up by its slug in any language (a slug of another
 * language redirects), so the slug needs an index of its own: the unique (lang, slug) one cannot
 * serve a lookup without the language, and the planner otherwise walks every published activity.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('activity_translations_slug_idx').on('activity_translations').column('slug').execute();
  // Related activities are shown from both ends of the relation.
  await db.schema.createIndex('activity_relations_related_idx').on('activity_relations').columns(['related_activity_id', 'activity_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_relations_related_idx').execute();
  await db.schema.dropIndex('activity_translations_slug_idx').execute();
}
