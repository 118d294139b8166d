import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conflict, forbidden, kindOfStatus, notFound, statusOf, tooLarge } from './errors.js';

test('the factories carry their status and page', () => {
  assert.deepEqual([notFound(), forbidden(), conflict(), tooLarge()].map((e) => [e.statusCode, e.kind]), [
    [404, 'notFound'],
    [403, 'forbidden'],
    [409, 'conflict'],
    [413, 'tooLarge'],
  ]);
});

test('database constraints are conflicts, lost connections are "unavailable", the rest is a 500', () => {
  assert.equal(statusOf(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })), 409);
  assert.equal(statusOf(Object.assign(new Error('x'), { code: '23505' })), 409);
  assert.equal(statusOf(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })), 503);
  assert.equal(statusOf(new Error('Unexpected end of form')), 400);
  assert.equal(statusOf(Object.assign(new Error('x'), { statusCode: 415 })), 415);
  assert.equal(statusOf(new TypeError('a bug')), 500);
  assert.equal(kindOfStatus(415), 'unsupported');
  assert.equal(kindOfStatus(502), 'server');
});
