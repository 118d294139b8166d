import { has, type Actor } from '../policy.js';

/** What a person may do with records of one kind, and with one record given its state. */
export interface EditorialAbilities {
  list: boolean;
  create: boolean;
  edit: boolean;
  /** Saves of a published record go live at once; for everyone else they wait for review. */
  publishDirectly: boolean;
  submit: boolean;
  publish: boolean;
  /** Publish the changes waiting for review on a published record. */
  publishChanges: boolean;
  /** Set aside the changes waiting for review. */
  discardChanges: boolean;
  unpublish: boolean;
  returnToDraft: boolean;
  revisions: boolean;
  restore: boolean;
}

/**
 * The workflow's abilities for a kind whose permissions are `<prefix>.view_unpublished`, `.create`,
 * `.edit`, `.submit`, `.publish` and `.restore` (roles.json). Each resource's policy calls this
 * with its prefix and adds what is its own.
 */
export function editorialAbilities(actor: Actor | null, prefix: string, record?: { workflow: string; pendingVersion?: number | null }): EditorialAbilities {
  const state = record?.workflow;
  const pending = state === 'published' && (record?.pendingVersion ?? null) !== null;
  const mayPublish = has(actor, `${prefix}.publish`);
  return {
    list: has(actor, 'admin.access') && has(actor, `${prefix}.view_unpublished`),
    create: has(actor, `${prefix}.create`),
    edit: has(actor, `${prefix}.edit`),
    publishDirectly: mayPublish,
    submit: has(actor, `${prefix}.submit`) && (state === 'draft' || state === 'unpublished'),
    publish: mayPublish && state !== undefined && state !== 'published',
    publishChanges: mayPublish && pending,
    discardChanges: mayPublish && pending,
    unpublish: mayPublish && state === 'published',
    returnToDraft: (mayPublish || has(actor, `${prefix}.submit`)) && state === 'in_review',
    revisions: has(actor, `${prefix}.edit`),
    restore: has(actor, `${prefix}.restore`),
  };
}
