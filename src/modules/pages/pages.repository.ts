import type { Db } from '../../platform/db/database.js';
import { rememberForContent } from '../../platform/db/read-mostly.js';
import { url } from '../../platform/http/urls.js';

/** A published page by its slug in a language. */
export async function findPublishedPage(db: Db, lang: string, slug: string, now: string) {
  return db
    .selectFrom('page_translations as t')
    .innerJoin('pages', 'pages.id', 't.page_id')
    .select(['pages.id', 't.title', 't.slug', 't.body_html', 't.lang'])
    .where('t.lang', '=', lang)
    .where('t.slug', '=', slug)
    .where('pages.workflow', '=', 'published')
    .where('pages.published_at', '<=', now)
    .executeTakeFirst();
}

/** The slugs of a page in every language it exists in. */
export async function pageSlugs(db: Db, pageId: number): Promise<Record<string, string>> {
  const rows = await db.selectFrom('page_translations').select(['lang', 'slug']).where('page_id', '=', pageId).execute();
  return Object.fromEntries(rows.map((r) => [r.lang, r.slug]));
}

/** Where an old page slug points now, if an editor changed it. */
export async function movedPageSlug(db: Db, lang: string, slug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('slug_redirects')
    .innerJoin('page_translations', (j) => j.onRef('page_translations.page_id', '=', 'slug_redirects.entity_id').onRef('page_translations.lang', '=', 'slug_redirects.lang'))
    .select('page_translations.slug')
    .where('slug_redirects.entity_type', '=', 'page')
    .where('slug_redirects.lang', '=', lang)
    .where('slug_redirects.old_slug', '=', slug)
    .executeTakeFirst();
  return row?.slug;
}

/** Published pages that appear in the main navigation, in their order, titled in a language. */
export async function navigationPages(db: Db, lang: string, now: string): Promise<{ href: string; label: string }[]> {
  // Every navigation page in every language, kept until content changes; what is published by now
  // is decided here, at each request, so a scheduled page appears on time.
  const all = await rememberForContent(db, 'pages:navigation', () =>
    db
      .selectFrom('pages')
      .innerJoin('page_translations as t', 't.page_id', 'pages.id')
      .select(['t.lang', 't.title', 't.slug', 'pages.published_at'])
      .where('pages.workflow', '=', 'published')
      .where('pages.nav_position', 'is not', null)
      .orderBy('pages.nav_position')
      .orderBy('pages.id')
      .execute(),
  );
  return all.filter((r) => r.lang === lang && r.published_at !== null && r.published_at <= now).map((r) => ({ href: url('pages.show', lang, { slug: r.slug }), label: r.title }));
}
