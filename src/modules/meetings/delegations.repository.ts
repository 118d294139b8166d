import type { Db } from '../../platform/db/database.js';
import { SEATED, type RegistrationState } from './registration.schemas.js';
import type { Partner } from './delegations.policy.js';

/** One partner invited to a meeting, with how its seats are used. */
export interface Invitation extends Partner {
  id: number;
  activityId: number;
  seats: number;
  /** Delegates holding a seat (pending or approved). */
  seated: number;
  waiting: number;
  headRegistrationId: number | null;
  letter: { fileName: string; size: number; uploadedAt: string } | null;
  createdAt: string;
}

/** A delegate as the delegation's page lists them. */
export interface Delegate {
  id: number;
  givenName: string;
  familyName: string;
  function: string;
  email: string;
  state: RegistrationState;
  createdAt: string;
}

const base = (db: Pick<Db, 'selectFrom'>) =>
  db
    .selectFrom('meeting_invitations as i')
    .leftJoin('invitation_letters as l', 'l.invitation_id', 'i.id')
    .select((eb) => [
      'i.id',
      'i.activity_id',
      'i.country_code',
      'i.organisation_id',
      'i.seats',
      'i.head_registration_id',
      'i.created_at',
      'l.file_name',
      'l.size',
      'l.uploaded_at',
      eb.selectFrom('registrations as r').select((e) => e.fn.countAll<number>().as('n')).whereRef('r.invitation_id', '=', 'i.id').where('r.state', 'in', [...SEATED]).as('seated'),
      eb.selectFrom('registrations as r').select((e) => e.fn.countAll<number>().as('n')).whereRef('r.invitation_id', '=', 'i.id').where('r.state', '=', 'waitlisted').as('waiting'),
    ]);

type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

const present = (r: Row): Invitation => ({
  id: r.id,
  activityId: r.activity_id,
  countryCode: r.country_code,
  organisationId: r.organisation_id,
  seats: r.seats,
  seated: Number(r.seated ?? 0),
  waiting: Number(r.waiting ?? 0),
  headRegistrationId: r.head_registration_id,
  letter: r.file_name ? { fileName: r.file_name, size: Number(r.size), uploadedAt: r.uploaded_at! } : null,
  createdAt: r.created_at,
});

/** A meeting's invitations, in the order they were made. */
export async function invitationsOf(db: Db, activityId: number): Promise<Invitation[]> {
  return (await base(db).where('i.activity_id', '=', activityId).orderBy('i.id').execute()).map(present);
}

/** One invitation, or null. */
export async function invitationById(db: Pick<Db, 'selectFrom'>, id: number): Promise<Invitation | null> {
  const row = await base(db).where('i.id', '=', id).executeTakeFirst();
  return row ? present(row) : null;
}

/** The invitations a partner has received, newest meeting first, with each meeting's title in a language and its days. */
export async function invitationsForPartner(db: Db, partner: Partner, lang: string, fallbackLang: string): Promise<(Invitation & { title: string; startDate: string; endDate: string | null; datePrecision: string })[]> {
  let q = base(db)
    .innerJoin('activities as a', 'a.id', 'i.activity_id')
    .leftJoin('activity_translations as t', (j) => j.onRef('t.activity_id', '=', 'a.id').on('t.lang', '=', lang))
    .leftJoin('activity_translations as f', (j) => j.onRef('f.activity_id', '=', 'a.id').on('f.lang', '=', fallbackLang))
    .select((eb) => [eb.fn.coalesce('t.title', 'f.title', eb.val('')).as('title'), 'a.start_date', 'a.end_date', 'a.date_precision']);
  if (partner.countryCode !== null) q = q.where('i.country_code', '=', partner.countryCode);
  else if (partner.organisationId !== null) q = q.where('i.organisation_id', '=', partner.organisationId);
  else return [];
  const rows = await q.orderBy('a.start_date', 'desc').orderBy('i.id', 'desc').limit(200).execute();
  return rows.map((r) => ({ ...present(r), title: r.title, startDate: r.start_date, endDate: r.end_date, datePrecision: r.date_precision }));
}

/** The delegates nominated in an invitation (cancelled and declined ones too: the focal point sees what became of each). */
export async function delegatesOf(db: Db, invitationId: number): Promise<Delegate[]> {
  const rows = await db
    .selectFrom('registrations')
    .select(['id', 'given_name', 'family_name', 'function', 'email', 'state', 'created_at'])
    .where('invitation_id', '=', invitationId)
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, givenName: r.given_name, familyName: r.family_name, function: r.function, email: r.email, state: r.state as RegistrationState, createdAt: r.created_at }));
}

/** The partner as the registration form's choice writes it (`c:SN`, `o:12`). */
export const partnerValue = (p: Partner) => (p.countryCode !== null ? `c:${p.countryCode}` : `o:${p.organisationId}`);

/** The active focal points bound to a partner: who is told of an invitation. */
export async function focalPointsOf(db: Pick<Db, 'selectFrom'>, partner: Partner): Promise<{ email: string; name: string; lang: string }[]> {
  let q = db.selectFrom('users').select(['email', 'display_name', 'preferred_lang']).where('role_code', '=', 'focal_point').where('status', '=', 'active');
  if (partner.countryCode !== null) q = q.where('country_code', '=', partner.countryCode);
  else if (partner.organisationId !== null) q = q.where('organisation_id', '=', partner.organisationId);
  else return [];
  return (await q.orderBy('id').limit(50).execute()).map((u) => ({ email: u.email, name: u.display_name, lang: u.preferred_lang }));
}

/** The nomination letter's bytes, or null. */
export async function letterOf(db: Db, invitationId: number): Promise<{ fileName: string; mime: string; content: Buffer } | null> {
  const row = await db.selectFrom('invitation_letters').select(['file_name', 'mime', 'content']).where('invitation_id', '=', invitationId).executeTakeFirst();
  return row ? { fileName: row.file_name, mime: row.mime, content: Buffer.from(row.content) } : null;
}
