import type { FastifyInstance } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { translator } from '../../platform/i18n/i18n.js';
import { routePattern, url } from '../../platform/http/urls.js';
import { isValidSlug } from '../../platform/text/slug.js';
import { Layout } from '../../platform/views/layout.js';
import { PAGE_SLUG_MAX_LENGTH } from './pages.schemas.js';
import { findPublishedPage, movedPageSlug, navigationPages, pageSlugs } from './pages.repository.js';

/** A static page in the body of the layout. */
export function PageView({ title, safeBody }: { title: string; safeBody: string }): JSX.Element {
  return (
    <article data-testid="page">
      <h1 safe>{title}</h1>
      <div class="narrative">{safeBody}</div>
    </article>
  );
}

/** Public static pages at /{lang}/{slug}, registered after every fixed path. */
export function registerPageRoutes(app: FastifyInstance): void {
  app.get<{ Params: { lang: string; slug: string }; Querystring: Record<string, unknown> }>(routePattern('pages.show'), async (request, reply) => {
    const { lang, slug } = request.params;
    const { config, db, assets, baseUrl } = app.diwan;
    if (!config.languages.includes(lang) || !isValidSlug(slug, PAGE_SLUG_MAX_LENGTH)) return sendError(request, reply, 'notFound', 404);
    const now = new Date().toISOString();
    const page = await findPublishedPage(db, lang, slug, now);
    if (!page) {
      const moved = await movedPageSlug(db, lang, slug);
      if (moved && moved !== slug && (await findPublishedPage(db, lang, moved, now))) return reply.redirect(url('pages.show', lang, { slug: moved }), 301);
      return sendError(request, reply, 'notFound', 404);
    }
    if (Object.keys(request.query).length) return reply.redirect(url('pages.show', lang, { slug }), 301);
    const tr = translator(lang);
    const slugs = await pageSlugs(db, page.id);
    const alternates = Object.fromEntries(Object.entries(slugs).filter(([l]) => config.languages.includes(l)).map(([l, s]) => [l, url('pages.show', l, { slug: s })]));
    const html = await (
      <Layout tr={tr} stylesheet={assets.stylesheet} languages={config.languages} nav={await navigationPages(db, lang, now)} meta={{ title: page.title, baseUrl, path: url('pages.show', lang, { slug }), alternates }}>
        <PageView title={page.title} safeBody={page.body_html} />
      </Layout>
    );
    return sendHtml(request, reply, html, { lang, cacheKey: `/${lang}/${slug}` });
  });
}
