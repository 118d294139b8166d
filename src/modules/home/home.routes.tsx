import type { FastifyInstance } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { todayIso } from '../../platform/i18n/dates.js';
import { translator } from '../../platform/i18n/i18n.js';
import { routePattern, url } from '../../platform/http/urls.js';
import { Layout } from '../../platform/views/layout.js';
import { countKeyFigures, listLatestActivities, listUpcomingActivities } from '../activities/index.js';
import { cardsFor } from '../activities/index.js';
import { HomePage } from './home.views.js';

/** The home page: upcoming and latest activities and the dialogue's key figures. */
export function registerHomeRoutes(app: FastifyInstance): void {
  app.get<{ Params: { lang: string } }>(routePattern('home'), async (request, reply) => {
    const { lang } = request.params;
    const { config, db, assets, baseUrl } = app.diwan;
    if (!config.languages.includes(lang)) return sendError(request, reply, 'notFound', 404);
    const tr = translator(lang);
    const now = new Date();
    const args = { today: todayIso(now, config.timeZone), now: now.toISOString() };
    const upcoming = await cardsFor(app.diwan, await listUpcomingActivities(db, { ...args, limit: 5 }), tr);
    const latest = await cardsFor(app.diwan, await listLatestActivities(db, { ...args, limit: 6 }), tr);
    const figures = await countKeyFigures(db, args.now);
    const alternates = Object.fromEntries(config.languages.map((l) => [l, url('home', l)]));
    const html = await (
      <Layout tr={tr} stylesheet={assets.stylesheet} current="home" languages={config.languages} nav={await app.diwan.navigation(lang, args.now)} meta={{ title: tr.t('home.title'), description: tr.t('home.intro'), baseUrl, path: url('home', lang), alternates }}>
        <HomePage tr={tr} upcoming={upcoming} latest={latest} figures={{ ...figures, years: figures.firstYear ? now.getUTCFullYear() - figures.firstYear : 0 }} />
      </Layout>
    );
    return sendHtml(request, reply, html, { lang, cacheKey: url('home', lang) });
  });
}
