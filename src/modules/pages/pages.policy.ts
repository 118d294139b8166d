import { has, type Actor } from '../../platform/policy.js';

/** What an actor may do with static pages; the same workflow as activities. */
export function pageAbilities(actor: Actor | null, page?: { workflow: string }) {
  const state = page?.workflow;
  return {
    list: has(actor, 'admin.access') && has(actor, 'page.view_unpublished'),
    create: has(actor, 'page.create'),
    edit: has(actor, 'page.edit'),
    submit: has(actor, 'page.submit') && (state === 'draft' || state === 'unpublished'),
    publish: has(actor, 'page.publish') && state !== undefined && state !== 'published',
    unpublish: has(actor, 'page.publish') && state === 'published',
    returnToDraft: (has(actor, 'page.publish') || has(actor, 'page.submit')) && state === 'in_review',
  };
}
