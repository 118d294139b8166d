import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flattenFields, threeWayMerge, unflattenFields } from './merge.js';

const base = { type: 'thematic_meeting', themes: ['a'], t: { en: { title: 'Meeting', summary: 'One' }, fr: { title: 'Réunion', summary: 'Un' } } };

test('fields changed on one side only are merged from that side', () => {
  const theirs = { ...base, themes: ['a', 'b'], t: { ...base.t, en: { title: 'Meeting', summary: 'One, revised' } } };
  const mine = { ...base, type: 'roundtable', t: { ...base.t, fr: { title: 'Réunion technique', summary: 'Un' } } };
  const m = threeWayMerge<typeof base>(base, theirs, mine);
  assert.deepEqual(m.conflicts, []);
  assert.equal(m.merged.type, 'roundtable', 'mine only');
  assert.deepEqual(m.merged.themes, ['a', 'b'], 'theirs only');
  assert.equal(m.merged.t.en.summary, 'One, revised');
  assert.equal(m.merged.t.fr.title, 'Réunion technique');
  assert.deepEqual(m.fromTheirs.sort(), ['t.en.summary', 'themes']);
});

test('a field both changed differently is a conflict until a choice settles it; the same change is not', () => {
  const theirs = { ...base, type: 'training', t: { ...base.t, en: { title: 'Same', summary: 'One' } } };
  const mine = { ...base, type: 'roundtable', t: { ...base.t, en: { title: 'Same', summary: 'One' } } };
  const m = threeWayMerge<typeof base>(base, theirs, mine);
  assert.deepEqual(m.conflicts.map((c) => [c.key, c.base, c.theirs, c.mine]), [['type', 'thematic_meeting', 'training', 'roundtable']]);
  assert.equal(threeWayMerge<typeof base>(base, theirs, mine, { choices: { type: 'theirs' } }).merged.type, 'training');
  assert.equal(threeWayMerge<typeof base>(base, theirs, mine, { choices: { type: 'mine' } }).merged.type, 'roundtable');
});

test('without a base every difference is a conflict; ignored fields keep mine', () => {
  const m = threeWayMerge<Record<string, unknown>>(null, { a: 1, published: true, t: {} }, { a: 2, published: false, t: {} }, { ignore: ['published'] });
  assert.deepEqual(m.conflicts.map((c) => c.key), ['a']);
  assert.equal(m.merged.published, false);
});

test('a language added on one side survives; fields round-trip', () => {
  const theirs = { ...base };
  const mine = { ...base, t: { ...base.t, ar: { title: 'اجتماع', summary: '' } } };
  const m = threeWayMerge<typeof mine>(base, theirs, mine);
  assert.equal(m.merged.t.ar?.title, 'اجتماع');
  assert.deepEqual(unflattenFields(flattenFields(mine)), mine);
});
