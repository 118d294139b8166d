/**
 * The database may drop: PostgreSQL restarting, failing over or an administrator closing
 * connections ends every connection the server holds, idle ones included. The server must not
 * crash (an unhandled 'error' event on an idle connection would end the process) and must serve
 * again as soon as the database answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestApp, type TestApp } from './helpers/app.js';
import { dialectsUnderTest } from './helpers/databases.js';

const dialects = (await dialectsUnderTest()).filter((d) => d === 'postgres');

for (const dialect of dialects) {
  describe(`lost database connections (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => t?.close());

    test('every connection of the server is closed by the database: no crash, and the next pages are served', async () => {
      // Fill the pool with several idle connections (uncached pages, in parallel).
      const first = await Promise.all(['/en/activities?year=2015', '/en/activities?year=2016', '/fr/activities?type=thematic_meeting', '/en/about'].map((url) => t.app.inject(url)));
      assert.deepEqual(first.map((r) => r.statusCode), [200, 200, 200, 200]);
      const admin = new pg.Client({ connectionString: t.config.databaseUrl });
      await admin.connect();
      const killed = await admin.query<{ n: string }>('select count(pg_terminate_backend(pid))::text as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      await admin.end();
      assert.ok(Number(killed.rows[0]!.n) >= 1, 'connections were closed');
      // Give the idle connections' error events time to arrive: an unhandled one would end this process.
      await new Promise((r) => setTimeout(r, 300));
      const again = await t.app.inject('/en/activities?year=2017');
      assert.equal(again.statusCode, 200);
      assert.equal((await t.app.inject('/healthz')).statusCode, 200);
    });
  });
}
