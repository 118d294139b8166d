import './directory.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { loadDirectoryReferenceData } from './reference-data.js';
export { readDirectoryFixtures } from './reference-data.js';
import { registerReferenceAdminRoutes } from './reference.admin.routes.js';

/** Countries and organisations of the dialogue, and the back-office for the reference data. */
export const directoryModule: DiwanModule = {
  name: 'directory',
  async referenceData(db) {
    const r = await loadDirectoryReferenceData(db);
    return `${r.countries} countries, ${r.organisations} organisations`;
  },
  adminRoutes: registerReferenceAdminRoutes,
  adminNav: [{ id: 'reference', href: '/admin/reference', label: 'admin.nav.reference', position: 40, visible: (actor) => has(actor, 'reference.edit') }],
};
export { saveTheme } from './reference.commands.js';
