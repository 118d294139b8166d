import type { Kysely } from 'kysely';

/**
 * Stored files that no row named when the collector last looked, and since when. A file is removed
 * only when it is still unnamed at a later pass, a grace period after it was first seen: an upload
 * between its commit to the store and its row's transaction is never taken for an orphan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('file_orphans')
    .addColumn('storage_key', 'text', (c) => c.primaryKey())
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_orphans').execute();
}
