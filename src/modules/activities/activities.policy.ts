import { editorialAbilities } from '../../platform/editorial/abilities.js';
import { has, type Actor } from '../../platform/policy.js';
import type { WorkflowState } from './activities.editor.js';

/**
 * What an actor may do with activities (and with one activity, given its workflow state and
 * pending changes): the editorial workflow's abilities on the `activity.*` permissions, and the
 * preview of an unpublished activity's public page.
 */
export function activityAbilities(actor: Actor | null, activity?: { workflow: WorkflowState; pendingVersion?: number | null }) {
  return { ...editorialAbilities(actor, 'activity', activity), preview: has(actor, 'activity.view_unpublished') };
}
export type ActivityAbilities = ReturnType<typeof activityAbilities>;
