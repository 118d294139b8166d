import './documents.catalogue.js';
import type { FastifyInstance } from 'fastify';
import { onChange } from '../../platform/events/changes.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { indexRecord } from '../search/index.js';
import { registerDocumentAdminRoutes } from './documents.admin.routes.js';
import { collectUnreferencedFiles } from './documents.collect.js';
import { enqueuePendingExtractions, extractionJob, sweepExtractionCopies } from './documents.jobs.js';
import { registerDocumentRoutes } from './documents.routes.js';
import { documentSearchSource } from './documents.search.js';
import { seedDemoDocuments } from './demo/demo-seeder.js';

export { publicDocumentsOfActivity, documentsPublishedBetween, FACETS, type LibraryItem, type LibraryFilters } from './documents.repository.js';
export { DocumentCard, FileLink, fileHref, fileDetails, formatDocDate } from './documents.views.js';
export { createDocument, addDocumentFiles } from './documents.commands.js';
export { EXTRACT_JOB } from './documents.jobs.js';
export { readLibraryQuery } from './documents.routes.js';
export { IMPORT_DOCUMENTS_USAGE, runImportDocuments, type ImportDocumentsReport } from './documents.import.js';
export { REFUSALS as UPLOAD_REFUSALS } from './documents.admin.routes.js';

/** Temporaries of uploads older than this are removed at start (an upload never takes a day). */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

/**
 * Upkeep at start and while running: stale upload temporaries swept, files still waiting for
 * their text sent to the extraction job again (or marked failed once their attempts are used up),
 * and the documents that follow an activity's visibility indexed again when that activity changes
 * (so an unpublished meeting's documents leave the search at once).
 */
function upkeep(app: FastifyInstance): void {
  app.addHook('onReady', async () => {
    // A copy being read by a running extraction is minutes old at most: a day's margin spares it.
    const swept = (await app.diwan.files.sweep(STALE_UPLOAD_MS)) + (await sweepExtractionCopies(app.diwan.config.dataDir, STALE_UPLOAD_MS));
    const { sent: pending, gaveUp } = await enqueuePendingExtractions(app.diwan);
    if (swept || pending) app.log.info({ swept, pending }, 'documents: upload temporaries swept, extractions sent again');
    if (gaveUp) app.log.warn({ files: gaveUp }, 'documents: text extraction given up for files whose attempts are used up (marked failed)');
    // Stored files no row names are noted now and removed at a later start, still unnamed.
    const { removed, waiting } = await collectUnreferencedFiles(app.diwan.db, app.diwan.files);
    if (removed || waiting) app.log.info({ removed, waiting }, 'documents: unreferenced stored files');
  });
  let queue = Promise.resolve();
  const unsubscribe = onChange((event) => {
    if (event.origin !== 'local' || event.entity !== 'activity' || typeof event.id !== 'number') return;
    const activityId = event.id;
    queue = queue
      .then(async () => {
        const docs = await app.diwan.db.selectFrom('documents').select('id').where('access_activity_id', '=', activityId).where('access', '=', 'inherit').execute();
        for (const d of docs) await indexRecord(app.diwan.db, documentSearchSource, d.id);
      })
      .catch((err: unknown) => app.log.warn({ err, activityId }, 'documents: reindexing after an activity change failed'));
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    await queue;
  });
}

/** The document library: documents with files per language and version, access tiers, downloads, the library's search and facets. */
export const documentsModule: DiwanModule = {
  name: 'documents',
  async hasContent(db) {
    return !!(await db.selectFrom('documents').select('id').limit(1).executeTakeFirst());
  },
  async seedDemo(db, config) {
    return [`demo documents: ${await seedDemoDocuments(db, config)} created`];
  },
  publicRoutes(app) {
    registerDocumentRoutes(app);
    upkeep(app);
  },
  adminRoutes: registerDocumentAdminRoutes,
  adminNav: [{ id: 'documents', href: '/admin/documents', label: 'admin.nav.documents', position: 15, visible: (actor) => has(actor, 'document.view_unpublished') }],
  searchSources: [documentSearchSource],
  jobs: (ctx) => [extractionJob(ctx)],
};
