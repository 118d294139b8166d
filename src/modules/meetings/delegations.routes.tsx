import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { FileRejected, inspectFile, type FileKind } from '../../platform/files/inspect.js';
import { cleanFileName } from '../../platform/files/names.js';
import { checkForm } from '../../platform/forms/validation.js';
import { contentDisposition } from '../../platform/http/download.js';
import { notFound } from '../../platform/http/errors.js';
import { parseId, url } from '../../platform/http/urls.js';
import { formatDateRange, type DatePrecision } from '../../platform/i18n/dates.js';
import { translator, type MessageKey } from '../../platform/i18n/i18n.js';
import type { StagedFile } from '../../platform/storage/storage.js';
import type { FieldError } from '../../platform/views/forms.js';
import { UPLOAD_REFUSALS } from '../documents/index.js';
import { changeSeats, invitePartner, saveLetter, setHead, withdrawInvitation } from './delegations.commands.js';
import { delegationAbilities, invitationListAbilities, type Partner } from './delegations.policy.js';
import { delegatesOf, invitationById, invitationsForPartner, invitationsOf, letterOf, partnerValue, type Invitation } from './delegations.repository.js';
import { loadMeeting, publicMeetingById, type AgendaMeeting, meetingTitle } from './meetings.repository.js';
import { register } from './registration.commands.js';
import { bodyOf, meetingWithAbility } from './registration.access.js';
import { closingDay, isRegistrationOpen, lastDayOf, registrationSettings, representChoices } from './registration.repository.js';
import { registrationForm, registrationFormOptions } from './registration.schemas.js';
import { answersForm, questionsOf } from './questions.js';
import { DelegationPage, DelegationsList, InvitationsAdmin } from './delegations.views.js';

type Body = Record<string, unknown>;

/** A nomination letter: a scan or a signed document, at most this large. */
export const LETTER_MAX_BYTES = 10 * 1024 * 1024;
const LETTER_KINDS: readonly FileKind[] = ['pdf', 'docx', 'odt', 'jpeg', 'png'];
const MAX_SEATS = 1000;

/** Seats as typed: a whole number from 1 to 1,000, or null. */
const seatsOf = (v: unknown): number | null => (typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_SEATS ? Number(v) : null);

/** The partner a choice names (`c:SN`, `o:12`), when it is one of those offered. */
const partnerOfChoice = (v: unknown, offered: ReadonlySet<string>): Partner | null => {
  if (typeof v !== 'string' || !offered.has(v)) return null;
  return v.startsWith('c:') ? { countryCode: v.slice(2), organisationId: null } : { countryCode: null, organisationId: Number(v.slice(2)) };
};

const staging = new WeakMap<FastifyRequest, StagedFile>();

/**
 * Delegations in the back-office: the organiser's invitations of a meeting, a focal point's list
 * of their partner's invitations, and one delegation's page (delegates, head, letter, nominating).
 * Every page loads the invitation first and asks the policy about that record.
 */
export function registerDelegationAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;


  async function namesIn(lang: string) {
    const choices = await representChoices(db, lang);
    return { choices, names: new Map([...choices.countries, ...choices.organisations].map((o) => [o.value, o.label])) };
  }

  // ---- The organiser's invitations of a meeting ----


  async function invitationsPage(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, extra: { values?: Body; errors?: FieldError[]; notice?: string | null; rowError?: { id: number; message: string } | null; status?: number } = {}) {
    const tr = translator(adminLanguage(request));
    const [invitations, { choices, names }] = await Promise.all([invitationsOf(db, meeting.id), namesIn(tr.lang)]);
    const headIds = invitations.map((i) => i.headRegistrationId).filter((x): x is number => x !== null);
    const heads = new Map(headIds.length ? (await db.selectFrom('registrations').select(['id', 'given_name', 'family_name']).where('id', 'in', headIds).execute()).map((r) => [r.id, `${r.given_name} ${r.family_name}`]) : []);
    return renderAdmin(request, reply, {
      title: tr.t('delegation.admin.title', { title: meetingTitle(meeting, tr.lang) }),
      current: 'activities',
      status: extra.status ?? 200,
      body: ({ tr: t, csrf }) => (
        <InvitationsAdmin
          tr={t}
          csrf={csrf}
          title={meetingTitle(meeting, t.lang)}
          base={`/admin/activities/${meeting.id}/invitations`}
          registrationsHref={`/admin/activities/${meeting.id}/registrations`}
          invitations={invitations}
          names={names}
          heads={heads}
          choices={choices}
          values={extra.values ?? { seats: '2' }}
          errors={extra.errors ?? []}
          notice={extra.notice ?? null}
          rowError={extra.rowError ?? null}
        />
      ),
    });
  }

  const NOTICES: Record<string, MessageKey> = { invited: 'delegation.done.invited', seats: 'delegation.done.seats', withdrawn: 'delegation.done.withdrawn' };

  admin.get<{ Params: { id: string }; Querystring: { done?: string } }>('/activities/:id/invitations', async (request, reply) => {
    // Invitations are the organisers' (registration.manage), like the meeting's registration settings.
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const done = NOTICES[request.query.done ?? ''];
    return invitationsPage(request, reply, meeting, { notice: done ? translator(adminLanguage(request)).t(done) : null });
  });

  admin.post<{ Params: { id: string } }>('/activities/:id/invitations', async (request, reply) => {
    // Invitations are the organisers' (registration.manage), like the meeting's registration settings.
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const tr = translator(adminLanguage(request));
    const body = bodyOf(request);
    const values = { partner: typeof body.partner === 'string' ? body.partner : '', seats: typeof body.seats === 'string' ? body.seats : '' };
    const { choices } = await namesIn(tr.lang);
    const partner = partnerOfChoice(values.partner, new Set([...choices.countries, ...choices.organisations].map((o) => o.value)));
    const seats = seatsOf(values.seats);
    const errors: FieldError[] = [];
    if (!partner) errors.push({ field: 'partner', message: tr.t('delegation.error.partner') });
    if (seats === null) errors.push({ field: 'seats', message: tr.t('delegation.error.seats', { max: MAX_SEATS }) });
    if (!(await registrationSettings(db, meeting.id))) errors.push({ field: 'partner', message: tr.t('delegation.error.noSettings') });
    if (errors.length) return invitationsPage(request, reply, meeting, { values, errors, status: 400 });
    const outcome = await invitePartner(admin.diwan, meeting.id, partner!, seats!, request.actor!.id);
    if (outcome.kind === 'exists') return invitationsPage(request, reply, meeting, { values, errors: [{ field: 'partner', message: tr.t('delegation.error.exists') }], status: 409 });
    if (outcome.kind === 'missing') return invitationsPage(request, reply, meeting, { values, errors: [{ field: 'partner', message: tr.t('delegation.error.noSettings') }], status: 400 });
    request.log.info({ actor: request.actor!.id, activity: meeting.id, invitation: outcome.id }, 'partner invited');
    return reply.redirect(`/admin/activities/${meeting.id}/invitations?done=invited`, 303);
  });

  /** The invitation named in the path, when it belongs to the meeting named there. */
  async function invitationOfMeeting(meeting: AgendaMeeting, raw: string): Promise<Invitation> {
    const id = parseId(raw);
    const invitation = id ? await invitationById(db, id) : null;
    if (!invitation || invitation.activityId !== meeting.id) throw notFound();
    return invitation;
  }

  admin.post<{ Params: { id: string; invitation: string } }>('/activities/:id/invitations/:invitation/seats', async (request, reply) => {
    // Invitations are the organisers' (registration.manage), like the meeting's registration settings.
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const invitation = await invitationOfMeeting(meeting, request.params.invitation);
    if (!delegationAbilities(request.actor, invitation).seats) return guard(request, reply, false);
    const tr = translator(adminLanguage(request));
    const seats = seatsOf(bodyOf(request).seats);
    if (seats === null) return invitationsPage(request, reply, meeting, { rowError: { id: invitation.id, message: tr.t('delegation.error.seats', { max: MAX_SEATS }) }, status: 400 });
    await changeSeats(admin.diwan, invitation, seats, request.actor!.id);
    return reply.redirect(`/admin/activities/${meeting.id}/invitations?done=seats`, 303);
  });

  admin.post<{ Params: { id: string; invitation: string } }>('/activities/:id/invitations/:invitation/withdraw', async (request, reply) => {
    // Invitations are the organisers' (registration.manage), like the meeting's registration settings.
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const invitation = await invitationOfMeeting(meeting, request.params.invitation);
    if (!delegationAbilities(request.actor, invitation).withdraw) return guard(request, reply, false);
    const tr = translator(adminLanguage(request));
    if ((await withdrawInvitation(admin.diwan, invitation, request.actor!.id)) === 'has_delegates') return invitationsPage(request, reply, meeting, { rowError: { id: invitation.id, message: tr.t('delegation.error.hasDelegates') }, status: 409 });
    return reply.redirect(`/admin/activities/${meeting.id}/invitations?done=withdrawn`, 303);
  });

  // ---- A focal point's invitations ----

  admin.get('/delegations', async (request, reply) => {
    const denied = guard(request, reply, invitationListAbilities(request.actor).own);
    if (denied) return denied;
    const actor = request.actor!;
    const tr = translator(adminLanguage(request));
    const partner = { countryCode: actor.countryCode, organisationId: actor.countryCode ? null : actor.organisationId };
    const [items, { names }] = await Promise.all([invitationsForPartner(db, partner, tr.lang, config.defaultLanguage), namesIn(tr.lang)]);
    return renderAdmin(request, reply, {
      title: tr.t('delegation.list.title'),
      current: 'delegations',
      body: ({ tr: t }) => <DelegationsList tr={t} partner={names.get(partnerValue(partner)) ?? ''} items={items} />,
    });
  });

  // ---- One delegation ----

  async function delegationFor(request: FastifyRequest, reply: FastifyReply, need: 'view' | 'nominate' | 'head' | 'letter'): Promise<{ invitation: Invitation; meeting: AgendaMeeting; can: ReturnType<typeof delegationAbilities> } | { denied: FastifyReply }> {
    const id = parseId((request.params as { invitation?: string }).invitation);
    if (!id) throw notFound();
    if (!request.actor) return { denied: guard(request, reply, false)! };
    const invitation = await invitationById(db, id);
    // Another partner's invitation is not found, rather than forbidden: its existence is not theirs to know.
    const can = invitation ? delegationAbilities(request.actor, invitation) : null;
    if (!invitation || !can?.view) throw notFound();
    const meeting = await loadMeeting(db, invitation.activityId);
    if (!meeting) throw notFound();
    const denied = guard(request, reply, can[need]);
    return denied ? { denied } : { invitation, meeting, can };
  }

  /** Until when the delegation may nominate: while the meeting takes registrations (whatever its public form), or null. */
  async function nominationsClose(meeting: AgendaMeeting): Promise<string | null> {
    const settings = await registrationSettings(db, meeting.id);
    if (!settings || !isRegistrationOpen(meeting, settings, config.timeZone, new Date())) return null;
    return closingDay(meeting, settings.closesOn);
  }

  async function delegationPage(
    request: FastifyRequest,
    reply: FastifyReply,
    found: { invitation: Invitation; meeting: AgendaMeeting; can: ReturnType<typeof delegationAbilities> },
    extra: { values?: Body; errors?: FieldError[]; headErrors?: FieldError[]; letterErrors?: FieldError[]; notice?: string | null; status?: number } = {},
  ) {
    const tr = translator(adminLanguage(request));
    const { invitation, meeting, can } = found;
    const [fresh, delegates, { choices, names }, closesOn, shown, questions] = await Promise.all([
      invitationById(db, invitation.id),
      delegatesOf(db, invitation.id),
      namesIn(tr.lang),
      nominationsClose(meeting),
      publicMeetingById(db, meeting.id, tr.lang, new Date().toISOString()),
      questionsOf(db, meeting.id),
    ]);
    const partner = { value: partnerValue(invitation), label: names.get(partnerValue(invitation)) ?? '' };
    const slug = shown?.slugs[tr.lang] ?? Object.values(shown?.slugs ?? {})[0];
    return renderAdmin(request, reply, {
      title: tr.t('delegation.page.title', { partner: partner.label, meeting: meetingTitle(meeting, tr.lang) }),
      current: can.registrations ? 'activities' : 'delegations',
      status: extra.status ?? 200,
      body: ({ tr: t, csrf }) => (
        <DelegationPage
          tr={t}
          csrf={csrf}
          invitation={fresh ?? invitation}
          partner={partner}
          meeting={{ title: meetingTitle(meeting, t.lang), dates: formatDateRange(meeting.startDate, meeting.endDate, meeting.datePrecision as DatePrecision, t.lang), href: slug ? url('activities.show', shown!.slugs[t.lang] ? t.lang : Object.keys(shown!.slugs)[0]!, { slug }) : null }}
          delegates={delegates}
          listHref={can.registrations ? `/admin/activities/${meeting.id}/invitations` : '/admin/delegations'}
          registrationsHref={can.registrations ? `/admin/activities/${meeting.id}/registrations` : null}
          closesOn={closesOn}
          lastDay={lastDayOf(meeting) ?? meeting.startDate}
          choices={choices}
          values={extra.values ?? { represents: partner.value, languages: [] }}
          errors={extra.errors ?? []}
          headErrors={extra.headErrors ?? []}
          letterErrors={extra.letterErrors ?? []}
          maxLetterMb={Math.round(LETTER_MAX_BYTES / 1024 / 1024)}
          notice={extra.notice ?? null}
          questions={questions}
        />
      ),
    });
  }

  const DONE: Record<string, MessageKey> = { nominated: 'delegation.done.nominated', again: 'delegation.done.again', head: 'delegation.done.head', letter: 'delegation.done.letter' };

  admin.get<{ Params: { invitation: string }; Querystring: { done?: string } }>('/delegations/:invitation', async (request, reply) => {
    const found = await delegationFor(request, reply, 'view');
    if ('denied' in found) return found.denied;
    const done = DONE[request.query.done ?? ''];
    return delegationPage(request, reply, found, { notice: done ? translator(adminLanguage(request)).t(done) : null });
  });

  admin.post<{ Params: { invitation: string } }>('/delegations/:invitation/nominate', async (request, reply) => {
    const found = await delegationFor(request, reply, 'nominate');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const { invitation, meeting } = found;
    const settings = await registrationSettings(db, meeting.id);
    const now = new Date();
    const closed = () => delegationPage(request, reply, found, { notice: tr.t('delegation.page.closed'), status: 409 });
    if (!settings || !isRegistrationOpen(meeting, settings, config.timeZone, now)) return closed();
    const partner = partnerValue(invitation);
    // The delegation is the invitation's, whatever the form says.
    const form = registrationForm({ ...bodyOf(request), represents: partner }, { choices: new Set([partner]), lastDay: lastDayOf(meeting)!, withEmail: true, lang: tr.lang });
    const checked = await checkForm(form.schema, form.values, tr, registrationFormOptions(tr, form.order));
    const asked = answersForm(bodyOf(request), await questionsOf(db, meeting.id), tr);
    if (!checked.ok || asked.errors.length) return delegationPage(request, reply, found, { values: { ...form.values, ...asked.values }, errors: [...(checked.ok ? [] : checked.errors), ...asked.errors], status: 400 });
    // The delegate reads their mails in the language the focal point works in.
    const outcome = await register(admin.diwan, meeting.id, { ...checked.data, answers: asked.answers, lang: tr.lang }, (s) => isRegistrationOpen(meeting, { ...settings, ...s }, config.timeZone, now), now, { invitationId: invitation.id, by: request.actor!.id });
    if (outcome.kind === 'closed') return closed();
    request.log.info({ actor: request.actor!.id, invitation: invitation.id, registration: outcome.id, state: outcome.state }, 'delegate nominated');
    return reply.redirect(`/admin/delegations/${invitation.id}?done=${outcome.kind === 'again' ? 'again' : 'nominated'}`, 303);
  });

  admin.post<{ Params: { invitation: string } }>('/delegations/:invitation/head', async (request, reply) => {
    const found = await delegationFor(request, reply, 'head');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const raw = bodyOf(request).head;
    const head = raw === '' ? null : parseId(typeof raw === 'string' ? raw : undefined) || -1;
    if (head === -1 || !(await setHead(db, found.invitation.id, head, request.actor!.id))) return delegationPage(request, reply, found, { headErrors: [{ field: 'head', message: tr.t('delegation.error.head') }], status: 400 });
    return reply.redirect(`/admin/delegations/${found.invitation.id}?done=head`, 303);
  });

  admin.get<{ Params: { invitation: string } }>('/delegations/:invitation/letter', async (request, reply) => {
    const found = await delegationFor(request, reply, 'letter');
    if ('denied' in found) return found.denied;
    const letter = await letterOf(db, found.invitation.id);
    if (!letter) throw notFound();
    return reply
      .header('content-type', letter.mime)
      .header('content-disposition', contentDisposition(letter.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .send(letter.content);
  });

  // The letter's upload: multipart is parsed only here, after the session, the policy on the
  // loaded invitation and the declared size are checked; the file streams to a temporary under the
  // limit, is checked by content like the library's uploads, and is kept in one transaction.
  admin.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (!request.actor) return guard(request, reply, false);
      const found = await delegationFor(request, reply, 'letter');
      if ('denied' in found) return found.denied;
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > LETTER_MAX_BYTES + 64 * 1024) {
        reply.header('connection', 'close');
        return reply.code(413).type('text/plain; charset=utf-8').send(translator(adminLanguage(request)).t('documents.refused.tooLarge', { max: Math.round(LETTER_MAX_BYTES / 1024 / 1024) }));
      }
    });
    const discard = async (request: FastifyRequest) => {
      await staging.get(request)?.discard().catch(() => undefined);
      staging.delete(request);
    };
    scope.addHook('onSend', async (request) => discard(request));
    scope.addHook('onResponse', async (request) => discard(request));
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: LETTER_MAX_BYTES, files: 1, fields: 4, fieldSize: 4 * 1024, parts: 5 },
      async onFile(part) {
        const request = this as unknown as FastifyRequest;
        const entry: { name: string; staged: StagedFile | null; truncated: boolean } = { name: part.filename, staged: null, truncated: false };
        if (part.filename && !staging.has(request)) {
          try {
            const staged = await admin.diwan.files.stage(part.file, { maxBytes: LETTER_MAX_BYTES + 1 });
            staging.set(request, staged);
            entry.staged = staged;
            entry.truncated = part.file.truncated;
          } catch {
            entry.truncated = true;
            part.file.resume();
          }
        } else part.file.resume();
        (part as unknown as { value: typeof entry }).value = entry;
      },
    });
    scope.post<{ Params: { invitation: string } }>('/delegations/:invitation/letter', async (request, reply) => {
      const found = await delegationFor(request, reply, 'letter');
      if ('denied' in found) return found.denied;
      const tr = translator(adminLanguage(request));
      const max = Math.round(LETTER_MAX_BYTES / 1024 / 1024);
      const part = bodyOf(request).letter as { name: string; staged: StagedFile | null; truncated: boolean } | undefined;
      const refuse = (message: string) => {
        reply.header('connection', 'close');
        return delegationPage(request, reply, found, { letterErrors: [{ field: 'letter', message }], status: 400 });
      };
      if (!part || typeof part !== 'object' || !part.name) return refuse(tr.t('documents.upload.none'));
      if (part.truncated) return refuse(tr.t('documents.refused.tooLarge', { max }));
      if (!part.staged) return refuse(tr.t('documents.refused.failed'));
      let kind: FileKind;
      let extension: string;
      let mime: string;
      try {
        ({ kind, extension, mime } = await inspectFile(part.staged.path, { declaredName: part.name }));
      } catch (err) {
        if (!(err instanceof FileRejected)) throw err;
        return refuse(tr.t(UPLOAD_REFUSALS[err.reason] ?? 'documents.refused.unsupported', { max, name: part.name.slice(0, 120) }));
      }
      if (!LETTER_KINDS.includes(kind)) return refuse(tr.t('delegation.error.letterKind'));
      await saveLetter(db, found.invitation.id, { fileName: cleanFileName(part.name, extension), mime, content: await readFile(part.staged.path) }, request.actor!.id);
      return reply.redirect(`/admin/delegations/${found.invitation.id}?done=letter`, 303);
    });
  });
}
