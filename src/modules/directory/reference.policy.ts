import { has, type Actor } from '../../platform/policy.js';

/** Reference data (countries, organisations, themes) is kept by the secretariat's editors. */
export function referenceAbilities(actor: Actor | null) {
  return { edit: has(actor, 'admin.access') && has(actor, 'reference.edit') };
}
