import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken, inputValue } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { url } from '../../platform/http/urls.js';
import { createUser } from '../auth/index.js';

const PASSWORD = 'correct horse battery staple';
// Arabic is not an interface language yet, so the Arabic name goes in as the English title: what
// matters here is the address made from it, which works the same in every language.
const TITLE = 'اجتماع موضوعي حول اللجوء والحماية الدولية';
const SLUG = 'اجتماع-موضوعي-حول-اللجوء-والحماية-الدولية';

function form(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    version: '0',
    doc_count: '0',
    type: 'thematic_meeting',
    status: 'held',
    date_precision: 'day',
    start_date: '2015-06-15',
    end_date: '2015-06-16',
    format: 'in_person',
    country: 'MA',
    t_en_title: TITLE,
    t_en_slug: '',
    t_en_summary: 'Experts discuss asylum and international protection.',
    t_en_city: 'Rabat',
    ...overrides,
  };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`slugs in other scripts (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let id = 0;
    before(async () => {
      t = await createTestApp(dialect, { demo: false });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin', displayName: 'Ada' });
      admin = new TestClient(t.app);
      assert.equal((await admin.login('admin@example.org', PASSWORD)).statusCode, 303);
    });
    after(async () => t.close());

    test('an Arabic title made in the back-office gets an Arabic slug', async () => {
      const res = await admin.submit('/admin/activities/new', '/admin/activities', form());
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      id = Number(String(res.headers.location).match(/\/admin\/activities\/(\d+)/)?.[1]);
      const page = await admin.get(`/admin/activities/${id}`);
      assert.equal(inputValue(page.body, 't_en_slug'), SLUG);
      const row = await t.db.selectFrom('activity_translations').select('slug').where('activity_id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.slug, SLUG);
      const pub = await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'publish' });
      assert.equal(pub.statusCode, 303);
    });

    test('it is read at its percent-encoded public address, linked from the list', async () => {
      const address = url('activities.show', 'en', { slug: SLUG });
      assert.equal(address, `/en/activities/${encodeURIComponent(SLUG)}`);
      const res = await t.app.inject(address);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, new RegExp(`<h1[^>]*>${TITLE}</h1>`));
      assert.match(res.body, new RegExp(`<link rel="canonical" href="http://diwan.test${address}"`));
      // A second read comes from the page cache under the same key.
      const again = await t.app.inject(address);
      assert.equal(again.statusCode, 200);
      assert.equal(again.headers.etag, res.headers.etag);
      // Lower-case percent-escapes decode to the same slug.
      assert.equal((await t.app.inject(address.toLowerCase())).statusCode, 200);
      const list = await t.app.inject('/en/activities');
      assert.ok(list.body.includes(`href="${address}"`), 'the card links to the encoded address');
      // The French page has no translation: it shows the English text under the same slug.
      const fr = await t.app.inject(url('activities.show', 'fr', { slug: SLUG }));
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /lang="en"/);
    });

    test('a changed Arabic slug sends the old address to the new one', async () => {
      const page = await admin.get(`/admin/activities/${id}`);
      const version = page.body.match(/name="version" value="(\d+)"/)?.[1] ?? '';
      const next = 'اجتماع-الرباط-2015';
      const res = await admin.post(`/admin/activities/${id}`, { _csrf: csrfToken(page.body), ...form({ version, t_en_slug: next }) });
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      const old = await t.app.inject(url('activities.show', 'en', { slug: SLUG }));
      assert.equal(old.statusCode, 301);
      assert.equal(old.headers.location, url('activities.show', 'en', { slug: next }));
      assert.equal((await t.app.inject(String(old.headers.location))).statusCode, 200);
    });

    test('a typed slug that is not in its written form is refused', async () => {
      for (const bad of ['اللُّجُوء', 'Réunion', 'two  words']) {
        const res = await admin.submit('/admin/activities/new', '/admin/activities', form({ t_en_slug: bad }));
        assert.equal(res.statusCode, 400, bad);
        assert.match(res.body, /href="#t_en_slug"/, bad);
      }
    });
  });
}
