import { sql } from 'kysely';
import { isPostgres, type Db } from '../../platform/db/database.js';
import type { DiwanModule, SearchEntry, SearchSource } from '../../platform/module.js';
import { indexedTerms, type ParsedQuery } from './search.text.js';

/**
 * The search index behind one interface: FTS5 on SQLite, a tsvector column with a GIN index on
 * PostgreSQL, both over the same analysed terms (`search.text.ts`), so both find the same records.
 * Only entries for the public are written, and every query asks for the public audience and a
 * publication time that has come: what the public may not read never reaches a result or a count.
 */

/** Every search source the modules offer. */
export function sourcesOf(modules: readonly DiwanModule[]): SearchSource[] {
  return modules.flatMap((m) => m.searchSources ?? []);
}

/**
 * The version of the text analysis (search.text.ts): changing how words become terms changes it,
 * so every source is rebuilt at the next start.
 */
const ANALYSIS_VERSION = 'a2';

/** What a source's index is built from: its records' fingerprint and the analysis version. */
async function fingerprintOf(db: Db, source: SearchSource): Promise<string> {
  return `${ANALYSIS_VERSION}|${await source.fingerprint(db)}`;
}

/** Records read and written per batch in a rebuild (well under both databases' limits on bound parameters). */
const BATCH = 200;

/**
 * Replaces what the index holds for one record with its current entries, and notes the source's
 * fingerprint as followed, in one transaction.
 */
export async function indexRecord(db: Db, source: SearchSource, id: number): Promise<number> {
  const entries = await source.entries(db, [id]);
  await db.transaction().execute(async (trx) => {
    await removeEntries(trx, source.entity, id);
    await insertEntries(trx, source.entity, entries);
    await keepFingerprint(trx, source.entity, await fingerprintOf(trx, source));
  });
  return entries.length;
}

/** Takes out a source's entries: one record's, or all of them. */
async function removeEntries(db: Db, entity: string, id?: number): Promise<void> {
  const ofRecord = id === undefined ? sql`` : sql` AND entity_id = ${id}`;
  if (!isPostgres(db)) await sql`DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_entries WHERE source = ${entity}${ofRecord})`.execute(db);
  await sql`DELETE FROM search_entries WHERE source = ${entity}${ofRecord}`.execute(db);
}

/** Remembers what a source's index was built from. */
async function keepFingerprint(db: Db, entity: string, fingerprint: string): Promise<void> {
  await db.deleteFrom('search_sources').where('source', '=', entity).execute();
  await db.insertInto('search_sources').values({ source: entity, fingerprint }).execute();
}

async function insertEntries(db: Db, entity: string, entries: SearchEntry[]): Promise<void> {
  if (!entries.length) return;
  const rows = entries.map((e) => ({
    source: entity,
    entity_id: e.id,
    lang: e.lang,
    audience: 'public',
    slug: e.slug,
    title: e.title,
    body: e.body,
    title_terms: indexedTerms(e.title, e.lang),
    body_terms: indexedTerms(e.body, e.lang),
    date: e.date,
    published_at: e.publishedAt,
  }));
  // Twelve values a row: at most 60 rows a statement keeps under SQLite's 999 bound parameters.
  for (let i = 0; i < rows.length; i += 60) {
    const chunk = rows.slice(i, i + 60);
    const ids = await db.insertInto('search_entries').values(chunk).returning('id').execute();
    if (isPostgres(db)) continue;
    // The FTS rows are copied from the rows just written (RETURNING gives no order to match them by).
    await sql`INSERT INTO search_fts (rowid, title_terms, body_terms) SELECT id, title_terms, body_terms FROM search_entries WHERE id IN (${sql.join(ids.map((r) => r.id))})`.execute(db);
  }
}

/** Rebuilds a source whole when its records changed since the index was built from them (writes from the command line, a restore). */
export async function syncSource(db: Db, source: SearchSource): Promise<number | null> {
  const fingerprint = await fingerprintOf(db, source);
  const kept = await db.selectFrom('search_sources').select('fingerprint').where('source', '=', source.entity).executeTakeFirst();
  if (kept?.fingerprint === fingerprint) return null;
  const ids = await source.ids(db);
  await db.transaction().execute(async (trx) => {
    await removeEntries(trx, source.entity);
    for (let i = 0; i < ids.length; i += BATCH) await insertEntries(trx, source.entity, await source.entries(trx, ids.slice(i, i + BATCH)));
    await keepFingerprint(trx, source.entity, fingerprint);
  });
  return ids.length;
}

export interface SearchHit {
  source: string;
  entityId: number;
  slug: string;
  title: string;
  body: string;
  date: string | null;
}

export type SearchSort = 'relevance' | 'date';

const clean = (term: string) => term.replace(/[^\p{L}\p{N}]/gu, '');

/** The query in FTS5's syntax: every term quoted, phrases as phrases, exclusions with NOT. */
function ftsQuery(query: ParsedQuery): string {
  const quoted = (t: string[]) => `"${t.map(clean).join(' ')}"`;
  const wanted = query.parts.filter((p) => !p.exclude).map((p) => quoted(p.terms));
  const unwanted = query.parts.filter((p) => p.exclude).map((p) => quoted(p.terms));
  return [`(${wanted.join(' AND ')})`, ...unwanted].join(' NOT ');
}

/** The query as a PostgreSQL tsquery: quoted lexemes, phrases with <->, exclusions with !. */
function tsQuery(query: ParsedQuery): string {
  const part = (t: string[]) => (t.length === 1 ? `'${clean(t[0]!)}'` : `(${t.map((x) => `'${clean(x)}'`).join(' <-> ')})`);
  return query.parts.map((p) => (p.exclude ? `!${part(p.terms)}` : part(p.terms))).join(' & ');
}

/**
 * The entries that match a query, as the FROM and WHERE of a statement over `search_entries e`,
 * and their rank (smaller is better). On SQLite the full-text match drives (a cross join keeps that
 * order: walking the entries of a language and asking the FTS table about each one took seconds at
 * 20,000 records), and each match is checked against an index of the small columns
 * (0017_search_layout), not against its row, whose text fills a page of its own. On PostgreSQL the
 * whole text's tsvector decides what matches and the small one of the title and the beginning of
 * the text ranks, so ranking does not read every match's large tsvector out of TOAST.
 */
function matchOf(db: Db, query: ParsedQuery) {
  if (isPostgres(db)) {
    const q = sql`to_tsquery('simple', ${tsQuery(query)})`;
    return { from: sql`search_entries e`, match: sql`e.terms @@ ${q}`, rank: sql`-ts_rank_cd(e.rank_terms, ${q})` };
  }
  return {
    from: sql`search_fts CROSS JOIN search_entries e INDEXED BY search_entries_hit_idx ON e.id = search_fts.rowid`,
    match: sql`search_fts MATCH ${ftsQuery(query)}`,
    rank: sql`bm25(search_fts, 10.0, 1.0)`,
  };
}

/**
 * Runs statements that read full-text matches. On PostgreSQL they run in a transaction that
 * steers the planner off sequential scans: it costs a scan of the entries as a few hundred pages
 * and does not count that `@@` on each row fetches and decompresses that row's whole tsvector
 * (tens of kilobytes, out of line), so for a common word it scanned, and took 100 ms at 5,000
 * documents where the GIN index answers in 10. SQLite's FTS5 always drives from its index.
 */
export async function readingMatches<T>(db: Db, read: (db: Db) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return read(db);
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return read(trx);
  });
}

/** What the public may find: an entry of the language for the public whose publication time has come. */
const visibleEntry = (lang: string, now: string) => sql`e.lang = ${lang} AND e.audience = 'public' AND e.published_at IS NOT NULL AND e.published_at <= ${now}`;

/** One page of the public entries in a language that match a query, with their total. */
export async function searchIndex(
  db: Db,
  args: { lang: string; query: ParsedQuery; now: string; offset: number; limit: number; sort: SearchSort; publishedAfter?: string },
): Promise<{ total: number; hits: SearchHit[] }> {
  const { from, match, rank } = matchOf(db, args.query);
  // `publishedAfter`: only what became public since then (an alert's digest).
  const since = args.publishedAfter ? sql` AND e.published_at > ${args.publishedAfter}` : sql``;
  const where = sql`${match} AND ${visibleEntry(args.lang, args.now)}${since}`;
  // Undated entries last on both databases (PostgreSQL would put NULL first in a descending order).
  const order = (r: string) => sql.raw(args.sort === 'date' ? `(${r}date IS NULL), ${r}date DESC, ${r}id DESC` : `${r}rank, (${r}date IS NULL), ${r}date DESC, ${r}id DESC`);
  // The page is chosen from the small columns alone, and only its rows are read whole: sorting
  // every match with its text carried along sorted hundreds of megabytes for 20 rows.
  const [count, rows] = await readingMatches(db, (db) => Promise.all([
    sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${where}`.execute(db),
    sql<{ source: string; entity_id: number; slug: string; title: string; body: string; date: string | null }>`
      SELECT e.source, e.entity_id, e.slug, e.title, e.body, e.date
      FROM (SELECT e.id AS id, e.date AS date${args.sort === 'date' ? sql`` : sql`, ${rank} AS rank`} FROM ${from} WHERE ${where} ORDER BY ${order('')} LIMIT ${args.limit} OFFSET ${args.offset}) page
      CROSS JOIN search_entries e WHERE e.id = page.id
      ORDER BY ${order('page.')}`.execute(db),
  ]));
  return {
    total: Number(count.rows[0]?.n ?? 0),
    hits: rows.rows.map((r) => ({ source: r.source, entityId: r.entity_id, slug: r.slug, title: r.title, body: r.body, date: r.date })),
  };
}

/**
 * The public entries of one source and language that match a query, as a subquery with the
 * columns `entity_id` and `rank` (smaller is better), for a module that filters and counts its own
 * records in SQL (the library's facets): `WHERE d.id IN (SELECT entity_id FROM (…) m)`, or once in
 * a `WITH m AS MATERIALIZED (…)` read by every count of a page. `rank: false` leaves the rank out
 * (NULL), for counts.
 */
export function matchingEntries(db: Db, args: { source: string; lang: string; query: ParsedQuery; now: string; rank?: boolean }) {
  const { from, match, rank } = matchOf(db, args.query);
  return sql<{ entity_id: number; rank: number }>`SELECT e.entity_id AS entity_id, ${args.rank === false ? sql`NULL` : rank} AS rank FROM ${from}
    WHERE ${match} AND e.source = ${args.source} AND ${visibleEntry(args.lang, args.now)}`;
}
