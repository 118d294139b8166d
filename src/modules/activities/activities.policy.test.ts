import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Actor } from '../../platform/policy.js';
import { adminAbilities } from '../admin/index.js';
import { activityAbilities } from './activities.policy.js';

const roles = JSON.parse(readFileSync(new URL('../auth/data/roles.json', import.meta.url), 'utf8')) as { code: string; permissions: string[] }[];
function actor(role: string): Actor {
  const r = roles.find((x) => x.code === role);
  assert.ok(r, role);
  return { id: 1, email: `${role}@example.org`, displayName: role, role, permissions: new Set(r.permissions), countryCode: null, organisationId: null, lang: 'en' };
}

test('activity abilities for each role and workflow state', () => {
  const expectations: [string, string, Record<string, boolean>][] = [
    ['admin', 'draft', { list: true, create: true, edit: true, submit: true, publish: true, unpublish: false, returnToDraft: false, restore: true, preview: true }],
    ['admin', 'in_review', { submit: false, publish: true, returnToDraft: true, unpublish: false }],
    ['admin', 'published', { submit: false, publish: false, unpublish: true, returnToDraft: false }],
    ['admin', 'unpublished', { submit: true, publish: true, unpublish: false }],
    ['editor', 'draft', { list: true, create: true, edit: true, submit: true, publish: false, unpublish: false, restore: true, preview: true }],
    ['editor', 'in_review', { submit: false, publish: false, returnToDraft: true }],
    ['editor', 'published', { publish: false, unpublish: false, edit: true }],
    ['organiser', 'draft', { list: true, preview: true, create: false, edit: false, submit: false, publish: false, restore: false }],
    ['focal_point', 'draft', { list: false, preview: false, create: false, edit: false, submit: false, publish: false, unpublish: false, revisions: false, restore: false }],
    ['participant', 'published', { list: false, preview: false, create: false, edit: false, unpublish: false }],
  ];
  for (const [role, workflow, expected] of expectations) {
    const can = activityAbilities(actor(role), { workflow: workflow as 'draft' });
    for (const [ability, value] of Object.entries(expected)) assert.equal(can[ability as keyof typeof can], value, `${role} ${workflow} ${ability}`);
  }
});

test('nobody signed out can do anything', () => {
  const can = activityAbilities(null, { workflow: 'draft' });
  assert.ok(Object.values(can).every((v) => v === false));
  assert.ok(Object.values(adminAbilities(null)).every((v) => v === false));
});

test('back-office reach for each role', () => {
  assert.deepEqual(adminAbilities(actor('admin')), { access: true, activities: true, pages: true, reference: true, audit: true, outbox: true, users: true, imports: true });
  assert.deepEqual(adminAbilities(actor('editor')), { access: true, activities: true, pages: true, reference: true, audit: false, outbox: false, users: false, imports: false });
  assert.deepEqual(adminAbilities(actor('organiser')), { access: true, activities: true, pages: true, reference: false, audit: false, outbox: false, users: false, imports: false });
  assert.deepEqual(adminAbilities(actor('focal_point')), { access: true, activities: false, pages: false, reference: false, audit: false, outbox: false, users: false, imports: false });
  assert.deepEqual(adminAbilities(actor('participant')), { access: false, activities: false, pages: false, reference: false, audit: false, outbox: false, users: false, imports: false });
});
