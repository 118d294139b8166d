import type { Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './dialect.js';

/**
 * Delegations, open registration by link, attendance.
 *
 * `meeting_invitations` is one partner invited to a meeting: a country or an organisation (one
 * invitation each per meeting), with a number of seats its focal points fill by nominating
 * delegates, and the delegate who heads the delegation. A nominated registration names its
 * invitation (`registrations.invitation_id`) and the account that nominated it.
 *
 * `invitation_letters` keeps the nomination letter (note verbale) a focal point attached, checked
 * like the library's uploads and kept in the database beside its invitation: one row, written or
 * not in one transaction, removed with the invitation.
 *
 * `meeting_registration.form` says who may use the public form: everyone (`public`), those given
 * its link (`link`, the link carrying `form_key`) or no one (`invited`: delegations only).
 *
 * `registrations.badge_code` is the value of the badge's QR code (not the personal link's token: a
 * badge is seen by others); `attended_at`/`attended_by` record the check-in. `erased_at` marks a
 * registration whose person asked to be forgotten: the details are gone, what counts stays.
 *
 * `meeting_prints` keeps the PDFs printed for organisers (badges, lists, letters, certificates),
 * each with the key of exactly what it shows (a change prints it again) or the time its printing
 * failed (the page says so instead of waiting for ever).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_invitations')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('country_code', 'text')
    .addColumn('organisation_id', 'integer')
    .addColumn('seats', 'integer', (c) => c.notNull())
    .addColumn('head_registration_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('meeting_invitations_country_idx').on('meeting_invitations').columns(['activity_id', 'country_code']).unique().execute();
  await db.schema.createIndex('meeting_invitations_org_idx').on('meeting_invitations').columns(['activity_id', 'organisation_id']).unique().execute();
  await db.schema.createIndex('meeting_invitations_partner_idx').on('meeting_invitations').columns(['country_code', 'organisation_id']).execute();
  await db.schema
    .createTable('invitation_letters')
    .addColumn('invitation_id', 'integer', (c) => c.primaryKey().references('meeting_invitations.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  // No foreign key: SQLite could not drop such a column again (down); withdrawing an invitation unlinks its registrations.
  await db.schema.alterTable('registrations').addColumn('invitation_id', 'integer').execute();
  await db.schema.alterTable('registrations').addColumn('nominated_by', 'integer').execute();
  await db.schema.alterTable('registrations').addColumn('badge_code', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('attended_at', 'text').execute();
  await db.schema.alterTable('registrations').addColumn('attended_by', 'integer').execute();
  await db.schema.alterTable('registrations').addColumn('erased_at', 'text').execute();
  await db.schema.createIndex('registrations_invitation_idx').on('registrations').columns(['invitation_id', 'state']).execute();
  await db.schema.createIndex('registrations_badge_idx').on('registrations').column('badge_code').unique().execute();
  await db.schema.alterTable('meeting_registration').addColumn('form', 'text', (c) => c.notNull().defaultTo('public')).execute();
  await db.schema.alterTable('meeting_registration').addColumn('form_key', 'text').execute();
  await db.schema
    .createTable('meeting_prints')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('content_key', 'text', (c) => c.notNull())
    .addColumn('pdf', isPostgres(db) ? 'bytea' : 'blob')
    .addColumn('failed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_prints_pk', ['activity_id', 'kind', 'subject', 'lang'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('meeting_prints').execute();
  for (const c of ['form_key', 'form']) await db.schema.alterTable('meeting_registration').dropColumn(c).execute();
  await db.schema.dropIndex('registrations_badge_idx').execute();
  await db.schema.dropIndex('registrations_invitation_idx').execute();
  for (const c of ['erased_at', 'attended_by', 'attended_at', 'badge_code', 'nominated_by', 'invitation_id']) await db.schema.alterTable('registrations').dropColumn(c).execute();
  await db.schema.dropTable('invitation_letters').execute();
  await db.schema.dropTable('meeting_invitations').execute();
}
