import type { Db } from '../../platform/db/database.js';

/** A meeting's participation as counted from who checked in. */
export interface ComputedFigures {
  participants: number;
  countries: number;
  organisations: number;
  /** Delegations of countries in Africa and in Europe (by the countries' region). */
  african: number;
  european: number;
  women: number;
  men: number;
}

/** Someone who came and agreed to be named: what the public list shows of them. */
export interface PublicParticipant {
  name: string;
  function: string;
  delegation: string;
}

export interface MeetingOutcome {
  figures: ComputedFigures;
  participants: PublicParticipant[];
}

/**
 * What a held meeting's page shows of who came, or null while nobody was checked in (the
 * editor's figures, if any, stay then). Erased registrations still count: their country,
 * organisation and gender are kept, their names are not. The list names only those who agreed.
 */
export async function meetingOutcome(db: Db, activityId: number, lang: string): Promise<MeetingOutcome | null> {
  const came = db.selectFrom('registrations as r').where('r.activity_id', '=', activityId).where('r.state', '=', 'approved').where('r.attended_at', 'is not', null);
  const totals = await came
    .leftJoin('countries as c', 'c.code', 'r.country_code')
    .select((eb) => [
      eb.fn.countAll<number>().as('participants'),
      eb.fn.count<number>('r.country_code').distinct().as('countries'),
      eb.fn.count<number>('r.organisation_id').distinct().as('organisations'),
      eb.fn.count<number>(eb.case().when('c.region', 'like', '%africa').then(eb.ref('r.country_code')).end()).distinct().as('african'),
      eb.fn.count<number>(eb.case().when('c.region', '=', 'europe').then(eb.ref('r.country_code')).end()).distinct().as('european'),
      eb.fn.count<number>(eb.case().when('r.gender', '=', 'woman').then(eb.ref('r.id')).end()).as('women'),
      eb.fn.count<number>(eb.case().when('r.gender', '=', 'man').then(eb.ref('r.id')).end()).as('men'),
    ])
    .executeTakeFirstOrThrow();
  if (!Number(totals.participants)) return null;
  const named = await came
    .leftJoin('country_names as cn', (j) => j.onRef('cn.country_code', '=', 'r.country_code').on('cn.lang', '=', lang))
    .leftJoin('organisation_names as on', (j) => j.onRef('on.organisation_id', '=', 'r.organisation_id').on('on.lang', '=', lang))
    .select(['r.given_name', 'r.family_name', 'r.function', 'cn.name as country', 'on.name as organisation', 'r.country_code'])
    .where('r.consent_public', '=', 1)
    .where('r.erased_at', 'is', null)
    .limit(5000)
    .execute();
  const collator = new Intl.Collator(lang, { sensitivity: 'base' });
  const participants = named
    .map((r) => ({ name: `${r.given_name} ${r.family_name}`.trim(), family: r.family_name, function: r.function, delegation: r.country ?? r.organisation ?? r.country_code ?? '' }))
    .sort((a, b) => collator.compare(a.delegation, b.delegation) || collator.compare(a.family, b.family) || collator.compare(a.name, b.name))
    .map(({ name, function: fn, delegation }) => ({ name, function: fn, delegation }));
  const n = (k: keyof typeof totals) => Number(totals[k] ?? 0);
  return { figures: { participants: n('participants'), countries: n('countries'), organisations: n('organisations'), african: n('african'), european: n('european'), women: n('women'), men: n('men') }, participants };
}
