import { has, type Actor } from '../../platform/policy.js';

/** What the back-office lets an actor reach; the navigation and each page's guard read this. */
export function adminAbilities(actor: Actor | null) {
  return {
    access: has(actor, 'admin.access'),
    activities: has(actor, 'activity.view_unpublished'),
    pages: has(actor, 'page.view_unpublished'),
    reference: has(actor, 'reference.edit'),
    audit: has(actor, 'audit.view'),
    outbox: has(actor, 'outbox.view'),
    users: has(actor, 'user.manage'),
    imports: has(actor, 'admin.access') && has(actor, 'import.run'),
  };
}
export type AdminAbilities = ReturnType<typeof adminAbilities>;
