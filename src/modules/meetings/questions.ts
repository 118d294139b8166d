import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { formatDateRange } from '../../platform/i18n/dates.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { inSentence } from '../../platform/forms/validation.js';
import type { FieldError } from '../../platform/views/forms.js';
import { field, isDay } from './meetings.schemas.js';

/**
 * Questions an organiser adds to a meeting's registration form (text, a choice, yes or no, a date),
 * asked in the registrant's language and answered with the standard fields, in the same form and
 * the same transaction (migration 0021).
 */

export const QUESTION_KINDS = ['text', 'choice', 'yes_no', 'date'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];
/** Most questions one meeting asks, characters of a label, an option and a text answer. */
export const QUESTION_LIMITS = { questions: 30, label: 300, option: 200, options: 30, answer: 1000 } as const;

export interface Question {
  id: number;
  kind: QuestionKind;
  required: boolean;
  labels: Record<string, string>;
  /** A choice's options, each in each language. */
  options: Record<string, string>[];
  retired: boolean;
}

type Body = Record<string, unknown>;
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

const parseJson = <T,>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

/** A meeting's questions in their order (the retired ones too when asked: their answers stay readable). */
export async function questionsOf(db: Pick<Db, 'selectFrom'>, activityId: number, options: { retired: boolean } = { retired: false }): Promise<Question[]> {
  let q = db.selectFrom('registration_fields').select(['id', 'kind', 'required', 'labels', 'options', 'retired']).where('activity_id', '=', activityId);
  if (!options.retired) q = q.where('retired', '=', 0);
  const rows = await q.orderBy('position').orderBy('id').limit(200).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: (QUESTION_KINDS as readonly string[]).includes(r.kind) ? (r.kind as QuestionKind) : 'text',
    required: r.required === 1,
    labels: parseJson<Record<string, string>>(r.labels, {}),
    options: parseJson<Record<string, string>[]>(r.options, []),
    retired: r.retired === 1,
  }));
}

/** A label or an option in a language, else in another it has. */
export const inLang = (texts: Record<string, string>, lang: string) => texts[lang] ?? Object.values(texts)[0] ?? '';

/** The name of a question's field in the form. */
export const questionField = (q: Pick<Question, 'id'>) => `q_${q.id}`;

/** An answer as people read it: the option's label, yes or no, the day in words, the text. */
export function answerText(q: Question, value: string, tr: Translator): string {
  if (q.kind === 'choice') return inLang(q.options[Number(value)] ?? {}, tr.lang);
  if (q.kind === 'yes_no') return value === 'yes' ? tr.t('registration.yes') : value === 'no' ? tr.t('registration.no') : '';
  if (q.kind === 'date') return isDay(value) ? formatDateRange(value, null, 'day', tr.lang) : value;
  return value;
}

/**
 * Checks the answers to a meeting's questions as posted: what each field holds (kept for the form
 * when anything is wrong), the problems in the reader's language, and the answers to keep.
 */
export function answersForm(b: Body, questions: Question[], tr: Translator): { values: Body; errors: FieldError[]; answers: Map<number, string> } {
  const values: Body = {};
  const errors: FieldError[] = [];
  const answers = new Map<number, string>();
  for (const q of questions) {
    const name = questionField(q);
    const value = field(b, name);
    values[name] = value;
    const label = inLang(q.labels, tr.lang);
    // Each message names the question as its field (the catalogue's {field}).
    const wrong = (key: MessageKey, values: Record<string, string | number> = {}) => errors.push({ field: name, message: tr.t(key, { field: inSentence(label, tr.locale), ...values }) });
    if (!value) {
      if (q.required) wrong(q.kind === 'text' ? 'form.error.required' : 'form.error.choose');
      continue;
    }
    if (q.kind === 'text' && value.length > QUESTION_LIMITS.answer) wrong('form.error.tooLong', { max: QUESTION_LIMITS.answer });
    else if (q.kind === 'text' && CONTROL.test(value)) wrong('registration.error.characters');
    else if (q.kind === 'choice' && !(/^\d{1,2}$/.test(value) && Number(value) < q.options.length)) wrong('form.error.choose');
    else if (q.kind === 'yes_no' && value !== 'yes' && value !== 'no') wrong('form.error.choose');
    else if (q.kind === 'date' && !isDay(value)) wrong('registration.error.date');
    else answers.set(q.id, value);
  }
  return { values, errors, answers };
}

/** Keeps a registration's answers, replacing those it had (called inside the registration's transaction). */
export async function saveAnswers(trx: Db, registrationId: number, answers: ReadonlyMap<number, string>): Promise<void> {
  const ids = [...answers.keys()];
  // Only the questions the form asked are replaced: answers to retired ones stay.
  if (ids.length) await trx.deleteFrom('registration_answers').where('registration_id', '=', registrationId).where('field_id', 'in', ids).execute();
  const rows = [...answers].filter(([, v]) => v !== '').map(([field_id, value]) => ({ registration_id: registrationId, field_id, value }));
  if (rows.length) await trx.insertInto('registration_answers').values(rows).execute();
}

/** The answers of some registrations, by registration and question. */
export async function answersOf(db: Pick<Db, 'selectFrom'>, registrationIds: number[]): Promise<Map<number, Map<number, string>>> {
  const out = new Map<number, Map<number, string>>();
  for (let i = 0; i < registrationIds.length; i += 500) {
    const rows = await db.selectFrom('registration_answers').select(['registration_id', 'field_id', 'value']).where('registration_id', 'in', registrationIds.slice(i, i + 500)).execute();
    for (const r of rows) {
      if (!out.has(r.registration_id)) out.set(r.registration_id, new Map());
      out.get(r.registration_id)!.set(r.field_id, r.value);
    }
  }
  return out;
}

/** What an organiser types to add a question: its kind, whether it must be answered, its label and options in every language. */
export function questionInput(b: Body, languages: string[], tr: Translator): { values: Body; errors: FieldError[]; input: { kind: QuestionKind; required: boolean; labels: Record<string, string>; options: Record<string, string>[] } | null } {
  const kind = field(b, 'kind');
  const values: Body = { kind, required: field(b, 'required') === '1' };
  const errors: FieldError[] = [];
  if (!(QUESTION_KINDS as readonly string[]).includes(kind)) errors.push({ field: 'kind', message: tr.t('questions.error.kind') });
  const labels: Record<string, string> = {};
  const optionLists: Record<string, string[]> = {};
  for (const lang of languages) {
    const label = field(b, `label_${lang}`);
    values[`label_${lang}`] = label;
    const name = tr.t(`lang.${lang}` as Parameters<Translator['t']>[0]);
    if (!label) errors.push({ field: `label_${lang}`, message: tr.t('questions.error.label', { language: name }) });
    else if (label.length > QUESTION_LIMITS.label || CONTROL.test(label)) errors.push({ field: `label_${lang}`, message: tr.t('form.error.tooLong') });
    labels[lang] = label;
    const raw = typeof b[`options_${lang}`] === 'string' ? (b[`options_${lang}`] as string) : '';
    values[`options_${lang}`] = raw;
    optionLists[lang] = raw
      .split(/\r?\n/)
      .map((o) => o.trim())
      .filter(Boolean);
  }
  const options: Record<string, string>[] = [];
  if (kind === 'choice') {
    const counts = languages.map((l) => optionLists[l]!.length);
    const first = languages[0]!;
    if (counts[0]! < 2 || counts[0]! > QUESTION_LIMITS.options) errors.push({ field: `options_${first}`, message: tr.t('questions.error.options', { max: QUESTION_LIMITS.options }) });
    else if (counts.some((c) => c !== counts[0])) errors.push({ field: `options_${languages.find((l, i) => counts[i] !== counts[0])}`, message: tr.t('questions.error.optionsCount') });
    else if (languages.some((l) => optionLists[l]!.some((o) => o.length > QUESTION_LIMITS.option || CONTROL.test(o)))) errors.push({ field: `options_${first}`, message: tr.t('form.error.tooLong') });
    else for (let i = 0; i < counts[0]!; i++) options.push(Object.fromEntries(languages.map((l) => [l, optionLists[l]![i]!])));
  }
  return { values, errors, input: errors.length ? null : { kind: kind as QuestionKind, required: values.required === true, labels, options } };
}

/** Adds a question at the end of the form; false when the meeting already asks the most questions allowed. */
export async function addQuestion(db: Db, activityId: number, input: NonNullable<ReturnType<typeof questionInput>['input']>, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('registration_fields').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')]).where('activity_id', '=', activityId).where('retired', '=', 0).executeTakeFirstOrThrow();
    if (Number(row.n) >= QUESTION_LIMITS.questions) return false;
    const { id } = await trx
      .insertInto('registration_fields')
      .values({ activity_id: activityId, position: Number(row.last ?? 0) + 1, kind: input.kind, required: input.required ? 1 : 0, labels: JSON.stringify(input.labels), options: JSON.stringify(input.options), created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId: actorId, action: 'registration.question_added', entityType: 'activity', entityId: activityId, after: { question: id, kind: input.kind } });
    return true;
  });
}

/** Removes a question: deleted while nobody answered it, else retired (no longer asked, its answers kept). */
export async function removeQuestion(db: Db, activityId: number, questionId: number, actorId: number): Promise<'deleted' | 'retired' | 'missing'> {
  return db.transaction().execute(async (trx) => {
    const q = await trx.selectFrom('registration_fields').select('id').where('id', '=', questionId).where('activity_id', '=', activityId).where('retired', '=', 0).executeTakeFirst();
    if (!q) return 'missing';
    const answered = await trx.selectFrom('registration_answers').select('field_id').where('field_id', '=', questionId).limit(1).executeTakeFirst();
    if (answered) await trx.updateTable('registration_fields').set({ retired: 1 }).where('id', '=', questionId).execute();
    else await trx.deleteFrom('registration_fields').where('id', '=', questionId).execute();
    await audit(trx, { actorUserId: actorId, action: answered ? 'registration.question_retired' : 'registration.question_deleted', entityType: 'activity', entityId: activityId, after: { question: questionId } });
    return answered ? 'retired' : 'deleted';
  });
}
