import './legacy.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { registerImportAdminRoutes } from './legacy.admin.routes.js';
import { registerLegacyRoutes } from './legacy.routes.js';

export { IMPORT_LEGACY_USAGE, runImportLegacy } from './legacy.cli.js';

/** The import of the old sites' pages, and 301s from their addresses (LEGACY_HOSTS). */
export const legacyModule: DiwanModule = {
  name: 'legacy',
  publicRoutes: (app) => registerLegacyRoutes(app, app.diwan.config.legacyHosts),
  adminRoutes: registerImportAdminRoutes,
  adminNav: [{ id: 'imports', href: '/admin/imports', label: 'admin.nav.imports', position: 50, visible: (actor) => has(actor, 'admin.access') && has(actor, 'import.run') }],
};
