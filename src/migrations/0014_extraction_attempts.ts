import type { Kysely } from 'kysely';

/**
 * How many times the extraction job has started reading a file's text, counted before each read:
 * a file whose reading hangs or takes the process down is given up (text_state 'failed') once the
 * attempts are used up, instead of being sent again at every start.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('document_files')
    .addColumn('text_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('document_files').dropColumn('text_attempts').execute();
}
