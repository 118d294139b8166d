import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';

const PASSWORD = 'correct horse battery staple';

for (const dialect of await dialectsUnderTest()) {
  describe(`static pages (${dialect})`, () => {
    let t: TestApp;
    let editor: TestClient;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'MA' });
      editor = new TestClient(t.app);
      admin = new TestClient(t.app);
      await editor.login('editor@example.org', PASSWORD);
      await admin.login('admin@example.org', PASSWORD);
    });
    after(async () => t.close());

    test('demo pages are in the public navigation in both languages, with their own slugs', async () => {
      const home = await t.app.inject('/en/');
      assert.match(home.body, /<a href="\/en\/about"[^>]*>About the Rabat Process<\/a>/);
      assert.match(home.body, /<a href="\/en\/governance"/);
      const fr = await t.app.inject('/fr/a-propos');
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /<h1>À propos du Processus de Rabat<\/h1>/);
      assert.match(fr.body, /hreflang="en" href="http:\/\/diwan.test\/en\/about"/);
      assert.match(fr.body, /aria-current="page">À propos/);
      assert.equal((await t.app.inject('/en/a-propos')).statusCode, 404);
      assert.equal((await t.app.inject('/en/about?x=1')).statusCode, 301);
      const notFound = await t.app.inject('/en/nothing-here');
      assert.equal(notFound.statusCode, 404);
      assert.match(notFound.body, /href="\/en\/partners"/, 'the 404 page keeps the navigation');
    });

    test('an editor drafts a page, an admin publishes it; it joins the navigation at once', async () => {
      const bad = await editor.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: 'first', t_en_title: 'Activities', t_en_slug: 'activities', t_en_body_html: '' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#nav_position"/);
      assert.match(bad.body, /used by the site itself/);
      assert.match(bad.body, /value="Activities"/);
      const res = await editor.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: '4', t_en_title: 'Contact', t_en_body_html: '<p>Write to the secretariat.</p><img src=x onerror=alert(1)>', t_fr_title: 'Contact', t_fr_slug: 'contact', t_fr_body_html: '<p>Écrivez au secrétariat.</p>' });
      assert.equal(res.statusCode, 303);
      const id = Number(String(res.headers.location).match(/(\d+)/)?.[1]);
      assert.equal((await t.app.inject('/en/contact')).statusCode, 404, 'a draft is not public');
      const page = await editor.get(`/admin/pages/${id}`);
      assert.doesNotMatch(page.body, /workflow-publish/);
      assert.equal((await editor.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'publish' })).statusCode, 403);
      assert.equal((await editor.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'submit' })).statusCode, 303);
      const ap = await admin.get(`/admin/pages/${id}`);
      assert.equal((await admin.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(ap.body), action: 'publish' })).statusCode, 303);
      const pub = await t.app.inject('/en/contact');
      assert.equal(pub.statusCode, 200);
      assert.doesNotMatch(pub.body, /onerror/);
      assert.match((await t.app.inject('/en/activities')).body, /<a href="\/en\/contact"/);
      const edit = await editor.get(`/admin/pages/${id}`);
      const version = edit.body.match(/name="version" value="(\d+)"/)?.[1] ?? '';
      const saved = await editor.post(`/admin/pages/${id}`, { _csrf: csrfToken(edit.body), version, nav_position: '4', t_en_title: 'Contact us', t_en_slug: 'contact-us', t_en_body_html: '<p>Write to us.</p>', t_fr_title: 'Contact', t_fr_slug: 'contact', t_fr_body_html: '<p>Écrivez-nous.</p>' });
      assert.equal(saved.statusCode, 303);
      assert.match(String(saved.headers.location), /done=pending/);
      const waiting = await t.app.inject('/en/contact');
      assert.equal(waiting.statusCode, 200, 'the editor’s change waits for review');
      assert.doesNotMatch(waiting.body, /Contact us/);
      const review = await admin.get(`/admin/pages/${id}`);
      assert.match(review.body, /data-testid="pending-changes"/);
      assert.equal((await admin.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(review.body), action: 'publish_changes' })).statusCode, 303);
      const old = await t.app.inject('/en/contact');
      assert.equal(old.statusCode, 301);
      assert.equal(old.headers.location, '/en/contact-us');
      const stale = await editor.post(`/admin/pages/${id}`, { _csrf: csrfToken(edit.body), version, nav_position: '4', t_en_title: 'Stale', t_en_slug: 'stale' });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /data-testid="resolve-form"/);
      assert.match(stale.body, /Stale/);
      const un = await admin.get(`/admin/pages/${id}`);
      await admin.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(un.body), action: 'unpublish' });
      assert.equal((await t.app.inject('/en/contact-us')).statusCode, 404);
    });

    test('page revisions: versions compared word by word; an editor’s restore of a published page waits for review', async () => {
      const { id } = await t.db.selectFrom('page_translations').select('page_id as id').where('lang', '=', 'en').where('slug', '=', 'partners').executeTakeFirstOrThrow();
      const form = await admin.get(`/admin/pages/${id}`);
      assert.match(form.body, /data-testid="revisions-link"/);
      const version = form.body.match(/name="version" value="(\d+)"/)?.[1] ?? '';
      const saved = await admin.post(`/admin/pages/${id}`, { _csrf: csrfToken(form.body), version, nav_position: '3', t_en_title: 'Partners and observers', t_en_slug: 'partners', t_en_body_html: '<p>The partners of the dialogue, old and new.</p>', t_fr_title: 'Partenaires', t_fr_slug: 'partenaires', t_fr_body_html: '<p>Les partenaires.</p>' });
      assert.equal(saved.statusCode, 303);
      assert.match((await t.app.inject('/en/partners')).body, /Partners and observers/, 'an admin’s save goes live');
      const revisions = await editor.get(`/admin/pages/${id}/revisions`);
      assert.equal(revisions.statusCode, 200);
      assert.match(revisions.body, /<ins>[^<]*observers/, 'the new words are marked as added');
      assert.match(revisions.body, /data-testid="restore-1"/);
      const restored = await editor.post(`/admin/pages/${id}/revisions/1/restore`, { _csrf: csrfToken(revisions.body), version: String(Number(version) + 1) });
      assert.equal(restored.statusCode, 303);
      assert.match(String(restored.headers.location), /restored=1&done=pending/);
      assert.match((await t.app.inject('/en/partners')).body, /Partners and observers/, 'the public page keeps the published version until review');
      const notice = await editor.get(String(restored.headers.location));
      assert.match(notice.body, /Version 1 restored/);
      assert.match(notice.body, /data-testid="pending-changes"/);
      const fr = new TestClient(t.app);
      await fr.login('admin@example.org', PASSWORD);
      const frPage = await fr.get(`/admin/pages/${id}/revisions?lang=fr`);
      assert.match(frPage.body, /Versions de la page/);
      assert.equal((await editor.get(`/admin/pages/999999/revisions`)).statusCode, 404);
    });

    test('an admin schedules a page: it appears in the navigation at its time, not before', async () => {
      const create = await admin.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: '9', t_en_title: 'Annual report', t_en_body_html: '<p>Soon.</p>' });
      const id = Number(String(create.headers.location).match(/\/admin\/pages\/(\d+)/)?.[1]);
      const page = await admin.get(`/admin/pages/${id}`);
      assert.match(page.body, /data-testid="workflow-schedule"/);
      const past = await admin.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'schedule', publish_at: '2001-01-01T10:00' });
      assert.equal(past.statusCode, 400);
      assert.match(past.body, /role="alert"[^>]*>[^<]*future/i);
      const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 16);
      const scheduled = await admin.post(`/admin/pages/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'schedule', publish_at: later });
      assert.equal(scheduled.statusCode, 303);
      assert.equal((await t.app.inject('/en/annual-report')).statusCode, 404, 'not before its time');
      assert.doesNotMatch((await t.app.inject('/en/')).body, /Annual report/);
      await t.db.updateTable('pages').set({ published_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
      assert.equal((await t.app.inject('/en/annual-report')).statusCode, 200, 'visible once its time has come');
    });

    test('a focal point cannot reach page editing', async () => {
      const fp = new TestClient(t.app);
      await fp.login('fp@example.org', PASSWORD);
      for (const url of ['/admin/pages', '/admin/pages/new', '/admin/pages/1']) assert.equal((await fp.get(url)).statusCode, 403, url);
      const token = csrfToken((await fp.get('/admin/')).body);
      assert.equal((await fp.post('/admin/pages', { _csrf: token, t_en_title: 'X' })).statusCode, 403);
      assert.equal((await fp.post('/admin/pages/1/workflow', { _csrf: token, action: 'unpublish' })).statusCode, 403);
      assert.equal((await t.app.inject('/en/about')).statusCode, 200);
    });
  });
}
