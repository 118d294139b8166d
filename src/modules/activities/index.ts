import './activities.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { registerActivityAdminRoutes } from './activities.admin.routes.js';
import { registerActivityRoutes } from './activities.routes.js';
import { seedDemoActivities } from './demo/demo-seeder.js';
import { activitySearchSource } from './activities.search.js';

// Read functions and views other modules show (the home page lists activities).
export { countKeyFigures, listLatestActivities, listUpcomingActivities } from './activities.repository.js';
export { cardsFor } from './activities.service.js';
export type { ActivityCard } from './activities.presenter.js';
export { ActivityCardView } from './activities.views.js';
// The vocabulary of an activity, and its commands (the importer creates and merges through them).
export * from './activities.schemas.js';
export { refreshFacetIndex, saveActivity, UnknownReferenceError, type Trx } from './activities.commands.js';
export { readActivityContent, createActivity, createActivityDraft, updateActivity, changeActivityWorkflow, loadEditableActivity, type UpdateOptions } from './activities.editor.js';
export { readDemoActivities, seedDemoActivities } from './demo/demo-seeder.js';

/** Activities: the record of each meeting, its public list and page, and its back-office. */
export const activitiesModule: DiwanModule = {
  name: 'activities',
  async hasContent(db) {
    return !!(await db.selectFrom('activities').select('id').limit(1).executeTakeFirst());
  },
  async seedDemo(db) {
    const r = await seedDemoActivities(db);
    return [`demo activities: ${r.created} created, ${r.refreshed} refreshed, ${r.kept} kept (edited since seeding)`];
  },
  publicRoutes: registerActivityRoutes,
  adminRoutes: registerActivityAdminRoutes,
  searchSources: [activitySearchSource],
  adminNav: [{ id: 'activities', href: '/admin/activities', label: 'admin.nav.activities', position: 10, visible: (actor) => has(actor, 'activity.view_unpublished') }],
};
