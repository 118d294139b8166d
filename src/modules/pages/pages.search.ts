import type { Db } from '../../platform/db/database.js';
import { editorialFingerprint } from '../../platform/db/fingerprint.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import type { SearchSource } from '../../platform/module.js';

/** What the site search finds of a page: its title and text in each language, once published. */
export const pageSearchSource: SearchSource = {
  entity: 'page',
  route: 'pages.show',
  label: 'search.kind.page',
  async entries(db: Db, id: number) {
    const page = await db.selectFrom('pages').select(['workflow', 'published_at']).where('id', '=', id).executeTakeFirst();
    if (!page || page.workflow !== 'published' || !page.published_at) return [];
    const translations = await db.selectFrom('page_translations').select(['lang', 'title', 'slug', 'body_html']).where('page_id', '=', id).execute();
    return translations.map((t) => ({ lang: t.lang, title: t.title, body: richTextToPlain(t.body_html), slug: t.slug, date: page.published_at, publishedAt: page.published_at }));
  },
  async ids(db: Db) {
    return (await db.selectFrom('pages').select('id').orderBy('id').execute()).map((r) => r.id);
  },
  fingerprint: (db: Db) => editorialFingerprint(db, 'pages', 'page_translations'),
};
