import type { Db } from '../../platform/db/database.js';
import { editorialFingerprint } from '../../platform/db/fingerprint.js';
import type { SearchEntry, SearchSource } from '../../platform/module.js';
import { publicDocuments } from './documents.repository.js';

/** The longest text of one file the index takes (a 300-page report is about a million characters). */
const MAX_INDEXED_TEXT = 1_000_000;

/**
 * What the site search finds of a document: its title, description and the text read from its
 * current files, in each language it has, once anyone may open it. A document open only to
 * partners, to a meeting's participants or to some roles is never indexed: no search, count or
 * snippet can show it.
 */
export const documentSearchSource: SearchSource = {
  entity: 'document',
  route: 'documents.show',
  label: 'search.kind.document',
  async entries(db: Db, ids: readonly number[]): Promise<SearchEntry[]> {
    if (!ids.length) return [];
    // "Public" is decided as of the far future, and each entry carries the time from which it is:
    // a scheduled document is indexed now and found from its publication on.
    const open = await db
      .selectFrom('documents as d')
      .leftJoin('activities as pa', 'pa.id', 'd.access_activity_id')
      .select(['d.id', 'd.doc_date', 'd.published_at', 'd.access', 'pa.published_at as parent_published_at'])
      .where('d.id', 'in', [...ids])
      .where((eb) => publicDocuments(eb as never, '9999-12-31T23:59:59.999Z'))
      .execute();
    if (!open.length) return [];
    const openIds = open.map((d) => d.id);
    const [translations, texts] = await Promise.all([
      db.selectFrom('document_translations').select(['document_id', 'lang', 'title', 'slug', 'description']).where('document_id', 'in', openIds).orderBy('document_id').orderBy('lang').execute(),
      db
        .selectFrom('document_files as f')
        .innerJoin('document_texts as x', 'x.file_id', 'f.id')
        .select(['f.document_id', 'f.lang', 'f.version', 'x.text'])
        .where('f.document_id', 'in', openIds)
        .orderBy('f.document_id')
        .orderBy('f.lang')
        .orderBy('f.version', 'desc')
        .execute(),
    ]);
    const byId = new Map(open.map((d) => [d.id, d]));
    // The current (newest) file's text per document and language.
    const text = new Map<string, string>();
    for (const t of texts) if (!text.has(`${t.document_id}:${t.lang}`)) text.set(`${t.document_id}:${t.lang}`, t.text.slice(0, MAX_INDEXED_TEXT));
    return translations.map((t) => {
      const d = byId.get(t.document_id)!;
      // A language without its own file is found by the text of the files it has.
      const own = text.get(`${t.document_id}:${t.lang}`);
      const other = own === undefined ? [...text.entries()].find(([k]) => k.startsWith(`${t.document_id}:`))?.[1] : undefined;
      const visible = [d.published_at, d.access === 'inherit' ? d.parent_published_at : null].filter((x): x is string => !!x).sort().at(-1) ?? null;
      return { id: t.document_id, lang: t.lang, title: t.title, body: [t.description, own ?? other ?? ''].filter(Boolean).join('\n'), slug: t.slug, date: d.doc_date ?? d.published_at, publishedAt: visible };
    });
  },
  async ids(db: Db) {
    return (await db.selectFrom('documents').select('id').orderBy('id').execute()).map((r) => r.id);
  },
  async fingerprint(db: Db) {
    const base = await editorialFingerprint(db, 'documents', 'document_translations');
    const files = await db.selectFrom('document_files').select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('id').as('m')]).where('text_state', '=', 'done').executeTakeFirst();
    const parents = await db
      .selectFrom('activities')
      .select([(eb) => eb.fn.max('updated_at').as('u'), (eb) => eb.fn.countAll<number>().as('n')])
      .where('id', 'in', (eb) => eb.selectFrom('documents').select('access_activity_id').where('access', '=', 'inherit').where('access_activity_id', 'is not', null).$narrowType<{ access_activity_id: number }>())
      .executeTakeFirst();
    return `${base}|${String(files?.n ?? 0)}:${String(files?.m ?? '')}|${String(parents?.n ?? 0)}:${String(parents?.u ?? '')}`;
  },
};
