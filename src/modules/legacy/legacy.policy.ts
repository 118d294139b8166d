import { has, type Actor } from '../../platform/policy.js';

/** What an actor may do with imports of old pages in the back-office (admins only, by the import.run permission). */
export function importAbilities(actor: Actor | null) {
  const run = has(actor, 'admin.access') && has(actor, 'import.run');
  return { list: run, run };
}
