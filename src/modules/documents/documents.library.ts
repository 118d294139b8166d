import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { rememberForContent } from '../../platform/db/read-mostly.js';
import { matchingEntries, readingMatches, type ParsedQuery } from '../search/index.js';
import { filesOf, toItems, type Facet, type FacetValue, type LibraryFilters, type LibraryItem } from './documents.repository.js';
import { DOCUMENT_TYPES } from './documents.schemas.js';

/**
 * The library's list and facets, computed from a compact index of the documents the public may
 * see some day, kept in memory per database handle until public content changes (read-mostly.ts:
 * a change event from any instance, or a new content version). What depends on the time, a
 * document's publication and that of the meeting it inherits its access from, is kept as the time
 * from which it is visible and compared at each request, so scheduled documents appear on time.
 *
 * Why not SQL: every facet is counted under the other filters, so a page counted six facets over
 * all the documents that match; at 20,000 documents one statement doing it took 90 ms on SQLite,
 * and PostgreSQL more, for a common word or no query at all. Here the database is asked only which
 * entries match the query (once, with their rank), and the counting is a loop over a few arrays:
 * about 40 bytes and a few links per document, 2-4 MB at 20,000 documents.
 */

interface IndexedDocument {
  id: number;
  type: string;
  date: string | null;
  reference: string | null;
  /** When the public may see it: its publication, or the meeting's when it inherits that meeting's access. */
  visibleFrom: string;
  langs: string[];
  themes: number[];
  countries: string[];
  activities: number[];
  /** Per facet (FACET_ORDER), the codes of the document's values in `LibraryIndex.values`: counting adds to arrays. */
  codes: number[][];
}

interface LibraryIndex {
  /** Per facet (FACET_ORDER), each value once: a code is a position here. */
  values: (string | number)[][];
  /** Newest first (undated last, then by id, newest first): the library's order by date. */
  documents: IndexedDocument[];
  byId: Map<number, IndexedDocument>;
  /** The publication time of each published meeting a document is linked to: the activity facet shows only those. */
  activityVisible: Map<number, string>;
  /** Names per language: theme id, country code, activity id. */
  labels: Map<string, { theme: Map<string, string>; country: Map<string, string>; activity: Map<string, string> }>;
}

const byDate = (a: { date: string | null; id: number }, b: { date: string | null; id: number }) =>
  a.date === b.date ? b.id - a.id : a.date === null ? 1 : b.date === null ? -1 : a.date < b.date ? 1 : -1;

async function loadIndex(db: Db): Promise<LibraryIndex> {
  const [docs, files, themes, countries, links, themeNames, countryNames, activities] = await Promise.all([
    db
      .selectFrom('documents as d')
      .leftJoin('activities as pa', 'pa.id', 'd.access_activity_id')
      .select(['d.id', 'd.type', 'd.doc_date', 'd.reference', 'd.access', 'd.published_at', 'pa.workflow as parent_workflow', 'pa.published_at as parent_published_at'])
      .where('d.workflow', '=', 'published')
      .where('d.published_at', 'is not', null)
      .where('d.access', 'in', ['public', 'inherit'])
      .execute(),
    db.selectFrom('document_files').select(['document_id', 'lang']).distinct().execute(),
    db.selectFrom('document_themes').select(['document_id', 'theme_id']).execute(),
    db.selectFrom('document_countries').select(['document_id', 'country_code']).execute(),
    db.selectFrom('document_activities').select(['document_id', 'activity_id']).execute(),
    db.selectFrom('theme_names').select(['theme_id', 'lang', 'name']).execute(),
    db.selectFrom('country_names').select(['country_code', 'lang', 'name']).execute(),
    db
      .selectFrom('activities as a')
      .innerJoin('activity_translations as t', 't.activity_id', 'a.id')
      .select(['a.id', 'a.published_at', 't.lang', 't.title'])
      .where('a.workflow', '=', 'published')
      .where('a.published_at', 'is not', null)
      .where('a.id', 'in', (eb) => eb.selectFrom('document_activities').select('activity_id'))
      .execute(),
  ]);
  const byId = new Map<number, IndexedDocument>();
  for (const d of docs) {
    let visibleFrom = d.published_at!;
    if (d.access === 'inherit') {
      // Open with its meeting: only once that meeting is published, and from its publication on.
      if (d.parent_workflow !== 'published' || !d.parent_published_at) continue;
      if (d.parent_published_at > visibleFrom) visibleFrom = d.parent_published_at;
    }
    byId.set(d.id, { id: d.id, type: d.type, date: d.doc_date, reference: d.reference, visibleFrom, langs: [], themes: [], countries: [], activities: [], codes: [] });
  }
  for (const f of files) byId.get(f.document_id)?.langs.push(f.lang);
  for (const t of themes) byId.get(t.document_id)?.themes.push(t.theme_id);
  for (const c of countries) byId.get(c.document_id)?.countries.push(c.country_code);
  for (const l of links) byId.get(l.document_id)?.activities.push(l.activity_id);
  const labels: LibraryIndex['labels'] = new Map();
  const of = (lang: string) => {
    let l = labels.get(lang);
    if (!l) labels.set(lang, (l = { theme: new Map(), country: new Map(), activity: new Map() }));
    return l;
  };
  for (const n of themeNames) of(n.lang).theme.set(String(n.theme_id), n.name);
  for (const n of countryNames) of(n.lang).country.set(n.country_code, n.name);
  const activityVisible = new Map<number, string>();
  for (const a of activities) {
    activityVisible.set(a.id, a.published_at!);
    of(a.lang).activity.set(String(a.id), a.title);
  }
  const values: (string | number)[][] = FACET_ORDER.map(() => []);
  const known = FACET_ORDER.map(() => new Map<string | number, number>());
  const code = (f: number, v: string | number) => {
    let c = known[f]!.get(v);
    if (c === undefined) {
      known[f]!.set(v, (c = values[f]!.length));
      values[f]!.push(v);
    }
    return c;
  };
  for (const d of byId.values()) {
    d.codes = FACET_ORDER.map((facet, f) => rawValues(facet, d).map((v) => code(f, v)));
  }
  return { values, documents: [...byId.values()].sort(byDate), byId, activityVisible, labels };
}

/** A document's values for one facet, as the facet counts them. */
function rawValues(facet: Facet, d: IndexedDocument): (string | number)[] {
  if (facet === 'type') return [d.type];
  if (facet === 'year') return d.date === null ? [] : [d.date.slice(0, 4)];
  if (facet === 'lang') return d.langs;
  if (facet === 'theme') return d.themes;
  if (facet === 'country') return d.countries;
  return d.activities;
}

const libraryIndex = (db: Db) => rememberForContent(db, 'documents.library', () => loadIndex(db));

/** Each filter that is set, as a test of an indexed document. */
function tests(f: LibraryFilters): [Facet, (d: IndexedDocument) => boolean][] {
  const out: [Facet, (d: IndexedDocument) => boolean][] = [];
  if (f.type) out.push(['type', (d) => d.type === f.type]);
  if (f.year) {
    const [from, to] = [`${f.year}-01-01`, `${f.year}-12-31`];
    out.push(['year', (d) => d.date !== null && d.date >= from && d.date <= to]);
  }
  if (f.lang) out.push(['lang', (d) => d.langs.includes(f.lang!)]);
  if (f.theme) out.push(['theme', (d) => d.themes.includes(f.theme!)]);
  if (f.country) out.push(['country', (d) => d.countries.includes(f.country!)]);
  if (f.activity) out.push(['activity', (d) => d.activities.includes(f.activity!)]);
  return out;
}

export type LibraryArgs = { lang: string; now: string; filters: LibraryFilters; query: ParsedQuery | null; sort: 'relevance' | 'date'; offset: number; limit: number };
export type LibraryPage = { total: number; items: LibraryItem[]; facets: Record<Facet, FacetValue[]>; bodies: Map<number, string> };

/**
 * One page of the library: the public documents that pass the filters and match the query, their
 * total, and each facet's values with counts (each facet counted under the other filters).
 */
export async function libraryPage(db: Db, args: LibraryArgs): Promise<LibraryPage> {
  const index = await libraryIndex(db);
  // With a query, the database says which entries match and how well, once; the rest is counting.
  let candidates: IndexedDocument[];
  let rank: Map<number, number> | null = null;
  if (args.query) {
    const relevance = args.sort === 'relevance';
    const query = args.query;
    const matches = await readingMatches(db, (db) =>
      sql<{ entity_id: number; rank: number | null }>`${matchingEntries(db, { source: 'document', lang: args.lang, query, now: args.now, rank: relevance })}`.execute(db),
    );
    rank = new Map(matches.rows.map((m) => [m.entity_id, Number(m.rank ?? 0)]));
    candidates = index.documents.filter((d) => rank!.has(d.id));
  } else {
    candidates = index.documents;
  }
  const active = tests(args.filters);
  // Counted by code, in arrays; named once at the end.
  const counts = index.values.map((v) => new Int32Array(v.length));
  const activity = FACET_ORDER.indexOf('activity');
  const shown = index.values[activity]!.map((a) => (index.activityVisible.get(a as number) ?? '\uffff') <= args.now);
  const countFacet = (f: number, d: IndexedDocument) => {
    const into = counts[f]!;
    for (const c of d.codes[f]!) if (f !== activity || shown[c]) into[c]!++;
  };
  const passing: IndexedDocument[] = [];
  for (const d of candidates) {
    if (d.visibleFrom > args.now) continue;
    // A facet counts the documents that pass every filter but its own.
    let failed = -1;
    let failures = 0;
    for (const [facet, test] of active) {
      if (!test(d)) {
        failed = FACET_ORDER.indexOf(facet);
        if (++failures > 1) break;
      }
    }
    if (failures === 0) {
      passing.push(d);
      for (let f = 0; f < FACET_ORDER.length; f++) countFacet(f, d);
    } else if (failures === 1) countFacet(failed, d);
  }
  let ordered = passing;
  if (rank && args.sort === 'relevance') {
    // Best first (the rank is smaller for better), then as the library's date order.
    const r = rank;
    ordered = passing
      .map((d) => ({ d, r: r.get(d.id)! }))
      .sort((a, b) => a.r - b.r || byDate(a.d, b.d))
      .map((x) => x.d);
  }
  const page = ordered.slice(args.offset, args.offset + args.limit);
  const ids = page.map((d) => d.id);
  const [translations, files, bodies] = await Promise.all([
    ids.length ? db.selectFrom('document_translations').select(['document_id', 'lang', 'title', 'slug', 'description']).where('document_id', 'in', ids).execute() : Promise.resolve([]),
    filesOf(db, ids),
    // With a query, the passage quoted under each result comes from what the index holds (the
    // description and the files' text), read only as far as a passage is looked for.
    args.query && ids.length
      ? db
          .selectFrom('search_entries')
          .select(['entity_id', sql<string>`substr(body, 1, 200000)`.as('body')])
          .where('source', '=', 'document')
          .where('lang', '=', args.lang)
          .where('entity_id', 'in', ids)
          .execute()
      : Promise.resolve([]),
  ]);
  const items = toItems(
    page.map((d) => ({ id: d.id, type: d.type, doc_date: d.date, reference: d.reference })),
    translations,
    files,
    args.lang,
  );
  return { total: passing.length, items, facets: facetValues(counts, index, args.lang), bodies: new Map(bodies.map((b) => [b.entity_id, b.body])) };
}

const FACET_ORDER: readonly Facet[] = ['type', 'lang', 'year', 'theme', 'country', 'activity'];

function facetValues(counts: Int32Array[], index: LibraryIndex, lang: string): Record<Facet, FacetValue[]> {
  const names = index.labels.get(lang);
  const values = (facet: Facet, label?: Map<string, string>) =>
    index.values[FACET_ORDER.indexOf(facet)]!.flatMap((raw, c) => {
      const count = counts[FACET_ORDER.indexOf(facet)]![c]!;
      if (!count) return [];
      const value = String(raw);
      if (!label) return [{ value, label: value, count }];
      // Named in the page's language, or not shown (as the join on the names did).
      const name = label.get(value);
      return name === undefined ? [] : [{ value, label: name, count }];
    });
  const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || a.label.localeCompare(b.label, lang);
  const empty = new Map<string, string>();
  return {
    type: values('type').sort((a, b) => DOCUMENT_TYPES.indexOf(a.value as never) - DOCUMENT_TYPES.indexOf(b.value as never)),
    lang: values('lang').sort(byCount),
    year: values('year').sort((a, b) => b.value.localeCompare(a.value)),
    theme: values('theme', names?.theme ?? empty).sort(byCount).slice(0, 30),
    country: values('country', names?.country ?? empty).sort(byCount).slice(0, 30),
    activity: values('activity', names?.activity ?? empty).sort(byCount).slice(0, 30),
  };
}
