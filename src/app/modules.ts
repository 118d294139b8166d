/**
 * The composition root: every module of this Diwan, in order. Routes, navigation entries,
 * reference data and demo data follow this order. A new module is its folder under src/modules/
 * with an index.ts, and one line here.
 */
import { activitiesModule } from '../modules/activities/index.js';
import { adminModule } from '../modules/admin/index.js';
import { alertsModule } from '../modules/alerts/index.js';
import { authModule } from '../modules/auth/index.js';
import { documentsModule } from '../modules/documents/index.js';
import { directoryModule } from '../modules/directory/index.js';
import { frameworkModule } from '../modules/framework/index.js';
import { healthModule } from '../modules/health/index.js';
import { homeModule } from '../modules/home/index.js';
import { legacyModule } from '../modules/legacy/index.js';
import { meetingsModule } from '../modules/meetings/index.js';
import { pagesModule } from '../modules/pages/index.js';
import { searchModule } from '../modules/search/index.js';
import type { DiwanModule } from '../platform/module.js';

export const MODULES: readonly DiwanModule[] = [
  healthModule,
  // Reference data first: the others refer to countries, organisations, frameworks and roles.
  directoryModule,
  frameworkModule,
  authModule,
  adminModule,
  homeModule,
  activitiesModule,
  meetingsModule,
  legacyModule,
  documentsModule,
  searchModule,
  alertsModule,
  // Last: a page slug is the catch-all of /{lang}/...
  pagesModule,
];
