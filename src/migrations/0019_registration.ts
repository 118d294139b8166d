import type { Kysely } from 'kysely';
import { idColumn, idType } from './dialect.js';

/**
 * Registration for meetings.
 *
 * `meeting_registration` holds a meeting's settings: whether it takes registrations, until when
 * (`closes_on`, a day: to its end in the venue's time zone), how many seats (null: no limit), and
 * whether the organiser approves each registrant (`manual`) or seats are given in order of arrival
 * (`auto`). Its `seq` is bumped by every registration and every change of state, so two of them
 * for one meeting never run at once (the update takes the row's write lock on both databases
 * before anything is counted).
 *
 * `registrations` is one person's registration: their details, the state (pending, approved,
 * waitlisted, declined, cancelled), the language they registered in, and the token of their
 * personal link (kept as it is, so every mail carries the same link; it opens no more than the
 * row it sits beside). One registration per address per meeting (`email_key`, the address in
 * lower case). The waiting list is in the order of `queued_at` (when the person last asked for a
 * seat: a registration cancelled and made again joins the end).
 *
 * Passport details live apart in `registration_passports`, so that reading them takes a permission
 * of its own and the retention purge removes a row, not a few columns.
 *
 * The outbox gets `attachments` (JSON: name, type and text of each file), for the calendar file an
 * approval carries.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_registration')
    .addColumn('activity_id', 'integer', (c) => c.primaryKey().references('activities.id').onDelete('cascade'))
    .addColumn('open', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('closes_on', 'text')
    .addColumn('capacity', 'integer')
    .addColumn('approval', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('registrations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('gender', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('function', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('institution', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('country_code', 'text')
    .addColumn('organisation_id', 'integer')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('languages', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('dietary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('accessibility', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('travel_support', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('visa_letter', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent_data', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('queued_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('registrations_email_idx').on('registrations').columns(['activity_id', 'email_key']).unique().execute();
  await db.schema.createIndex('registrations_state_idx').on('registrations').columns(['activity_id', 'state', 'id']).execute();
  await db.schema
    .createTable('registration_passports')
    .addColumn('registration_id', 'integer', (c) => c.primaryKey().references('registrations.id').onDelete('cascade'))
    .addColumn('nationality', 'text', (c) => c.notNull())
    .addColumn('passport_number', 'text', (c) => c.notNull())
    .addColumn('passport_expiry', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('outbox').addColumn('attachments', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('attachments').execute();
  for (const t of ['registration_passports', 'registrations', 'meeting_registration']) await db.schema.dropTable(t).execute();
}
