import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastPossibleDay } from './registration.jobs.js';

test('a meeting known only to the month or the year is kept until the last day it may mean', () => {
  assert.equal(lastPossibleDay('2025-06-17', 'day'), '2025-06-17');
  assert.equal(lastPossibleDay('2025-02', 'month'), '2025-02-28');
  assert.equal(lastPossibleDay('2024-02', 'month'), '2024-02-29');
  assert.equal(lastPossibleDay('2025-12', 'month'), '2025-12-31');
  assert.equal(lastPossibleDay('2025', 'year'), '2025-12-31');
});
