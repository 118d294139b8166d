import type { ActivityColumns, ExistingActivity, References } from './legacy.repository.js';
import type { ExtractedActivity, ExtractedDocument } from './legacy.schemas.js';
import { fold } from './legacy.text.js';
import { oldAddress } from './legacy.addresses.js';

/**
 * What merging a page into an existing record changes. A merge fills what the record lacks and
 * adds documents and source addresses; it replaces a value only when the record's value came from
 * an earlier import with a lower confidence. Values an editor set (or that no import wrote) are
 * never replaced: a different value on the page is reported as a conflict instead.
 */

export interface MergeResult {
  /** Human-readable list of what the merge fills or improves (empty: nothing new). */
  changes: string[];
  /** Differences the merge leaves alone, reported as warnings. */
  conflicts: string[];
  activity: Partial<Omit<ActivityColumns, 'id' | 'key' | 'edited_at'>>;
  /** A new translation in the page's language (its slug is chosen when written). */
  newTranslation: { lang: string; title: string; summary: string; narrative_html: string; city: string | null; venue: string | null } | null;
  /** Changes to the existing translation in the page's language. */
  translationUpdate: { lang: string; set: Partial<{ title: string; summary: string; narrative_html: string; city: string | null; venue: string | null }> } | null;
  coChairs: string[] | null;
  themes: string[] | null;
  documents: ExtractedDocument[];
  addSource: boolean;
  provenance: Record<string, number>;
}

const PRECISION_RANK: Record<string, number> = { year: 0, month: 1, day: 2 };

function documentKnown(doc: ExtractedDocument, existing: ExistingActivity['documents']): boolean {
  const title = fold(doc.title).replace(/[^a-z0-9]+/g, ' ').trim();
  return existing.some(
    (e) =>
      (doc.url && e.url === doc.url) ||
      e.titles.some((t) => fold(t).replace(/[^a-z0-9]+/g, ' ').trim() === title) ||
      // One final report, one agenda, one list of participants per meeting: the same type is the same document.
      (e.type === doc.type && doc.type !== 'other' && doc.type !== 'presentations' && (!doc.url || !e.url)),
  );
}

/** Computes a merge of an extracted activity into an existing record; pure. */
export function mergeChanges(
  existing: ExistingActivity,
  x: ExtractedActivity,
  ctx: { sourceUrl: string | null; file: string | null; now: Date; refs: References },
): MergeResult {
  const r = existing.row;
  const result: MergeResult = {
    changes: [],
    conflicts: [],
    activity: {},
    newTranslation: null,
    translationUpdate: null,
    coChairs: null,
    themes: null,
    documents: [],
    addSource: false,
    provenance: { ...(existing.provenance ?? {}) },
  };
  const editorOwned = !!r.edited_at || !existing.provenance;
  const authority = (field: string) => (editorOwned ? 1 : (existing.provenance?.[field] ?? 1));
  const c = x.confidence;

  /** Fills an empty field, improves one an earlier import wrote with less confidence, or reports the difference. */
  const consider = (field: string, label: string, current: string | null, next: string | null, confidence: number, empty: boolean, apply: () => void, quiet = false) => {
    if (next === null || next === undefined) return;
    if (current === next) {
      result.provenance[field] = Math.max(result.provenance[field] ?? 0, editorOwned ? 1 : confidence);
      return;
    }
    if (empty) {
      apply();
      result.changes.push(label);
      result.provenance[field] = confidence;
    } else if (confidence > authority(field)) {
      apply();
      result.changes.push(`${label} (improved: confidence ${authority(field)} → ${confidence})`);
      result.provenance[field] = confidence;
    } else if (!quiet) {
      result.conflicts.push(`conflict: the page says ${label} ${next}, the record keeps ${current}`);
    }
  };

  if (x.type) consider('type', 'type', r.type, x.type, c.type, r.type === 'other', () => (result.activity.type = x.type!));

  if (x.start_date && x.date_precision) {
    const sameDates = x.start_date === r.start_date && x.date_precision === r.date_precision && (x.date_precision !== 'day' || (x.end_date ?? x.start_date) === (r.end_date ?? r.start_date));
    const refines = PRECISION_RANK[x.date_precision]! > PRECISION_RANK[r.date_precision]! && x.start_date.startsWith(r.start_date) && c.dates >= 0.6;
    const label = `${x.start_date}${x.end_date && x.end_date !== x.start_date ? `..${x.end_date}` : ''}`;
    const current = `${r.start_date}${r.end_date && r.end_date !== r.start_date ? `..${r.end_date}` : ''}`;
    if (!sameDates) {
      consider('dates', 'dates', current, label, c.dates, refines, () => {
        result.activity.start_date = x.start_date!;
        result.activity.end_date = x.date_precision === 'day' ? (x.end_date ?? x.start_date) : null;
        result.activity.date_precision = x.date_precision!;
      });
    }
  }
  const endOf = result.activity.end_date ?? result.activity.start_date ?? r.end_date ?? r.start_date;
  if ((r.status === 'planned' || r.status === 'announced') && endOf < ctx.now.toISOString().slice(0, endOf.length)) {
    result.activity.status = 'held';
    result.changes.push('status (held: its date has passed)');
  }
  if (x.format) consider('format', 'format', r.format, x.format, c.format, false, () => (result.activity.format = x.format!));
  if (x.country) consider('place', 'country', r.country_code, x.country, c.place, !r.country_code, () => (result.activity.country_code = x.country));

  const currentHost = r.host_country_code ?? existing.hostOrganisation;
  if (x.host) {
    consider('host', 'host', currentHost, x.host, c.host, !currentHost, () => {
      const isCountry = /^[A-Z]{2}$/.test(x.host!);
      result.activity.host_country_code = isCountry ? x.host : null;
      result.activity.host_organisation_id = isCountry ? null : (ctx.refs.organisations.get(x.host!) ?? null);
    });
  }
  const figure = (kind: 'participants' | 'countries_count' | 'organisations_count', valueCol: 'participants' | 'countries_count' | 'organisations_count', qualCol: 'participants_qualifier' | 'countries_qualifier' | 'organisations_qualifier') => {
    const f = x[kind];
    if (!f) return;
    const current = r[valueCol] === null ? null : `${r[qualCol] ?? 'exact'} ${r[valueCol]}`;
    consider(kind, kind, current, `${f.qualifier} ${f.value}`, c[kind], r[valueCol] === null, () => {
      result.activity[valueCol] = f.value;
      result.activity[qualCol] = f.qualifier;
    });
  };
  figure('participants', 'participants', 'participants_qualifier');
  figure('countries_count', 'countries_count', 'countries_qualifier');
  figure('organisations_count', 'organisations_count', 'organisations_qualifier');
  if (x.photos[0] && !r.gallery_url) {
    result.activity.gallery_url = x.photos[0];
    result.changes.push('photos');
  }

  if (x.co_chairs?.length) {
    const next = x.co_chairs.join(', ');
    consider('co_chairs', 'co-chairs', existing.coChairs.join(', ') || null, next, c.co_chairs, !existing.coChairs.length, () => (result.coChairs = x.co_chairs));
  }
  if (x.themes?.length) {
    const sorted = [...x.themes].sort().join(', ');
    consider('themes', 'themes', [...existing.themes].sort().join(', ') || null, sorted, c.themes, !existing.themes.length, () => (result.themes = x.themes));
  }

  const lang = x.language;
  const t = existing.translations.find((tr) => tr.lang === lang);
  if (!t && x.title) {
    result.newTranslation = { lang, title: x.title, summary: (x.summary ?? '').slice(0, 1000), narrative_html: x.body_html ?? '', city: x.city, venue: x.venue };
    result.changes.push(`translation (${lang})`);
    result.provenance[`title:${lang}`] = c.title;
    result.provenance[`body:${lang}`] = c.body;
  } else if (t) {
    const set: NonNullable<MergeResult['translationUpdate']>['set'] = {};
    if (x.title) consider(`title:${lang}`, `title (${lang})`, t.title, x.title, c.title, false, () => (set.title = x.title!));
    if (x.body_html) {
      consider(`body:${lang}`, `narrative (${lang})`, t.narrative_html || null, x.body_html, c.body, !t.narrative_html, () => {
        set.narrative_html = x.body_html!;
        // The summary goes with the narrative it was taken from, unless an editor wrote it.
        if (x.summary && (!t.summary || !editorOwned)) set.summary = x.summary.slice(0, 1000);
      }, true);
    }
    if (x.summary && !t.summary && !set.summary) {
      set.summary = x.summary.slice(0, 1000);
      result.changes.push(`summary (${lang})`);
    }
    if (x.city && !t.city) {
      set.city = x.city;
      result.changes.push(`city (${lang})`);
    }
    if (x.venue && !t.venue) {
      set.venue = x.venue;
      result.changes.push(`venue (${lang})`);
    }
    if (Object.keys(set).length) result.translationUpdate = { lang, set };
  }

  result.documents = x.documents.filter((d, i) => !documentKnown(d, existing.documents) && x.documents.findIndex((o) => fold(o.title) === fold(d.title)) === i);
  if (result.documents.length) result.changes.push(`documents (+${result.documents.length})`);

  const address = ctx.sourceUrl ? oldAddress(ctx.sourceUrl) : null;
  const known = address
    ? existing.sources.some((s) => s.source_url === ctx.sourceUrl || (s.host === address.host && s.path === address.path))
    : ctx.file
      ? existing.sources.some((s) => !s.source_url && s.file_name === ctx.file)
      : true;
  if (!known) {
    result.addSource = true;
    result.changes.push(address ? `source address ${address.url}` : `source file ${ctx.file}`);
  }
  return result;
}
