import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * Questions an organiser adds to a meeting's registration form: text, a choice among options, yes
 * or no, or a date. Labels and options are kept per language (JSON: `{"en": "…", "fr": "…"}`, the
 * options a list of such objects), so the form asks in the registrant's language. A question that
 * has answers is retired rather than deleted, so the answers stay readable and exportable.
 * `registration_answers` holds one answer per registration and question, as text (the option's
 * index for a choice, `yes`/`no`, an ISO day).
 *
 * The outbox gets `about`: the record a message is about (`registration:12`), so that erasing a
 * registration erases the mails kept for it, and no other.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('registration_fields')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registration_fields_activity_idx').on('registration_fields').columns(['activity_id', 'position']).execute();
  await db.schema
    .createTable('registration_answers')
    .addColumn('registration_id', 'integer', (c) => c.notNull().references('registrations.id').onDelete('cascade'))
    .addColumn('field_id', 'integer', (c) => c.notNull().references('registration_fields.id').onDelete('cascade'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('registration_answers_pk', ['registration_id', 'field_id'])
    .execute();
  await db.schema.alterTable('outbox').addColumn('about', 'text').execute();
  await db.schema.createIndex('outbox_about_idx').on('outbox').column('about').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_about_idx').execute();
  await db.schema.alterTable('outbox').dropColumn('about').execute();
  await db.schema.dropTable('registration_answers').execute();
  await db.schema.dropTable('registration_fields').execute();
}
