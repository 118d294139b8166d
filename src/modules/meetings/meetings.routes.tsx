import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { checkForm } from '../../platform/forms/validation.js';
import { notFound } from '../../platform/http/errors.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { parseId, routePattern, url } from '../../platform/http/urls.js';
import type { FieldError } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { publicDocumentsOfActivity } from '../documents/index.js';
import { meetingCalendar } from './meetings.calendar.js';
import { AgendaFull, deleteSession, savePractical, saveSession, saveTimeZone } from './meetings.commands.js';
import { agendaAbilities } from './meetings.policy.js';
import { loadMeeting, meetingDays, meetingDocuments, practicalOf, publicMeetingBySlug, sessionsOf, type AgendaMeeting, type AgendaSession, meetingTitle } from './meetings.repository.js';
import { AGENDA_LIMITS, agendaFormOptions, practicalForm, practicalFormOptions, sessionForm, timeZoneForm } from './meetings.schemas.js';
import { publicSessionsOf } from './meetings.repository.js';
import { AgendaAdmin, AgendaPage, PdfPending, SessionForm, type AgendaDocument } from './meetings.views.js';
import { AGENDA_PDF_JOB, agendaForPrint } from './meetings.print.js';
import { canPrint } from '../../platform/pdf/print.js';
import { contentDisposition } from '../../platform/http/download.js';

type Body = Record<string, unknown>;

/** An id in the address (decimal digits only: `0x1`, `1e0` and ` 1` are not ids), or a 404. */
function idOf(value: string | undefined): number {
  const id = parseId(value);
  if (!id) throw notFound();
  return id;
}

/** The stored session as the form's fields. */
function sessionValues(s: AgendaSession, languages: readonly string[]): Body {
  const v: Body = { day: s.day, starts: s.starts, ends: s.ends, kind: s.kind, track: String(s.track), room: s.room, documents: s.documents.map(String) };
  for (const l of languages) {
    v[`t_${l}_title`] = s.t[l]?.title ?? '';
    v[`t_${l}_description`] = s.t[l]?.description ?? '';
  }
  s.people.forEach((p, i) => {
    v[`person_${i}_role`] = p.role;
    v[`person_${i}_name`] = p.name;
    v[`person_${i}_affiliation`] = p.affiliation;
  });
  return v;
}


/** The back-office agenda of a meeting: its time zone and sessions (add, edit, remove). */
export function registerAgendaAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;

  /** The meeting of the address, after the access check on it; a 404 when there is none. */
  async function meetingFor(request: FastifyRequest, reply: FastifyReply, write: boolean): Promise<{ meeting: AgendaMeeting } | { denied: FastifyReply }> {
    const id = idOf((request.params as { id?: string }).id);
    if (!request.actor) return { denied: guard(request, reply, false)! };
    const meeting = await loadMeeting(db, id);
    if (!meeting) throw notFound();
    const can = agendaAbilities(request.actor, meeting);
    const denied = guard(request, reply, write ? can.edit : can.view);
    return denied ? { denied } : { meeting };
  }

  const base = (m: AgendaMeeting) => `/admin/activities/${m.id}/agenda`;

  async function renderAgenda(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, zone: { value: string; errors: FieldError[] }, notice: string | null, status = 200, practical?: { values: Body; errors: FieldError[] }) {
    const tr = translator(adminLanguage(request));
    const sessions = await sessionsOf(db, meeting.id);
    const stored = await practicalOf(db, meeting.id);
    const practicalValues: Body =
      practical?.values ?? Object.fromEntries(Object.entries(stored).flatMap(([l, p]) => [[`p_${l}_address`, p.address], [`p_${l}_contact`, p.contact], [`p_${l}_notes`, p.notes]]));
    const publicHref = meeting.workflow === 'published' && sessions.length && meeting.timeZone ? await publicAgendaHref(meeting, tr.lang) : null;
    return renderAdmin(request, reply, {
      title: tr.t('agenda.admin.title', { title: meetingTitle(meeting, tr.lang) }),
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => (
        <AgendaAdmin
          tr={t}
          csrf={csrf}
          title={meetingTitle(meeting, t.lang)}
          base={base(meeting)}
          meetingHref={`/admin/activities/${meeting.id}`}
          publicHref={publicHref}
          timeZone={meeting.timeZone}
          zoneValue={zone.value}
          zoneErrors={zone.errors}
          days={meetingDays(meeting)}
          sessions={sessions}
          notice={notice}
          languages={languages}
          practical={practicalValues}
          practicalErrors={practical?.errors ?? []}
        />
      ),
    });
  }

  async function publicAgendaHref(meeting: AgendaMeeting, lang: string): Promise<string | null> {
    const row = await db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', meeting.id).execute();
    const t = row.find((r) => r.lang === lang) ?? row[0];
    return t ? url('activities.agenda', t.lang, { slug: t.slug }) : null;
  }

  const NOTICES = { saved: 'agenda.admin.saved', removed: 'agenda.admin.removed', zone: 'agenda.admin.zoneSaved', practical: 'agenda.practical.saved' } as const;

  admin.get<{ Params: { id: string }; Querystring: { done?: string } }>('/activities/:id/agenda', async (request, reply) => {
    const found = await meetingFor(request, reply, false);
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const done = request.query.done;
    const notice = done === 'saved' || done === 'removed' || done === 'zone' || done === 'practical' ? tr.t(NOTICES[done]) : null;
    return renderAgenda(request, reply, found.meeting, { value: found.meeting.timeZone ?? '', errors: [] }, notice);
  });

  admin.post<{ Params: { id: string } }>('/activities/:id/agenda/time-zone', async (request, reply) => {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const form = timeZoneForm((request.body ?? {}) as Body);
    const checked = await checkForm(form.schema, form.values, tr, agendaFormOptions(tr, form.order));
    if (!checked.ok) return renderAgenda(request, reply, found.meeting, { value: form.values.time_zone, errors: checked.errors }, null, 400);
    await saveTimeZone(db, found.meeting, checked.data.time_zone, request.actor!.id);
    return reply.redirect(`${base(found.meeting)}?done=zone`, 303);
  });

  admin.post<{ Params: { id: string } }>('/activities/:id/agenda/practical', async (request, reply) => {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const body = (request.body ?? {}) as Body;
    const form = practicalForm(body, languages);
    const checked = await checkForm(form.schema, form.values, tr, practicalFormOptions(tr));
    if (!checked.ok) return renderAgenda(request, reply, found.meeting, { value: found.meeting.timeZone ?? '', errors: [] }, null, 400, { values: body, errors: checked.errors });
    await savePractical(db, found.meeting, checked.data, request.actor!.id);
    return reply.redirect(`${base(found.meeting)}?done=practical`, 303);
  });

  async function renderSession(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, sessionId: number | null, values: Body, errors: FieldError[], status = 200) {
    const tr = translator(adminLanguage(request));
    const days = meetingDays(meeting);
    if (!days || !meeting.timeZone) return reply.redirect(base(meeting), 303);
    const documents = await meetingDocuments(db, meeting.id, tr.lang);
    const heading = sessionId === null ? tr.t('agenda.admin.add') : tr.t('agenda.admin.edit');
    return renderAdmin(request, reply, {
      title: `${heading} · ${meetingTitle(meeting, tr.lang)}`,
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => (
        <SessionForm
          tr={t}
          csrf={csrf}
          action={sessionId === null ? `${base(meeting)}/sessions/new` : `${base(meeting)}/sessions/${sessionId}`}
          base={base(meeting)}
          heading={heading}
          languages={languages}
          values={values}
          errors={errors}
          days={days}
          documents={documents}
          deleteAction={sessionId === null ? null : `${base(meeting)}/sessions/${sessionId}/delete`}
        />
      ),
    });
  }

  admin.get<{ Params: { id: string } }>('/activities/:id/agenda/sessions/new', async (request, reply) => {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    const days = meetingDays(found.meeting);
    return renderSession(request, reply, found.meeting, null, { day: days?.first ?? '', kind: 'plenary', track: '0' }, []);
  });

  admin.get<{ Params: { id: string; session: string } }>('/activities/:id/agenda/sessions/:session', async (request, reply) => {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    const sessionId = idOf(request.params.session);
    const session = (await sessionsOf(db, found.meeting.id)).find((s) => s.id === sessionId);
    if (!session) throw notFound();
    return renderSession(request, reply, found.meeting, sessionId, sessionValues(session, languages), []);
  });

  async function postSession(request: FastifyRequest, reply: FastifyReply, sessionId: number | null) {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const tr = translator(adminLanguage(request));
    const days = meetingDays(meeting);
    if (!days || !meeting.timeZone) return reply.redirect(base(meeting), 303);
    const body = (request.body ?? {}) as Body;
    const documents = new Set((await meetingDocuments(db, meeting.id, tr.lang)).map((d) => d.id));
    const form = sessionForm(body, languages, days, documents, meeting.timeZone);
    const checked = await checkForm(form.schema, form.values, tr, agendaFormOptions(tr, form.order));
    if (!checked.ok) return renderSession(request, reply, meeting, sessionId, body, checked.errors, 400);
    try {
      const saved = await saveSession(db, meeting, sessionId, checked.data, request.actor!.id);
      if (saved === null) throw notFound();
    } catch (e) {
      if (!(e instanceof AgendaFull)) throw e;
      return renderSession(request, reply, meeting, sessionId, body, [{ field: 'day', message: tr.t('agenda.admin.full', { max: AGENDA_LIMITS.sessions }) }], 409);
    }
    return reply.redirect(`${base(meeting)}?done=saved`, 303);
  }
  admin.post<{ Params: { id: string } }>('/activities/:id/agenda/sessions/new', (request, reply) => postSession(request, reply, null));
  admin.post<{ Params: { id: string; session: string } }>('/activities/:id/agenda/sessions/:session', (request, reply) => postSession(request, reply, idOf(request.params.session)));

  admin.post<{ Params: { id: string; session: string } }>('/activities/:id/agenda/sessions/:session/delete', async (request, reply) => {
    const found = await meetingFor(request, reply, true);
    if ('denied' in found) return found.denied;
    if (!(await deleteSession(db, found.meeting, idOf(request.params.session), request.actor!.id))) throw notFound();
    return reply.redirect(`${base(found.meeting)}?done=removed`, 303);
  });
}

/** The public agenda page and the meeting's calendar file, at the meeting's address in each language. */
export function registerAgendaRoutes(app: FastifyInstance): void {
  const ctx = () => app.diwan;

  async function find(lang: string, slug: string) {
    if (!ctx().config.languages.includes(lang) || slug.length > 300) return null;
    const meeting = await publicMeetingBySlug(ctx().db, lang, slug, new Date().toISOString());
    const days = meeting ? meetingDays(meeting) : null;
    return meeting && days ? { meeting, days } : null;
  }

  app.get<{ Params: { lang: string; slug: string } }>(routePattern('activities.agenda'), async (request, reply) => {
    const { lang, slug } = request.params;
    const found = await find(lang, slug);
    if (!found || !found.meeting.timeZone) return sendError(request, reply, 'notFound', 404);
    const { meeting } = found;
    const sessions = await publicSessionsOf(ctx().db, meeting);
    if (!sessions.length) return sendError(request, reply, 'notFound', 404);
    const tr: Translator = translator(lang);
    const library = await publicDocumentsOfActivity(ctx().db, meeting.id, lang, new Date().toISOString());
    // Only documents the public may open are named; the others a session lists are left out.
    const documents = new Map<number, AgendaDocument>(library.map((d) => [d.id, { id: d.id, title: d.title, href: url('documents.show', lang, { slug: d.slug }) }]));
    const path = url('activities.agenda', lang, { slug });
    const alternates = Object.fromEntries(Object.entries(meeting.slugs).map(([l, s]) => [l, url('activities.agenda', l, { slug: s })]));
    const html = await (
      <Layout tr={tr} stylesheet={ctx().assets.stylesheet} current="activities" languages={ctx().config.languages} nav={await ctx().navigation(lang)} meta={{ title: tr.t('agenda.titleOf', { title: meeting.title }), baseUrl: ctx().baseUrl, path, alternates }}>
        <AgendaPage
          tr={tr}
          title={meeting.title}
          meetingHref={url('activities.show', lang, { slug })}
          calendarHref={url('activities.calendar', lang, { slug })}
          pdfHref={(await canPrint(ctx().config.chromiumPath)) ? url('activities.agendaPdf', lang, { slug }) : null}
          timeZone={meeting.timeZone!}
          sessions={sessions}
          documents={documents}
        />
      </Layout>
    );
    return sendHtml(request, reply, html, { lang, cacheKey: path });
  });

  app.get<{ Params: { lang: string; slug: string } }>(routePattern('activities.agendaPdf'), async (request, reply) => {
    const { lang, slug } = request.params;
    const found = await find(lang, slug);
    if (!found || !found.meeting.timeZone) return sendError(request, reply, 'notFound', 404);
    const { meeting } = found;
    const content = await agendaForPrint(ctx(), meeting, lang, new Date().toISOString());
    if (!content.sessions.length) return sendError(request, reply, 'notFound', 404);
    const stored = await ctx().db.selectFrom('agenda_pdfs').select('pdf').where('activity_id', '=', meeting.id).where('lang', '=', lang).where('content_key', '=', content.key).executeTakeFirst();
    if (stored) {
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', contentDisposition(`${slug.slice(0, 80)}-agenda.pdf`))
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(stored.pdf));
    }
    const tr = translator(lang);
    const available = await canPrint(ctx().config.chromiumPath);
    // Printed by a job, once per version of the agenda however many ask; this page reloads until it is there.
    if (available) await ctx().jobs.send(AGENDA_PDF_JOB, { activityId: meeting.id, lang, key: content.key }, { singletonKey: `${meeting.id}:${lang}:${content.key}` });
    const agendaHref = url('activities.agenda', lang, { slug });
    const html = await (
      <Layout tr={tr} stylesheet={ctx().assets.stylesheet} current="activities" languages={ctx().config.languages} nav={await ctx().navigation(lang)} meta={{ title: available ? tr.t('agenda.pdfPreparing') : tr.t('agenda.pdfUnavailable'), baseUrl: ctx().baseUrl, path: url('activities.agendaPdf', lang, { slug }), alternates: {}, noindex: true }}>
        <PdfPending tr={tr} agendaHref={agendaHref} available={available} againHref={url('activities.agendaPdf', lang, { slug })} />
      </Layout>
    );
    // No automatic reload (it would interrupt a screen reader, and loop if printing kept failing): the page offers to look again.
    return sendHtml(request, reply, html, { lang, status: available ? 202 : 503, headers: available ? { 'retry-after': '5' } : { 'retry-after': '3600' } });
  });

  app.get<{ Params: { lang: string; slug: string }; Querystring: { session?: string } }>(routePattern('activities.calendar'), async (request, reply) => {
    const { lang, slug } = request.params;
    const found = await find(lang, slug);
    if (!found) return sendError(request, reply, 'notFound', 404);
    const { meeting, days } = found;
    const raw = request.query.session;
    if (raw !== undefined && !parseId(raw)) return sendError(request, reply, 'notFound', 404);
    const sessions = meeting.timeZone ? await publicSessionsOf(ctx().db, meeting) : [];
    const only = raw === undefined ? undefined : parseId(raw);
    if (only !== undefined && !sessions.some((s) => s.id === only)) return sendError(request, reply, 'notFound', 404);
    const baseUrl = ctx().baseUrl;
    const text = meetingCalendar(
      {
        id: meeting.id,
        title: meeting.title,
        place: meeting.place,
        url: baseUrl + url('activities.show', lang, { slug }),
        agendaUrl: baseUrl + url('activities.agenda', lang, { slug }),
        first: days.first,
        last: days.last,
        timeZone: meeting.timeZone,
        sessions,
        lang,
        host: new URL(baseUrl).host,
      },
      { sessions: true, only },
    );
    const name = only === undefined ? `${slug.slice(0, 80)}.ics` : `${slug.slice(0, 80)}-session-${only}.ics`;
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', contentDisposition(name))
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(text);
  });
}
