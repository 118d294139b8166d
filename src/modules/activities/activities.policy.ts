import { has, type Actor } from '../../platform/policy.js';
import type { WorkflowState } from './activities.editor.js';

/** What an actor may do with activities (and with one activity in a given workflow state). */
export function activityAbilities(actor: Actor | null, activity?: { workflow: WorkflowState }) {
  const state = activity?.workflow;
  return {
    list: has(actor, 'admin.access') && has(actor, 'activity.view_unpublished'),
    preview: has(actor, 'activity.view_unpublished'),
    create: has(actor, 'activity.create'),
    edit: has(actor, 'activity.edit'),
    submit: has(actor, 'activity.submit') && (state === 'draft' || state === 'unpublished'),
    publish: has(actor, 'activity.publish') && state !== undefined && state !== 'published',
    unpublish: has(actor, 'activity.publish') && state === 'published',
    returnToDraft: (has(actor, 'activity.publish') || has(actor, 'activity.submit')) && state === 'in_review',
    revisions: has(actor, 'activity.edit'),
    restore: has(actor, 'activity.restore'),
  };
}
export type ActivityAbilities = ReturnType<typeof activityAbilities>;
