import type { FastifyInstance } from 'fastify';
import type { Db } from '../../platform/db/database.js';
import { url, type RouteName } from '../../platform/http/urls.js';
import type { SearchSource } from '../../platform/module.js';
import { sourcesOf } from './search.index.js';

/**
 * `sitemap.xml` and `robots.txt`. The sitemap lists what the search index holds for the public
 * (the same rule as the search: public audience, published by now), one `<url>` per record with
 * its address in every language it exists in as `hreflang` alternates (and `x-default`, the site's
 * default language), and the landing pages of each language. Nothing a visitor may not open is
 * there, since nothing of the kind is in the index.
 */

/** The most addresses one sitemap file may hold (the protocol's limit). */
const MAX_URLS = 50_000;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Entry {
  /** Path in each language. */
  paths: Record<string, string>;
  lastmod: string | null;
}

async function entries(db: Db, sources: readonly SearchSource[], languages: readonly string[], now: string): Promise<Entry[]> {
  const landing: RouteName[] = ['home', 'activities.list', 'documents.list'];
  const out: Entry[] = landing.map((route) => ({ paths: Object.fromEntries(languages.map((l) => [l, url(route, l)])), lastmod: null }));
  const rows = await db
    .selectFrom('search_entries')
    .select(['source', 'entity_id', 'lang', 'slug', 'published_at'])
    .where('audience', '=', 'public')
    .where('published_at', 'is not', null)
    .where('published_at', '<=', now)
    .orderBy('source')
    .orderBy('entity_id')
    .limit(MAX_URLS * languages.length)
    .execute();
  const byRecord = new Map<string, Entry>();
  for (const r of rows) {
    const source = sources.find((s) => s.entity === r.source);
    if (!source || !languages.includes(r.lang)) continue;
    const key = `${r.source}:${r.entity_id}`;
    const entry = byRecord.get(key) ?? { paths: {}, lastmod: null };
    entry.paths[r.lang] = url(source.route, r.lang, { slug: r.slug });
    if (r.published_at && (!entry.lastmod || r.published_at > entry.lastmod)) entry.lastmod = r.published_at;
    byRecord.set(key, entry);
  }
  return [...out, ...byRecord.values()].slice(0, MAX_URLS);
}

/** The sitemap as XML: each language's address of a record is a `<url>`, carrying all the record's alternates. */
export function sitemapXml(list: Entry[], baseUrl: string, defaultLanguage: string): string {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'];
  for (const e of list) {
    const langs = Object.keys(e.paths);
    const alternates = langs.map((l) => `<xhtml:link rel="alternate" hreflang="${xml(l)}" href="${xml(baseUrl + e.paths[l]!)}"/>`);
    const fallback = e.paths[defaultLanguage] ?? e.paths[langs[0]!]!;
    alternates.push(`<xhtml:link rel="alternate" hreflang="x-default" href="${xml(baseUrl + fallback)}"/>`);
    for (const l of langs) {
      parts.push(`<url><loc>${xml(baseUrl + e.paths[l]!)}</loc>${e.lastmod ? `<lastmod>${xml(e.lastmod.slice(0, 10))}</lastmod>` : ''}${alternates.join('')}</url>`);
    }
  }
  parts.push('</urlset>');
  return parts.join('\n');
}

export function registerSitemapRoutes(app: FastifyInstance): void {
  app.get('/sitemap.xml', async (_request, reply) => {
    const { db, config, baseUrl, modules } = app.diwan;
    const list = await entries(db, sourcesOf(modules), config.languages, new Date().toISOString());
    return reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(sitemapXml(list, baseUrl, config.defaultLanguage));
  });
  app.get('/robots.txt', async (_request, reply) => {
    const { baseUrl, config } = app.diwan;
    // The back-office, personal registration pages and forms are not for crawlers (they say noindex too).
    const lines = ['User-agent: *', 'Disallow: /admin/', ...config.languages.flatMap((l) => [`Disallow: /${l}/registrations/`, `Disallow: /${l}/search`]), '', `Sitemap: ${baseUrl}/sitemap.xml`, ''];
    return reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(lines.join('\n'));
  });
}
