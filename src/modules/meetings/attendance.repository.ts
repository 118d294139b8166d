import type { Db } from '../../platform/db/database.js';
import type { RegistrationState } from './registration.schemas.js';

/** A person's part in the meeting, as a badge and a list name it. */
export type ParticipantRole = 'head' | 'delegate' | 'participant';

/** A registrant as the check-in desk, the badges and the lists show them. */
export interface Participant {
  id: number;
  state: RegistrationState;
  title: string;
  givenName: string;
  familyName: string;
  function: string;
  institution: string;
  gender: string;
  countryCode: string | null;
  organisationId: number | null;
  /** The country or organisation represented, named in the language asked for. */
  delegation: string;
  role: ParticipantRole;
  badgeCode: string | null;
  attendedAt: string | null;
  consentPublic: boolean;
  erased: boolean;
}

/** Most registrations one meeting is read with at once (the dialogue's largest meetings have a few hundred). */
const MAX_PARTICIPANTS = 5000;

/** A meeting's registrations in some states, with their delegation named in `lang`, sorted by family name in that language. */
export async function participantsOf(db: Db, activityId: number, lang: string, states: readonly RegistrationState[] = ['approved']): Promise<Participant[]> {
  const rows = await db
    .selectFrom('registrations as r')
    .leftJoin('meeting_invitations as i', 'i.id', 'r.invitation_id')
    .leftJoin('country_names as cn', (j) => j.onRef('cn.country_code', '=', 'r.country_code').on('cn.lang', '=', lang))
    .leftJoin('organisation_names as on', (j) => j.onRef('on.organisation_id', '=', 'r.organisation_id').on('on.lang', '=', lang))
    .select([
      'r.id',
      'r.state',
      'r.title',
      'r.given_name',
      'r.family_name',
      'r.function',
      'r.institution',
      'r.gender',
      'r.country_code',
      'r.organisation_id',
      'r.invitation_id',
      'i.head_registration_id',
      'r.badge_code',
      'r.attended_at',
      'r.consent_public',
      'r.erased_at',
      'cn.name as country_name',
      'on.name as organisation_name',
    ])
    .where('r.activity_id', '=', activityId)
    .where('r.state', 'in', [...states])
    .limit(MAX_PARTICIPANTS)
    .execute();
  const collator = new Intl.Collator(lang, { sensitivity: 'base' });
  return rows
    .map((r) => ({
      id: r.id,
      state: r.state as RegistrationState,
      title: r.title,
      givenName: r.given_name,
      familyName: r.family_name,
      function: r.function,
      institution: r.institution,
      gender: r.gender,
      countryCode: r.country_code,
      organisationId: r.organisation_id,
      delegation: r.country_name ?? r.organisation_name ?? r.country_code ?? '',
      role: (r.head_registration_id === r.id ? 'head' : r.invitation_id !== null ? 'delegate' : 'participant') as ParticipantRole,
      badgeCode: r.badge_code,
      attendedAt: r.attended_at,
      consentPublic: r.consent_public === 1,
      erased: r.erased_at !== null,
    }))
    .sort((a, b) => collator.compare(a.familyName, b.familyName) || collator.compare(a.givenName, b.givenName) || a.id - b.id);
}

/** Text as compared by the check-in search: without accents, case or extra spaces. */
export const folded = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

/** A badge code as typed at a desk: upper case, without spaces or hyphens, O read as 0 and I or L as 1 (Crockford's base32). */
export const badgeCodeOf = (s: string) =>
  s
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');

/** The registrations a check-in search finds: the one whose badge code it is, else those whose name holds every word typed. */
export function searchParticipants(all: Participant[], query: string, limit = 20): Participant[] {
  const code = badgeCodeOf(query);
  const exact = all.filter((p) => p.badgeCode === code);
  if (exact.length) return exact;
  const words = folded(query).split(' ').filter(Boolean);
  if (!words.length) return [];
  return all.filter((p) => {
    const name = folded(`${p.givenName} ${p.familyName} ${p.delegation}`);
    return words.every((w) => name.includes(w));
  }).slice(0, limit);
}

/** The registration a badge's code names, or null. */
export async function registrationByBadge(db: Db, code: string): Promise<{ id: number; activityId: number } | null> {
  const normal = badgeCodeOf(code);
  if (!/^[0-9A-HJKMNP-TV-Z]{10}$/.test(normal)) return null;
  const row = await db.selectFrom('registrations').select(['id', 'activity_id']).where('badge_code', '=', normal).executeTakeFirst();
  return row ? { id: row.id, activityId: row.activity_id } : null;
}

/** How many approved registrants there are, and how many of them came. */
export async function attendanceCounts(db: Db, activityId: number): Promise<{ approved: number; attended: number }> {
  const row = await db
    .selectFrom('registrations')
    .select((eb) => [eb.fn.countAll<number>().as('approved'), eb.fn.count<number>('attended_at').as('attended')])
    .where('activity_id', '=', activityId)
    .where('state', '=', 'approved')
    .executeTakeFirstOrThrow();
  return { approved: Number(row.approved), attended: Number(row.attended) };
}
