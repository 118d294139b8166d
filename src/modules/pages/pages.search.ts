import type { Db } from '../../platform/db/database.js';
import { editorialFingerprint } from '../../platform/db/fingerprint.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import type { SearchSource } from '../../platform/module.js';

/** What the site search finds of a page: its title and text in each language, once published. */
export const pageSearchSource: SearchSource = {
  entity: 'page',
  route: 'pages.show',
  label: 'search.kind.page',
  async entries(db: Db, ids: readonly number[]) {
    if (!ids.length) return [];
    const published = await db.selectFrom('pages').select(['id', 'published_at']).where('id', 'in', [...ids]).where('workflow', '=', 'published').where('published_at', 'is not', null).execute();
    if (!published.length) return [];
    const byId = new Map(published.map((p) => [p.id, p.published_at]));
    const translations = await db.selectFrom('page_translations').select(['page_id', 'lang', 'title', 'slug', 'body_html']).where('page_id', 'in', [...byId.keys()]).orderBy('page_id').orderBy('lang').execute();
    return translations.map((t) => ({ id: t.page_id, lang: t.lang, title: t.title, body: richTextToPlain(t.body_html), slug: t.slug, date: byId.get(t.page_id)!, publishedAt: byId.get(t.page_id)! }));
  },
  async ids(db: Db) {
    return (await db.selectFrom('pages').select('id').orderBy('id').execute()).map((r) => r.id);
  },
  fingerprint: (db: Db) => editorialFingerprint(db, 'pages', 'page_translations'),
};
