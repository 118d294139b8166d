import type { Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { RegistrationTable } from '../../platform/db/schema.js';
import { utcOf } from './meetings.time.js';
import { timingSafeEqual } from 'node:crypto';
import { REGISTRATION_STATES, type ApprovalMode, type RegistrationFormAccess, type RegistrationInput, type RegistrationState } from './registration.schemas.js';

/** Personal links carry 43 characters of base64url; anything else is not looked up. */
export const isTokenShape = (token: string) => /^[\w-]{32,64}$/.test(token);

export interface StoredSettings {
  open: boolean;
  form: RegistrationFormAccess;
  /** The key the form's link carries when it is by link. */
  formKey: string | null;
  closesOn: string | null;
  capacity: number | null;
  approval: ApprovalMode;
}

const formAccess = (s: string): RegistrationFormAccess => (s === 'public' || s === 'link' ? s : 'invited');

/** A meeting's registration settings, or null when it has never taken registrations. */
export async function registrationSettings(db: Db, activityId: number): Promise<StoredSettings | null> {
  const row = await db.selectFrom('meeting_registration').select(['open', 'form', 'form_key', 'closes_on', 'capacity', 'approval']).where('activity_id', '=', activityId).executeTakeFirst();
  return row ? { open: row.open === 1, form: formAccess(row.form), formKey: row.form_key, closesOn: row.closes_on, capacity: row.capacity, approval: row.approval === 'auto' ? 'auto' : 'manual' } : null;
}

/** Whether a visitor may use the public form: always when it is public, with the right key when it is by link, never when by invitation. */
export function mayUseForm(settings: Pick<StoredSettings, 'form' | 'formKey'>, key: unknown): boolean {
  if (settings.form === 'public') return true;
  if (settings.form !== 'link' || !settings.formKey || typeof key !== 'string') return false;
  const given = Buffer.from(key);
  const kept = Buffer.from(settings.formKey);
  return given.length === kept.length && timingSafeEqual(given, kept);
}

/** What decides whether a meeting takes registrations now: its days, workflow, status, zone and settings. */
export interface RegistrationWindow {
  workflow: string;
  status: string;
  startDate: string;
  endDate: string | null;
  datePrecision: string;
  timeZone: string | null;
}

/** The meeting's last day (its start when it has no end), or null when its days are not known to the day. */
export function lastDayOf(m: Pick<RegistrationWindow, 'startDate' | 'endDate' | 'datePrecision'>): string | null {
  if (m.datePrecision !== 'day' || !/^\d{4}-\d{2}-\d{2}$/.test(m.startDate)) return null;
  return m.endDate && /^\d{4}-\d{2}-\d{2}$/.test(m.endDate) && m.endDate >= m.startDate ? m.endDate : m.startDate;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The last day registrations are taken: the closing day set, or the meeting's last day (never after it); null when the days are not known. */
export function closingDay(m: Pick<RegistrationWindow, 'startDate' | 'endDate' | 'datePrecision'>, closesOn: string | null): string | null {
  const last = lastDayOf(m);
  if (!last) return null;
  return closesOn && closesOn <= last ? closesOn : last;
}

/**
 * The instant registrations stop: the end of the closing day (or of the meeting's last day) in the
 * venue's time zone, or the site's when the venue has none yet.
 */
export function closingInstant(m: RegistrationWindow, settings: Pick<StoredSettings, 'closesOn'>, siteZone: string): Date | null {
  const day = closingDay(m, settings.closesOn);
  return day ? utcOf(nextDay(day), '00:00', m.timeZone ?? siteZone) : null;
}

/** Whether a published meeting on known days takes registrations at `now`. */
export function isRegistrationOpen(m: RegistrationWindow, settings: StoredSettings | null, siteZone: string, now: Date): boolean {
  if (!settings?.open || m.workflow !== 'published' || m.status === 'cancelled' || m.status === 'postponed' || m.status === 'held') return false;
  const closes = closingInstant(m, settings, siteZone);
  return !!closes && now < closes;
}

/** Where a meeting is in its life: what its public page shows. */
export const MEETING_PHASES = ['planned', 'announced', 'registration_open', 'registration_closed', 'held', 'reported', 'postponed', 'cancelled'] as const;
export type MeetingPhase = (typeof MEETING_PHASES)[number];

/**
 * The phase, from facts kept elsewhere (so it cannot disagree with them): cancelled or postponed
 * as the editor says; held once its last day is over (or the editor says so), reported when a
 * report or conclusions are public; before that, registration open or closed when the meeting
 * takes registrations, else planned or announced as the editor says.
 */
export function meetingPhase(m: RegistrationWindow, settings: StoredSettings | null, facts: { reported: boolean; registrations: number; siteZone: string }, now: Date): MeetingPhase {
  if (m.status === 'cancelled' || m.status === 'postponed') return m.status;
  const last = lastDayOf(m);
  const over = m.status === 'held' || (last !== null && utcOf(nextDay(last), '00:00', m.timeZone ?? facts.siteZone) <= now);
  if (over) return facts.reported ? 'reported' : 'held';
  if (isRegistrationOpen(m, settings, facts.siteZone, now)) return 'registration_open';
  // Closed once it has been open: past its closing day, or closed by the organiser after registrations came.
  if (settings && (settings.open || facts.registrations > 0)) return 'registration_closed';
  return m.status === 'announced' ? 'announced' : 'planned';
}

/** How many registrations a meeting has in each state. */
export async function stateCounts(db: Pick<Db, 'selectFrom'>, activityId: number): Promise<Record<RegistrationState, number>> {
  const rows = await db
    .selectFrom('registrations')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('activity_id', '=', activityId)
    .groupBy('state')
    .execute();
  const counts = Object.fromEntries(REGISTRATION_STATES.map((s) => [s, 0])) as Record<RegistrationState, number>;
  for (const r of rows) if ((REGISTRATION_STATES as readonly string[]).includes(r.state)) counts[r.state as RegistrationState] = Number(r.n);
  return counts;
}

/** A registration as its pages show it: what the registrant gave (passport details apart: they take a permission), and its record. */
export interface Registration extends Omit<RegistrationInput, 'represents' | 'passport'> {
  id: number;
  activityId: number;
  state: RegistrationState;
  lang: string;
  countryCode: string | null;
  organisationId: number | null;
  createdAt: string;
  updatedAt: string;
  decidedAt: string | null;
  /** The personal link's token: shown to no one but in the registrant's own mails. */
  token: string;
  hasPassport: boolean;
  invitationId: number | null;
  attendedAt: string | null;
  erasedAt: string | null;
}

const COLUMNS = [
  'r.id',
  'r.activity_id',
  'r.state',
  'r.lang',
  'r.title',
  'r.given_name',
  'r.family_name',
  'r.gender',
  'r.function',
  'r.institution',
  'r.country_code',
  'r.organisation_id',
  'r.email',
  'r.phone',
  'r.languages',
  'r.dietary',
  'r.accessibility',
  'r.travel_support',
  'r.visa_letter',
  'r.consent_public',
  'r.consent_data',
  'r.created_at',
  'r.updated_at',
  'r.decided_at',
  'r.token',
  'r.invitation_id',
  'r.attended_at',
  'r.erased_at',
  'p.registration_id as passport_of',
] as const;

type Row = Omit<Selectable<RegistrationTable>, 'email_key' | 'queued_at' | 'nominated_by' | 'badge_code' | 'attended_by'> & { passport_of: number | null };

const present = (r: Row): Registration => ({
  id: r.id,
  activityId: r.activity_id,
  state: r.state as RegistrationState,
  lang: r.lang,
  title: r.title,
  givenName: r.given_name,
  familyName: r.family_name,
  gender: r.gender,
  function: r.function,
  institution: r.institution,
  countryCode: r.country_code,
  organisationId: r.organisation_id,
  email: r.email,
  phone: r.phone,
  languages: r.languages ? r.languages.split(',') : [],
  dietary: r.dietary,
  accessibility: r.accessibility,
  travelSupport: r.travel_support === 1,
  visaLetter: r.visa_letter === 1,
  consentPublic: r.consent_public === 1,
  consentData: r.consent_data === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  decidedAt: r.decided_at,
  token: r.token,
  hasPassport: r.passport_of !== null,
  invitationId: r.invitation_id,
  attendedAt: r.attended_at,
  erasedAt: r.erased_at,
});

const base = (db: Pick<Db, 'selectFrom'>) => db.selectFrom('registrations as r').leftJoin('registration_passports as p', 'p.registration_id', 'r.id').select(COLUMNS);

/** The registration a personal link's token opens, or null (a token of the wrong shape is not looked up). */
export async function registrationByToken(db: Pick<Db, 'selectFrom'>, token: string): Promise<Registration | null> {
  if (!isTokenShape(token)) return null;
  const row = await base(db).where('r.token', '=', token).executeTakeFirst();
  return row ? present(row as Row) : null;
}

/** One of this meeting's registrations, or null (the id of another meeting's registration finds nothing). */
export async function registrationOf(db: Pick<Db, 'selectFrom'>, activityId: number, id: number): Promise<Registration | null> {
  const row = await base(db).where('r.id', '=', id).where('r.activity_id', '=', activityId).executeTakeFirst();
  return row ? present(row as Row) : null;
}

/** A page of a meeting's registrations, in one state or all, oldest first; and how many there are. */
export async function registrationsOf(db: Db, activityId: number, options: { state: RegistrationState | null; limit: number; offset: number }): Promise<{ total: number; items: Registration[] }> {
  let q = base(db).where('r.activity_id', '=', activityId);
  if (options.state) q = q.where('r.state', '=', options.state);
  let count = db.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('activity_id', '=', activityId);
  if (options.state) count = count.where('state', '=', options.state);
  const [rows, total] = await Promise.all([q.orderBy(options.state === 'waitlisted' ? 'r.queued_at' : 'r.id').orderBy('r.id').limit(options.limit).offset(options.offset).execute(), count.executeTakeFirstOrThrow()]);
  return { total: Number(total.n), items: (rows as Row[]).map(present) };
}

/** A registrant's passport details, or null. Callers check the permission and write the audit entry. */
export async function passportOf(db: Pick<Db, 'selectFrom'>, registrationId: number): Promise<{ nationality: string; number: string; expiry: string } | null> {
  const row = await db.selectFrom('registration_passports').select(['nationality', 'passport_number', 'passport_expiry']).where('registration_id', '=', registrationId).executeTakeFirst();
  return row ? { nationality: row.nationality, number: row.passport_number, expiry: row.passport_expiry } : null;
}

/** Who a registrant may represent: the dialogue's countries (not former ones) and organisations (not retired), named in a language. */
export async function representChoices(db: Db, lang: string): Promise<{ countries: { value: string; label: string }[]; organisations: { value: string; label: string }[] }> {
  const [countries, organisations] = await Promise.all([
    db.selectFrom('countries as c').innerJoin('country_names as n', 'n.country_code', 'c.code').select(['c.code', 'n.lang', 'n.name']).where('c.status', '!=', 'former').execute(),
    db.selectFrom('organisations as o').innerJoin('organisation_names as n', 'n.organisation_id', 'o.id').select(['o.id', 'n.lang', 'n.name']).where('o.retired', '=', 0).execute(),
  ]);
  const pick = <K>(rows: { key: K; lang: string; name: string }[]) => {
    const out = new Map<K, string>();
    for (const r of rows) if (!out.has(r.key) || r.lang === lang) out.set(r.key, r.name);
    return out;
  };
  const collator = new Intl.Collator(lang);
  const c = pick(countries.map((r) => ({ key: r.code, lang: r.lang, name: r.name })));
  const o = pick(organisations.map((r) => ({ key: r.id, lang: r.lang, name: r.name })));
  return {
    countries: [...c].map(([code, name]) => ({ value: `c:${code}`, label: name })).sort((a, b) => collator.compare(a.label, b.label)),
    organisations: [...o].map(([id, name]) => ({ value: `o:${id}`, label: name })).sort((a, b) => collator.compare(a.label, b.label)),
  };
}

/** What a meeting's public page says of registration: open (until a day, with the form's address) or closed; null when it never took any. */
export type PublicRegistration = { open: true; closesOn: string; byInvitation: boolean } | { open: false } | null;

export async function publicRegistration(db: Db, m: RegistrationWindow & { id: number }, siteZone: string, now: Date): Promise<PublicRegistration> {
  const settings = await registrationSettings(db, m.id);
  if (!settings) return null;
  if (isRegistrationOpen(m, settings, siteZone, now)) return { open: true, closesOn: closingDay(m, settings.closesOn)!, byInvitation: settings.form !== 'public' };
  const any = await db.selectFrom('registrations').select('id').where('activity_id', '=', m.id).limit(1).executeTakeFirst();
  const phase = meetingPhase(m, settings, { reported: false, registrations: any ? 1 : 0, siteZone }, now);
  return phase === 'registration_closed' ? { open: false } : null;
}

/**
 * The next instant a published, upcoming meeting's registration closes by itself: the page cache
 * drops the meeting's page ("Register") then, not at the site's next midnight.
 */
export async function nextRegistrationClose(db: Db, now: Date, siteZone: string): Promise<Date | null> {
  const today = now.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('meeting_registration as r')
    .innerJoin('activities as a', 'a.id', 'r.activity_id')
    .leftJoin('meeting_agendas as m', 'm.activity_id', 'a.id')
    .select(['a.workflow', 'a.status', 'a.start_date', 'a.end_date', 'a.date_precision', 'm.time_zone', 'r.closes_on'])
    .where('r.open', '=', 1)
    .where('a.workflow', '=', 'published')
    .where('a.date_precision', '=', 'day')
    .where((eb) => eb(eb.fn.coalesce('a.end_date', 'a.start_date'), '>=', today))
    .execute();
  let next: Date | null = null;
  for (const r of rows) {
    const closes = closingInstant({ workflow: r.workflow, status: r.status, startDate: r.start_date, endDate: r.end_date, datePrecision: r.date_precision, timeZone: r.time_zone ?? null }, { closesOn: r.closes_on }, siteZone);
    if (closes && closes > now && (!next || closes < next)) next = closes;
  }
  return next;
}

/** Whether the meeting's report, conclusions, recommendations or declaration are public (the phase after "held"). */
export async function hasOutcomes(db: Db, activityId: number): Promise<boolean> {
  const row = await db
    .selectFrom('document_activities as da')
    .innerJoin('documents as d', 'd.id', 'da.document_id')
    .select('d.id')
    .where('da.activity_id', '=', activityId)
    .where('d.workflow', '=', 'published')
    .where('d.type', 'in', ['final_report', 'conclusions', 'recommendations', 'declaration'])
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/**
 * Everything kept about one registration, as its person may ask for it (JSON): the details given,
 * the state and its dates, the delegation, the arrival, and the passport details when the reader
 * may see them. Internal keys (the personal link's token, the badge code) are left out.
 */
export function personalData(r: Registration, extra: { meeting: string; represents: string; passport: { nationality: string; number: string; expiry: string } | null; answers: { question: string; answer: string }[] }) {
  return {
    meeting: extra.meeting,
    registration: {
      state: r.state,
      language: r.lang,
      title: r.title,
      givenName: r.givenName,
      familyName: r.familyName,
      gender: r.gender,
      function: r.function,
      institution: r.institution,
      represents: extra.represents,
      email: r.email,
      phone: r.phone,
      workingLanguages: r.languages,
      dietary: r.dietary,
      accessibility: r.accessibility,
      travelSupport: r.travelSupport,
      visaLetter: r.visaLetter,
      consentPublicList: r.consentPublic,
      consentDataProcessing: r.consentData,
      nominatedInDelegation: r.invitationId !== null,
      registeredAt: r.createdAt,
      updatedAt: r.updatedAt,
      decidedAt: r.decidedAt,
      attendedAt: r.attendedAt,
    },
    answers: extra.answers,
    passport: extra.passport,
  };
}
