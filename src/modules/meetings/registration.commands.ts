import { randomBytes } from 'node:crypto';
import { audit } from '../../platform/audit/audit.js';
import type { Config } from '../../platform/config.js';
import { nowIso, type Db } from '../../platform/db/database.js';
import { announceChange } from '../../platform/events/changes.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { saveAnswers } from './questions.js';
import { mailMeeting, registrationMail, type MailMeeting, type RegistrationMailKind } from './registration.mail.js';
import { SEATED, emailKey, type Decision, type RegistrationFormAccess, type RegistrationInput, type RegistrationSettings, type RegistrationState } from './registration.schemas.js';

/**
 * Registering, correcting, cancelling and deciding, with capacity kept under concurrency: every
 * command that may take or free a seat first bumps the meeting's `meeting_registration.seq`, which
 * takes that row's write lock (PostgreSQL) or the database's (SQLite) until it commits, so seats are
 * counted by one command at a time per meeting. Mails are recorded in the same transaction and
 * queued once it has committed: a registration and its mail exist together or not at all. The
 * audit log records ids and states, never a registrant's details.
 */

export interface RegistrationContext {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  config: Pick<Config, 'languages'>;
}

/** A transaction (a Kysely instance itself). */
type Trx = Db;

const newToken = () => randomBytes(32).toString('base64url');
/** A badge's QR value: ten characters of Crockford's base32 (no I, L, O, U), short enough to type at a desk. */
const BADGE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const newBadgeCode = () => [...randomBytes(10)].map((b) => BADGE_ALPHABET[b & 31]).join('');
const nameOf = (r: { given_name: string; family_name: string }) => `${r.given_name} ${r.family_name}`.trim();

/** Takes the meeting's registration lock; false when the meeting has no registration settings. */
export async function lock(trx: Trx, activityId: number, now: string): Promise<boolean> {
  const r = await trx
    .updateTable('meeting_registration')
    .set((eb) => ({ seq: eb('seq', '+', 1), updated_at: now }))
    .where('activity_id', '=', activityId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

async function settingsIn(trx: Trx, activityId: number) {
  return trx.selectFrom('meeting_registration').select(['open', 'closes_on', 'capacity', 'approval', 'form', 'form_key']).where('activity_id', '=', activityId).executeTakeFirstOrThrow();
}

async function seatsTaken(trx: Trx, activityId: number): Promise<number> {
  const row = await trx.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('activity_id', '=', activityId).where('state', 'in', [...SEATED]).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a delegation holds all the seats it was given. */
async function delegationFull(trx: Trx, invitationId: number): Promise<boolean> {
  const invitation = await trx.selectFrom('meeting_invitations').select('seats').where('id', '=', invitationId).executeTakeFirst();
  if (!invitation) return false;
  const row = await trx.selectFrom('registrations').select((eb) => eb.fn.countAll<number>().as('n')).where('invitation_id', '=', invitationId).where('state', 'in', [...SEATED]).executeTakeFirstOrThrow();
  return Number(row.n) >= invitation.seats;
}

/**
 * The waiting registrations that could take a free seat of the meeting now: those outside any
 * delegation, and those whose delegation has a seat left. Someone waiting because their delegation
 * is full does not stand in the way of anyone else.
 */
function eligibleWaiting(trx: Trx, activityId: number) {
  return trx
    .selectFrom('registrations as r')
    .leftJoin('meeting_invitations as i', 'i.id', 'r.invitation_id')
    .where('r.activity_id', '=', activityId)
    .where('r.state', '=', 'waitlisted')
    .where('r.erased_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.invitation_id', 'is', null),
        eb(
          'i.seats',
          '>',
          eb
            .selectFrom('registrations as s')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('s.invitation_id', '=', 'r.invitation_id')
            .where('s.state', 'in', [...SEATED]),
        ),
      ]),
    );
}

/**
 * The state a new request for a seat gets: a seat while there is one, in the meeting and in the
 * delegation, and no one is waiting who could take it (approved at once when seats are given in
 * order); else the end of the waiting list. A seat an organiser freed by moving someone to the
 * waiting list stays theirs to give, not the next visitor's.
 */
async function stateForNew(trx: Trx, activityId: number, settings: { capacity: number | null; approval: string }, invitationId: number | null): Promise<RegistrationState> {
  const waiting = !!(await eligibleWaiting(trx, activityId).select('r.id').limit(1).executeTakeFirst());
  if (waiting || (settings.capacity !== null && (await seatsTaken(trx, activityId)) >= settings.capacity)) return 'waitlisted';
  if (invitationId !== null && (await delegationFull(trx, invitationId))) return 'waitlisted';
  return settings.approval === 'auto' ? 'approved' : 'pending';
}

/** Mails recorded in a transaction, queued after it commits. */
export class Outgoing {
  private ids: number[] = [];
  private meetings = new Map<string, Promise<MailMeeting>>();
  constructor(private ctx: RegistrationContext) {}
  async add(trx: Trx, activityId: number, r: { id: number; lang: string; email: string; given_name: string; family_name: string; token: string }, kind: RegistrationMailKind, state: RegistrationState) {
    // Read through the transaction: on SQLite the one connection is the transaction's until it ends.
    const meeting = await this.meeting(trx, activityId, r.lang);
    this.ids.push(await this.ctx.mailer.record(trx, registrationMail({ kind, state, lang: r.lang, email: r.email, name: nameOf(r), meeting, token: r.token, baseUrl: this.ctx.baseUrl, registrationId: r.id })));
  }
  /** Reads what the mails say of the meeting before the lock is taken, so that the locked part stays short. */
  async preload(activityId: number, lang: string) {
    await this.meeting(this.ctx.db, activityId, lang);
  }
  private meeting(db: Db, activityId: number, lang: string): Promise<MailMeeting> {
    const key = `${activityId}:${lang}`;
    let found = this.meetings.get(key);
    if (!found) this.meetings.set(key, (found = mailMeeting(db, this.ctx.baseUrl, activityId, lang)));
    return found;
  }
  async dispatch() {
    for (const id of this.ids) await this.ctx.mailer.dispatch(id);
  }
}

/**
 * Gives free seats to the waiting list, oldest request first, while there are seats: a registrant
 * whose delegation has no seat left is passed over, and keeps their place. Each promoted
 * registrant is told by mail.
 */
export async function promote(trx: Trx, activityId: number, out: Outgoing, now: string, actorId: number | null): Promise<number> {
  // A meeting cancelled, postponed or held gives no seat to anyone waiting.
  const meeting = await trx.selectFrom('activities').select('status').where('id', '=', activityId).executeTakeFirst();
  if (!meeting || ['cancelled', 'postponed', 'held'].includes(meeting.status)) return 0;
  const settings = await settingsIn(trx, activityId);
  // Without a limit, everyone waiting gets a seat (their delegation's allowing).
  let free = settings.capacity === null ? Number.POSITIVE_INFINITY : settings.capacity - (await seatsTaken(trx, activityId));
  const state: RegistrationState = settings.approval === 'auto' ? 'approved' : 'pending';
  let promoted = 0;
  while (free > 0) {
    // One at a time: each promotion changes which delegations still have a seat.
    const r = await eligibleWaiting(trx, activityId).select(['r.id', 'r.lang', 'r.email', 'r.given_name', 'r.family_name', 'r.token']).orderBy('r.queued_at').orderBy('r.id').limit(1).executeTakeFirst();
    if (!r) break;
    await trx.updateTable('registrations').set({ state, updated_at: now, decided_at: now }).where('id', '=', r.id).execute();
    await audit(trx, { actorUserId: actorId, action: 'registration.promoted', entityType: 'registration', entityId: r.id, before: { state: 'waitlisted' }, after: { state, activity: activityId } });
    await out.add(trx, activityId, r, 'promoted', state);
    free -= 1;
    promoted += 1;
  }
  return promoted;
}

/** The registration's details as columns. */
function columns(input: RegistrationInput) {
  return {
    title: input.title,
    given_name: input.givenName,
    family_name: input.familyName,
    gender: input.gender,
    function: input.function,
    institution: input.institution,
    country_code: input.represents.country,
    organisation_id: input.represents.organisation,
    phone: input.phone,
    languages: input.languages.join(','),
    dietary: input.dietary,
    accessibility: input.accessibility,
    travel_support: input.travelSupport ? 1 : 0,
    visa_letter: input.visaLetter ? 1 : 0,
    consent_public: input.consentPublic ? 1 : 0,
    consent_data: input.consentData ? 1 : 0,
  };
}

/** Deletes a meeting's printed visa letters: they carry passport details that changed or no longer apply. */
export async function forgetVisaLetters(trx: Trx, activityId: number): Promise<void> {
  await trx.deleteFrom('meeting_prints').where('activity_id', '=', activityId).where('kind', '=', 'visa_letters').execute();
}

async function savePassport(trx: Trx, registrationId: number, passport: RegistrationInput['passport']) {
  const before = await trx.selectFrom('registration_passports as p').innerJoin('registrations as r', 'r.id', 'p.registration_id').select('r.activity_id').where('p.registration_id', '=', registrationId).executeTakeFirst();
  if (before) await forgetVisaLetters(trx, before.activity_id);
  await trx.deleteFrom('registration_passports').where('registration_id', '=', registrationId).execute();
  if (passport) await trx.insertInto('registration_passports').values({ registration_id: registrationId, nationality: passport.nationality, passport_number: passport.number, passport_expiry: passport.expiry }).execute();
}

/** Whether a cancelled registration was cancelled by an organiser (its last recorded change was theirs), not by its registrant. */
async function cancelledByOrganisers(trx: Trx, registrationId: number): Promise<boolean> {
  const last = await trx.selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'registration').where('entity_id', '=', String(registrationId)).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return !!last && last.action === 'registration.cancelled' && last.actor_user_id !== null;
}

/** Whether a registration's link was sent again within the last hour. */
async function againSentRecently(trx: Trx, registrationId: number, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - 3600_000).toISOString();
  const row = await trx.selectFrom('outbox').select('id').where('about', '=', `registration:${registrationId}`).where('purpose', '=', 'registration_again').where('created_at', '>', since).limit(1).executeTakeFirst();
  return !!row;
}

/** What became of a registration request. The visitor is told the same in every case: their mail says which. */
export type RegisterOutcome = { kind: 'registered'; id: number; state: RegistrationState } | { kind: 'again'; id: number; state: RegistrationState } | { kind: 'closed' };

/** A registration a focal point makes for a delegate of their invitation. */
export interface Nomination {
  invitationId: number;
  by: number;
}

/**
 * Registers a person for a meeting, or, for an address already registered, sends that address its
 * personal link again (and changes nothing). A registration cancelled earlier is made again, at the
 * end of the waiting list if there is one. `isOpen` is asked under the lock, with the settings as
 * they are then (an organiser closing registration at the same moment wins).
 */
export async function register(
  ctx: RegistrationContext,
  activityId: number,
  input: RegistrationInput & { lang: string },
  isOpen: (settings: { open: boolean; closesOn: string | null; form: RegistrationFormAccess; formKey: string | null }) => boolean,
  now = new Date(),
  nomination: Nomination | null = null,
): Promise<RegisterOutcome> {
  const at = now.toISOString();
  const out = new Outgoing(ctx);
  const key = emailKey(input.email);
  await out.preload(activityId, input.lang);
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<RegisterOutcome> => {
    if (!(await lock(trx, activityId, at))) return { kind: 'closed' };
    const settings = await settingsIn(trx, activityId);
    if (!isOpen({ open: settings.open === 1, closesOn: settings.closes_on, form: settings.form === 'public' || settings.form === 'link' ? settings.form : 'invited', formKey: settings.form_key })) return { kind: 'closed' };
    const existing = await trx.selectFrom('registrations').select(['id', 'state', 'lang', 'email', 'given_name', 'family_name', 'token']).where('activity_id', '=', activityId).where('email_key', '=', key).executeTakeFirst();
    // A registration the organisers cancelled is theirs to restore, not the registrant's to make again.
    if (existing && (existing.state !== 'cancelled' || (await cancelledByOrganisers(trx, existing.id)))) {
      // Asked again: the address gets the link to the registration it has (once an hour at most, so
      // that the form cannot be used to flood an address); nothing else changes.
      if (!(await againSentRecently(trx, existing.id, now))) await out.add(trx, activityId, { ...existing, lang: input.lang }, 'again', existing.state as RegistrationState);
      return { kind: 'again', id: existing.id, state: existing.state as RegistrationState };
    }
    if (nomination && !(await trx.selectFrom('meeting_invitations').select('id').where('id', '=', nomination.invitationId).where('activity_id', '=', activityId).executeTakeFirst())) return { kind: 'closed' };
    const state = await stateForNew(trx, activityId, settings, nomination?.invitationId ?? null);
    const token = existing?.token ?? newToken();
    const fields = {
      ...columns(input),
      state,
      lang: input.lang,
      email: input.email,
      email_key: key,
      token,
      updated_at: at,
      queued_at: at,
      decided_at: state === 'approved' ? at : null,
      invitation_id: nomination?.invitationId ?? null,
      nominated_by: nomination?.by ?? null,
    };
    let id: number;
    if (existing) {
      id = existing.id;
      await trx.updateTable('registrations').set(fields).where('id', '=', id).execute();
    } else {
      id = (await trx.insertInto('registrations').values({ ...fields, activity_id: activityId, created_at: at, badge_code: newBadgeCode() }).returning('id').executeTakeFirstOrThrow()).id;
    }
    await savePassport(trx, id, input.passport);
    if (input.answers) await saveAnswers(trx, id, input.answers);
    await audit(trx, { actorUserId: nomination?.by ?? null, action: existing ? 'registration.renewed' : nomination ? 'registration.nominated' : 'registration.created', entityType: 'registration', entityId: id, after: { activity: activityId, state, ...(nomination ? { invitation: nomination.invitationId } : {}) } });
    await out.add(trx, activityId, { id, lang: input.lang, email: input.email, given_name: input.givenName, family_name: input.familyName, token }, nomination ? 'nominated' : 'received', state);
    return { kind: 'registered', id, state };
  });
  await out.dispatch();
  return outcome;
}

/** Whether a registrant may still change or cancel their registration. */
export const canChange = (state: RegistrationState) => state === 'pending' || state === 'approved' || state === 'waitlisted';

/** A registrant corrects their details (not their address or state); false when the registration may no longer change. */
export async function correctRegistration(db: Db, registrationId: number, input: RegistrationInput): Promise<boolean> {
  const at = nowIso();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('registrations')
      .set({ ...columns(input), updated_at: at })
      .where('id', '=', registrationId)
      .where('state', 'in', ['pending', 'approved', 'waitlisted'])
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    await savePassport(trx, registrationId, input.passport);
    if (input.answers) await saveAnswers(trx, registrationId, input.answers);
    await audit(trx, { actorUserId: null, action: 'registration.corrected', entityType: 'registration', entityId: registrationId });
    return true;
  });
}

/** A registrant cancels; their seat goes to the waiting list. False when it was no longer active. */
export async function cancelRegistration(ctx: RegistrationContext, registration: { id: number; activityId: number }, now = new Date()): Promise<boolean> {
  const at = now.toISOString();
  const out = new Outgoing(ctx);
  const done = await ctx.db.transaction().execute(async (trx) => {
    await lock(trx, registration.activityId, at);
    const row = await trx.selectFrom('registrations').select(['id', 'state', 'lang', 'email', 'given_name', 'family_name', 'token']).where('id', '=', registration.id).executeTakeFirst();
    if (!row || !canChange(row.state as RegistrationState)) return false;
    await trx.updateTable('registrations').set({ state: 'cancelled', updated_at: at, decided_at: at }).where('id', '=', row.id).execute();
    if (row.state === 'approved') await forgetVisaLetters(trx, registration.activityId);
    await audit(trx, { actorUserId: null, action: 'registration.cancelled', entityType: 'registration', entityId: row.id, before: { state: row.state }, after: { state: 'cancelled', activity: registration.activityId } });
    await out.add(trx, registration.activityId, row, 'cancelled', 'cancelled');
    await promote(trx, registration.activityId, out, at, null);
    return true;
  });
  await out.dispatch();
  return done;
}

/** Which decisions an organiser may take on a registration in each state. */
const ALLOWED: Record<RegistrationState, readonly Decision[]> = {
  pending: ['approved', 'waitlisted', 'declined', 'cancelled'],
  waitlisted: ['approved', 'declined', 'cancelled'],
  approved: ['waitlisted', 'declined', 'cancelled'],
  declined: ['approved'],
  cancelled: [],
};
export const decisionsFor = (state: RegistrationState): readonly Decision[] => ALLOWED[state];

export type DecideOutcome = 'done' | 'not_allowed' | 'full' | 'delegation_full' | 'missing';

/**
 * An organiser decides on a registration: approves it (taking a seat, refused when none is free),
 * puts it on the waiting list, declines or cancels it (its seat going to the waiting list). The
 * registrant is told by mail, an approval with the meeting's calendar file.
 */
export async function decide(ctx: RegistrationContext, activityId: number, registrationId: number, decision: Decision, actorId: number, now = new Date()): Promise<DecideOutcome> {
  const at = now.toISOString();
  const out = new Outgoing(ctx);
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<DecideOutcome> => {
    // A meeting without settings has no registrations (registering needs them).
    if (!(await lock(trx, activityId, at))) return 'missing';
    const row = await trx.selectFrom('registrations').select(['id', 'state', 'lang', 'email', 'given_name', 'family_name', 'token', 'invitation_id', 'erased_at']).where('id', '=', registrationId).where('activity_id', '=', activityId).executeTakeFirst();
    if (!row) return 'missing';
    // An erased registration is kept for the counts only: no decision changes it.
    if (row.erased_at) return 'not_allowed';
    const from = row.state as RegistrationState;
    if (!ALLOWED[from].includes(decision)) return 'not_allowed';
    const settings = await settingsIn(trx, activityId);
    const takesSeat = decision === 'approved' && !SEATED.includes(from);
    if (takesSeat && settings.capacity !== null && (await seatsTaken(trx, activityId)) >= settings.capacity) return 'full';
    if (takesSeat && row.invitation_id !== null && (await delegationFull(trx, row.invitation_id))) return 'delegation_full';
    await trx.updateTable('registrations').set({ state: decision, updated_at: at, decided_at: at, ...(decision === 'waitlisted' ? { queued_at: at } : {}) }).where('id', '=', row.id).execute();
    if (from === 'approved') await forgetVisaLetters(trx, activityId);
    await audit(trx, { actorUserId: actorId, action: `registration.${decision}`, entityType: 'registration', entityId: row.id, before: { state: from }, after: { state: decision, activity: activityId } });
    await out.add(trx, activityId, row, 'changed', decision);
    // A seat freed by a decline or a cancellation goes to the waiting list (one put there by the
    // organiser waits like the others: the seat it frees is the organiser's to give).
    if ((decision === 'declined' || decision === 'cancelled') && SEATED.includes(from)) await promote(trx, activityId, out, at, actorId);
    return 'done';
  });
  await out.dispatch();
  return outcome;
}

/**
 * Saves a meeting's registration settings. More seats (or none counted) go to the waiting list at
 * once. Fewer seats than are taken keep everyone seated: the organiser decides who moves.
 */
export async function saveRegistrationSettings(ctx: RegistrationContext, meeting: { id: number; workflow: string }, settings: RegistrationSettings, actorId: number, now = new Date()): Promise<{ promoted: number }> {
  const at = now.toISOString();
  const out = new Outgoing(ctx);
  const promoted = await ctx.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('meeting_registration').select(['form', 'form_key']).where('activity_id', '=', meeting.id).executeTakeFirst();
    // The form's link keeps its key while it stays by link; opened by link again, it gets a new one (an old link may have spread).
    const key = before?.form === 'link' && settings.form === 'link' && before.form_key ? before.form_key : newToken();
    const values = { open: settings.open ? 1 : 0, form: settings.form, form_key: key, closes_on: settings.closesOn, capacity: settings.capacity, approval: settings.approval, updated_at: at };
    await trx
      .insertInto('meeting_registration')
      .values({ activity_id: meeting.id, ...values })
      .onConflict((oc) => oc.column('activity_id').doUpdateSet(values))
      .execute();
    await lock(trx, meeting.id, at);
    await audit(trx, { actorUserId: actorId, action: 'activity.registration_settings', entityType: 'activity', entityId: meeting.id, after: settings });
    return promote(trx, meeting.id, out, at, actorId);
  });
  await out.dispatch();
  // The meeting's page says whether registration is open.
  await announceChange(ctx.db, { entity: 'activity', id: meeting.id, action: 'registration', public: meeting.workflow === 'published', visibleFrom: null });
  return { promoted };
}

export type EraseOutcome = 'erased' | 'still_active' | 'missing';

/**
 * Erases a person's details at their request, keeping what the meeting's anonymous figures count
 * (state, attendance, country or organisation, gender, delegation) so that they stay right. Their
 * passport details, the mails kept for them and their personal link go. A registration still
 * holding or waiting for a seat of a meeting not yet held is cancelled first, by the organiser.
 */
export async function eraseRegistration(db: Db, activityId: number, registrationId: number, actorId: number, meetingOver: boolean): Promise<EraseOutcome> {
  const at = nowIso();
  return db.transaction().execute(async (trx): Promise<EraseOutcome> => {
    // Under the meeting's lock, so that no decision or promotion acts on the row meanwhile.
    await lock(trx, activityId, at);
    const row = await trx.selectFrom('registrations').select(['id', 'state', 'email', 'erased_at']).where('id', '=', registrationId).where('activity_id', '=', activityId).executeTakeFirst();
    if (!row) return 'missing';
    if (row.erased_at) return 'erased';
    if (!meetingOver && canChange(row.state as RegistrationState)) return 'still_active';
    // After the meeting, a request still pending or waiting is closed: only an approval counted.
    const state = row.state === 'pending' || row.state === 'waitlisted' ? 'cancelled' : row.state;
    await trx.deleteFrom('registration_passports').where('registration_id', '=', row.id).execute();
    await trx.deleteFrom('registration_answers').where('registration_id', '=', row.id).execute();
    await trx.deleteFrom('outbox').where('about', '=', `registration:${row.id}`).execute();
    await trx
      .updateTable('registrations')
      .set({
        title: '',
        given_name: '',
        family_name: '',
        function: '',
        institution: '',
        email: `erased-${row.id}@invalid`,
        email_key: `erased-${row.id}@invalid`,
        phone: '',
        languages: '',
        dietary: '',
        accessibility: '',
        travel_support: 0,
        visa_letter: 0,
        consent_public: 0,
        token: newToken(),
        state,
        erased_at: at,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .where('erased_at', 'is', null)
      .execute();
    await trx.updateTable('meeting_invitations').set({ head_registration_id: null }).where('head_registration_id', '=', row.id).execute();
    // PDFs printed with the person's name (badges, lists, letters) are printed again without it.
    await trx.deleteFrom('meeting_prints').where('activity_id', '=', activityId).execute();
    await audit(trx, { actorUserId: actorId, action: 'registration.erased', entityType: 'registration', entityId: row.id, after: { activity: activityId } });
    return 'erased';
  });
}
