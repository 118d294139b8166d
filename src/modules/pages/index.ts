import './pages.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { seedDemoPages } from './pages.commands.js';
import { navigationPages } from './pages.repository.js';
import { registerPageAdminRoutes } from './pages.admin.routes.js';
import { registerPageRoutes } from './pages.routes.js';
import { pageSearchSource } from './pages.search.js';

export { navigationPages } from './pages.repository.js';
export { seedDemoPages } from './pages.commands.js';

/**
 * Editorial pages (about, contact...) and the header menu. Listed last in the composition root: a
 * page's slug is the catch-all of /{lang}/..., after every fixed address.
 */
export const pagesModule: DiwanModule = {
  name: 'pages',
  async hasContent(db) {
    return !!(await db.selectFrom('pages').select('id').limit(1).executeTakeFirst());
  },
  async seedDemo(db) {
    return [`demo pages: ${await seedDemoPages(db)} created`];
  },
  publicRoutes: registerPageRoutes,
  adminRoutes: registerPageAdminRoutes,
  adminNav: [{ id: 'pages', href: '/admin/pages', label: 'admin.nav.pages', position: 20, visible: (actor) => has(actor, 'page.view_unpublished') }],
  navigation: navigationPages,
  searchSources: [pageSearchSource],
};
