import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.js';
import { dialectsUnderTest } from './helpers/databases.js';
import { changeActivityWorkflow, createActivityDraft } from '../src/modules/activities/index.js';
import { createUser } from '../src/modules/auth/index.js';

/** The "N activities found" line of a list page. */
const found = (html: string) => Number(html.match(/data-testid="result-count"[^>]*>(\d+)/)?.[1] ?? -1);
/** The count shown beside a choice of a filter, e.g. "Roundtable (3)". */
const facet = (html: string, label: string) => Number(html.match(new RegExp(`>${label} \\((\\d+)\\)<`))?.[1] ?? 0);

for (const dialect of await dialectsUnderTest()) {
  describe(`page cache (${dialect})`, () => {
    let t: TestApp;
    let adminId = 0;
    before(async () => {
      t = await createTestApp(dialect);
      adminId = await createUser(t.db, { email: 'admin@example.org', password: 'correct horse battery staple', role: 'admin' });
    });
    after(async () => t.close());

    test('a request with an empty duplicate filter cannot store the unfiltered list under the filtered key', async () => {
      const all = await t.app.inject('/en/activities');
      const tricky = await t.app.inject('/en/activities?year=&year=2015');
      assert.equal(tricky.statusCode, 200);
      const filtered = await t.app.inject('/en/activities?year=2015');
      assert.equal(filtered.statusCode, 200);
      assert.ok(found(filtered.body) > 0 && found(filtered.body) < found(all.body), 'the filtered list, not the unfiltered one');
      assert.equal(found(tricky.body), found(filtered.body), 'the repeated parameter means its non-empty value');
      const again = await t.app.inject('/en/activities?year=2015');
      assert.equal(again.body, filtered.body, 'served from the cache under its own key');
    });

    test('a scheduled activity appears in the list, the home page and the facet counts at its time, without any other write', async () => {
      const year = new Date().getUTCFullYear() + 1;
      const id = await createActivityDraft(
        t.db,
        { type: 'roundtable', status: 'announced', start_date: `${year}-03-10`, date_precision: 'day', format: 'virtual', published: false, t: { en: { title: 'Roundtable at the stroke of the hour', slug: 'roundtable-stroke-hour', summary: 'A scheduled test.' } } },
        adminId,
      );
      const at = new Date(Date.now() + 1500);
      await changeActivityWorkflow(t.db, id, 'publish', adminId, at);
      const listUrl = `/en/activities?year=${year}`;
      const beforeList = await t.app.inject(listUrl);
      const beforeHome = await t.app.inject('/en/');
      const beforeAll = await t.app.inject('/en/activities');
      assert.doesNotMatch(beforeList.body, /stroke of the hour/);
      assert.doesNotMatch(beforeHome.body, /stroke of the hour/);
      assert.equal((await t.app.inject(listUrl)).body, beforeList.body, 'cached meanwhile');
      await sleep(Math.max(0, at.getTime() - Date.now()) + 100);
      const list = await t.app.inject(listUrl);
      assert.match(list.body, /stroke of the hour/);
      const home = await t.app.inject('/en/');
      assert.match(home.body, /stroke of the hour/);
      const allNow = await t.app.inject('/en/activities');
      assert.equal(found(allNow.body), found(beforeAll.body) + 1);
      assert.equal(facet(allNow.body, 'Roundtable'), facet(beforeAll.body, 'Roundtable') + 1);
      assert.equal((await t.app.inject('/en/activities/roundtable-stroke-hour')).statusCode, 200);
    });

    test('only opted-in anonymous pages are shared: errors, back-office pages and requests with a session are not', async () => {
      const missing = await t.app.inject('/en/activities/no-such-activity');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.headers['cache-control'], 'private, no-store');
      const bad = await t.app.inject('/en/activities?type=nonsense');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers['cache-control'], 'private, no-store');
      const withSession = await t.app.inject({ url: '/en/activities?format=virtual', headers: { cookie: 'diwan_session=abc' } });
      assert.equal(withSession.headers['cache-control'], 'private, no-store');
      const anon = await t.app.inject('/en/activities?format=virtual');
      assert.equal(anon.headers['cache-control'], 'public, max-age=0, must-revalidate');
    });
  });
}
