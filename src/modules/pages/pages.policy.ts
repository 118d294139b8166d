import { editorialAbilities } from '../../platform/editorial/abilities.js';
import type { Actor } from '../../platform/policy.js';

/** What an actor may do with static pages: the same editorial workflow as activities, on the `page.*` permissions. */
export function pageAbilities(actor: Actor | null, page?: { workflow: string; pendingVersion?: number | null }) {
  return editorialAbilities(actor, 'page', page);
}
