import { has, type Actor } from '../../platform/policy.js';
import type { WorkflowState } from './activities.editor.js';

/** What an actor may do with activities (and with one activity, given its workflow state and pending changes). */
export function activityAbilities(actor: Actor | null, activity?: { workflow: WorkflowState; pendingVersion?: number | null }) {
  const state = activity?.workflow;
  const pending = state === 'published' && (activity?.pendingVersion ?? null) !== null;
  const mayPublish = has(actor, 'activity.publish');
  return {
    list: has(actor, 'admin.access') && has(actor, 'activity.view_unpublished'),
    preview: has(actor, 'activity.view_unpublished'),
    create: has(actor, 'activity.create'),
    edit: has(actor, 'activity.edit'),
    /** Saves of a published activity go live at once; for everyone else they wait for review. */
    publishDirectly: mayPublish,
    submit: has(actor, 'activity.submit') && (state === 'draft' || state === 'unpublished'),
    publish: mayPublish && state !== undefined && state !== 'published',
    /** Publish the changes that wait for review on a published activity. */
    publishChanges: mayPublish && pending,
    /** Set aside the changes that wait for review. */
    discardChanges: mayPublish && pending,
    unpublish: mayPublish && state === 'published',
    returnToDraft: (mayPublish || has(actor, 'activity.submit')) && state === 'in_review',
    revisions: has(actor, 'activity.edit'),
    restore: has(actor, 'activity.restore'),
  };
}
export type ActivityAbilities = ReturnType<typeof activityAbilities>;
