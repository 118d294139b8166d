import './admin.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { registerAdminRoutes } from './admin.routes.js';

export { adminAbilities, type AdminAbilities } from './admin.policy.js';

/** The back-office dashboard, the audit log and the outbox. */
export const adminModule: DiwanModule = {
  name: 'admin',
  adminRoutes: registerAdminRoutes,
  adminNav: [
    { id: 'dashboard', href: '/admin/', label: 'admin.nav.dashboard', position: 0, visible: (actor) => has(actor, 'admin.access') },
    { id: 'audit', href: '/admin/audit', label: 'admin.nav.audit', position: 70, visible: (actor) => has(actor, 'audit.view') },
    { id: 'outbox', href: '/admin/outbox', label: 'admin.nav.outbox', position: 80, visible: (actor) => has(actor, 'outbox.view') },
  ],
};
