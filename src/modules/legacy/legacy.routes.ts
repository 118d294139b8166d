import type { FastifyInstance } from 'fastify';
import { url } from '../../platform/http/urls.js';
import { normaliseOldPath, requestHost } from './legacy.addresses.js';
import { findRedirectRows } from './legacy.repository.js';

/**
 * Old addresses keep working: a request whose Host is one of the configured old hosts, for a path
 * an imported page was saved from, answers 301 to the activity's page (in the old address's
 * language when it had one and Diwan speaks it). A path listing several activities goes to the
 * activity list. Anything else falls through to the normal routes and the 404 page.
 */
export function registerLegacyRoutes(app: FastifyInstance, legacyHosts: string[]): void {
  const hosts = [...new Set(legacyHosts.map((h) => requestHost(h)).filter(Boolean))];
  if (!hosts.length) return;
  const hostSet = new Set(hosts);
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    // Cheap for everyone else: a set lookup on the Host header, no database.
    if (!hostSet.has(requestHost(request.headers.host))) return;
    const { config, db, baseUrl } = app.diwan;
    const rows = await findRedirectRows(db, hosts, normaliseOldPath(request.url), new Date().toISOString());
    if (!rows.length) return;
    const sourceLang = rows.find((r) => r.source_lang)?.source_lang ?? null;
    const lang = sourceLang && config.languages.includes(sourceLang) ? sourceLang : config.defaultLanguage;
    const activities = [...new Set(rows.map((r) => r.activity_id))];
    let location: string;
    if (activities.length > 1 && rows.some((r) => r.page_layout === 'list')) {
      location = url('activities.list', lang);
    } else {
      const id = rows[0]!.activity_id;
      const mine = rows.filter((r) => r.activity_id === id);
      const slug = (mine.find((r) => r.lang === lang) ?? mine.find((r) => r.lang === config.defaultLanguage) ?? mine[0]!).slug;
      location = url('activities.show', lang, { slug });
    }
    reply.header('cache-control', 'public, max-age=86400');
    return reply.redirect(`${baseUrl}${location}`, 301);
  });
}
