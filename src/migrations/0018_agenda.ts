import type { Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './dialect.js';

/**
 * A meeting's agenda: its time zone (the venue's, IANA name) in `meeting_agendas`, and its sessions.
 * A session is on one day, from one local time to another in that zone, of a kind (opening,
 * plenary, working group...), in a track (0 for the whole meeting, 1-9 for parallel groups held at
 * the same time), in a room, with a title and description per language, people in roles (chair,
 * speaker...) and the library documents presented there. Times are kept as the venue's wall clock
 * (`HH:MM`) with the zone, so the agenda reads as printed; UTC is computed for calendars.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('meeting_agendas')
    .addColumn('activity_id', 'integer', (c) => c.primaryKey().references('activities.id').onDelete('cascade'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('agenda_sessions')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('starts', 'text', (c) => c.notNull())
    .addColumn('ends', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('track', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('room', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('agenda_sessions_activity_idx').on('agenda_sessions').columns(['activity_id', 'day', 'starts']).execute();
  await db.schema
    .createTable('agenda_session_translations')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('agenda_sessions.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('agenda_session_translations_pk', ['session_id', 'lang'])
    .execute();
  await db.schema
    .createTable('agenda_session_people')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('agenda_sessions.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('affiliation', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('agenda_session_people_pk', ['session_id', 'position'])
    .execute();
  await db.schema
    .createTable('agenda_session_documents')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('agenda_sessions.id').onDelete('cascade'))
    .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_session_documents_pk', ['session_id', 'document_id'])
    .execute();
  // Practical information for participants: a contact address, and per language the venue's
  // address and notes (getting there, visas, accommodation), shown while the meeting is upcoming.
  await db.schema
    .createTable('meeting_practical')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('contact', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('meeting_practical_pk', ['activity_id', 'lang'])
    .execute();
  // The printed agenda per language, for the agenda it was printed from (`content_key`, a hash of
  // what it shows): a few hundred kilobytes, kept in the row so no file outlives it.
  await db.schema
    .createTable('agenda_pdfs')
    .addColumn('activity_id', 'integer', (c) => c.notNull().references('activities.id').onDelete('cascade'))
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('content_key', 'text', (c) => c.notNull())
    .addColumn('pdf', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('agenda_pdfs_pk', ['activity_id', 'lang'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['meeting_practical', 'agenda_pdfs', 'agenda_session_documents', 'agenda_session_people', 'agenda_session_translations', 'agenda_sessions', 'meeting_agendas']) await db.schema.dropTable(t).execute();
}
