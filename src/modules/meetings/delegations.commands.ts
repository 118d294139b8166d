import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { translator } from '../../platform/i18n/i18n.js';
import type { MailMessage } from '../../platform/mail/mailer.js';
import { focalPointsOf } from './delegations.repository.js';
import type { Partner } from './delegations.policy.js';
import { lock, Outgoing, promote, type RegistrationContext } from './registration.commands.js';

/**
 * Invitations and what a delegation's focal point does with one. Seats change under the meeting's
 * registration lock (as every seat does), and seats given to a delegation go at once to its
 * delegates on the waiting list. Audit entries carry ids and numbers, never names.
 */

/** The mail telling a focal point their partner is invited: which meeting, how many seats, where to nominate. */
export function invitationMail(input: { lang: string; email: string; name: string; meeting: string; seats: number; link: string }): MailMessage {
  const tr = translator(input.lang);
  const values = { meeting: input.meeting, seats: input.seats, name: input.name };
  return {
    to: input.email,
    subject: tr.t('delegation.mail.subject', values),
    text: [tr.t('delegation.mail.greeting', values), '', tr.t('delegation.mail.body', values), '', tr.t('delegation.mail.link'), input.link, '', tr.t('delegation.mail.private')].join('\n'),
    purpose: 'delegation_invited',
  };
}

async function storedTitle(db: Db, activityId: number, lang: string): Promise<string> {
  const rows = await db.selectFrom('activity_translations').select(['lang', 'title']).where('activity_id', '=', activityId).execute();
  return (rows.find((r) => r.lang === lang) ?? rows[0])?.title ?? `#${activityId}`;
}

export type InviteOutcome = { kind: 'invited'; id: number } | { kind: 'exists' } | { kind: 'missing' };

/**
 * Invites a partner to a meeting with seats for its delegation, and tells its focal points by mail
 * (recorded with the invitation, queued once it has committed). A partner is invited once per meeting.
 */
export async function invitePartner(ctx: RegistrationContext, activityId: number, partner: Partner, seats: number, actorId: number, now = new Date()): Promise<InviteOutcome> {
  const at = now.toISOString();
  const mails: number[] = [];
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<InviteOutcome> => {
    if (!(await lock(trx, activityId, at))) return { kind: 'missing' };
    let q = trx.selectFrom('meeting_invitations').select('id').where('activity_id', '=', activityId);
    q = partner.countryCode !== null ? q.where('country_code', '=', partner.countryCode) : q.where('organisation_id', '=', partner.organisationId);
    if (await q.executeTakeFirst()) return { kind: 'exists' };
    const { id } = await trx
      .insertInto('meeting_invitations')
      .values({ activity_id: activityId, country_code: partner.countryCode, organisation_id: partner.organisationId, seats, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: actorId, action: 'delegation.invited', entityType: 'invitation', entityId: id, after: { activity: activityId, seats, partner: partner.countryCode ?? `o:${partner.organisationId}` } });
    for (const fp of await focalPointsOf(trx, partner)) {
      const lang = ctx.config.languages.includes(fp.lang) ? fp.lang : ctx.config.languages[0]!;
      mails.push(await ctx.mailer.record(trx, invitationMail({ lang, email: fp.email, name: fp.name, meeting: await storedTitle(trx, activityId, lang), seats, link: `${ctx.baseUrl}/admin/delegations/${id}` })));
    }
    return { kind: 'invited', id };
  });
  for (const id of mails) await ctx.mailer.dispatch(id);
  return outcome;
}

/**
 * Changes a delegation's seats. More seats go at once to its delegates waiting (oldest first, the
 * meeting's seats allowing); fewer than are held keep everyone seated: the organiser decides who moves.
 */
export async function changeSeats(ctx: RegistrationContext, invitation: { id: number; activityId: number }, seats: number, actorId: number, now = new Date()): Promise<{ promoted: number }> {
  const at = now.toISOString();
  const out = new Outgoing(ctx);
  const promoted = await ctx.db.transaction().execute(async (trx) => {
    await lock(trx, invitation.activityId, at);
    const before = await trx.selectFrom('meeting_invitations').select('seats').where('id', '=', invitation.id).executeTakeFirst();
    if (!before) return 0;
    await trx.updateTable('meeting_invitations').set({ seats, updated_at: at }).where('id', '=', invitation.id).execute();
    await audit(trx, { actorUserId: actorId, action: 'delegation.seats', entityType: 'invitation', entityId: invitation.id, before: { seats: before.seats }, after: { seats, activity: invitation.activityId } });
    return promote(trx, invitation.activityId, out, at, actorId);
  });
  await out.dispatch();
  return { promoted };
}

/** Withdraws an invitation; refused while any of its delegates holds or waits for a seat. */
export async function withdrawInvitation(ctx: RegistrationContext, invitation: { id: number; activityId: number }, actorId: number, now = new Date()): Promise<'withdrawn' | 'has_delegates'> {
  const at = now.toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    await lock(trx, invitation.activityId, at);
    const active = await trx.selectFrom('registrations').select('id').where('invitation_id', '=', invitation.id).where('state', 'in', ['pending', 'approved', 'waitlisted']).limit(1).executeTakeFirst();
    if (active) return 'has_delegates';
    await trx.updateTable('registrations').set({ invitation_id: null }).where('invitation_id', '=', invitation.id).execute();
    await trx.deleteFrom('meeting_invitations').where('id', '=', invitation.id).execute();
    await audit(trx, { actorUserId: actorId, action: 'delegation.withdrawn', entityType: 'invitation', entityId: invitation.id, after: { activity: invitation.activityId } });
    return 'withdrawn';
  });
}

/** Names the head of delegation (one of its delegates still holding or waiting for a seat), or nobody; false when that registration is not one. */
export async function setHead(db: Db, invitationId: number, registrationId: number | null, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    if (registrationId !== null) {
      const delegate = await trx.selectFrom('registrations').select('id').where('id', '=', registrationId).where('invitation_id', '=', invitationId).where('state', 'in', ['pending', 'approved', 'waitlisted']).executeTakeFirst();
      if (!delegate) return false;
    }
    const r = await trx.updateTable('meeting_invitations').set({ head_registration_id: registrationId, updated_at: new Date().toISOString() }).where('id', '=', invitationId).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    await audit(trx, { actorUserId: actorId, action: 'delegation.head', entityType: 'invitation', entityId: invitationId, after: { registration: registrationId } });
    return true;
  });
}

/** Keeps the nomination letter (replacing an earlier one), already checked by content. */
export async function saveLetter(db: Db, invitationId: number, letter: { fileName: string; mime: string; content: Buffer }, actorId: number): Promise<void> {
  const at = new Date().toISOString();
  const values = { file_name: letter.fileName, mime: letter.mime, size: letter.content.length, content: letter.content, uploaded_by: actorId, uploaded_at: at };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('invitation_letters')
      .values({ invitation_id: invitationId, ...values })
      .onConflict((oc) => oc.column('invitation_id').doUpdateSet(values))
      .execute();
    await audit(trx, { actorUserId: actorId, action: 'delegation.letter', entityType: 'invitation', entityId: invitationId, after: { size: letter.content.length, mime: letter.mime } });
  });
}
