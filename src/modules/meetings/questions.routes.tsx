import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminLanguage, renderAdmin } from '../../platform/admin/shell.js';
import { notFound } from '../../platform/http/errors.js';
import { parseId } from '../../platform/http/urls.js';
import { translator } from '../../platform/i18n/i18n.js';
import type { FieldError } from '../../platform/views/forms.js';
import { type AgendaMeeting, meetingTitle } from './meetings.repository.js';
import { addQuestion, questionInput, questionsOf, QUESTION_LIMITS, removeQuestion } from './questions.js';
import { QuestionsAdmin } from './questions.views.js';
import { bodyOf, meetingWithAbility } from './registration.access.js';

type Body = Record<string, unknown>;

/** The organiser's questions of a meeting's registration form (`registration.manage`, on the loaded meeting). */
export function registerQuestionAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const base = (m: AgendaMeeting) => `/admin/activities/${m.id}/registrations/questions`;


  async function page(request: FastifyRequest, reply: FastifyReply, meeting: AgendaMeeting, values: Body, errors: FieldError[], notice: string | null, status = 200) {
    const tr = translator(adminLanguage(request));
    const questions = await questionsOf(db, meeting.id);
    return renderAdmin(request, reply, {
      title: tr.t('questions.title', { title: meetingTitle(meeting, tr.lang) }),
      current: 'activities',
      status,
      body: ({ tr: t, csrf }) => <QuestionsAdmin tr={t} csrf={csrf} title={meetingTitle(meeting, t.lang)} base={base(meeting)} registrationsHref={`/admin/activities/${meeting.id}/registrations`} languages={config.languages} questions={questions} values={values} errors={errors} notice={notice} />,
    });
  }

  admin.get<{ Params: { id: string }; Querystring: { done?: string } }>('/activities/:id/registrations/questions', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const tr = translator(adminLanguage(request));
    const done = request.query.done;
    return page(request, reply, meeting, { kind: 'text' }, [], done === 'added' ? tr.t('questions.done.added') : done === 'deleted' ? tr.t('questions.done.deleted') : done === 'retired' ? tr.t('questions.done.retired') : null);
  });

  admin.post<{ Params: { id: string } }>('/activities/:id/registrations/questions', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const tr = translator(adminLanguage(request));
    const form = questionInput(bodyOf(request), config.languages, tr);
    if (!form.input) return page(request, reply, meeting, form.values, form.errors, null, 400);
    if (!(await addQuestion(db, meeting.id, form.input, request.actor!.id))) return page(request, reply, meeting, form.values, [{ field: 'kind', message: tr.t('questions.error.tooMany', { max: QUESTION_LIMITS.questions }) }], null, 409);
    return reply.redirect(`${base(meeting)}?done=added`, 303);
  });

  admin.post<{ Params: { id: string; question: string } }>('/activities/:id/registrations/questions/:question/remove', async (request, reply) => {
    const found = await meetingWithAbility(db, request, reply, 'settings');
    if ('denied' in found) return found.denied;
    const { meeting } = found;
    const id = parseId(request.params.question);
    if (!id) throw notFound();
    const outcome = await removeQuestion(db, meeting.id, id, request.actor!.id);
    if (outcome === 'missing') throw notFound();
    return reply.redirect(`${base(meeting)}?done=${outcome}`, 303);
  });
}
