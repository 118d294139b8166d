import { sql, type Kysely } from 'kysely';
import { idColumn, idType, isPostgres } from './dialect.js';

/**
 * The site search index: one row per record and language, with the words as written (for the
 * results and their snippets) and the same words analysed (stop words out, stemmed, accents
 * folded), which the full-text index reads. SQLite indexes the analysed words with FTS5, in a table
 * whose rowid is the entry's id; PostgreSQL with a tsvector column the database computes itself.
 *
 * `audience` says who may find an entry: only 'public' exists yet, and every query asks for it.
 * `search_sources` remembers, per source, what the index was built from, so a start or a command
 * after writes made elsewhere rebuilds what changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_entries')
    .addColumn('id', idType(db), idColumn(db))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('public'))
    .addColumn('slug', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('title_terms', 'text', (c) => c.notNull())
    .addColumn('body_terms', 'text', (c) => c.notNull())
    .addColumn('date', 'text')
    .addColumn('published_at', 'text')
    .addUniqueConstraint('search_entries_entity_key', ['source', 'entity_id', 'lang'])
    .execute();
  await db.schema.createIndex('search_entries_lang_idx').on('search_entries').columns(['lang', 'audience', 'published_at']).execute();
  await db.schema
    .createTable('search_sources')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .execute();
  if (isPostgres(db)) {
    await sql`ALTER TABLE search_entries ADD COLUMN terms tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')) STORED`.execute(db);
    await sql`CREATE INDEX search_entries_terms_idx ON search_entries USING gin (terms)`.execute(db);
  } else {
    await sql`CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) await sql`DROP TABLE search_fts`.execute(db);
  await db.schema.dropTable('search_sources').execute();
  await db.schema.dropTable('search_entries').execute();
}
