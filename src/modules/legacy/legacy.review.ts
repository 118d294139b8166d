import type { Db } from '../../platform/db/database.js';
import type { MessageKey, Values } from '../../platform/i18n/i18n.js';
import { ACTIVITY_FORMATS, ACTIVITY_TYPES, DOCUMENT_TYPES, FIGURE_QUALIFIERS, type ActivityFormat, type ActivityType, type DocumentType, type Figure, type FigureQualifier } from '../activities/index.js';
import { decodeSavedPage, MAX_PAGE_BYTES, SavedPageError } from './legacy.cli.js';
import { extractActivities } from './legacy.extract.js';
import { buildActivityInput, planImport, type PlanAction, type PlanItem } from './legacy.match.js';
import { looksLikeHtml, readPage } from './legacy.page.js';
import type { ExtractedActivity, ExtractedDocument, ExtractionResult } from './legacy.schemas.js';
import { fold } from './legacy.text.js';

/**
 * The back-office review of an import: a pasted page is read and planned exactly as
 * `import-legacy --dry-run` does, the reviewer's corrections are laid over the extracted fields
 * before planning, and their choice of action over the plan. Nothing here writes: the pending
 * review lives in the review form itself (the page and every field are posted back), and accepting
 * re-reads and re-plans it, refusing when the plan is no longer the one reviewed.
 */

/** A problem to show in the form: the field it is about and a message of the catalogue. */
export interface ReviewError {
  field: string;
  key: MessageKey;
  values?: Values;
}

/** The editable fields of one extracted activity, as the review form holds them. */
export interface ItemValues {
  title: string;
  type: string;
  start_date: string;
  end_date: string;
  date_precision: string;
  city: string;
  country: string;
  format: string;
  co_chairs: string;
  themes: string;
  participants: string;
  participants_q: string;
  countries_count: string;
  countries_count_q: string;
  documents: string;
  action: string;
}

export const ITEM_FIELDS = ['title', 'type', 'start_date', 'end_date', 'date_precision', 'city', 'country', 'format', 'co_chairs', 'themes', 'participants', 'participants_q', 'countries_count', 'countries_count_q', 'documents', 'action'] as const satisfies readonly (keyof ItemValues)[];

/** The name of one item's field in the review form. */
export const fieldName = (index: number, field: keyof ItemValues): string => `i${index}_${field}`;

export interface PastedPage {
  text: string;
  sourceUrl: string | null;
}

/** Checks what was pasted: not empty, not binary, within the size limit; and the old address, if given. */
export function readPastedPage(page: string, sourceUrl: string): { ok: true; page: PastedPage } | { ok: false; errors: ReviewError[] } {
  const errors: ReviewError[] = [];
  let url: string | null = null;
  const u = sourceUrl.trim();
  if (u) {
    try {
      const parsed = new URL(u);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') url = parsed.toString();
    } catch {
      url = null;
    }
    if (!url) errors.push({ field: 'source_url', key: 'imports.error.sourceUrl' });
  }
  const bytes = Buffer.from(page.replace(/\r\n?/g, '\n'), 'utf8');
  let text = '';
  if (bytes.length > MAX_PAGE_BYTES) errors.push({ field: 'page', key: 'imports.error.tooLarge' });
  else if (!page.trim()) errors.push({ field: 'page', key: 'imports.error.empty' });
  else {
    try {
      text = decodeSavedPage(bytes, 'page');
    } catch (e) {
      if (!(e instanceof SavedPageError)) throw e;
      errors.push({ field: 'page', key: 'imports.error.binary' });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, page: { text, sourceUrl: url } };
}

/** Checks an uploaded saved page: within the size limit (it was cut short otherwise), text in a known encoding, not binary. */
export function readUploadedPage(file: { name: string; bytes: Buffer; truncated: boolean } | null, sourceUrl: string): { ok: true; page: PastedPage } | { ok: false; errors: ReviewError[] } {
  if (file?.truncated) return { ok: false, errors: [{ field: 'page_file', key: 'imports.error.tooLarge' }] };
  if (!file || !file.bytes.length) return { ok: false, errors: [{ field: 'page_file', key: 'imports.error.empty' }] };
  let text: string;
  try {
    text = decodeSavedPage(file.bytes, file.name || 'page');
  } catch (e) {
    if (!(e instanceof SavedPageError)) throw e;
    return { ok: false, errors: [{ field: 'page_file', key: /empty|white space/.test(e.message) ? 'imports.error.empty' : 'imports.error.binary' }] };
  }
  const r = readPastedPage(text, sourceUrl);
  return r.ok ? r : { ok: false, errors: r.errors.map((e) => (e.field === 'page' ? { ...e, field: 'page_file' } : e.field === 'source_url' ? { ...e, field: 'upload_source_url' } : e)) };
}

/** The fields of an extracted activity as the form shows them. */
export function toValues(a: ExtractedActivity, action: PlanAction): ItemValues {
  const codes = (x: string[] | null) => (x ?? []).join(', ');
  return {
    title: a.title ?? '',
    type: a.type ?? '',
    start_date: a.start_date ?? '',
    end_date: a.end_date ?? '',
    date_precision: a.date_precision ?? '',
    city: a.city ?? '',
    country: a.country ?? '',
    format: a.format ?? '',
    co_chairs: codes(a.co_chairs),
    themes: codes(a.themes),
    participants: a.participants ? String(a.participants.value) : '',
    participants_q: a.participants?.qualifier ?? 'exact',
    countries_count: a.countries_count ? String(a.countries_count.value) : '',
    countries_count_q: a.countries_count?.qualifier ?? 'exact',
    documents: a.documents.map((d) => [d.type, d.title, d.url ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
    action,
  };
}

/** The posted values of one item, or null when the form did not hold it (the first reading). */
export function postedValues(body: Record<string, unknown>, index: number): ItemValues | null {
  if (typeof body[fieldName(index, 'title')] !== 'string') return null;
  const s = (f: keyof ItemValues) => {
    const v = body[fieldName(index, f)];
    return typeof v === 'string' ? v.replace(/\r\n?/g, '\n') : '';
  };
  return Object.fromEntries(ITEM_FIELDS.map((f) => [f, s(f)])) as unknown as ItemValues;
}

const DATE_FORMATS = { day: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, month: /^\d{4}-(0[1-9]|1[0-2])$/, year: /^\d{4}$/ } as const;

function codeList(s: string, upper: boolean): string[] | null {
  const list = s
    .split(/[,;\s]+/)
    .map((c) => c.trim())
    .filter(Boolean)
    .map((c) => (upper && /^[a-z]{2}$/i.test(c) ? c.toUpperCase() : c));
  return list.length ? [...new Set(list)] : null;
}

function figure(value: string, qualifier: string, n: number, field: string, errors: ReviewError[]): Figure | null {
  const v = value.trim();
  if (!v) return null;
  if (!/^\d{1,7}$/.test(v) || Number(v) > 1_000_000) {
    errors.push({ field, key: 'imports.error.figure', values: { n } });
    return null;
  }
  const q = (FIGURE_QUALIFIERS as readonly string[]).includes(qualifier) ? (qualifier as FigureQualifier) : 'exact';
  return { value: Number(v), qualifier: q };
}

/**
 * Lays the reviewer's values over an extracted activity. A field the reviewer changed is marked as
 * certain (confidence 1): a person read it, so a later, better-looking page does not overwrite it.
 */
export function applyValues(a: ExtractedActivity, v: ItemValues, index: number): { activity: ExtractedActivity; errors: ReviewError[] } {
  const n = index + 1;
  const errors: ReviewError[] = [];
  const out: ExtractedActivity = { ...a, confidence: { ...a.confidence }, warnings: [...a.warnings] };
  const before = toValues(a, 'skip');
  const changed = (...fields: (keyof ItemValues)[]) => fields.some((f) => before[f].trim() !== v[f].trim());

  out.title = v.title.trim().replace(/\s+/g, ' ') || null;
  out.type = (ACTIVITY_TYPES as readonly string[]).includes(v.type) ? (v.type as ActivityType) : null;
  out.format = (ACTIVITY_FORMATS as readonly string[]).includes(v.format) ? (v.format as ActivityFormat) : null;
  out.city = v.city.trim() || null;
  const country = v.country.trim().toUpperCase();
  if (country && !/^[A-Z]{2}$/.test(country)) errors.push({ field: fieldName(index, 'country'), key: 'imports.error.country', values: { n } });
  out.country = /^[A-Z]{2}$/.test(country) ? country : null;

  const start = v.start_date.trim();
  const end = v.end_date.trim();
  if (!start) {
    out.start_date = null;
    out.end_date = null;
    out.date_precision = null;
  } else {
    const precision = v.date_precision === 'day' || v.date_precision === 'month' || v.date_precision === 'year' ? v.date_precision : start.length === 4 ? 'year' : start.length === 7 ? 'month' : 'day';
    if (!DATE_FORMATS[precision].test(start)) {
      errors.push({ field: fieldName(index, 'start_date'), key: 'imports.error.date', values: { n, format: precision === 'day' ? 'YYYY-MM-DD' : precision === 'month' ? 'YYYY-MM' : 'YYYY' } });
    }
    if (end && (precision !== 'day' || !DATE_FORMATS.day.test(end) || end < start)) errors.push({ field: fieldName(index, 'end_date'), key: 'imports.error.endDate', values: { n } });
    out.start_date = start;
    out.end_date = precision === 'day' ? end || null : null;
    out.date_precision = precision;
  }
  out.co_chairs = codeList(v.co_chairs, true);
  out.themes = codeList(v.themes, false);
  out.participants = figure(v.participants, v.participants_q, n, fieldName(index, 'participants'), errors);
  out.countries_count = figure(v.countries_count, v.countries_count_q, n, fieldName(index, 'countries_count'), errors);

  const docs: ExtractedDocument[] = [];
  for (const line of v.documents.split('\n')) {
    if (!line.trim()) continue;
    const [type = '', title = '', url = ''] = line.split('|').map((p) => p.trim());
    let okUrl: string | null = null;
    if (url) {
      try {
        const u = new URL(url);
        okUrl = u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
      } catch {
        okUrl = null;
      }
    }
    if (!(DOCUMENT_TYPES as readonly string[]).includes(type) || !title || (url && !okUrl)) {
      errors.push({ field: fieldName(index, 'documents'), key: 'imports.error.document', values: { n, types: DOCUMENT_TYPES.join(', ') } });
      break;
    }
    docs.push({ type: type as DocumentType, title, url: okUrl });
  }
  out.documents = docs;

  const c = out.confidence;
  if (changed('title')) c.title = 1;
  if (changed('type')) c.type = 1;
  if (changed('start_date', 'end_date', 'date_precision')) c.dates = 1;
  if (changed('city', 'country')) c.place = 1;
  if (changed('format')) c.format = 1;
  if (changed('co_chairs')) c.co_chairs = 1;
  if (changed('themes')) c.themes = 1;
  if (changed('participants', 'participants_q')) c.participants = 1;
  if (changed('countries_count', 'countries_count_q')) c.countries_count = 1;
  if (changed('documents')) c.documents = 1;
  return { activity: out, errors };
}

/** The actions a reviewer may choose for an item the plan proposes: a merge may become a create or a skip, a create a skip. */
export function allowedActions(item: PlanItem): PlanAction[] {
  return item.action === 'merge' ? ['merge', 'create', 'skip'] : item.action === 'create' ? ['create', 'skip'] : ['skip'];
}

/** A short description of the plan as proposed, so that accepting can tell whether it is still the one reviewed. */
export function planFingerprint(plan: PlanItem[]): string {
  return plan.map((p) => `${p.index}:${p.action}:${p.target ? (p.target.kind === 'existing' ? `#${p.target.id}` : `@${p.target.index}`) : ''}`).join(',');
}

/** The lines of the page each activity was read from (the whole page when it holds one activity). */
export function sourceExcerpts(text: string, result: ExtractionResult, maxLines = 400): string[][] {
  const lines = readPage(looksLikeHtml(text) ? { html: text } : { text })
    .lines.map((l) => l.text)
    .filter((l) => l.trim());
  const cap = (ls: string[]) => (ls.length > maxLines ? [...ls.slice(0, maxLines), '…'] : ls).map((l) => (l.length > 2000 ? `${l.slice(0, 2000)}…` : l));
  if (result.activities.length <= 1) return [cap(lines)];
  const folded = lines.map(fold);
  const starts = result.activities.map((a) => {
    const t = a.title ? fold(a.title) : '';
    return t ? folded.findIndex((l) => l.includes(t) || (l.length > 8 && t.includes(l))) : -1;
  });
  return starts.map((start) => {
    if (start < 0) return cap(lines);
    const next = starts.filter((s) => s > start).sort((x, y) => x - y)[0] ?? lines.length;
    return cap(lines.slice(start, next));
  });
}

export interface Review {
  page: PastedPage;
  /** What the page says, as read. */
  original: ExtractionResult;
  /** The source lines beside each activity. */
  excerpts: string[][];
  /** The plan as proposed for the corrected activities (before the reviewer's choice of actions). */
  proposed: PlanItem[];
  /** The plan with the reviewer's actions: what accepting writes. */
  plan: PlanItem[];
  values: ItemValues[];
  errors: ReviewError[];
}

/**
 * Reads and plans a pasted page with the reviewer's corrections and choices (from a posted review
 * form; none on the first reading). Writes nothing. Returns null when the page holds no activity.
 */
export async function reviewImport(db: Db, page: PastedPage, body: Record<string, unknown>, options: { now?: Date } = {}): Promise<Review | null> {
  const now = options.now ?? new Date();
  const input = { ...(looksLikeHtml(page.text) ? { html: page.text } : { text: page.text }), sourceUrl: page.sourceUrl, fileName: null };
  const original = extractActivities(input);
  if (!original.activities.length) return null;
  const errors: ReviewError[] = [];
  const posted = original.activities.map((_, i) => postedValues(body, i));
  const corrected: ExtractionResult = {
    ...original,
    activities: original.activities.map((a, i) => {
      const v = posted[i];
      if (!v) return a;
      const r = applyValues(a, v, i);
      errors.push(...r.errors);
      return r.activity;
    }),
  };
  const proposed = await planImport(db, [{ file: null, result: corrected }], { now });
  const reserved = { slugs: new Set<string>(), keys: new Set<string>() };
  const plan: PlanItem[] = [];
  for (const item of proposed) {
    const chosen = posted[item.index]?.action || item.action;
    const copy: PlanItem = { ...item, reasons: [...item.reasons], warnings: [...item.warnings], changes: [...item.changes] };
    if (!allowedActions(item).includes(chosen as PlanAction)) {
      errors.push({ field: fieldName(item.index, 'action'), key: 'imports.error.action', values: { n: item.index + 1 } });
    } else if (chosen === 'skip' && item.action !== 'skip') {
      copy.action = 'skip';
      copy.input = null;
      copy.reasons.push('skipped by the reviewer');
    } else if (chosen === 'create' && item.action === 'merge') {
      try {
        const built = await buildActivityInput(db, item, now, reserved);
        copy.action = 'create';
        copy.input = built.input;
        copy.target = null;
        copy.changes = [];
        copy.warnings.push(...built.warnings);
        copy.reasons.push('created as a new record by the reviewer instead of merged');
      } catch (e) {
        errors.push({ field: fieldName(item.index, 'action'), key: 'imports.error.createMissing', values: { n: item.index + 1, reason: e instanceof Error ? e.message : String(e) } });
      }
    }
    plan.push(copy);
  }
  const values = corrected.activities.map((a, i) => ({ ...toValues(a, plan[i]?.action ?? 'skip'), ...(posted[i] ? { ...posted[i], action: posted[i].action || (plan[i]?.action ?? 'skip') } : {}) }));
  return { page, original, excerpts: sourceExcerpts(page.text, original), proposed, plan, values, errors };
}
