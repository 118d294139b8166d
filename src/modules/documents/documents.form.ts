import type { Db } from '../../platform/db/database.js';
import { inSentence } from '../../platform/forms/validation.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { isValidSlug, slugify } from '../../platform/text/slug.js';
import type { FieldError } from '../../platform/views/forms.js';
import { ACCESS_TIERS, DOCUMENT_LIMITS, DOCUMENT_SLUG_MAX_LENGTH, DOCUMENT_TYPES, type DocumentInputParsed } from './documents.schemas.js';

/** What the document form sent, as strings (kept as typed when the form comes back with errors). */
export interface DocumentValues {
  version: string;
  type: string;
  doc_date: string;
  reference: string;
  access: string;
  access_roles: string[];
  /** The address (slug) of the meeting of the participants and inherit tiers. */
  meeting: string;
  /** Addresses of the activities it belongs to, one per line. */
  activities: string;
  themes: string[];
  countries: string[];
  t: Record<string, { title: string; slug: string; description: string }>;
}

const str = (b: Record<string, unknown>, k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
/** A repeated field's values, each once (a crafted form may repeat one; the check counts what is left, never cuts it). */
const list = (b: Record<string, unknown>, k: string) => {
  const v = b[k];
  return [...new Set((Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string'))];
};

export function readDocumentValues(body: unknown, languages: readonly string[]): DocumentValues {
  const b = (body ?? {}) as Record<string, unknown>;
  return {
    version: str(b, 'version'),
    type: str(b, 'type'),
    doc_date: str(b, 'doc_date').trim(),
    reference: str(b, 'reference').trim(),
    access: str(b, 'access'),
    access_roles: list(b, 'access_roles'),
    meeting: str(b, 'meeting').trim(),
    activities: str(b, 'activities'),
    themes: list(b, 'themes'),
    countries: list(b, 'countries'),
    t: Object.fromEntries(languages.map((l) => [l, { title: str(b, `t_${l}_title`).trim(), slug: str(b, `t_${l}_slug`).trim(), description: str(b, `t_${l}_description`) }])),
  };
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** The id of an activity by its address in any language (or its number). */
async function activityBySlug(db: Db, slug: string): Promise<number | null> {
  if (/^\d{1,9}$/.test(slug)) {
    const r = await db.selectFrom('activities').select('id').where('id', '=', Number(slug)).executeTakeFirst();
    return r?.id ?? null;
  }
  const r = await db.selectFrom('activity_translations').select('activity_id').where('slug', '=', slug).executeTakeFirst();
  return r?.activity_id ?? null;
}

/** The last part of an activity address, so a pasted link works as well as a slug. */
function slugOf(line: string): string {
  const trimmed = line.trim().replace(/[?#].*$/, '').replace(/\/+$/, '');
  const last = trimmed.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * Checks the document form and gives the write command's input, or the errors in the reader's
 * language, each naming its field. Nothing is written here.
 */
export async function checkDocumentForm(
  db: Db,
  values: DocumentValues,
  tr: Translator,
  options: { languages: readonly string[]; documentId: number | null; roles: readonly string[] },
): Promise<{ errors: FieldError[]; input: DocumentInputParsed | null }> {
  const errors: FieldError[] = [];
  const err = (field: string, key: MessageKey, v?: Record<string, string | number>) => errors.push({ field, message: tr.t(key, v) });
  const tooLong = (field: string, label: string, max: number) => err(field, 'form.error.tooLong', { field: inSentence(label, tr.locale), max: tr.number(max) });
  // Checkboxes and lists beyond the limit are refused before any of them is looked up.
  const tooMany = (field: string, count: number) => count > DOCUMENT_LIMITS.links && (err(field, 'documents.error.tooManyLinks', { max: DOCUMENT_LIMITS.links }), true);
  if (!(DOCUMENT_TYPES as readonly string[]).includes(values.type)) err('type', 'documents.error.type');
  if (values.doc_date && !isDate(values.doc_date)) err('doc_date', 'documents.error.date');
  if (values.reference.length > DOCUMENT_LIMITS.reference) tooLong('reference', tr.t('documents.field.reference'), DOCUMENT_LIMITS.reference);
  if (!(ACCESS_TIERS as readonly string[]).includes(values.access)) err('access', 'documents.error.access');
  const roles = values.access_roles.filter((r) => options.roles.includes(r));
  if (values.access === 'restricted' && values.access_roles.length !== roles.length) err('access_roles', 'documents.error.roles');
  let meetingId: number | null = null;
  if (values.meeting) {
    meetingId = await activityBySlug(db, slugOf(values.meeting));
    if (meetingId === null) err('meeting', 'documents.error.activity', { value: values.meeting.slice(0, 100) });
  }
  const activityIds: number[] = [];
  const lines = [...new Set(values.activities.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  if (lines.length > DOCUMENT_LIMITS.links) err('activities', 'documents.error.tooMany', { max: DOCUMENT_LIMITS.links });
  else
    for (const line of lines) {
      const id = await activityBySlug(db, slugOf(line));
      if (id === null) {
        err('activities', 'documents.error.activity', { value: line.slice(0, 100) });
        break;
      }
      activityIds.push(id);
    }
  if ((values.access === 'participants' || values.access === 'inherit') && meetingId === null && !activityIds.length && !errors.some((e) => e.field === 'meeting')) err('meeting', 'documents.error.meetingNeeded');
  // A theme that is not a whole number is no theme: refused, not dropped without a word.
  const themeIds = [...new Set(values.themes.filter((t) => /^[1-9]\d{0,8}$/.test(t)).map(Number))];
  if (!tooMany('themes', values.themes.length)) {
    const known = themeIds.length ? await db.selectFrom('themes').select('id').where('id', 'in', themeIds).execute() : [];
    if (known.length !== values.themes.length) err('themes', 'documents.error.theme');
  }
  if (!tooMany('countries', values.countries.length)) {
    const codes = values.countries.filter((c) => /^[A-Z]{2}$/.test(c));
    const known = codes.length ? await db.selectFrom('countries').select('code').where('code', 'in', codes).execute() : [];
    if (known.length !== values.countries.length) err('countries', 'documents.error.country');
  }
  let written = 0;
  for (const l of options.languages) {
    const v = values.t[l];
    if (!v || (!v.title && !v.slug && !v.description.trim())) continue;
    written++;
    const label = options.languages.length > 1 ? ` (${tr.t(`lang.${l}` as MessageKey)})` : '';
    if (!v.title) {
      errors.push({ field: `t_${l}_title`, message: `${tr.t('documents.error.title')}${label}` });
      continue;
    }
    if (v.title.length > DOCUMENT_LIMITS.title) tooLong(`t_${l}_title`, `${tr.t('documents.field.title')}${label}`, DOCUMENT_LIMITS.title);
    if (v.description.length > DOCUMENT_LIMITS.description) tooLong(`t_${l}_description`, `${tr.t('documents.field.description')}${label}`, DOCUMENT_LIMITS.description);
    if (!v.slug) v.slug = slugify(v.title, DOCUMENT_SLUG_MAX_LENGTH);
    if (!isValidSlug(v.slug, DOCUMENT_SLUG_MAX_LENGTH)) err(`t_${l}_slug`, 'form.error.slug');
    else {
      let q = db.selectFrom('document_translations').select('document_id').where('lang', '=', l).where('slug', '=', v.slug);
      if (options.documentId !== null) q = q.where('document_id', '!=', options.documentId);
      if (await q.executeTakeFirst()) err(`t_${l}_slug`, 'documents.error.slugTaken');
    }
  }
  if (!written) err(`t_${options.languages[0]}_title`, 'form.error.noLanguage');
  if (errors.length) return { errors, input: null };
  return {
    errors,
    input: {
      type: values.type as DocumentInputParsed['type'],
      doc_date: values.doc_date || null,
      reference: values.reference || null,
      access: values.access as DocumentInputParsed['access'],
      access_roles: values.access === 'restricted' ? roles : [],
      access_activity_id: meetingId ?? (values.access === 'participants' || values.access === 'inherit' ? (activityIds[0] ?? null) : null),
      activities: activityIds,
      themes: themeIds,
      countries: values.countries,
      published: false,
      t: Object.fromEntries(options.languages.flatMap((l) => (values.t[l]?.title ? [[l, values.t[l]]] : []))) as DocumentInputParsed['t'],
    },
  };
}
