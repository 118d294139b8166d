import type { FastifyInstance } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { translator } from '../../platform/i18n/i18n.js';
import { hasUnknownParams, queryString, routePattern, url } from '../../platform/http/urls.js';
import { searchRouteOptions } from '../../platform/http/rate-limit.js';
import { FILTER_KEYS } from './activities.schemas.js';
import { Layout, jsonLdScript } from '../../platform/views/layout.js';
import { activityDetail, activityList, lookupActivity, parseBackQuery } from './activities.service.js';
import { ActivityListPage, ActivityPage, activityJsonLd } from './activities.views.js';

/** Public activity pages: the filtered list and one activity, in every configured language. */
export function registerActivityRoutes(app: FastifyInstance): void {
  const ctx = () => app.diwan;

  app.get<{ Params: { lang: string }; Querystring: Record<string, unknown> }>(routePattern('activities.list'), searchRouteOptions(app.diwan.config), async (request, reply) => {
    const { lang } = request.params;
    if (!ctx().config.languages.includes(lang)) return sendError(request, reply, 'notFound', 404);
    const tr = translator(lang);
    const view = await activityList(ctx(), lang, request.query);
    const path = url('activities.list', lang, {}, { ...view.parsed.query, page: view.parsed.page > 1 ? view.parsed.page : undefined });
    // Parameters we do not know would make endless cache keys: send them to the canonical address.
    if (hasUnknownParams(request.query, [...FILTER_KEYS, 'page'])) return reply.redirect(path, 301);
    const alternates = Object.fromEntries(ctx().config.languages.map((l) => [l, url('activities.list', l, {}, { ...view.parsed.query, page: view.parsed.page > 1 ? view.parsed.page : undefined })]));
    const html = await (
      <Layout tr={tr} stylesheet={ctx().assets.stylesheet} current="activities" languages={ctx().config.languages} nav={await ctx().navigation(lang)} meta={{ title: tr.t('list.title'), description: tr.t('list.intro'), baseUrl: ctx().baseUrl, path, alternates, noindex: view.total === 0 }}>
        <ActivityListPage tr={tr} view={view} />
      </Layout>
    );
    // The key is the address of what was rendered, from the filters actually applied.
    return sendHtml(request, reply, html, { lang, status: view.parsed.errors.length ? 400 : 200, cacheKey: path });
  });

  app.get<{ Params: { lang: string; slug: string }; Querystring: Record<string, unknown> }>(routePattern('activities.show'), async (request, reply) => {
    const { lang, slug } = request.params;
    if (!ctx().config.languages.includes(lang)) return sendError(request, reply, 'notFound', 404);
    const found = await lookupActivity(ctx(), lang, slug);
    const back = parseBackQuery(request.query.back);
    if (found.kind === 'found' && hasUnknownParams(request.query, ['back'])) {
      const query = Object.keys(back).length ? { back: new URLSearchParams(back as Record<string, string>).toString() } : undefined;
      return reply.redirect(url('activities.show', lang, { slug }, query), 301);
    }
    if (found.kind === 'missing') return sendError(request, reply, 'notFound', 404);
    if (found.kind === 'redirect') {
      const query = Object.keys(back).length ? { back: new URLSearchParams(back as Record<string, string>).toString() } : undefined;
      return reply.redirect(url('activities.show', lang, { slug: found.slug }, query), 301);
    }
    const d = await activityDetail(ctx(), found.row, lang);
    const { tr, view } = d;
    // Shown in a language it has no translation in, the page lives at the slug it was asked by.
    const path = view.alternates[lang] ?? url('activities.show', lang, { slug });
    const alternates = { ...view.alternates, [lang]: path };
    const jsonLd = jsonLdScript(activityJsonLd(view, ctx().baseUrl + path, tr.t('site.name')));
    const html = await (
      <Layout tr={tr} stylesheet={ctx().assets.stylesheet} current="activities" languages={ctx().config.languages} nav={await ctx().navigation(lang)} meta={{ title: view.title || slug, description: view.summary || undefined, baseUrl: ctx().baseUrl, path, alternates, ogType: 'article', jsonLd }}>
        <ActivityPage d={d} backHref={url('activities.list', lang, {}, back)} />
      </Layout>
    );
    const backQuery = Object.keys(back).length ? { back: new URLSearchParams(back as Record<string, string>).toString() } : undefined;
    return sendHtml(request, reply, html, { lang, cacheKey: path + queryString(backQuery) });
  });
}
