import { has, type Actor } from '../../platform/policy.js';

/** What an actor may do with static pages; the same workflow as activities. */
export function pageAbilities(actor: Actor | null, page?: { workflow: string; pendingVersion?: number | null }) {
  const state = page?.workflow;
  const pending = state === 'published' && (page?.pendingVersion ?? null) !== null;
  const mayPublish = has(actor, 'page.publish');
  return {
    list: has(actor, 'admin.access') && has(actor, 'page.view_unpublished'),
    create: has(actor, 'page.create'),
    edit: has(actor, 'page.edit'),
    /** Saves of a published page go live at once; for everyone else they wait for review. */
    publishDirectly: mayPublish,
    submit: has(actor, 'page.submit') && (state === 'draft' || state === 'unpublished'),
    publish: mayPublish && state !== undefined && state !== 'published',
    publishChanges: mayPublish && pending,
    discardChanges: mayPublish && pending,
    unpublish: mayPublish && state === 'published',
    returnToDraft: (mayPublish || has(actor, 'page.submit')) && state === 'in_review',
  };
}
