import { randomBytes } from 'node:crypto';
import { newBadgeCode } from '../registration.commands.js';
import type { Config } from '../../../platform/config.js';
import { nowIso, type Db } from '../../../platform/db/database.js';
import { saveActivity } from '../../activities/index.js';
import { savePractical, saveSession, saveTimeZone } from '../meetings.commands.js';
import type { SessionInput } from '../meetings.schemas.js';
import type { RegistrationState } from '../registration.schemas.js';

/** The demo's upcoming meeting: made once, dated from the day the demo is loaded. */
export const DEMO_MEETING_KEY = 'demo-upcoming-labour-mobility';

const dayAfter = (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/** Demo registrants: invented people, one or more in each state, from a few of the dialogue's countries. */
const PEOPLE: { given: string; family: string; country: string; state: RegistrationState; gender: string; lang: string; publicList: boolean }[] = [
  { given: 'Mariama', family: 'Sow', country: 'SN', state: 'approved', gender: 'woman', lang: 'fr', publicList: true },
  { given: 'Jonas', family: 'Keller', country: 'DE', state: 'approved', gender: 'man', lang: 'en', publicList: true },
  { given: 'Adjoa', family: 'Mensah', country: 'GH', state: 'approved', gender: 'woman', lang: 'en', publicList: false },
  { given: 'Lucía', family: 'Ferrer', country: 'ES', state: 'pending', gender: 'woman', lang: 'en', publicList: true },
  { given: 'Ibrahim', family: 'Traoré', country: 'ML', state: 'pending', gender: 'man', lang: 'fr', publicList: true },
  { given: 'Claire', family: 'Dubois', country: 'FR', state: 'pending', gender: '', lang: 'fr', publicList: false },
  { given: 'Tiago', family: 'Mendes', country: 'PT', state: 'waitlisted', gender: 'man', lang: 'en', publicList: true },
  { given: 'Aminata', family: 'Diallo', country: 'GN', state: 'waitlisted', gender: 'woman', lang: 'fr', publicList: true },
  { given: 'Pieter', family: 'Janssens', country: 'BE', state: 'declined', gender: 'man', lang: 'en', publicList: false },
  { given: 'Youssef', family: 'Alaoui', country: 'MA', state: 'cancelled', gender: 'man', lang: 'fr', publicList: true },
];

/**
 * Loads the demo's upcoming meeting, so that a newcomer sees the whole cycle after `npm start`: a
 * published two-day meeting about two months ahead, with an agenda (two parallel working groups),
 * practical information, registration open with six seats, and registrations in every state. It
 * is invented and says so. Made once: a meeting with its key is left alone.
 */
export async function seedDemoMeeting(db: Db, config: Pick<Config, 'languages'>, now = new Date()): Promise<boolean> {
  if (await db.selectFrom('activities').select('id').where('key', '=', DEMO_MEETING_KEY).executeTakeFirst()) return false;
  const first = dayAfter(now, 60);
  const last = dayAfter(now, 61);
  const year = first.slice(0, 4);
  const all = {
    en: {
      title: 'Thematic meeting on labour mobility and skills partnerships',
      slug: `thematic-meeting-labour-mobility-skills-partnerships-${year}`,
      summary: 'An example meeting of the demo data: partners of the dialogue meet in Dakar for two days on labour mobility, skills partnerships and the recognition of qualifications. Its agenda, registration and registrants are invented to show how Diwan runs a meeting.',
      city: 'Dakar',
      venue: 'Demo conference centre',
    },
    fr: {
      title: 'Réunion thématique sur la mobilité de la main-d’œuvre et les partenariats de compétences',
      slug: `reunion-thematique-mobilite-main-oeuvre-partenariats-competences-${year}`,
      summary: 'Une réunion d’exemple des données de démonstration : les partenaires du dialogue se retrouvent deux jours à Dakar sur la mobilité de la main-d’œuvre, les partenariats de compétences et la reconnaissance des qualifications. Son ordre du jour, ses inscriptions et ses participants sont inventés pour montrer comment Diwan organise une réunion.',
      city: 'Dakar',
      venue: 'Centre de conférences de démonstration',
    },
  } as const;
  const t = Object.fromEntries(Object.entries(all).filter(([l]) => config.languages.includes(l)));
  if (!Object.keys(t).length) return false;
  const id = await saveActivity(
    db,
    { key: DEMO_MEETING_KEY, type: 'thematic_meeting', status: 'announced', start_date: first, end_date: last, date_precision: 'day', format: 'hybrid', country: 'SN', host: { country: 'SN' }, co_chairs: [{ country: 'SN' }, { country: 'ES' }], themes: ['cadiz-2022.d2'], t },
    { bumpVersion: false },
  );
  const meeting = { id, workflow: 'published' };
  await saveTimeZone(db, meeting, 'Africa/Dakar', null);
  const session = (day: string, starts: string, ends: string, kind: SessionInput['kind'], track: number, room: string, en: string, fr: string, people: SessionInput['people'] = []): SessionInput => ({
    day,
    starts,
    ends,
    kind,
    track,
    room,
    t: Object.fromEntries(Object.entries({ en: { title: en, description: '' }, fr: { title: fr, description: '' } }).filter(([l]) => config.languages.includes(l))),
    people,
    documents: [],
  });
  const sessions = [
    session(first, '09:00', '10:00', 'opening', 0, 'Plenary hall', 'Opening session', 'Séance d’ouverture', [
      { role: 'co_chair', name: 'Fatou Ndiaye', affiliation: 'Senegal (demo)' },
      { role: 'co_chair', name: 'Javier Ortega', affiliation: 'Spain (demo)' },
    ]),
    session(first, '10:30', '12:30', 'working_group', 1, 'Room A', 'Working group 1: skills partnerships between countries', 'Groupe de travail 1 : partenariats de compétences entre pays', [{ role: 'moderator', name: 'Koffi Agbo', affiliation: 'Togo (demo)' }]),
    session(first, '10:30', '12:30', 'working_group', 2, 'Room B', 'Working group 2: recognising qualifications and skills', 'Groupe de travail 2 : reconnaître les qualifications et les compétences', [{ role: 'moderator', name: 'Anna Lindqvist', affiliation: 'Sweden (demo)' }]),
    session(first, '12:30', '14:00', 'break', 0, '', 'Lunch', 'Déjeuner'),
    session(first, '14:00', '16:30', 'plenary', 0, 'Plenary hall', 'Reports of the working groups and discussion', 'Restitution des groupes de travail et débat', [{ role: 'rapporteur', name: 'Sara Haddad', affiliation: 'Rapporteur (demo)' }]),
    session(last, '09:30', '11:30', 'panel', 0, 'Plenary hall', 'Panel: employers and training centres', 'Table ronde : employeurs et centres de formation'),
    session(last, '12:00', '13:00', 'closing', 0, 'Plenary hall', 'Conclusions and closing', 'Conclusions et clôture'),
  ];
  for (const s of sessions) await saveSession(db, meeting, null, s, null);
  await savePractical(
    db,
    meeting,
    Object.fromEntries(
      Object.entries({
        en: { address: 'Demo conference centre, Dakar, Senegal (an invented address)', contact: 'secretariat@example.org', notes: 'This is demo information. A real meeting would say here how to reach the venue, how visas are handled and where delegates stay.' },
        fr: { address: 'Centre de conférences de démonstration, Dakar, Sénégal (adresse inventée)', contact: 'secretariat@example.org', notes: 'Ceci est une information de démonstration. Une vraie réunion indiquerait ici comment se rendre sur place, comment les visas sont traités et où les délégués sont logés.' },
      }).filter(([l]) => config.languages.includes(l)),
    ),
    null,
  );
  const at = nowIso();
  await db.insertInto('meeting_registration').values({ activity_id: id, open: 1, closes_on: dayAfter(now, 50), capacity: 6, approval: 'manual', updated_at: at }).execute();
  const lang = (l: string) => (config.languages.includes(l) ? l : config.languages[0]!);
  // Three partners invited with two seats each; the Senegalese and Spanish delegates are theirs.
  const invitations = new Map<string, number>();
  for (const code of ['SN', 'ES', 'MA']) {
    const row = await db.insertInto('meeting_invitations').values({ activity_id: id, country_code: code, organisation_id: null, seats: 2, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow();
    invitations.set(code, row.id);
  }
  for (const [i, p] of PEOPLE.entries()) {
    const email = `${p.given}.${p.family}`
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z.]/g, '');
    await db
      .insertInto('registrations')
      .values({
        activity_id: id,
        token: randomBytes(32).toString('base64url'),
        state: p.state,
        lang: lang(p.lang),
        title: p.gender === 'woman' ? 'ms' : p.gender === 'man' ? 'mr' : '',
        given_name: p.given,
        family_name: p.family,
        gender: p.gender,
        function: 'Demo delegate',
        institution: 'Ministry of Labour (demo)',
        country_code: p.country,
        organisation_id: null,
        email: `${email}@example.org`,
        email_key: `${email}@example.org`,
        phone: '',
        languages: p.lang,
        dietary: '',
        accessibility: '',
        travel_support: 0,
        visa_letter: 0,
        consent_public: p.publicList ? 1 : 0,
        consent_data: 1,
        created_at: at,
        updated_at: at,
        queued_at: new Date(now.getTime() + i).toISOString(),
        decided_at: p.state === 'pending' || p.state === 'waitlisted' ? null : at,
        invitation_id: p.country === 'SN' || p.country === 'ES' ? invitations.get(p.country)! : null,
        badge_code: newBadgeCode(),
      })
      .execute();
  }
  // One question of the organisers' own: which of the two parallel working groups.
  await db
    .insertInto('registration_fields')
    .values({
      activity_id: id,
      position: 1,
      kind: 'choice',
      required: 1,
      labels: JSON.stringify({ en: 'Which working group will you join?', fr: 'À quel groupe de travail participerez-vous ?' }),
      options: JSON.stringify([
        { en: 'Working group 1', fr: 'Groupe de travail 1' },
        { en: 'Working group 2', fr: 'Groupe de travail 2' },
      ]),
      created_at: at,
    })
    .execute();
  const head = await db.selectFrom('registrations').select('id').where('activity_id', '=', id).where('country_code', '=', 'SN').executeTakeFirstOrThrow();
  await db.updateTable('meeting_invitations').set({ head_registration_id: head.id }).where('id', '=', invitations.get('SN')!).execute();
  return true;
}
