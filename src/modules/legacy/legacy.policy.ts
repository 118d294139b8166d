import { has, type Actor } from '../../platform/policy.js';

/** What an actor may do with imports of old pages in the back-office (admins only, by the import.run permission). */
export function importAbilities(actor: Actor | null) {
  const run = has(actor, 'admin.access') && has(actor, 'import.run');
  // Publishing what an import creates is the publish permission on activities, checked here as for any editor.
  return { list: run, run, publish: run && has(actor, 'activity.publish') };
}
