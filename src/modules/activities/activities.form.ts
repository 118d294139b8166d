import type { Db } from '../../platform/db/database.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import type { FieldError } from '../../platform/views/forms.js';
import { isValidSlug, slugify } from '../../platform/text/slug.js';
import { ACTIVITY_FORMATS, ACTIVITY_STATUSES, ACTIVITY_TYPES, DATE_PRECISIONS, DOCUMENT_TYPES, FIGURE_QUALIFIERS, type ActivityInputParsed } from './activities.schemas.js';

export const CO_CHAIR_SLOTS = 4;
export const EMPTY_DOCUMENT_ROWS = 2;
const TEXT_FIELDS = ['title', 'slug', 'summary', 'narrative_html', 'city', 'venue'] as const;
const LIMITS: Record<(typeof TEXT_FIELDS)[number], number> = { title: 300, slug: 120, summary: 1000, narrative_html: 200_000, city: 120, venue: 200 };

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
  const docCount = Math.min(100, Number(str(body.doc_count)) || 0);
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
    co_chairs: Array.from({ length: CO_CHAIR_SLOTS }, (_, i) => str(body[`co_chair_${i}`])).filter(Boolean),
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

function parseParty(v: string): { country: string } | { organisation: string } | null {
  if (/^c:[A-Z]{2}$/.test(v)) return { country: v.slice(2) };
  if (/^o:[a-z0-9-]{1,60}$/.test(v)) return { organisation: v.slice(2) };
  return null;
}

/**
 * Checks the form and turns it into the write command's input. Every problem becomes a message in
 * the editor's language tied to its field; slugs left empty are made from the title.
 */
export async function validateForm(
  db: Db,
  values: ActivityFormValues,
  tr: Translator,
  languages: string[],
  activityId: number | null,
): Promise<{ errors: FieldError[]; input: Record<string, unknown> | null; values: ActivityFormValues }> {
  const t = tr.t;
  const errors: FieldError[] = [];
  const label = (k: MessageKey) => t(k).toLowerCase();
  const add = (field: string, message: string) => errors.push({ field, message });
  if (!(ACTIVITY_TYPES as readonly string[]).includes(values.type)) add('type', t('activityAdmin.error.choose', { field: label('activityAdmin.field.type') }));
  if (!(ACTIVITY_STATUSES as readonly string[]).includes(values.status)) add('status', t('activityAdmin.error.choose', { field: label('activityAdmin.field.status') }));
  if (!(ACTIVITY_FORMATS as readonly string[]).includes(values.format)) add('format', t('activityAdmin.error.choose', { field: label('activityAdmin.field.format') }));
  const precision = (DATE_PRECISIONS as readonly string[]).includes(values.date_precision) ? values.date_precision : 'day';
  const fmt = precision === 'day' ? 'YYYY-MM-DD' : precision === 'month' ? 'YYYY-MM' : 'YYYY';
  if (!values.start_date) add('start_date', t('activityAdmin.error.required', { field: label('activityAdmin.field.start') }));
  else if (!validDate(values.start_date, precision)) add('start_date', t('activityAdmin.error.date', { field: t('activityAdmin.field.start'), format: fmt }));
  if (values.end_date && precision === 'day') {
    if (!validDate(values.end_date, 'day')) add('end_date', t('activityAdmin.error.date', { field: t('activityAdmin.field.end'), format: 'YYYY-MM-DD' }));
    else if (values.start_date && values.end_date < values.start_date) add('end_date', t('activityAdmin.error.endBeforeStart'));
  }
  if (values.country && !/^[A-Z]{2}$/.test(values.country)) add('country', t('activityAdmin.error.choose', { field: label('activityAdmin.field.country') }));
  const host = values.host ? parseParty(values.host) : null;
  if (values.host && !host) add('host', t('activityAdmin.error.choose', { field: label('activityAdmin.field.host') }));
  const coChairs = values.co_chairs.map(parseParty).filter((p): p is NonNullable<typeof p> => !!p);
  const figure = (field: 'participants' | 'countries_count' | 'organisations_count', qualifier: string, labelKey: MessageKey) => {
    const raw = values[field];
    if (!raw) return null;
    const n = /^\d{1,7}$/.test(raw.replace(/[\s,.\u202f\u00a0]/g, '')) ? Number(raw.replace(/[\s,.\u202f\u00a0]/g, '')) : NaN;
    if (!(n >= 0 && n <= 1_000_000)) {
      add(field, t('activityAdmin.error.number', { field: label(labelKey) }));
      return null;
    }
    return { value: n, qualifier: (FIGURE_QUALIFIERS as readonly string[]).includes(qualifier) ? qualifier : 'exact' };
  };
  const participants = figure('participants', values.participants_qualifier, 'activityAdmin.field.participants');
  const countriesCount = figure('countries_count', values.countries_qualifier, 'activityAdmin.field.countries');
  const organisationsCount = figure('organisations_count', values.organisations_qualifier, 'activityAdmin.field.organisations');
  const isUrl = (u: string) => /^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(u) && u.length <= 2000;
  if (values.gallery_url && !isUrl(values.gallery_url)) add('gallery_url', t('activityAdmin.error.url'));

  const texts: Record<string, Record<string, string | null>> = {};
  for (const lang of languages) {
    const v = values.t[lang];
    if (!v) continue;
    const any = Object.values(v).some((x) => x.trim() !== '');
    if (!any) continue;
    if (!v.title) {
      add(`t_${lang}_title`, t('activityAdmin.error.required', { field: `${label('activityAdmin.field.title')} (${t(`lang.${lang}` as MessageKey)})` }));
      continue;
    }
    if (!v.slug) v.slug = slugify(v.title);
    for (const f of TEXT_FIELDS) {
      if (v[f].length > LIMITS[f]) add(`t_${lang}_${f}`, t('activityAdmin.error.tooLong', { field: t(`activityAdmin.field.${f === 'narrative_html' ? 'narrative' : f}` as MessageKey) }));
    }
    if (!isValidSlug(v.slug, Infinity)) add(`t_${lang}_slug`, t('activityAdmin.error.slug'));
    else {
      let q = db.selectFrom('activity_translations').select('activity_id').where('lang', '=', lang).where('slug', '=', v.slug);
      if (activityId !== null) q = q.where('activity_id', '!=', activityId);
      if (await q.executeTakeFirst()) add(`t_${lang}_slug`, t('activityAdmin.error.slugTaken'));
    }
    texts[lang] = { title: v.title, slug: v.slug, summary: v.summary, narrative_html: v.narrative_html, city: v.city || null, venue: v.venue || null };
  }
  if (!Object.keys(texts).length && !errors.some((e) => e.field.startsWith('t_'))) add(`t_${languages[0]}_title`, t('activityAdmin.error.noLanguage'));

  const documents = values.documents.map((d, i) => {
    const n = i + 1;
    if (!(DOCUMENT_TYPES as readonly string[]).includes(d.type)) add(`doc_${i}_type`, t('activityAdmin.error.docType', { n }));
    if (d.url && !isUrl(d.url)) add(`doc_${i}_url`, t('activityAdmin.error.url'));
    const titles = Object.fromEntries(Object.entries(d.titles).filter(([, v]) => v));
    if (!Object.keys(titles).length) add(`doc_${i}_title_${languages[0]}`, t('activityAdmin.error.docTitle', { n }));
    return { type: d.type, url: d.url || null, lang: /^([a-z]{2}|mul)$/.test(d.lang) ? d.lang : 'mul', title: titles };
  });
  if (errors.length) return { errors, input: null, values };
  return {
    errors,
    values,
    input: {
      type: values.type,
      status: values.status,
      start_date: values.start_date,
      end_date: precision === 'day' && values.end_date ? values.end_date : null,
      date_precision: precision,
      format: values.format,
      country: values.country || null,
      host,
      co_chairs: coChairs,
      themes: values.themes.filter((c) => /^[a-z0-9-]+\.[a-z0-9]+$/.test(c)),
      participants,
      countries_count: countriesCount,
      organisations_count: organisationsCount,
      gallery_url: values.gallery_url || null,
      published: false,
      t: texts,
      documents,
      related_ids: values.related.map(Number).filter((n) => Number.isInteger(n) && n > 0 && n !== activityId),
    },
  };
}
