/**
 * Bad input that used to reach the database as it came: a NUL byte, which PostgreSQL refuses in
 * text. It must never give a 500, on either database, in a form, a query string or a slug.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient } from './helpers/client.js';
import { dialectsUnderTest } from './helpers/databases.js';

for (const dialect of await dialectsUnderTest()) {
  describe(`NUL bytes in requests (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    test('a sign-in with a NUL byte in the address is an ordinary failed sign-in', async () => {
      const c = new TestClient(t.app);
      const r = await c.submit('/admin/login', '/admin/login', { email: 'nobody\u0000@example.org', password: 'not the password at all' });
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `status ${r.statusCode}`);
      assert.match(r.body, /nobody@example\.org/, 'what was typed is kept (without the NUL)');
    });

    test('public addresses and filters with a NUL byte answer 4xx or 200, never 500', async () => {
      for (const path of ['/en/activities?year=%00', '/en/activities?type=%00&year=2015', '/en/activities/a%00b', '/en/a%00b', '/fr/activities?back=%00']) {
        const r = await t.app.inject({ method: 'GET', url: path });
        assert.ok(r.statusCode < 500, `${path}: status ${r.statusCode}`);
      }
    });
  });
}
