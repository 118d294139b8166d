import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sessionForm } from './meetings.schemas.js';
import { utcOf, wallTimeExists } from './meetings.time.js';

test('a time the clocks skip in spring does not exist; one they repeat in autumn does, read as its first occurrence', () => {
  // Madrid moves from 02:00 to 03:00 on the last Sunday of March 2027, and back on 31 October.
  assert.equal(wallTimeExists('2027-03-28', '02:30', 'Europe/Madrid'), false);
  assert.equal(wallTimeExists('2027-03-28', '03:30', 'Europe/Madrid'), true);
  assert.equal(wallTimeExists('2027-03-28', '01:59', 'Europe/Madrid'), true);
  assert.equal(wallTimeExists('2027-10-31', '02:30', 'Europe/Madrid'), true);
  assert.equal(utcOf('2027-10-31', '02:30', 'Europe/Madrid').toISOString(), '2027-10-31T00:30:00.000Z');
  // Dakar keeps UTC all year.
  assert.equal(wallTimeExists('2027-03-28', '02:30', 'Africa/Dakar'), true);
});

test('the session form refuses a start or end the venue’s clocks skip', () => {
  const body = { day: '2027-03-28', starts: '02:15', ends: '04:00', kind: 'plenary', track: '0', t_en_title: 'Night plenary' };
  const form = sessionForm(body, ['en'], { first: '2027-03-27', last: '2027-03-28' }, new Set(), 'Europe/Madrid');
  const result = form.schema.safeParse(form.values);
  assert.equal(result.success, false);
  assert.ok(result.error!.issues.some((i) => i.path[0] === 'starts' && i.message === 'agenda.error.timeSkipped'));
  const elsewhere = sessionForm(body, ['en'], { first: '2027-03-27', last: '2027-03-28' }, new Set(), 'Africa/Dakar');
  assert.equal(elsewhere.schema.safeParse(elsewhere.values).success, true);
});
