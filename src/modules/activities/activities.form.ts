import type { Db } from '../../platform/db/database.js';
import { z } from 'zod';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { checkForm, firstLanguage, problem, says } from '../../platform/forms/validation.js';
import type { FieldError } from '../../platform/views/forms.js';
import { isValidSlug, slugify } from '../../platform/text/slug.js';
import {
  ACTIVITY_FORMATS,
  ACTIVITY_LIMITS,
  ACTIVITY_STATUSES,
  ACTIVITY_TYPES,
  DATE_PRECISIONS,
  DOCUMENT_TYPES,
  FIGURE_MAX,
  FIGURE_QUALIFIERS,
  HttpUrlSchema,
  type ActivityInput,
  type ActivityInputParsed,
  type FigureQualifier,
  type PartyRef,
} from './activities.schemas.js';

export const CO_CHAIR_SLOTS = 4;
export const EMPTY_DOCUMENT_ROWS = 2;
const TEXT_FIELDS = ['title', 'slug', 'summary', 'narrative_html', 'city', 'venue'] as const;

export interface DocumentRow {
  type: string;
  url: string;
  lang: string;
  titles: Record<string, string>;
}

/** The activity form as strings, exactly as typed, so a failed save shows it back unchanged. */
export interface ActivityFormValues {
  version: string;
  type: string;
  status: string;
  date_precision: string;
  start_date: string;
  end_date: string;
  format: string;
  country: string;
  host: string;
  co_chairs: string[];
  themes: string[];
  participants: string;
  participants_qualifier: string;
  countries_count: string;
  countries_qualifier: string;
  organisations_count: string;
  organisations_qualifier: string;
  gallery_url: string;
  related: string[];
  t: Record<string, Record<(typeof TEXT_FIELDS)[number], string>>;
  documents: DocumentRow[];
}

const partyValue = (p: { country: string } | { organisation: string } | null | undefined) => (!p ? '' : 'country' in p ? `c:${p.country}` : `o:${p.organisation}`);

/** Form values for a new activity. */
export function blankFormValues(languages: string[]): ActivityFormValues {
  return {
    version: '0',
    type: '',
    status: 'planned',
    date_precision: 'day',
    start_date: '',
    end_date: '',
    format: 'in_person',
    country: '',
    host: '',
    co_chairs: [],
    themes: [],
    participants: '',
    participants_qualifier: 'exact',
    countries_count: '',
    countries_qualifier: 'exact',
    organisations_count: '',
    organisations_qualifier: 'exact',
    gallery_url: '',
    related: [],
    t: Object.fromEntries(languages.map((l) => [l, { title: '', slug: '', summary: '', narrative_html: '', city: '', venue: '' }])),
    documents: [],
  };
}

/** Form values from a stored activity. */
export function toFormValues(input: ActivityInputParsed, version: number, languages: string[]): ActivityFormValues {
  const blank = blankFormValues(languages);
  const fig = (f: { value: number; qualifier: string } | null | undefined) => [f ? String(f.value) : '', f?.qualifier ?? 'exact'] as const;
  const [p, pq] = fig(input.participants);
  const [c, cq] = fig(input.countries_count);
  const [o, oq] = fig(input.organisations_count);
  return {
    version: String(version),
    type: input.type,
    status: input.status,
    date_precision: input.date_precision,
    start_date: input.start_date,
    end_date: input.end_date && input.end_date !== input.start_date ? input.end_date : '',
    format: input.format,
    country: input.country ?? '',
    host: partyValue(input.host),
    co_chairs: input.co_chairs.map(partyValue),
    themes: input.themes,
    participants: p,
    participants_qualifier: pq,
    countries_count: c,
    countries_qualifier: cq,
    organisations_count: o,
    organisations_qualifier: oq,
    gallery_url: input.gallery_url ?? '',
    related: input.related_ids.map(String),
    t: Object.fromEntries(
      [...new Set([...languages, ...Object.keys(input.t)])].map((l) => {
        const tr = input.t[l];
        return [l, tr ? { title: tr.title, slug: tr.slug, summary: tr.summary ?? '', narrative_html: tr.narrative_html ?? '', city: tr.city ?? '', venue: tr.venue ?? '' } : blank.t[l] ?? { title: '', slug: '', summary: '', narrative_html: '', city: '', venue: '' }];
      }),
    ),
    documents: input.documents.map((d) => ({ type: d.type, url: d.url ?? '', lang: d.lang, titles: d.title })),
  };
}

function str(v: unknown): string {
  if (Array.isArray(v)) return str(v[0]);
  return typeof v === 'string' ? v : '';
}
function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

/** Reads the posted form into values (unvalidated). */
export function readForm(body: Record<string, unknown>, languages: string[]): ActivityFormValues {
  const docCount = Math.min(ACTIVITY_LIMITS.documents, Number(str(body.doc_count)) || 0);
  const documents: DocumentRow[] = [];
  for (let i = 0; i < docCount; i++) {
    documents.push({
      type: str(body[`doc_${i}_type`]),
      url: str(body[`doc_${i}_url`]).trim(),
      lang: str(body[`doc_${i}_lang`]),
      titles: Object.fromEntries(languages.map((l) => [l, str(body[`doc_${i}_title_${l}`]).trim()])),
    });
  }
  return {
    version: str(body.version),
    type: str(body.type),
    status: str(body.status),
    date_precision: str(body.date_precision),
    start_date: str(body.start_date).trim(),
    end_date: str(body.end_date).trim(),
    format: str(body.format),
    country: str(body.country),
    host: str(body.host),
    // Slots keep their place, so a problem names the slot the editor chose in.
    co_chairs: Array.from({ length: CO_CHAIR_SLOTS }, (_, i) => str(body[`co_chair_${i}`])),
    themes: list(body.themes),
    participants: str(body.participants).trim(),
    participants_qualifier: str(body.participants_qualifier),
    countries_count: str(body.countries_count).trim(),
    countries_qualifier: str(body.countries_qualifier),
    organisations_count: str(body.organisations_count).trim(),
    organisations_qualifier: str(body.organisations_qualifier),
    gallery_url: str(body.gallery_url).trim(),
    related: list(body.related),
    t: Object.fromEntries(languages.map((l) => [l, Object.fromEntries(TEXT_FIELDS.map((f) => [f, f === 'narrative_html' ? str(body[`t_${l}_${f}`]) : str(body[`t_${l}_${f}`]).trim()])) as Record<(typeof TEXT_FIELDS)[number], string>])),
    documents: documents.filter((d) => d.url || Object.values(d.titles).some(Boolean)),
  };
}

function validDate(s: string, precision: string): boolean {
  const re = precision === 'day' ? /^\d{4}-\d{2}-\d{2}$/ : precision === 'month' ? /^\d{4}-\d{2}$/ : /^\d{4}$/;
  if (!re.test(s)) return false;
  const [y, m = '01', d = '01'] = s.split('-');
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return Number(y) >= 1900 && Number(y) <= 2100 && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function parseParty(v: string): PartyRef | null {
  if (/^c:[A-Z]{2}$/.test(v)) return { country: v.slice(2) };
  if (/^o:[a-z0-9-]{1,60}$/.test(v)) return { organisation: v.slice(2) };
  return null;
}

/** The codes a form may name, read once per check: a code that is not here is refused with a message, not a 500. */
export interface KnownReferences {
  countries: ReadonlySet<string>;
  organisations: ReadonlySet<string>;
  themes: ReadonlySet<string>;
}

export async function knownReferences(db: Db): Promise<KnownReferences> {
  const [countries, organisations, themes] = await Promise.all([
    db.selectFrom('countries').select('code').execute(),
    db.selectFrom('organisations').select('code').execute(),
    db.selectFrom('themes').select('code').execute(),
  ]);
  return { countries: new Set(countries.map((r) => r.code)), organisations: new Set(organisations.map((r) => r.code)), themes: new Set(themes.map((r) => r.code)) };
}

const TEXT_LABELS: Record<(typeof TEXT_FIELDS)[number], MessageKey> = {
  title: 'activityAdmin.field.title',
  slug: 'activityAdmin.field.slug',
  summary: 'activityAdmin.field.summary',
  narrative_html: 'activityAdmin.field.narrative',
  city: 'activityAdmin.field.city',
  venue: 'activityAdmin.field.venue',
};
const FIELD_LABELS: Record<string, MessageKey> = {
  type: 'activityAdmin.field.type',
  status: 'activityAdmin.field.status',
  format: 'activityAdmin.field.format',
  start_date: 'activityAdmin.field.start',
  end_date: 'activityAdmin.field.end',
  country: 'activityAdmin.field.country',
  host: 'activityAdmin.field.host',
  participants: 'activityAdmin.field.participants',
  countries_count: 'activityAdmin.field.countries',
  organisations_count: 'activityAdmin.field.organisations',
  gallery_url: 'activityAdmin.field.gallery',
  themes: 'activityAdmin.section.themes',
  related: 'activityAdmin.field.related',
};

/** The fields in the order the form shows them, for the error summary. */
const FORM_ORDER = ['type', 'status', 'date_precision', 'start_date', 'end_date', 'format', 'country', 'host', 'co_chair_*', 't_*', 'themes', 'participants', 'countries_count', 'organisations_count', 'doc_*', 'gallery_url', 'related'];

/** The form field a problem belongs to: `t_en_title`, `doc_0_url`, `co_chair_1`, or the field's own name. */
function fieldId(path: readonly PropertyKey[]): string {
  const [head, a, b] = path.map(String);
  if (head === 't' && a && b) return `t_${a}_${b}`;
  if (head === 'documents' && a !== undefined) return b === 'titles' ? `doc_${a}_title_${path[3] === undefined ? '' : String(path[3])}` : `doc_${a}_${b ?? 'type'}`;
  if (head === 'co_chairs' && a !== undefined) return `co_chair_${a}`;
  return head ?? 'form';
}

function labelOf(tr: Translator, languages: readonly string[]) {
  return (field: string): string | undefined => {
    const text = /^t_([^_]+)_(.+)$/.exec(field);
    if (text) {
      const key = TEXT_LABELS[text[2] as (typeof TEXT_FIELDS)[number]];
      return key ? (languages.length > 1 ? `${tr.t(key)} (${tr.t(`lang.${text[1]}` as MessageKey)})` : tr.t(key)) : undefined;
    }
    const chair = /^co_chair_(\d+)$/.exec(field);
    if (chair) return tr.t('activityAdmin.field.coChair', { n: Number(chair[1]) + 1 });
    const key = FIELD_LABELS[field];
    return key ? tr.t(key) : undefined;
  };
}

interface FormSchemaContext {
  languages: readonly string[];
  known: KnownReferences;
  /** True when another activity already uses this slug in this language. */
  slugTaken: (lang: string, slug: string) => Promise<boolean>;
  activityId: number | null;
}

/** A figure as typed ("1,200", "80"), with its qualifier; empty means not known. */
const figure = (qualifier: string) =>
  z.string().transform((raw, ctx) => {
    if (!raw) return null;
    const digits = raw.replace(/[\s,.\u202f\u00a0]/g, '');
    const n = /^\d{1,7}$/.test(digits) ? Number(digits) : NaN;
    if (!(n >= 0 && n <= FIGURE_MAX)) {
      problem(ctx, [], 'activityAdmin.error.number');
      return z.NEVER;
    }
    return { value: n, qualifier: (FIGURE_QUALIFIERS as readonly string[]).includes(qualifier) ? (qualifier as FigureQualifier) : 'exact' };
  });

const optionalUrl = z.string().refine((u) => u === '' || HttpUrlSchema.safeParse(u).success, says('activityAdmin.error.url'));

/**
 * The activity form's schema: what the form sent (as strings) in, the write command's input out.
 * Every message is a catalogue key; the limits are ACTIVITY_LIMITS, the ones the command applies.
 */
export function activityFormSchema({ languages, known, slugTaken, activityId }: FormSchemaContext) {
  const party = (field: 'host' | 'co_chair') =>
    z.string().transform((v, ctx) => {
      if (!v) return null;
      const ref = parseParty(v);
      if (!ref || ('country' in ref ? !known.countries.has(ref.country) : !known.organisations.has(ref.organisation))) {
        problem(ctx, [], field === 'host' ? 'activityAdmin.error.choose' : 'form.error.choose');
        return z.NEVER;
      }
      return ref;
    });
  const text = (max: number) => z.string().max(max, says('form.error.tooLong'));
  const translation = z.object({
    title: text(ACTIVITY_LIMITS.title),
    slug: text(ACTIVITY_LIMITS.slug),
    summary: text(ACTIVITY_LIMITS.summary),
    narrative_html: text(ACTIVITY_LIMITS.narrative_html),
    city: text(ACTIVITY_LIMITS.city),
    venue: text(ACTIVITY_LIMITS.venue),
  });
  const document = z.object({
    type: z.string(),
    url: optionalUrl,
    lang: z.string(),
    titles: z.record(z.string(), text(ACTIVITY_LIMITS.documentTitle)),
  });
  return z
    .object({
      version: z.string(),
      type: z.enum(ACTIVITY_TYPES, says('activityAdmin.error.choose')),
      status: z.enum(ACTIVITY_STATUSES, says('activityAdmin.error.choose')),
      format: z.enum(ACTIVITY_FORMATS, says('activityAdmin.error.choose')),
      date_precision: z.enum(DATE_PRECISIONS).catch('day'),
      start_date: z.string().min(1, says('form.error.required')),
      end_date: z.string(),
      country: z.string().refine((c) => c === '' || known.countries.has(c), says('activityAdmin.error.choose')),
      host: party('host'),
      co_chairs: z.array(party('co_chair')).max(CO_CHAIR_SLOTS, says('form.error.invalid')),
      themes: z.array(z.string()).refine((codes) => codes.every((c) => known.themes.has(c)), says('form.error.choose')),
      participants: z.string(),
      participants_qualifier: z.string(),
      countries_count: z.string(),
      countries_qualifier: z.string(),
      organisations_count: z.string(),
      organisations_qualifier: z.string(),
      gallery_url: optionalUrl,
      related: z.array(z.string()).max(ACTIVITY_LIMITS.related, says('form.error.invalid')),
      t: z.record(z.string(), translation),
      documents: z.array(document).max(ACTIVITY_LIMITS.documents, says('form.error.invalid')),
    })
    .superRefine(async (v, ctx) => {
      const fmt = v.date_precision === 'day' ? 'YYYY-MM-DD' : v.date_precision === 'month' ? 'YYYY-MM' : 'YYYY';
      if (v.start_date && !validDate(v.start_date, v.date_precision)) problem(ctx, ['start_date'], 'activityAdmin.error.date', { format: fmt });
      if (v.end_date && v.date_precision === 'day') {
        if (!validDate(v.end_date, 'day')) problem(ctx, ['end_date'], 'activityAdmin.error.date', { format: 'YYYY-MM-DD' });
        else if (v.start_date && v.end_date < v.start_date) problem(ctx, ['end_date'], 'activityAdmin.error.endBeforeStart');
      }
      for (const [name, qualifier] of [['participants', v.participants_qualifier], ['countries_count', v.countries_qualifier], ['organisations_count', v.organisations_qualifier]] as const) {
        const r = figure(qualifier).safeParse(v[name]);
        if (!r.success) problem(ctx, [name], 'activityAdmin.error.number');
      }
      let written = 0;
      for (const lang of languages) {
        const tv = v.t?.[lang];
        if (!tv || !Object.values(tv).some((x) => typeof x === 'string' && x.trim() !== '')) continue;
        written++;
        if (!tv.title) {
          problem(ctx, ['t', lang, 'title'], 'form.error.required');
          continue;
        }
        if (!isValidSlug(tv.slug, ACTIVITY_LIMITS.slug)) problem(ctx, ['t', lang, 'slug'], 'form.error.slug');
        else if (await slugTaken(lang, tv.slug)) problem(ctx, ['t', lang, 'slug'], 'activityAdmin.error.slugTaken');
      }
      if (!written) problem(ctx, ['t', firstLanguage(languages), 'title'], 'form.error.noLanguage');
      (v.documents ?? []).forEach((d, i) => {
        if (!(DOCUMENT_TYPES as readonly string[]).includes(d.type)) problem(ctx, ['documents', i, 'type'], 'activityAdmin.error.docType', { n: i + 1 });
        if (!Object.values(d.titles ?? {}).some(Boolean)) problem(ctx, ['documents', i, 'titles', firstLanguage(languages)], 'activityAdmin.error.docTitle', { n: i + 1 });
      });
      // Run even when a field failed, so that every problem shows at once (GOV.UK's summary).
    }, { when: () => true })
    .transform((v) => {
      const precision = v.date_precision;
      const texts: Record<string, { title: string; slug: string; summary: string; narrative_html: string; city: string | null; venue: string | null }> = {};
      for (const lang of languages) {
        const tv = v.t[lang];
        if (tv?.title) texts[lang] = { title: tv.title, slug: tv.slug, summary: tv.summary, narrative_html: tv.narrative_html, city: tv.city || null, venue: tv.venue || null };
      }
      const count = (raw: string, qualifier: string) => figure(qualifier).parse(raw);
      return {
        type: v.type,
        status: v.status,
        start_date: v.start_date,
        end_date: precision === 'day' && v.end_date ? v.end_date : null,
        date_precision: precision,
        format: v.format,
        country: v.country || null,
        host: v.host,
        co_chairs: v.co_chairs.filter((p): p is PartyRef => p !== null),
        themes: v.themes,
        participants: count(v.participants, v.participants_qualifier),
        countries_count: count(v.countries_count, v.countries_qualifier),
        organisations_count: count(v.organisations_count, v.organisations_qualifier),
        gallery_url: v.gallery_url || null,
        published: false,
        t: texts,
        documents: v.documents.map((d) => ({ type: d.type as (typeof DOCUMENT_TYPES)[number], url: d.url || null, lang: /^([a-z]{2}|mul)$/.test(d.lang) ? d.lang : 'mul', title: Object.fromEntries(Object.entries(d.titles).filter(([, x]) => x)) })),
        related_ids: [...new Set(v.related.map(Number))].filter((n) => Number.isInteger(n) && n > 0 && n !== activityId),
      } satisfies ActivityInput;
    });
}

/**
 * Checks the form with its schema and turns it into the write command's input. Every problem
 * becomes a message in the editor's language tied to its field; slugs left empty are made from
 * the title first (and shown back so).
 */
export async function validateForm(
  db: Db,
  values: ActivityFormValues,
  tr: Translator,
  languages: string[],
  activityId: number | null,
): Promise<{ errors: FieldError[]; input: ActivityInput | null; values: ActivityFormValues }> {
  for (const lang of languages) {
    const tv = values.t[lang];
    if (tv?.title && !tv.slug) tv.slug = slugify(tv.title);
  }
  const slugTaken = async (lang: string, slug: string) => {
    let q = db.selectFrom('activity_translations').select('activity_id').where('lang', '=', lang).where('slug', '=', slug);
    if (activityId !== null) q = q.where('activity_id', '!=', activityId);
    return (await q.executeTakeFirst()) !== undefined;
  };
  const schema = activityFormSchema({ languages, known: await knownReferences(db), slugTaken, activityId });
  const checked = await checkForm(schema, values, tr, { fieldId, label: labelOf(tr, languages), order: FORM_ORDER });
  return { errors: checked.errors, input: checked.data, values };
}
