import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { adminLanguage, renderAdmin } from '../../platform/admin/shell.js';
import { checkForm } from '../../platform/forms/validation.js';
import { notFound } from '../../platform/http/errors.js';
import { fromAnotherSite, clientNetwork, takeForNetwork } from '../../platform/http/public-forms.js';
import { parseId, routePattern, url } from '../../platform/http/urls.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import type { FieldError } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { loadMeeting, publicMeetingById, publicMeetingBySlug, type AgendaMeeting, type PublicMeeting, meetingTitle } from './meetings.repository.js';
import { canChange, cancelRegistration, correctRegistration, decide, decisionsFor, eraseRegistration, register, saveRegistrationSettings } from './registration.commands.js';
import { contentDisposition } from '../../platform/http/download.js';
import { announceChange } from '../../platform/events/changes.js';
import { registrationAbilities } from './registration.policy.js';
import { bodyOf, meetingWithAbility } from './registration.access.js';
import { answersForm, answersOf, answerText, inLang, questionField, questionsOf } from './questions.js';
import {
  closingDay,
  closingInstant,
  hasOutcomes,
  isRegistrationOpen,
  lastDayOf,
  mayUseForm,
  meetingPhase,
  passportOf,
  personalData,
  registrationByToken,
  registrationOf,
  registrationSettings,
  registrationsOf,
  representChoices,
  stateCounts,
  type Registration,
  type StoredSettings,
} from './registration.repository.js';
import { DECISIONS, REGISTRATION_LIMITS, REGISTRATION_STATES, registrationForm, registrationFormOptions, settingsForm, settingsFormOptions, type Decision, type RegistrationState } from './registration.schemas.js';
import { OwnRegistrationPage, RegisterPage, RegistrationAdmin, RegistrationMessage, RegistrationsAdmin, registrationValues, type Choices } from './registration.views.js';

type Body = Record<string, unknown>;
type SlugParams = { Params: { lang: string; slug: string }; Querystring: { key?: string } };
type TokenParams = { Params: { lang: string; token: string }; Querystring: { done?: string } };

const HOUR = 3600_000;

const choiceSet = (c: Choices) => new Set([...c.countries, ...c.organisations].map((o) => o.value));

/** A registration's answers to the organiser's questions (retired ones too), as read in a language. */
async function answersFor(db: Db, r: Registration, tr: Translator): Promise<{ question: string; answer: string }[]> {
  const questions = await questionsOf(db, r.activityId, { retired: true });
  const given = (await answersOf(db, [r.id])).get(r.id);
  return questions.filter((q) => given?.has(q.id)).map((q) => ({ question: inLang(q.labels, tr.lang), answer: answerText(q, given!.get(q.id)!, tr) }));
}

/** The public pages of registration: the form of a meeting, the page after it, and each registrant's own page. */
export function registerRegistrationRoutes(app: FastifyInstance): void {
  const ctx = () => app.diwan;
  const languageOf = (lang: string) => (ctx().config.languages.includes(lang) ? translator(lang) : null);

  /** A page about one person's registration, or a form: never cached, not indexed, its address not sent to other sites. */
  const render = async (request: FastifyRequest, reply: FastifyReply, tr: Translator, path: string, title: string, body: JSX.Element, status = 200) => {
    const html = await (
      <Layout tr={tr} stylesheet={ctx().assets.stylesheet} current="activities" languages={ctx().config.languages} nav={await ctx().navigation(tr.lang)} meta={{ title, baseUrl: ctx().baseUrl, path, alternates: { [tr.lang]: path }, noindex: true }}>
        {body}
      </Layout>
    );
    return sendHtml(request, reply, html, { lang: tr.lang, status, headers: { 'referrer-policy': 'same-origin' } });
  };

  async function meetingOf(lang: string, slug: string): Promise<PublicMeeting | null> {
    if (!ctx().config.languages.includes(lang) || slug.length > 300) return null;
    const meeting = await publicMeetingBySlug(ctx().db, lang, slug, new Date().toISOString());
    return meeting && lastDayOf(meeting) ? meeting : null;
  }

  /** Instead of the form: registration is closed, or by invitation (for those without the form's link). */
  const formRefused = (request: FastifyRequest, reply: FastifyReply, tr: Translator, meeting: PublicMeeting, why: 'closed' | 'invited') =>
    render(
      request,
      reply,
      tr,
      url('activities.register', tr.lang, { slug: meeting.slugs[tr.lang]! }),
      tr.t(`registration.${why}.title`),
      <RegistrationMessage tr={tr} testId={`registration-${why}`} title={tr.t(`registration.${why}.title`)} paragraphs={[tr.t(`registration.${why}.body`, { title: meeting.title })]} links={[{ href: url('activities.show', tr.lang, { slug: meeting.slugs[tr.lang]! }), label: tr.t('registration.back') }]} />,
      why === 'invited' ? 403 : 200,
    );
  const closedPage = (request: FastifyRequest, reply: FastifyReply, tr: Translator, meeting: PublicMeeting) => formRefused(request, reply, tr, meeting, 'closed');
  const invitedPage = (request: FastifyRequest, reply: FastifyReply, tr: Translator, meeting: PublicMeeting) => formRefused(request, reply, tr, meeting, 'invited');

  async function formPage(request: FastifyRequest, reply: FastifyReply, tr: Translator, meeting: PublicMeeting, settings: StoredSettings, values: Body, errors: FieldError[], status = 200) {
    const slug = meeting.slugs[tr.lang]!;
    const path = url('activities.register', tr.lang, { slug });
    const closesOn = settings.closesOn;
    return render(
      request,
      reply,
      tr,
      path,
      errors.length ? tr.t('registration.errorTitle', { title: meeting.title }) : tr.t('registration.titleOf', { title: meeting.title }),
      <RegisterPage
        tr={tr}
        title={meeting.title}
        meetingHref={url('activities.show', tr.lang, { slug })}
        action={settings.form === 'link' && settings.formKey ? `${path}?key=${settings.formKey}` : path}
        values={values}
        errors={errors}
        choices={await representChoices(ctx().db, tr.lang)}
        lastDay={lastDayOf(meeting)!}
        closesOn={closingDay(meeting, closesOn)!}
        questions={await questionsOf(ctx().db, meeting.id)}
      />,
      status,
    );
  }

  app.get<SlugParams>(routePattern('activities.register'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    const meeting = tr ? await meetingOf(request.params.lang, request.params.slug) : null;
    if (!tr || !meeting) return sendError(request, reply, 'notFound', 404);
    const settings = await registrationSettings(ctx().db, meeting.id);
    if (!settings) return sendError(request, reply, 'notFound', 404);
    if (!isRegistrationOpen(meeting, settings, ctx().config.timeZone, new Date())) return closedPage(request, reply, tr, meeting);
    if (!mayUseForm(settings, request.query.key)) return invitedPage(request, reply, tr, meeting);
    return formPage(request, reply, tr, meeting, settings, {}, []);
  });

  app.get<SlugParams>(routePattern('activities.registerSent'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    const meeting = tr ? await meetingOf(request.params.lang, request.params.slug) : null;
    if (!tr || !meeting) return sendError(request, reply, 'notFound', 404);
    return render(
      request,
      reply,
      tr,
      url('activities.registerSent', tr.lang, { slug: request.params.slug }),
      tr.t('registration.sent.title'),
      <RegistrationMessage tr={tr} testId="registration-sent" title={tr.t('registration.sent.title')} paragraphs={[tr.t('registration.sent.body', { title: meeting.title }), tr.t('registration.sent.nothing')]} links={[{ href: url('activities.show', tr.lang, { slug: request.params.slug }), label: tr.t('registration.back') }]} />,
    );
  });

  /** The registration a personal link opens, with its meeting (as the public sees it, or by id once it is no longer public). */
  async function own(lang: string, token: string): Promise<{ registration: Registration; meeting: AgendaMeeting; title: string; meetingHref: string } | null> {
    const registration = await registrationByToken(ctx().db, token);
    if (!registration) return null;
    const meeting = await loadMeeting(ctx().db, registration.activityId);
    if (!meeting) return null;
    const shown = await publicMeetingById(ctx().db, meeting.id, lang, new Date().toISOString());
    const title = shown?.title ?? meeting.titles[lang] ?? Object.values(meeting.titles)[0] ?? '';
    const slug = shown?.slugs[lang] ?? Object.values(shown?.slugs ?? {})[0];
    return { registration, meeting, title, meetingHref: slug ? url('activities.show', lang, { slug }) : url('activities.list', lang) };
  }

  /** Whether the registrant may still correct or cancel: while the registration is active and the meeting not over. */
  const stillChangeable = (r: Registration, meeting: AgendaMeeting) => {
    if (!canChange(r.state) || meeting.status === 'cancelled' || meeting.status === 'held') return false;
    const closes = closingInstant(meeting, { closesOn: null }, ctx().config.timeZone);
    return !!closes && new Date() < closes;
  };

  const invalidLink = (request: FastifyRequest, reply: FastifyReply, tr: Translator, token: string) =>
    render(request, reply, tr, url('registrations.show', tr.lang, { token }), tr.t('registration.invalid.title'), <RegistrationMessage tr={tr} testId="registration-invalid" title={tr.t('registration.invalid.title')} paragraphs={[tr.t('registration.invalid.body')]} links={[{ href: url('activities.list', tr.lang), label: tr.t('registration.invalid.activities') }]} />, 404);

  /** The delegation a nominated delegate belongs to, as the form fixes it (a delegate does not choose another). */
  async function delegationOf(r: Registration, lang: string): Promise<{ value: string; label: string } | undefined> {
    if (r.invitationId === null) return undefined;
    const invitation = await ctx().db.selectFrom('meeting_invitations').select(['country_code', 'organisation_id']).where('id', '=', r.invitationId).executeTakeFirst();
    if (!invitation) return undefined;
    const value = invitation.country_code !== null ? `c:${invitation.country_code}` : `o:${invitation.organisation_id}`;
    const choices = await representChoices(ctx().db, lang);
    return { value, label: [...choices.countries, ...choices.organisations].find((o) => o.value === value)?.label ?? '' };
  }

  async function ownPage(request: FastifyRequest, reply: FastifyReply, tr: Translator, token: string, found: NonNullable<Awaited<ReturnType<typeof own>>>, values: Body | null, errors: FieldError[], notice: string | null, status = 200) {
    const { registration: r, meeting } = found;
    const passport = values ? null : r.hasPassport ? await passportOf(ctx().db, r.id) : null;
    const questions = await questionsOf(ctx().db, r.activityId);
    const answered = values ? null : ((await answersOf(ctx().db, [r.id])).get(r.id) ?? new Map<number, string>());
    return render(
      request,
      reply,
      tr,
      url('registrations.show', tr.lang, { token }),
      tr.t('registration.own.title', { title: found.title }),
      <OwnRegistrationPage
        tr={tr}
        title={found.title}
        meetingHref={found.meetingHref}
        registration={r}
        values={values ?? { ...registrationValues(r, passport), ...Object.fromEntries(questions.map((q) => [questionField(q), answered?.get(q.id) ?? ''])) }}
        questions={questions}
        partner={await delegationOf(r, tr.lang)}
        errors={errors}
        choices={await representChoices(ctx().db, tr.lang)}
        lastDay={lastDayOf(meeting) ?? meeting.startDate}
        action={url('registrations.show', tr.lang, { token })}
        cancelAction={url('registrations.cancel', tr.lang, { token })}
        dataHref={url('registrations.data', tr.lang, { token })}
        changeable={stillChangeable(r, meeting)}
        notice={notice}
      />,
      status,
    );
  }

  app.get<TokenParams>(routePattern('registrations.show'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    const found = await own(tr.lang, request.params.token);
    if (!found) return invalidLink(request, reply, tr, request.params.token);
    const done = request.query.done;
    const notice = done === 'saved' ? tr.t('registration.own.saved') : done === 'cancelled' ? tr.t('registration.own.cancelled') : null;
    return ownPage(request, reply, tr, request.params.token, found, null, [], notice);
  });

  // The registrant's own data, passport details included (they are theirs), as JSON.
  app.get<TokenParams>(routePattern('registrations.data'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    const found = await own(tr.lang, request.params.token);
    if (!found) return invalidLink(request, reply, tr, request.params.token);
    const r = found.registration;
    const choices = await representChoices(ctx().db, tr.lang);
    const represents = [...choices.countries, ...choices.organisations].find((o) => o.value === (r.countryCode ? `c:${r.countryCode}` : `o:${r.organisationId}`))?.label ?? '';
    const data = personalData(r, { meeting: found.title, represents, passport: r.hasPassport ? await passportOf(ctx().db, r.id) : null, answers: await answersFor(ctx().db, r, tr) });
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', contentDisposition('my-registration.json'))
      .header('cache-control', 'private, no-store')
      .header('referrer-policy', 'same-origin')
      .header('x-robots-tag', 'noindex')
      .send(JSON.stringify(data, null, 2));
  });

  // Posts from the site's own forms, checked for their origin before their (small) body is read;
  // a new registration also counts against its network's hourly allowance.
  void app.register(async (forms) => {
    await forms.register(formbody, { bodyLimit: REGISTRATION_LIMITS.bodyBytes });
    const sameSite = async (request: FastifyRequest<{ Params: { lang: string } }>, reply: FastifyReply) => {
      if (!languageOf(request.params.lang)) return sendError(request, reply, 'notFound', 404);
      if (fromAnotherSite(request, ctx().baseUrl)) return sendError(request, reply, 'forbidden', 403);
    };
    const counted = async (request: FastifyRequest<{ Params: { lang: string } }>, reply: FastifyReply) => {
      const refused = await sameSite(request, reply);
      if (refused) return refused;
      // Every post counts against a generous allowance (corrections of typos included); only a
      // registration that passes the checks counts against the configured one (below).
      const network = clientNetwork(request);
      if (!(await takeForNetwork(ctx().db, 'registration-post', network, ctx().config.registrationsPerIpPerHour * 5, HOUR))) {
        reply.header('retry-after', '3600');
        return sendError(request, reply, 'tooMany', 429);
      }
    };

    forms.post<SlugParams>(routePattern('activities.register'), { bodyLimit: REGISTRATION_LIMITS.bodyBytes, onRequest: counted }, async (request, reply) => {
      const tr = translator(request.params.lang);
      const meeting = await meetingOf(request.params.lang, request.params.slug);
      if (!meeting) return sendError(request, reply, 'notFound', 404);
      const settings = await registrationSettings(ctx().db, meeting.id);
      const now = new Date();
      if (!settings || !isRegistrationOpen(meeting, settings, ctx().config.timeZone, now)) return closedPage(request, reply, tr, meeting);
      if (!mayUseForm(settings, request.query.key)) return invitedPage(request, reply, tr, meeting);
      const choices = await representChoices(ctx().db, tr.lang);
      const form = registrationForm(bodyOf(request), { choices: choiceSet(choices), lastDay: lastDayOf(meeting)!, withEmail: true, lang: tr.lang });
      const checked = await checkForm(form.schema, form.values, tr, registrationFormOptions(tr, form.order));
      const asked = answersForm(bodyOf(request), await questionsOf(ctx().db, meeting.id), tr);
      if (!checked.ok || asked.errors.length) return formPage(request, reply, tr, meeting, settings, { ...form.values, ...asked.values }, [...(checked.ok ? [] : checked.errors), ...asked.errors], 400);
      const network = clientNetwork(request);
      if (!(await takeForNetwork(ctx().db, 'registration', network, ctx().config.registrationsPerIpPerHour, HOUR))) {
        reply.header('retry-after', '3600');
        return formPage(request, reply, tr, meeting, settings, form.values, [{ field: 'given_name', message: tr.t('registration.error.tooMany') }], 429);
      }
      // The settings as they are under the lock decide: an organiser closing the form at the same moment wins.
      const outcome = await register(ctx(), meeting.id, { ...checked.data, answers: asked.answers, lang: tr.lang }, (s) => isRegistrationOpen(meeting, { ...settings, ...s }, ctx().config.timeZone, now) && mayUseForm(s, request.query.key), now);
      if (outcome.kind === 'closed') return closedPage(request, reply, tr, meeting);
      return reply.redirect(url('activities.registerSent', tr.lang, { slug: request.params.slug }), 303);
    });

    forms.post<TokenParams>(routePattern('registrations.show'), { bodyLimit: REGISTRATION_LIMITS.bodyBytes, onRequest: sameSite }, async (request, reply) => {
      const tr = translator(request.params.lang);
      const { token } = request.params;
      const found = await own(tr.lang, token);
      if (!found) return invalidLink(request, reply, tr, token);
      if (!stillChangeable(found.registration, found.meeting)) return ownPage(request, reply, tr, token, found, null, [], tr.t('registration.own.locked'), 409);
      const choices = await representChoices(ctx().db, tr.lang);
      // A nominated delegate stays in their delegation, whatever the form says.
      const partner = await delegationOf(found.registration, tr.lang);
      const form = registrationForm(partner ? { ...bodyOf(request), represents: partner.value } : bodyOf(request), { choices: partner ? new Set([partner.value]) : choiceSet(choices), lastDay: lastDayOf(found.meeting) ?? found.meeting.startDate, withEmail: false, lang: tr.lang });
      const checked = await checkForm(form.schema, form.values, tr, registrationFormOptions(tr, form.order));
      const asked = answersForm(bodyOf(request), await questionsOf(ctx().db, found.registration.activityId), tr);
      if (!checked.ok || asked.errors.length) return ownPage(request, reply, tr, token, found, { ...form.values, ...asked.values, email: found.registration.email }, [...(checked.ok ? [] : checked.errors), ...asked.errors], null, 400);
      if (!(await correctRegistration(ctx().db, found.registration.id, { ...checked.data, answers: asked.answers }))) return ownPage(request, reply, tr, token, found, null, [], tr.t('registration.own.locked'), 409);
      return reply.redirect(url('registrations.show', tr.lang, { token }, { done: 'saved' }), 303);
    });

    forms.post<TokenParams>(routePattern('registrations.cancel'), { bodyLimit: 4096, onRequest: sameSite }, async (request, reply) => {
      const tr = translator(request.params.lang);
      const { token } = request.params;
      const found = await own(tr.lang, token);
      if (!found) return invalidLink(request, reply, tr, token);
      if (!stillChangeable(found.registration, found.meeting)) return ownPage(request, reply, tr, token, found, null, [], tr.t('registration.own.locked'), 409);
      // Decided on by the organisers at the same moment: the page says it can no longer change.
      if (!(await cancelRegistration(ctx(), found.registration))) return ownPage(request, reply, tr, token, (await own(tr.lang, token)) ?? found, null, [], tr.t('registration.own.locked'), 409);
      return reply.redirect(url('registrations.show', tr.lang, { token }, { done: 'cancelled' }), 303);
    });
  });
}

const PAGE_SIZE = 50;

/** The organiser's registration pages of a meeting: settings, the list by state, one registration and its decisions. */
export function registerRegistrationAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;


  const base = (m: AgendaMeeting) => `/admin/activities/${m.id}/registrations`;

  async function representsNames(lang: string): Promise<Map<string, string>> {
    const c = await representChoices(db, lang);
    return new Map([...c.countries, ...c.organisations].map((o) => [o.value, o.label]));
  }

  async function publicFormHref(meeting: AgendaMeeting, lang: string): Promise<string | null> {
    const shown = await publicMeetingById(db, meeting.id, lang, new Date().toISOString());
    if (!shown) return null;
    const shownLang = shown.slugs[lang] ? lang : Object.keys(shown.slugs)[0];
    return shownLang ? url('activities.register', shownLang, { slug: shown.slugs[shownLang]! }) : null;
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, settingsValues: Body | null, settingsErrors: FieldError[], notice: string | null, status = 200) {
    const tr = translator(adminLanguage(request));
    const query = request.query as { state?: string; page?: string };
    const state = (REGISTRATION_STATES as readonly string[]).includes(query.state ?? '') ? (query.state as RegistrationState) : null;
    const page = Math.min(parseId(query.page) || 1, 10_000);
    const [settings, counts, list, names] = await Promise.all([registrationSettings(db, meeting.id), stateCounts(db, meeting.id), registrationsOf(db, meeting.id, { state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }), representsNames(tr.lang)]);
    const reported = await hasOutcomes(db, meeting.id);
    const phase = meetingPhase(meeting, settings, { reported, registrations: Object.values(counts).reduce((a, b) => a + b, 0), siteZone: config.timeZone }, new Date());
    const formHref = settings && settings.form !== 'invited' ? await publicFormHref(meeting, tr.lang) : null;
    const publicHref = phase === 'registration_open' && settings?.form === 'public' ? formHref : null;
    const linkHref = settings?.form === 'link' && formHref && settings.formKey ? `${admin.diwan.baseUrl}${formHref}?key=${settings.formKey}` : null;
    const invitations = await db.selectFrom('meeting_invitations').select((eb) => eb.fn.countAll<number>().as('n')).where('activity_id', '=', meeting.id).executeTakeFirstOrThrow();
    const values: Body = settingsValues ?? { open: settings?.open ?? false, form: settings?.form ?? 'public', closes_on: settings?.closesOn ?? '', capacity: settings?.capacity === null || !settings ? '' : String(settings.capacity), approval: settings?.approval ?? 'manual' };
    return renderAdmin(request, reply, {
      title: tr.t('registration.admin.title', { title: meetingTitle(meeting, tr.lang) }),
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => (
        <RegistrationsAdmin
          tr={t}
          csrf={csrf}
          title={meetingTitle(meeting, t.lang)}
          base={base(meeting)}
          meetingHref={`/admin/activities/${meeting.id}`}
          counts={counts}
          capacity={settings?.capacity ?? null}
          phase={phase}
          settings={values}
          settingsErrors={settingsErrors}
          state={state}
          items={list.items}
          total={list.total}
          page={page}
          pageSize={PAGE_SIZE}
          names={names}
          publicHref={publicHref}
          linkHref={linkHref}
          invitationsHref={`/admin/activities/${meeting.id}/invitations`}
          invitations={Number(invitations.n)}
          timeZone={meeting.timeZone ?? config.timeZone}
          visaHref={registrationAbilities(request.actor, meeting).passport ? `/admin/activities/${meeting.id}/prints/visa_letters?lang=${t.lang}` : null}
          notice={notice}
        />
      ),
    });
  }

  admin.get<{ Params: { id: string }; Querystring: { done?: string; state?: string; page?: string } }>('/activities/:id/registrations', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'view');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const done = request.query.done;
    return listPage(request, reply, found.meeting, null, [], done === 'settings' ? tr.t('registration.settings.saved') : null);
  });

  admin.post<{ Params: { id: string } }>('/activities/:id/registrations/settings', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const last = lastDayOf(found.meeting);
    const form = settingsForm(bodyOf(request), { lastDay: last ?? '9999-12-31', lang: tr.lang });
    const checked = await checkForm(form.schema, form.values, tr, settingsFormOptions(tr, form.order));
    if (!checked.ok) return listPage(request, reply, found.meeting, form.values, checked.errors, null, 400);
    if (checked.data.open && !last) return listPage(request, reply, found.meeting, form.values, [{ field: 'open', message: tr.t('registration.error.noDays') }], null, 400);
    await saveRegistrationSettings(admin.diwan, found.meeting, checked.data, request.actor!.id);
    return reply.redirect(`${base(found.meeting)}?done=settings`, 303);
  });

  const DECIDED: Record<Decision, MessageKey> = { approved: 'registration.decided.approved', waitlisted: 'registration.decided.waitlisted', declined: 'registration.decided.declined', cancelled: 'registration.decided.cancelled' };

  async function onePage(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, can: ReturnType<typeof registrationAbilities>, id: number, notice: string | null, error: string | null, status = 200) {
    const tr = translator(adminLanguage(request));
    const r = await registrationOf(db, meeting.id, id);
    if (!r) throw notFound();
    let passport: { nationality: string; number: string; expiry: string } | 'hidden' | null = null;
    if (r.visaLetter) {
      if (!can.passport) passport = 'hidden';
      else {
        passport = await passportOf(db, r.id);
        // Every reading of passport details is on record: who, when, whose.
        if (passport) await audit(db, { actorUserId: request.actor!.id, action: 'registration.passport_read', entityType: 'registration', entityId: r.id, after: { activity: meeting.id } });
      }
    }
    const names = await representsNames(tr.lang);
    const answers = (await answersFor(db, r, tr)).map((a) => ({ label: a.question, text: a.answer }));
    return renderAdmin(request, reply, {
      title: `${r.givenName} ${r.familyName}`,
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => (
        <RegistrationAdmin
          tr={t}
          csrf={csrf}
          base={base(meeting)}
          registration={r}
          represents={names.get(r.countryCode ? `c:${r.countryCode}` : `o:${r.organisationId}`) ?? ''}
          passport={passport}
          decisions={can.decide && !r.erasedAt ? decisionsFor(r.state) : []}
          eraseAction={can.decide && !r.erasedAt ? `${base(meeting)}/${r.id}/erase` : null}
          answers={answers}
          links={[
            ...(r.state === 'approved' && can.badges ? [{ href: `/admin/activities/${meeting.id}/prints/badges?registration=${r.id}&lang=${r.lang}`, label: t.t('attendance.badges.one'), testId: 'badge-link' }] : []),
            ...(r.erasedAt ? [] : [{ href: `${base(meeting)}/${r.id}/data.json`, label: t.t('registration.data.export'), testId: 'data-link' }]),
            ...(r.state === 'approved' && r.visaLetter && r.hasPassport && can.passport ? [{ href: `/admin/activities/${meeting.id}/prints/visa_letters?registration=${r.id}&lang=${r.lang}`, label: t.t('letters.visa.one'), testId: 'visa-letter-link' }] : []),
            ...(r.attendedAt && can.lists ? [{ href: `/admin/activities/${meeting.id}/prints/certificates?registration=${r.id}&lang=${r.lang}`, label: t.t('lists.certificate.one'), testId: 'certificate-link' }] : []),
          ]}
          notice={notice}
          error={error}
        />
      ),
    });
  }

  admin.get<{ Params: { id: string; registration: string }; Querystring: { done?: string } }>('/activities/:id/registrations/:registration', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'view');
    if ('denied' in found) return found.denied;
    const id = parseId(request.params.registration);
    if (!id) throw notFound();
    const tr = translator(adminLanguage(request));
    const done = request.query.done;
    const notice = done === 'erased' ? tr.t('registration.erase.done') : done && (DECISIONS as readonly string[]).includes(done) ? tr.t(DECIDED[done as Decision]) : null;
    return onePage(request, reply, found.meeting, found.can, id, notice, null);
  });

  admin.get<{ Params: { id: string; registration: string } }>('/activities/:id/registrations/:registration/data.json', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'view');
    if ('denied' in found) return found.denied;
    const id = parseId(request.params.registration);
    const r = id ? await registrationOf(db, found.meeting.id, id) : null;
    if (!r) throw notFound();
    const tr = translator(adminLanguage(request));
    const passport = found.can.passport && r.hasPassport ? await passportOf(db, r.id) : null;
    await audit(db, { actorUserId: request.actor!.id, action: passport ? 'registration.data_exported_with_passport' : 'registration.data_exported', entityType: 'registration', entityId: r.id, after: { activity: found.meeting.id } });
    const names = await representsNames(tr.lang);
    const data = personalData(r, { meeting: meetingTitle(found.meeting, tr.lang), represents: names.get(r.countryCode ? `c:${r.countryCode}` : `o:${r.organisationId}`) ?? '', passport, answers: await answersFor(db, r, tr) });
    return reply.header('content-type', 'application/json; charset=utf-8').header('content-disposition', contentDisposition(`registration-${r.id}.json`)).send(JSON.stringify(data, null, 2));
  });

  admin.post<{ Params: { id: string; registration: string } }>('/activities/:id/registrations/:registration/erase', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'decide');
    if ('denied' in found) return found.denied;
    const id = parseId(request.params.registration);
    if (!id) throw notFound();
    const tr = translator(adminLanguage(request));
    if (bodyOf(request).confirm !== '1') return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.erase.confirmMissing'), 400);
    const over = meetingPhase(found.meeting, null, { reported: false, registrations: 0, siteZone: config.timeZone }, new Date());
    const outcome = await eraseRegistration(db, found.meeting.id, id, request.actor!.id, over === 'held' || over === 'reported' || found.meeting.status === 'cancelled');
    if (outcome === 'missing') throw notFound();
    if (outcome === 'still_active') return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.erase.stillActive'), 409);
    await announceChange(db, { entity: 'activity', id: found.meeting.id, action: 'attendance', public: found.meeting.workflow === 'published', visibleFrom: null });
    return reply.redirect(`${base(found.meeting)}/${id}?done=erased`, 303);
  });

  admin.post<{ Params: { id: string; registration: string } }>('/activities/:id/registrations/:registration/decide', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'decide');
    if ('denied' in found) return found.denied;
    const id = parseId(request.params.registration);
    if (!id) throw notFound();
    const tr = translator(adminLanguage(request));
    const decision = bodyOf(request).decision;
    if (typeof decision !== 'string' || !(DECISIONS as readonly string[]).includes(decision)) return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.error.decision'), 400);
    const outcome = await decide(admin.diwan, found.meeting.id, id, decision as Decision, request.actor!.id);
    if (outcome === 'missing') throw notFound();
    if (outcome === 'full') return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.error.full'), 409);
    if (outcome === 'delegation_full') return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.error.delegationFull'), 409);
    if (outcome === 'not_allowed') return onePage(request, reply, found.meeting, found.can, id, null, tr.t('registration.error.decision'), 409);
    return reply.redirect(`${base(found.meeting)}/${id}?done=${decision}`, 303);
  });

}
