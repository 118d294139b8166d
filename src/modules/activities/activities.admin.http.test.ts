import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken, inputValue } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';

const PASSWORD = 'correct horse battery staple';

function form(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    version: '0',
    doc_count: '2',
    type: 'technical_workshop',
    status: 'planned',
    date_precision: 'day',
    start_date: '2027-04-20',
    end_date: '2027-04-21',
    format: 'hybrid',
    country: 'SN',
    host: 'c:SN',
    co_chair_0: 'c:SN',
    co_chair_1: 'c:FR',
    themes: ['cadiz-2022.d2'],
    participants: '80',
    participants_qualifier: 'around',
    t_en_title: 'Workshop on labour mobility',
    t_en_slug: '',
    t_en_summary: 'Experts compare schemes for labour mobility.',
    t_en_narrative_html: '<p>Day one.</p><script>alert(1)</script>',
    t_en_city: 'Dakar',
    t_fr_title: 'Atelier sur la mobilité de la main-d’œuvre',
    t_fr_summary: 'Des experts comparent des dispositifs de mobilité.',
    t_fr_city: 'Dakar',
    doc_0_type: 'agenda',
    doc_0_url: 'https://example.org/agenda.pdf',
    doc_0_lang: 'en',
    doc_0_title_en: 'Agenda',
    doc_0_title_fr: 'Ordre du jour',
    ...overrides,
  };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`back-office activities (${dialect})`, () => {
    let t: TestApp;
    let editor: TestClient;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor', displayName: 'Eda' });
      await createUser(t.db, { email: 'editor2@example.org', password: PASSWORD, role: 'editor', displayName: 'Bo' });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin', displayName: 'Ada' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'SN' });
      await createUser(t.db, { email: 'p@example.org', password: PASSWORD, role: 'participant' });
      editor = new TestClient(t.app);
      admin = new TestClient(t.app);
      assert.equal((await editor.login('editor@example.org', PASSWORD)).statusCode, 303);
      assert.equal((await admin.login('admin@example.org', PASSWORD)).statusCode, 303);
    });
    after(async () => t.close());
    const count = async () => Number((await t.db.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    let id = 0;
    test('an editor creates an activity in English and French: a sanitised draft, not public yet', async () => {
      const res = await editor.submit('/admin/activities/new', '/admin/activities', form());
      assert.equal(res.statusCode, 303);
      id = Number(String(res.headers.location).match(/\/admin\/activities\/(\d+)\?done=created/)?.[1]);
      assert.ok(id > 0);
      const page = await editor.get(`/admin/activities/${id}?done=created`);
      assert.match(page.body, /created as a draft/);
      assert.match(page.body, /data-testid="workflow-state"[^>]*>State: Draft/);
      assert.equal(inputValue(page.body, 't_en_slug'), 'workshop-on-labour-mobility');
      assert.equal(inputValue(page.body, 't_fr_slug'), 'atelier-sur-la-mobilite-de-la-main-d-oeuvre');
      assert.doesNotMatch(page.body, /<script>alert/);
      const row = await t.db.selectFrom('activity_translations').select('narrative_html').where('activity_id', '=', id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(row.narrative_html, '<p>Day one.</p>');
      assert.equal((await t.app.inject('/en/activities/workshop-on-labour-mobility')).statusCode, 404);
      const preview = await editor.get(`/admin/activities/${id}/preview?lang=fr`);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Atelier sur la mobilité/);
      assert.equal(preview.headers['cache-control'], 'private, no-store');
      assert.doesNotMatch(preview.body, /workflow-publish/);
      const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'activity').where('entity_id', '=', String(id)).execute();
      assert.deepEqual(audit.map((a) => a.action), ['activity.create']);
    });

    test('an editor sends it to review but cannot publish; an admin publishes and it shows at once', async () => {
      const edit = await editor.get(`/admin/activities/${id}`);
      assert.doesNotMatch(edit.body, /workflow-publish/);
      const sub = await editor.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(edit.body), action: 'submit' });
      assert.equal(sub.statusCode, 303);
      const denied = await editor.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(edit.body), action: 'publish' });
      assert.equal(denied.statusCode, 403);
      const before = await t.app.inject('/en/activities?type=technical_workshop');
      assert.doesNotMatch(before.body, /Workshop on labour mobility/);
      const dash = await admin.get('/admin/');
      assert.match(dash.body, /data-testid="review-queue"[\s\S]*Workshop on labour mobility/);
      const page = await admin.get(`/admin/activities/${id}`);
      assert.match(page.body, /data-testid="save-publish"/, 'publishing from the form saves its edits first');
      const pub = await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'publish' });
      assert.equal(pub.statusCode, 303);
      const list = await t.app.inject('/en/activities?type=technical_workshop');
      assert.match(list.body, /Workshop on labour mobility/);
      const fr = await t.app.inject('/fr/activities/atelier-sur-la-mobilite-de-la-main-d-oeuvre');
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /Environ 80 participants/);
    });

    test('bad input re-renders with an error summary linking to each field, keeps what was typed, writes nothing', async () => {
      const n = await count();
      const res = await editor.submit('/admin/activities/new', '/admin/activities', form({ start_date: '2027-13-45', end_date: '2027-01-01', participants: 'many', gallery_url: 'javascript:alert(1)', t_en_slug: 'Bad Slug!', doc_1_type: '', doc_1_title_en: 'Orphan' , doc_count: '2' }));
      assert.equal(res.statusCode, 400);
      for (const field of ['start_date', 'participants', 'gallery_url', 't_en_slug', 'doc_1_type']) assert.match(res.body, new RegExp(`href="#${field}"`), field);
      assert.equal(inputValue(res.body, 't_en_title'), 'Workshop on labour mobility');
      assert.equal(inputValue(res.body, 'start_date'), '2027-13-45');
      assert.match(res.body, /<textarea id="t_fr_summary"[^>]*>Des experts comparent/);
      assert.equal(await count(), n);
      const fr = new TestClient(t.app);
      await createUser(t.db, { email: 'fr-editor@example.org', password: PASSWORD, role: 'editor', lang: 'fr' });
      await fr.login('fr-editor@example.org', PASSWORD);
      const frRes = await fr.submit('/admin/activities/new', '/admin/activities', form({ start_date: 'hier', t_en_slug: '' }));
      assert.match(frRes.body, /Il y a un problème/);
      assert.match(frRes.body, /Saisissez « Date de début » au format AAAA-MM-JJ|au format YYYY-MM-DD/);
      const dup = await editor.submit('/admin/activities/new', '/admin/activities', form({ t_en_slug: 'workshop-on-labour-mobility' }));
      assert.equal(dup.statusCode, 400);
      assert.match(dup.body, /already uses this address/);
      assert.equal(await count(), n);
    });

    const versionOf = (html: string) => html.match(/name="version" value="(\d+)"/)?.[1] ?? '';
    const slugs = { t_en_slug: 'workshop-on-labour-mobility', t_fr_slug: 'atelier-sur-la-mobilite-de-la-main-d-oeuvre' };
    const liveEn = () => t.db.selectFrom('activity_translations').select(['title', 'summary']).where('activity_id', '=', id).where('lang', '=', 'en').executeTakeFirstOrThrow();

    test('an editor’s save of a published activity waits for review: page, list and counts stay as published until an admin publishes', async () => {
      const listBefore = (await t.app.inject('/en/activities?type=technical_workshop')).body;
      const edit = await editor.get(`/admin/activities/${id}`);
      const saved = await editor.post(`/admin/activities/${id}`, { _csrf: csrfToken(edit.body), ...form({ version: versionOf(edit.body), ...slugs, t_en_title: 'Workshop on labour mobility pathways', type: 'training' }) });
      assert.equal(saved.statusCode, 303);
      assert.match(String(saved.headers.location), /done=pending/);
      const page = await editor.get(String(saved.headers.location));
      assert.match(page.body, /data-testid="pending-changes"/);
      assert.match(page.body, /wait for review/);
      assert.equal(inputValue(page.body, 't_en_title'), 'Workshop on labour mobility pathways', 'the form shows the newest revision');
      const pub = await t.app.inject('/en/activities/workshop-on-labour-mobility');
      assert.equal(pub.statusCode, 200);
      assert.match(pub.body, /<h1[^>]*>Workshop on labour mobility<\/h1>/);
      assert.equal((await t.app.inject('/en/activities?type=technical_workshop')).body, listBefore, 'list and facet counts unchanged');
      assert.doesNotMatch((await t.app.inject('/en/activities?type=training')).body, /labour mobility pathways/);
      assert.deepEqual(await liveEn(), { title: 'Workshop on labour mobility', summary: 'Experts compare schemes for labour mobility.' });
      // The editor cannot publish the pending changes; the admin can.
      assert.equal((await editor.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'publish_changes' })).statusCode, 403);
      const ap = await admin.get(`/admin/activities/${id}`);
      assert.match(ap.body, /data-testid="workflow-publish_changes"/);
      const done = await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(ap.body), action: 'publish_changes' });
      assert.equal(done.statusCode, 303);
      const after = await t.app.inject('/en/activities/workshop-on-labour-mobility');
      assert.match(after.body, /<h1[^>]*>Workshop on labour mobility pathways<\/h1>/);
      assert.match((await t.app.inject('/en/activities?type=training')).body, /labour mobility pathways/);
      assert.doesNotMatch((await t.app.inject('/en/activities?type=technical_workshop')).body, /labour mobility pathways/);
      const states = await t.db.selectFrom('revisions').select(['version', 'state']).where('entity_type', '=', 'activity').where('entity_id', '=', id).orderBy('version').execute();
      assert.deepEqual(states.at(-1), { version: states.at(-1)!.version, state: 'published' });
    });

    test('an admin can set pending changes aside; the form shows the published version again', async () => {
      const edit = await editor.get(`/admin/activities/${id}`);
      await editor.post(`/admin/activities/${id}`, { _csrf: csrfToken(edit.body), ...form({ version: versionOf(edit.body), ...slugs, type: 'training', t_en_title: 'A title nobody approved' }) });
      const ap = await admin.get(`/admin/activities/${id}`);
      assert.equal((await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(ap.body), action: 'discard_changes' })).statusCode, 303);
      const back = await editor.get(`/admin/activities/${id}`);
      assert.doesNotMatch(back.body, /data-testid="pending-changes"/);
      assert.equal(inputValue(back.body, 't_en_title'), 'Workshop on labour mobility pathways');
      assert.doesNotMatch((await t.app.inject('/en/activities/workshop-on-labour-mobility')).body, /nobody approved/);
    });

    test('two people editing different fields both keep their change (three-way merge)', async () => {
      const other = new TestClient(t.app);
      await other.login('editor2@example.org', PASSWORD);
      const a = await admin.get(`/admin/activities/${id}`);
      const b = await other.get(`/admin/activities/${id}`);
      const v = versionOf(a.body);
      assert.equal(versionOf(b.body), v);
      const base = { version: v, ...slugs, type: 'training', t_en_title: 'Workshop on labour mobility pathways' };
      const first = await admin.post(`/admin/activities/${id}`, { _csrf: csrfToken(a.body), ...form({ ...base, t_en_summary: 'Summary by the first editor.' }) });
      assert.equal(first.statusCode, 303);
      // The second person never touched the summary: it must not be reverted by their save.
      const second = await other.post(`/admin/activities/${id}`, { _csrf: csrfToken(b.body), ...form({ ...base, t_fr_city: 'Saint-Louis' }) });
      assert.equal(second.statusCode, 303, 'no conflict: different fields');
      assert.match(String(second.headers.location), /merged=t\.en\.summary/);
      const notice = await other.get(String(second.headers.location));
      assert.match(notice.body, /their changes to Summary \(English\) were kept/);
      // The record is published and the second person may not publish: their merged save waits for review.
      const latest = await admin.get(`/admin/activities/${id}`);
      assert.equal(inputValue(latest.body, 't_en_summary') ?? latest.body.match(/<textarea id="t_en_summary"[^>]*>([^<]*)</)?.[1], 'Summary by the first editor.');
      assert.equal(inputValue(latest.body, 't_fr_city'), 'Saint-Louis');
      await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(latest.body), action: 'publish_changes' });
      assert.deepEqual(await liveEn(), { title: 'Workshop on labour mobility pathways', summary: 'Summary by the first editor.' });
    });

    test('the same field changed by both gives the resolve page with only that field; keep mine / keep theirs', async () => {
      const a = await admin.get(`/admin/activities/${id}`);
      const b = await editor.get(`/admin/activities/${id}`);
      const v = versionOf(a.body);
      const base = { version: v, ...slugs, type: 'training', t_en_summary: 'Summary by the first editor.', t_fr_city: 'Saint-Louis' };
      assert.equal((await admin.post(`/admin/activities/${id}`, { _csrf: csrfToken(a.body), ...form({ ...base, t_en_title: 'Title by the admin', participants: '95' }) })).statusCode, 303);
      const clash = await editor.post(`/admin/activities/${id}`, { _csrf: csrfToken(b.body), ...form({ ...base, t_en_title: 'Title by the editor', t_fr_summary: 'Résumé revu.' }) });
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /data-testid="resolve-form"/);
      assert.deepEqual([...clash.body.matchAll(/data-testid="conflict-([^"]+)"/g)].map((m) => m[1]).filter((k) => k !== 'theirs' && k !== 'yours'), ['t.en.title'], 'only the field both changed');
      assert.match(clash.body, /Title by the admin/);
      assert.match(clash.body, /Title by the editor/);
      assert.deepEqual(await liveEn(), { title: 'Title by the admin', summary: 'Summary by the first editor.' }, 'nothing written yet');
      const hidden = (name: string) => clash.body.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1]?.replace(/&#34;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'") ?? '';
      const fields = { _csrf: csrfToken(clash.body), base_version: hidden('base_version'), intent: hidden('intent'), mine: hidden('mine') };
      const missing = await editor.post(`/admin/activities/${id}/resolve`, fields);
      assert.equal(missing.statusCode, 400, 'a choice is required');
      assert.match(missing.body, /Choose which version of Title \(English\) to keep/);
      const resolved = await editor.post(`/admin/activities/${id}/resolve`, { ...fields, choice_t_en_title: 'theirs' });
      assert.equal(resolved.statusCode, 303);
      const ap = await admin.get(`/admin/activities/${id}`);
      assert.equal(inputValue(ap.body, 't_en_title'), 'Title by the admin', 'kept theirs');
      assert.match(ap.body, /Résumé revu\./, 'the editor’s other change is in');
      assert.equal(inputValue(ap.body, 'participants'), '95', 'the admin’s other change is kept');
      await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(ap.body), action: 'publish_changes' });
    });

    test('English is flagged outdated when French changes after it; a new slug keeps the old address working', async () => {
      const page = await admin.get(`/admin/activities/${id}`);
      assert.match(page.body, /data-testid="translation-state-en"[^>]*>outdated/);
      assert.match(page.body, /data-testid="translation-state-fr"[^>]*>done/);
      const res = await admin.post(`/admin/activities/${id}`, { _csrf: csrfToken(page.body), ...form({ version: versionOf(page.body), ...slugs, t_en_slug: 'labour-mobility-workshop-2027', t_en_title: 'Workshop on labour mobility schemes', t_en_summary: 'Summary by the first editor.', type: 'training' }) });
      assert.equal(res.statusCode, 303);
      const old = await t.app.inject('/en/activities/workshop-on-labour-mobility');
      assert.equal(old.statusCode, 301);
      assert.equal(old.headers.location, '/en/activities/labour-mobility-workshop-2027');
      assert.equal((await t.app.inject('/en/activities/labour-mobility-workshop-2027')).statusCode, 200);
    });

    test('revisions: every save kept, a readable diff, and a restore by an editor waits for review', async () => {
      const page = await editor.get(`/admin/activities/${id}/revisions`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="diff"/);
      assert.match(page.body, /<ins>/);
      assert.match(page.body, /set aside/);
      const versions = [...page.body.matchAll(/data-testid="restore-(\d+)"/g)].map((m) => Number(m[1]));
      assert.ok(versions.includes(1));
      const diff = await editor.get(`/admin/activities/${id}/revisions?from=1`);
      assert.match(diff.body, /labour mobility schemes/);
      const restore = await editor.post(`/admin/activities/${id}/revisions/1/restore`, { _csrf: csrfToken(page.body) });
      assert.equal(restore.statusCode, 303);
      assert.match(String(restore.headers.location), /restored=1&done=pending/);
      assert.deepEqual(await liveEn(), { title: 'Workshop on labour mobility schemes', summary: 'Summary by the first editor.' }, 'the public record is unchanged');
      assert.equal((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'activity.restore_pending').execute()).length, 1);
      const ap = await admin.get(`/admin/activities/${id}`);
      await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(ap.body), action: 'publish_changes' });
      assert.deepEqual(await liveEn(), { title: 'Workshop on labour mobility', summary: 'Experts compare schemes for labour mobility.' });
      // Version 1 had the old address: restoring it gives that address back, and the later one redirects.
      assert.equal((await t.app.inject('/en/activities/workshop-on-labour-mobility')).statusCode, 200);
      assert.equal((await t.app.inject('/en/activities/labour-mobility-workshop-2027')).statusCode, 301);
    });

    test('a restore whose address another activity took since is refused with a message, and writes nothing', async () => {
      const other = await editor.submit('/admin/activities/new', '/admin/activities', form({ t_en_title: 'Another workshop', t_en_slug: 'labour-mobility-workshop-2027', t_fr_title: 'Un autre atelier' }));
      assert.equal(other.statusCode, 303);
      const page = await admin.get(`/admin/activities/${id}/revisions`);
      const revs = await t.db.selectFrom('revisions').select(['version', 'snapshot']).where('entity_type', '=', 'activity').where('entity_id', '=', id).execute();
      const withSlug = revs.find((r) => (JSON.parse(r.snapshot) as { t: { en?: { slug: string } } }).t.en?.slug === 'labour-mobility-workshop-2027');
      assert.ok(withSlug);
      const before = await t.db.selectFrom('activities').select('version').where('id', '=', id).executeTakeFirstOrThrow();
      const res = await admin.post(`/admin/activities/${id}/revisions/${withSlug.version}/restore`, { _csrf: csrfToken(page.body) });
      assert.equal(res.statusCode, 303);
      const shown = await admin.get(String(res.headers.location));
      assert.equal(shown.statusCode, 409);
      assert.match(shown.body, /now used by another record/);
      assert.deepEqual(await t.db.selectFrom('activities').select('version').where('id', '=', id).executeTakeFirstOrThrow(), before);
    });

    test('scheduled publication shows the activity only from its time; unpublishing removes it at once', async () => {
      const create = await editor.submit('/admin/activities/new', '/admin/activities', form({ t_en_title: 'Scheduled roundtable', t_fr_title: 'Table ronde programmée', type: 'roundtable' }));
      const sid = Number(String(create.headers.location).match(/(\d+)/)?.[1]);
      const page = await admin.get(`/admin/activities/${sid}`);
      const bad = await admin.post(`/admin/activities/${sid}/workflow`, { _csrf: csrfToken(page.body), action: 'schedule', publish_at: '2001-01-01T10:00' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /in the future/);
      const ok = await admin.post(`/admin/activities/${sid}/workflow`, { _csrf: csrfToken(page.body), action: 'schedule', publish_at: '2099-01-01T10:00' });
      assert.equal(ok.statusCode, 303);
      assert.equal((await t.app.inject('/en/activities/scheduled-roundtable')).statusCode, 404);
      await t.db.updateTable('activities').set({ published_at: '2001-01-01T00:00:00.000Z' }).where('id', '=', sid).execute();
      assert.equal((await t.app.inject('/en/activities/scheduled-roundtable')).statusCode, 200);
      const p2 = await admin.get(`/admin/activities/${sid}`);
      const un = await admin.post(`/admin/activities/${sid}/workflow`, { _csrf: csrfToken(p2.body), action: 'unpublish' });
      assert.equal(un.statusCode, 303);
      assert.equal((await t.app.inject('/en/activities/scheduled-roundtable')).statusCode, 404);
    });

    test('a focal point, a participant and a stranger are refused every editor action, and nothing changes', async () => {
      const fp = new TestClient(t.app);
      await fp.login('fp@example.org', PASSWORD);
      const p = new TestClient(t.app);
      await p.login('p@example.org', PASSWORD);
      const anon = new TestClient(t.app);
      const before = await t.db.selectFrom('activities').select(['id', 'version', 'workflow']).orderBy('id').execute();
      const n = await count();
      for (const c of [fp, p]) {
        const dash = await c.get('/admin/login');
        const token = csrfToken(dash.body) || csrfToken((await c.get('/admin/password/forgot')).body);
        for (const url of ['/admin/activities', '/admin/activities/new', `/admin/activities/${id}`, `/admin/activities/${id}/preview`, `/admin/activities/${id}/revisions`]) {
          assert.equal((await c.get(url)).statusCode, 403, url);
        }
        assert.equal((await c.post('/admin/activities', { _csrf: token, ...form({ t_en_title: 'Intruder', t_en_slug: 'intruder' }) })).statusCode, 403);
        assert.equal((await c.post(`/admin/activities/${id}`, { _csrf: token, ...form({ version: '1' }) })).statusCode, 403);
        for (const action of ['submit', 'publish', 'unpublish', 'return']) {
          assert.equal((await c.post(`/admin/activities/${id}/workflow`, { _csrf: token, action })).statusCode, 403, action);
        }
        assert.equal((await c.post(`/admin/activities/${id}/revisions/1/restore`, { _csrf: token, version: '1' })).statusCode, 403);
      }
      const r = await anon.get(`/admin/activities/${id}`);
      assert.equal(r.statusCode, 303);
      assert.deepEqual(await t.db.selectFrom('activities').select(['id', 'version', 'workflow']).orderBy('id').execute(), before);
      assert.equal(await count(), n);
    });

    test('the back-office list has the public filters plus the workflow state', async () => {
      const n = (html: string) => Number(html.match(/(\d+) activit(y|ies)</)?.[1] ?? -1);
      const all = await editor.get('/admin/activities');
      const drafts = await editor.get('/admin/activities?workflow=draft');
      const rome = await editor.get('/admin/activities?theme=rome-2014.p4&year=2015&country=MA&format=in_person&type=thematic_meeting');
      assert.ok(n(all.body) > n(drafts.body));
      assert.equal(n(rome.body), 1);
      assert.match(rome.body, /Thematic meeting on asylum/);
      const search = await editor.get('/admin/activities?q=ASYLUM');
      assert.ok(n(search.body) >= 1);
      const bad = await editor.get('/admin/activities?year=abc&theme=nope');
      assert.equal(bad.statusCode, 200);
    });

    test('back-office pages are private and never cached, and public pages stay cookie-less', async () => {
      const page = await editor.get('/admin/activities');
      assert.equal(page.headers['cache-control'], 'private, no-store');
      const pub = await t.app.inject('/en/activities');
      assert.equal(pub.headers['set-cookie'], undefined);
      assert.equal(pub.headers['cache-control'], 'public, max-age=0, must-revalidate');
    });
  });
}
