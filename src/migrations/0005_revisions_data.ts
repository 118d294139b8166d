import { sql, type Kysely } from 'kysely';

/** Data only: copies the activity and page revisions kept so far into the shared revision history. */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [type, table, column] of [
    ['activity', 'activity_revisions', 'activity_id'],
    ['page', 'page_revisions', 'page_id'],
  ] as const) {
    await sql`INSERT INTO revisions (entity_type, entity_id, version, state, action, saved_at, saved_by, snapshot)
      SELECT ${type}, ${sql.ref(column)}, version, 'saved', 'save', saved_at, saved_by, snapshot FROM ${sql.table(table)}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('revisions').execute();
}
