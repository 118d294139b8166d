import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * The search index laid out for reading many matches at once (the common words of a large library
 * match most of it, and every match is checked for its language and publication time, then ranked).
 *
 * SQLite: `search_entries` is rebuilt with its small columns first and the large ones (the analysed
 * terms, the text) last, ids kept, so reading a row's language or date no longer walks the overflow
 * pages of a 30 KB text; an index holds what a match is checked and ordered by (id, language,
 * audience, publication time, source, record, date), so the check reads a few index pages instead of
 * one table page per match. The FTS5 table no longer keeps its own copy of the terms (contentless,
 * rows deleted by rowid), which halves the index's size and its writes; it is filled again from the
 * entries and merged into one segment.
 *
 * PostgreSQL: `rank_terms`, a small tsvector of the title and the beginning of the text (stored in
 * the row, not in TOAST), which ranking reads instead of the whole text's tsvector; the whole one
 * still decides what matches.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE search_entries ADD COLUMN rank_terms tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', left(body_terms, 1000)), 'B')) STORED`.execute(db);
    // Kept in the row: a compressed value of this size stays inline, and is never fetched from TOAST.
    await sql`ALTER TABLE search_entries ALTER COLUMN rank_terms SET STORAGE MAIN`.execute(db);
    return;
  }
  await relayout(db, 'small first');
  await sql`CREATE INDEX search_entries_hit_idx ON search_entries (id, lang, audience, published_at, source, entity_id, date)`.execute(db);
  await sql`DROP TABLE search_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO search_fts (rowid, title_terms, body_terms) SELECT id, title_terms, body_terms FROM search_entries`.execute(db);
  await sql`INSERT INTO search_fts (search_fts) VALUES ('optimize')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE search_entries DROP COLUMN rank_terms`.execute(db);
    return;
  }
  await relayout(db, 'as in 0010');
  await sql`DROP TABLE search_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  await sql`INSERT INTO search_fts (rowid, title_terms, body_terms) SELECT id, title_terms, body_terms FROM search_entries`.execute(db);
}

/** Rebuilds SQLite's `search_entries` with its columns in another order, keeping every row and id. */
async function relayout(db: Kysely<any>, order: 'small first' | 'as in 0010'): Promise<void> {
  const columns =
    order === 'small first'
      ? ['source', 'entity_id', 'lang', 'audience', 'date', 'published_at', 'slug', 'title', 'title_terms', 'body_terms', 'body']
      : ['source', 'entity_id', 'lang', 'audience', 'slug', 'title', 'body', 'title_terms', 'body_terms', 'date', 'published_at'];
  const type: Record<string, string> = {
    source: 'text NOT NULL',
    entity_id: 'integer NOT NULL',
    lang: 'text NOT NULL',
    audience: "text DEFAULT 'public' NOT NULL",
    date: 'text',
    published_at: 'text',
    slug: 'text NOT NULL',
    title: 'text NOT NULL',
    title_terms: 'text NOT NULL',
    body_terms: 'text NOT NULL',
    body: 'text NOT NULL',
  };
  const list = sql.raw(['id', ...columns].join(', '));
  await sql`CREATE TABLE search_entries_new (id integer PRIMARY KEY AUTOINCREMENT, ${sql.raw(columns.map((c) => `${c} ${type[c]}`).join(', '))}, CONSTRAINT search_entries_entity_key UNIQUE (source, entity_id, lang))`.execute(db);
  await sql`INSERT INTO search_entries_new (${list}) SELECT ${list} FROM search_entries ORDER BY id`.execute(db);
  // AUTOINCREMENT: ids are never given twice, not even those of entries already removed.
  const kept = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'search_entries'`.execute(db);
  await sql`DROP TABLE search_entries`.execute(db);
  await sql`ALTER TABLE search_entries_new RENAME TO search_entries`.execute(db);
  const copied = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'search_entries'`.execute(db);
  const seq = Math.max(kept.rows[0]?.seq ?? 0, copied.rows[0]?.seq ?? 0);
  await sql`DELETE FROM sqlite_sequence WHERE name = 'search_entries'`.execute(db);
  if (seq) await sql`INSERT INTO sqlite_sequence (name, seq) VALUES ('search_entries', ${seq})`.execute(db);
  await sql`CREATE INDEX search_entries_lang_idx ON search_entries (lang, audience, published_at)`.execute(db);
}
