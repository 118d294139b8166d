import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { announceChange } from '../../platform/events/changes.js';
import { audit } from '../../platform/audit/audit.js';
import { toCsv, toXlsx, type Table } from '../../platform/export/tables.js';
import { contentDisposition } from '../../platform/http/download.js';
import { notFound } from '../../platform/http/errors.js';
import { parseId } from '../../platform/http/urls.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { checkIn, undoCheckIn } from './attendance.commands.js';
import { attendanceCounts, participantsOf, registrationByBadge, searchParticipants } from './attendance.repository.js';
import { CheckInPage, timeAt } from './attendance.views.js';
import { loadMeeting, type AgendaMeeting, meetingTitle } from './meetings.repository.js';
import { PRINT_KINDS, servePrint, type PrintKind } from './prints.js';
import { answersOf, answerText, inLang, questionsOf } from './questions.js';
import { registrationAbilities } from './registration.policy.js';
import { bodyOf, meetingWithAbility } from './registration.access.js';
import { meetingPhase } from './registration.repository.js';

const queryText = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100).trim() : '');

/**
 * The check-in desk and the organisers' PDFs of a meeting. A badge's QR code holds
 * `/admin/check-in/{code}`: a phone's camera opens it, the organiser signs in if need be, and
 * lands on the desk with that person found, one tap from "Check in".
 */
export function registerAttendanceAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;


  const base = (m: AgendaMeeting) => `/admin/activities/${m.id}/check-in`;

  async function deskPage(request: FastifyRequest, reply: FastifyReply, found: { meeting: AgendaMeeting; can: ReturnType<typeof registrationAbilities> }, query: string, notice: string | null, error: string | null, status = 200) {
    const tr = translator(adminLanguage(request));
    const { meeting, can } = found;
    const everyone = await participantsOf(db, meeting.id, tr.lang, ['approved', 'pending', 'waitlisted', 'declined', 'cancelled']);
    const results = query ? searchParticipants(everyone, query) : [];
    const recent = query ? [] : everyone.filter((p) => p.attendedAt).sort((a, b) => b.attendedAt!.localeCompare(a.attendedAt!)).slice(0, 10);
    const counts = await attendanceCounts(db, meeting.id);
    return renderAdmin(request, reply, {
      title: tr.t('attendance.title', { title: meetingTitle(meeting, tr.lang) }),
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => (
        <CheckInPage
          tr={t}
          csrf={csrf}
          title={meetingTitle(meeting, t.lang)}
          base={base(meeting)}
          registrationsHref={can.view ? `/admin/activities/${meeting.id}/registrations` : null}
          badgesHref={`/admin/activities/${meeting.id}/prints/badges?lang=${t.lang}`}
          query={query}
          results={results}
          recent={recent}
          counts={counts}
          timeZone={meeting.timeZone ?? config.timeZone}
          notice={notice}
          error={error}
        />
      ),
    });
  }

  admin.get<{ Params: { id: string }; Querystring: { q?: string; done?: string; who?: string } }>('/activities/:id/check-in', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'checkIn');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const who = parseId(request.query.who);
    let notice: string | null = null;
    if (who && (request.query.done === 'attended' || request.query.done === 'undone')) {
      const person = (await participantsOf(db, found.meeting.id, tr.lang, ['approved'])).find((p) => p.id === who);
      if (person) notice = tr.t(request.query.done === 'attended' ? 'attendance.done.attended' : 'attendance.done.undone', { name: `${person.givenName} ${person.familyName}` });
    }
    return deskPage(request, reply, found, queryText(request.query.q), notice, null);
  });

  admin.post<{ Params: { id: string; registration: string } }>('/activities/:id/check-in/:registration', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'checkIn');
    if ('denied' in found) return found.denied;
    const id = parseId(request.params.registration);
    if (!id) throw notFound();
    const tr = translator(adminLanguage(request));
    const body = bodyOf(request);
    const query = queryText(body.q);
    // A held meeting's page counts who came: once the meeting is over, it changes with each arrival
    // marked or undone (during the meeting the page shows no count, and the cache is left alone).
    const changed = async () => {
      const phase = meetingPhase(found.meeting, null, { reported: false, registrations: 0, siteZone: config.timeZone }, new Date());
      if (phase === 'held' || phase === 'reported') await announceChange(db, { entity: 'activity', id: found.meeting.id, action: 'attendance', public: found.meeting.workflow === 'published', visibleFrom: null });
    };
    const back = (done: string) => `${base(found.meeting)}?${new URLSearchParams({ ...(query ? { q: query } : {}), done, who: String(id) }).toString()}`;
    if (body.action === 'undo') {
      if (!(await undoCheckIn(db, found.meeting.id, id, request.actor!.id))) return deskPage(request, reply, found, query, null, tr.t('attendance.error.notAttended'), 409);
      await changed();
      return reply.redirect(back('undone'), 303);
    }
    if (body.action !== 'attend') return deskPage(request, reply, found, query, null, tr.t('attendance.error.action'), 400);
    const outcome = await checkIn(db, found.meeting.id, id, request.actor!.id);
    if (outcome.kind === 'missing') throw notFound();
    if (outcome.kind === 'not_approved') return deskPage(request, reply, found, query, null, tr.t('attendance.error.notApproved'), 409);
    // Marked by another organiser a moment before: counted once, and this one is told when.
    if (outcome.kind === 'already') return deskPage(request, reply, found, query, null, tr.t('attendance.error.already', { time: timeAt(outcome.at, tr.lang, found.meeting.timeZone ?? config.timeZone) }), 409);
    await changed();
    return reply.redirect(back('attended'), 303);
  });

  // What a badge's QR code opens: the desk of its meeting with that person found.
  admin.get<{ Params: { code: string } }>('/check-in/:code', async (request, reply) => {
    if (!request.actor) return guard(request, reply, false);
    const found = await registrationByBadge(db, request.params.code);
    if (!found) throw notFound();
    const meeting = await loadMeeting(db, found.activityId);
    if (!meeting) throw notFound();
    const denied = guard(request, reply, registrationAbilities(request.actor, meeting).checkIn);
    if (denied) return denied;
    const code = (await db.selectFrom('registrations').select('badge_code').where('id', '=', found.id).executeTakeFirstOrThrow()).badge_code!;
    return reply.redirect(`${base(meeting)}?q=${code}`, 303);
  });

  /**
   * The internal list of every registration, for the secretariat's spreadsheets: details as given
   * (never passport details), state, delegation, role and arrival. Names typed by the public are
   * neutralised so that a spreadsheet reads none of them as a formula.
   */
  async function participantTable(meeting: AgendaMeeting, tr: Translator): Promise<Table> {
    const people = await participantsOf(db, meeting.id, tr.lang, ['approved', 'pending', 'waitlisted', 'declined', 'cancelled']);
    const details = new Map(
      (
        await db
          .selectFrom('registrations')
          .select(['id', 'email', 'phone', 'languages', 'dietary', 'accessibility', 'travel_support', 'visa_letter', 'created_at'])
          .where('activity_id', '=', meeting.id)
          .execute()
      ).map((r) => [r.id, r]),
    );
    const yes = (b: boolean) => tr.t(b ? 'registration.yes' : 'registration.no');
    const f = (k: string) => tr.t(`registration.field.${k}` as MessageKey);
    // The organiser's questions, retired ones too: their answers stay in the list.
    const questions = await questionsOf(db, meeting.id, { retired: true });
    const answers = await answersOf(db, people.map((p) => p.id));
    const zone = meeting.timeZone ?? config.timeZone;
    const when = (iso: string | null) => (iso ? new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'short', timeZone: zone }).format(new Date(iso)) : '');
    return {
      columns: [f('family_name'), f('given_name'), f('title'), f('gender'), f('function'), f('institution'), tr.t('outcome.delegation'), tr.t('lists.role'), f('email'), f('phone'), f('languages'), f('dietary'), f('accessibility'), f('travel_support'), f('visa_letter'), f('consent_public'), tr.t('registration.admin.state'), tr.t('lists.registeredAt'), tr.t('lists.attendedAt'), ...questions.map((q) => inLang(q.labels, tr.lang))],
      rows: people.map((p) => {
        const d = details.get(p.id);
        return [
          p.erased ? tr.t('lists.erased') : p.familyName,
          p.erased ? '' : p.givenName,
          p.title ? tr.t(`registration.title.${p.title}` as MessageKey) : '',
          p.gender ? tr.t(`registration.gender.${p.gender}` as MessageKey) : '',
          p.function,
          p.institution,
          p.delegation,
          tr.t(`attendance.role.${p.role}` as MessageKey),
          p.erased ? '' : (d?.email ?? ''),
          p.erased ? '' : (d?.phone ?? ''),
          d?.languages ?? '',
          d?.dietary ?? '',
          d?.accessibility ?? '',
          yes(d?.travel_support === 1),
          yes(d?.visa_letter === 1),
          yes(p.consentPublic),
          tr.t(`registration.state.${p.state}` as MessageKey),
          when(d?.created_at ?? null),
          when(p.attendedAt),
          ...questions.map((q) => {
            const value = answers.get(p.id)?.get(q.id);
            return value === undefined ? '' : answerText(q, value, tr);
          }),
        ];
      }),
    };
  }

  admin.get<{ Params: { id: string; format: string } }>('/activities/:id/participants.:format', async (request, reply) => {
    const format = request.params.format;
    if (format !== 'csv' && format !== 'xlsx') throw notFound();
    const found = await meetingWithAbility(db, request, reply, 'lists');
    if ('denied' in found) return found.denied;
    const tr = translator(adminLanguage(request));
    const table = await participantTable(found.meeting, tr);
    await audit(db, { actorUserId: request.actor!.id, action: 'registration.exported', entityType: 'activity', entityId: found.meeting.id, after: { format, rows: table.rows.length } });
    const name = `participants-${found.meeting.id}.${format}`;
    return reply
      .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', contentDisposition(name))
      .header('x-content-type-options', 'nosniff')
      .send(format === 'csv' ? toCsv(table) : toXlsx(table, tr.t('lists.sheet')));
  });

  admin.get<{ Params: { id: string; kind: string }; Querystring: { lang?: string; registration?: string; retry?: string } }>('/activities/:id/prints/:kind', async (request, reply) => {
    const kind = request.params.kind as PrintKind;
    if (!PRINT_KINDS.includes(kind)) throw notFound();
    const found = await meetingWithAbility(db, request, reply, kind === 'badges' ? 'badges' : kind === 'visa_letters' ? 'passport' : 'lists');
    if ('denied' in found) return found.denied;
    const lang = config.languages.includes(request.query.lang ?? '') ? request.query.lang! : adminLanguage(request);
    const subject = request.query.registration === undefined ? 0 : parseId(request.query.registration);
    if (request.query.registration !== undefined && !subject) throw notFound();
    return servePrint(request, reply, admin.diwan, {
      meeting: found.meeting,
      kind,
      subject,
      lang,
      fileName: `${kind}-${found.meeting.id}${subject ? `-${subject}` : ''}-${lang}.pdf`,
      backHref: found.can.checkIn ? base(found.meeting) : `/admin/activities/${found.meeting.id}/registrations`,
      retry: request.query.retry === '1',
      // Letters carry passport details: every one handed out is on record.
      onDeliver: kind === 'visa_letters' ? () => audit(db, { actorUserId: request.actor!.id, action: 'registration.visa_letters', entityType: 'activity', entityId: found.meeting.id, after: { registration: subject || null } }) : undefined,
    });
  });
}
