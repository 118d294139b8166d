import './search.catalogue.js';
import type { FastifyInstance } from 'fastify';
import { onChange } from '../../platform/events/changes.js';
import type { DiwanModule } from '../../platform/module.js';
import { indexRecord, sourcesOf, syncSource } from './search.index.js';
import { registerSearchRoutes } from './search.routes.js';
import { registerSitemapRoutes } from './search.sitemap.js';

export { parseQuery, terms } from './search.text.js';
export { searchIndex, syncSource, indexRecord, matchingEntries, readingMatches } from './search.index.js';
export { searchable, snippet, MAX_QUERY, type ParsedQuery } from './search.text.js';
export { Highlighted } from './search.routes.js';

/**
 * Follows the change events of this process: each record changed here is indexed again after its
 * transaction, in the background (a failure is logged, and the next start rebuilds the source, its
 * fingerprint being out of date). Events from other instances are theirs to index.
 */
function followChanges(app: FastifyInstance): void {
  const sources = sourcesOf(app.diwan.modules);
  let queue = Promise.resolve();
  const unsubscribe = onChange((event) => {
    if (event.origin !== 'local' || typeof event.id !== 'number') return;
    const source = sources.find((s) => s.entity === event.entity);
    if (!source) return;
    const id = event.id;
    queue = queue
      .then(async () => void (await indexRecord(app.diwan.db, source, id)))
      .catch((err: unknown) => app.log.warn({ err, entity: source.entity, id }, 'search indexing failed; the next start rebuilds the index'));
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    await queue;
  });
}

/** The site search: one index over the sources the modules offer, its page, and its upkeep; the sitemap and robots.txt, drawn from the same index. */
export const searchModule: DiwanModule = {
  name: 'search',
  publicRoutes(app) {
    registerSearchRoutes(app);
    registerSitemapRoutes(app);
    followChanges(app);
  },
  async onPrepared(db, modules, log) {
    for (const source of sourcesOf(modules)) {
      const rebuilt = await syncSource(db, source);
      if (rebuilt !== null) log.info(`search index: ${source.entity} rebuilt (${rebuilt} records)`);
    }
  },
};
