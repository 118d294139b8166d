import './auth.catalogue.js';
import type { DiwanModule } from '../../platform/module.js';
import { has } from '../../platform/policy.js';
import { registerAuthRoutes } from './auth.routes.js';
import { seedDemoUsers } from './demo-users.js';
import { loadRoles } from './roles.reference-data.js';
import { loadSession } from './sessions.js';
import { registerUserAdminRoutes } from './users.admin.routes.js';
import { resetJob } from './users.commands.js';

export { createUser, setPassword, UserCommandError } from './users.commands.js';

/** Accounts, roles, sessions, sign-in and password reset, and the back-office for users. */
export const authModule: DiwanModule = {
  name: 'auth',
  async referenceData(db) {
    await loadRoles(db);
    return undefined;
  },
  async seedDemo(db, config, { freshInstall }) {
    if (!freshInstall) return [];
    const created = await seedDemoUsers(db, { lang: config.defaultLanguage, passwords: config.demoPasswords });
    // Printed this once (the passwords are stored only as hashes): the README says to look here.
    return created.map((u) => `demo ${u.role}: ${u.email} / password ${u.password} (shown only now; demo only: change or remove before going live)`);
  },
  authenticate: (db, config, token) => loadSession(db, config, token),
  jobs: (ctx) => [resetJob(ctx)],
  adminRoutes(admin) {
    registerAuthRoutes(admin);
    registerUserAdminRoutes(admin);
  },
  adminNav: [{ id: 'users', href: '/admin/users', label: 'admin.nav.users', position: 60, visible: (actor) => has(actor, 'user.manage') }],
};
