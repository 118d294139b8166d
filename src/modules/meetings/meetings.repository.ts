import type { Db } from '../../platform/db/database.js';
import type { PersonRole, SessionInput, SessionKind } from './meetings.schemas.js';

/** A meeting as the agenda needs it: its dates, workflow and time zone (null until one is set). */
export interface AgendaMeeting {
  id: number;
  workflow: string;
  /** What the editor says of it: planned, announced, held, postponed, cancelled. */
  status: string;
  startDate: string;
  endDate: string | null;
  datePrecision: string;
  publishedAt: string | null;
  timeZone: string | null;
  titles: Record<string, string>;
}

/** A meeting's title in a language, else in another it has. */
export const meetingTitle = (m: Pick<AgendaMeeting, 'id' | 'titles'>, lang: string) => m.titles[lang] ?? Object.values(m.titles)[0] ?? `#${m.id}`;

export async function loadMeeting(db: Db, activityId: number): Promise<AgendaMeeting | null> {
  const row = await db
    .selectFrom('activities as a')
    .leftJoin('meeting_agendas as m', 'm.activity_id', 'a.id')
    .select(['a.id', 'a.workflow', 'a.status', 'a.start_date', 'a.end_date', 'a.date_precision', 'a.published_at', 'm.time_zone'])
    .where('a.id', '=', activityId)
    .executeTakeFirst();
  if (!row) return null;
  const titles = await db.selectFrom('activity_translations').select(['lang', 'title']).where('activity_id', '=', activityId).execute();
  return { id: row.id, workflow: row.workflow, status: row.status, startDate: row.start_date, endDate: row.end_date, datePrecision: row.date_precision, publishedAt: row.published_at, timeZone: row.time_zone ?? null, titles: Object.fromEntries(titles.map((t) => [t.lang, t.title])) };
}

/** The days a session may be on: the meeting's, when they are known to the day. */
export function meetingDays(m: Pick<AgendaMeeting, 'startDate' | 'endDate' | 'datePrecision'>): { first: string; last: string } | null {
  if (m.datePrecision !== 'day' || !/^\d{4}-\d{2}-\d{2}$/.test(m.startDate)) return null;
  const last = m.endDate && /^\d{4}-\d{2}-\d{2}$/.test(m.endDate) && m.endDate >= m.startDate ? m.endDate : m.startDate;
  return { first: m.startDate, last };
}

/** A stored session: what the form gives, with its id. */
export interface AgendaSession extends SessionInput {
  id: number;
}

/** Every session of a meeting, by day, start, track and id, with its texts, people and documents. */
export async function sessionsOf(db: Db, activityId: number): Promise<AgendaSession[]> {
  const rows = await db.selectFrom('agenda_sessions').selectAll().where('activity_id', '=', activityId).orderBy('day').orderBy('starts').orderBy('track').orderBy('id').execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [texts, people, documents] = await Promise.all([
    db.selectFrom('agenda_session_translations').selectAll().where('session_id', 'in', ids).execute(),
    db.selectFrom('agenda_session_people').selectAll().where('session_id', 'in', ids).orderBy('session_id').orderBy('position').execute(),
    db.selectFrom('agenda_session_documents').selectAll().where('session_id', 'in', ids).orderBy('session_id').orderBy('position').execute(),
  ]);
  return rows.map((r) => ({
    id: r.id,
    day: r.day,
    starts: r.starts,
    ends: r.ends,
    kind: r.kind as SessionKind,
    track: r.track,
    room: r.room,
    t: Object.fromEntries(texts.filter((x) => x.session_id === r.id).map((x) => [x.lang, { title: x.title, description: x.description }])),
    people: people.filter((p) => p.session_id === r.id).map((p) => ({ role: p.role as PersonRole, name: p.name, affiliation: p.affiliation })),
    documents: documents.filter((d) => d.session_id === r.id).map((d) => d.document_id),
  }));
}

/**
 * The sessions the public sees: those on the meeting's days. A session left outside them when the
 * meeting's dates changed stays in the back-office (which says so) until it is moved or removed.
 */
export async function publicSessionsOf(db: Db, meeting: Pick<AgendaMeeting, 'id' | 'startDate' | 'endDate' | 'datePrecision'>): Promise<AgendaSession[]> {
  const days = meetingDays(meeting);
  if (!days) return [];
  return (await sessionsOf(db, meeting.id)).filter((s) => s.day >= days.first && s.day <= days.last);
}

/** The library documents linked to a meeting, which its sessions may present: id and title in a language. */
export async function meetingDocuments(db: Db, activityId: number, lang: string): Promise<{ id: number; title: string }[]> {
  const rows = await db
    .selectFrom('document_activities as da')
    .innerJoin('document_translations as t', 't.document_id', 'da.document_id')
    .select(['da.document_id', 't.lang', 't.title', 'da.position'])
    .where('da.activity_id', '=', activityId)
    .orderBy('da.position')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) if (!out.has(r.document_id) || r.lang === lang) out.set(r.document_id, r.title);
  return [...out].map(([id, title]) => ({ id, title }));
}

/** A published meeting found by its address in a language, as its public agenda shows it. */
export interface PublicMeeting extends AgendaMeeting {
  title: string;
  place: string;
  /** Its address in each language it has. */
  slugs: Record<string, string>;
}

/**
 * The published meeting (publication time come) whose address in `lang` is `slug`, or null. The
 * same rule as the activity page; an address an editor has since changed is served there, not here.
 */
export async function publicMeetingBySlug(db: Db, lang: string, slug: string, now: string): Promise<PublicMeeting | null> {
  const row = await db
    .selectFrom('activity_translations as t')
    .innerJoin('activities as a', 'a.id', 't.activity_id')
    .select(['a.id'])
    .where('t.lang', '=', lang)
    .where('t.slug', '=', slug)
    .where('a.workflow', '=', 'published')
    .where('a.published_at', 'is not', null)
    .where('a.published_at', '<=', now)
    .executeTakeFirst();
  return row ? publicMeetingById(db, row.id, lang, now) : null;
}

/** The published meeting (publication time come) of that id, as shown in `lang`, or null. */
export async function publicMeetingById(db: Db, id: number, lang: string, now: string): Promise<PublicMeeting | null> {
  const meeting = await loadMeeting(db, id);
  if (!meeting || meeting.workflow !== 'published' || !meeting.publishedAt || meeting.publishedAt > now) return null;
  const translations = await db.selectFrom('activity_translations').select(['lang', 'title', 'slug', 'city', 'venue']).where('activity_id', '=', id).execute();
  const own = translations.find((t) => t.lang === lang) ?? translations[0];
  if (!own) return null;
  return {
    ...meeting,
    title: own.title,
    place: [own.venue, own.city].filter(Boolean).join(', '),
    slugs: Object.fromEntries(translations.map((t) => [t.lang, t.slug])),
  };
}

/** Whether a meeting has an agenda to show (a time zone and at least one session). */
export async function hasAgenda(db: Db, activityId: number): Promise<boolean> {
  const row = await db
    .selectFrom('agenda_sessions as s')
    .innerJoin('meeting_agendas as m', 'm.activity_id', 's.activity_id')
    .select('s.id')
    .where('s.activity_id', '=', activityId)
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

export interface Practical {
  address: string;
  contact: string;
  notes: string;
}

/** The meeting's practical information in each language that has any. */
export async function practicalOf(db: Db, activityId: number): Promise<Record<string, Practical>> {
  const rows = await db.selectFrom('meeting_practical').select(['lang', 'address', 'contact', 'notes']).where('activity_id', '=', activityId).execute();
  return Object.fromEntries(rows.map((r) => [r.lang, { address: r.address, contact: r.contact, notes: r.notes }]));
}

/** The venue's time zone, when the agenda has one. */
export async function meetingTimeZone(db: Db, activityId: number): Promise<string | null> {
  return (await db.selectFrom('meeting_agendas').select('time_zone').where('activity_id', '=', activityId).executeTakeFirst())?.time_zone ?? null;
}
