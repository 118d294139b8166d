import { sql } from 'kysely';
import { isPostgres, type Db } from '../../platform/db/database.js';
import type { DiwanModule, SearchEntry, SearchSource } from '../../platform/module.js';
import { terms, type ParsedQuery } from './search.text.js';

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
    title_terms: terms(e.title, e.lang).join(' '),
    body_terms: terms(e.body, e.lang).join(' '),
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

/** One page of the public entries in a language that match a query, with their total. */
export async function searchIndex(
  db: Db,
  args: { lang: string; query: ParsedQuery; now: string; offset: number; limit: number; sort: SearchSort; publishedAfter?: string },
): Promise<{ total: number; hits: SearchHit[] }> {
  const pg = isPostgres(db);
  const match = pg ? sql`e.terms @@ to_tsquery('simple', ${tsQuery(args.query)})` : sql`search_fts MATCH ${ftsQuery(args.query)}`;
  // On SQLite the full-text match must drive (a cross join keeps that order): walking the entries of
  // a language and asking the FTS table about each one took seconds at 20,000 records.
  const from = pg ? sql`search_entries e` : sql`search_fts CROSS JOIN search_entries e ON e.id = search_fts.rowid`;
  // `publishedAfter`: only what became public since then (an alert's digest).
  const since = args.publishedAfter ? sql` AND e.published_at > ${args.publishedAfter}` : sql``;
  const visible = sql`e.lang = ${args.lang} AND e.audience = 'public' AND e.published_at IS NOT NULL AND e.published_at <= ${args.now}${since}`;
  const rank = pg ? sql`ts_rank_cd(e.terms, to_tsquery('simple', ${tsQuery(args.query)})) DESC` : sql`bm25(search_fts, 10.0, 1.0)`;
  // Undated entries last on both databases (PostgreSQL would put NULL first in a descending order).
  const order = args.sort === 'date' ? sql`(e.date IS NULL), e.date DESC, e.id DESC` : sql`${rank}, (e.date IS NULL), e.date DESC, e.id DESC`;
  const [count, rows] = await Promise.all([
    sql<{ n: number }>`SELECT count(*) AS n FROM ${from} WHERE ${match} AND ${visible}`.execute(db),
    sql<{ source: string; entity_id: number; slug: string; title: string; body: string; date: string | null }>`
      SELECT e.source, e.entity_id, e.slug, e.title, e.body, e.date FROM ${from}
      WHERE ${match} AND ${visible} ORDER BY ${order} LIMIT ${args.limit} OFFSET ${args.offset}`.execute(db),
  ]);
  return {
    total: Number(count.rows[0]?.n ?? 0),
    hits: rows.rows.map((r) => ({ source: r.source, entityId: r.entity_id, slug: r.slug, title: r.title, body: r.body, date: r.date })),
  };
}

/**
 * The public entries of one source and language that match a query, as a subquery with the
 * columns `entity_id` and `rank` (smaller is better), for a module that filters and counts its own
 * records in SQL (the library's facets): `WHERE d.id IN (SELECT entity_id FROM (…) m)`.
 */
export function matchingEntries(db: Db, args: { source: string; lang: string; query: ParsedQuery; now: string }) {
  const pg = isPostgres(db);
  const match = pg ? sql`e.terms @@ to_tsquery('simple', ${tsQuery(args.query)})` : sql`search_fts MATCH ${ftsQuery(args.query)}`;
  const from = pg ? sql`search_entries e` : sql`search_fts CROSS JOIN search_entries e ON e.id = search_fts.rowid`;
  const rank = pg ? sql`-ts_rank_cd(e.terms, to_tsquery('simple', ${tsQuery(args.query)}))` : sql`bm25(search_fts, 10.0, 1.0)`;
  return sql<{ entity_id: number; rank: number }>`SELECT e.entity_id AS entity_id, ${rank} AS rank FROM ${from}
    WHERE ${match} AND e.source = ${args.source} AND e.lang = ${args.lang} AND e.audience = 'public' AND e.published_at IS NOT NULL AND e.published_at <= ${args.now}`;
}
