import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken, inputValue } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';
import { countRows } from './legacy.test-support.js';
import { legacyDb } from './legacy.tables.js';

const PASSWORD = 'correct horse battery staple';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** Every named field of the review form with its value as the page shows it (inputs, selects, text areas, checked radios). */
function formFields(html: string): Record<string, string> {
  const form = html.slice(html.indexOf('data-testid="review-form"'));
  const out: Record<string, string> = {};
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input\b((?:[^>"]|"[^"]*")*)>/g)) {
    const attrs = m[1]!;
    const name = attrs.match(/name="([^"]+)"/)?.[1];
    if (!name) continue;
    if (/type="(radio|checkbox)"/.test(attrs) && !/\bchecked\b/.test(attrs)) continue;
    out[name] = unescape(attrs.match(/value="([^"]*)"/)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = unescape(m[2]!);
  for (const m of form.matchAll(/<select\b[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) out[m[1]!] = unescape(m[2]!.match(/<option value="([^"]*)" selected/)?.[1] ?? '');
  return out;
}

for (const dialect of await dialectsUnderTest()) {
  describe(`back-office import of old pages (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'MA' });
      admin = new TestClient(t.app);
      await admin.login('admin@example.org', PASSWORD);
    });
    after(async () => t.close());

    const counts = async () => ({
      activities: await countRows(t.db, 'activities'),
      runs: await countRows(t.db, 'legacy_import_runs'),
      items: await countRows(t.db, 'legacy_import_items'),
      sources: await countRows(t.db, 'legacy_sources'),
      imports: Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', 'like', 'activity.import%').executeTakeFirstOrThrow()).n),
    });

    async function review(page: string, sourceUrl = '') {
      const res = await admin.submit('/admin/imports/new', '/admin/imports/review', { page, source_url: sourceUrl });
      return res;
    }

    test('the list and the form are in the navigation, in English and French', async () => {
      const dash = await admin.get('/admin/');
      assert.match(dash.body, /<a href="\/admin\/imports"[^>]*>Imports<\/a>/);
      const list = await admin.get('/admin/imports');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /href="\/admin\/imports\/new"/);
      const fr = await admin.get('/admin/imports/new?lang=fr');
      assert.match(fr.body, /Page enregistrée \(HTML ou texte\)/);
    });

    test('an admin pastes a page, corrects the title and city, accepts: the record holds the corrections and the report lists it', async () => {
      const before = await counts();
      const res = await review(fixture('es-nota-prensa.txt'), 'https://www.rabat-process.example/es/prensa/reunion-altos-funcionarios-madrid');
      assert.equal(res.statusCode, 200, res.body.slice(0, 2000));
      assert.match(res.body, /data-testid="source-text"/);
      assert.match(res.body, /<p>[^<]*Madrid[^<]*<\/p>/, 'the source text is beside the fields');
      assert.match(res.body, /Confidence: \d+%/);
      assert.equal(inputValue(res.body, 'i0_title'), 'Reunión de altos funcionarios del Proceso de Rabat en Madrid');
      assert.deepEqual(await counts(), before, 'reviewing writes nothing');
      const fields = formFields(res.body);
      assert.equal(fields.i0_action, 'create');
      const checked = await admin.post('/admin/imports/review', { ...fields, i0_city: 'Madrid centro' });
      assert.equal(checked.statusCode, 200);
      assert.equal(inputValue(checked.body, 'i0_city'), 'Madrid centro', 'checking the corrections keeps them');
      assert.match(checked.body, /name="i0_action" value="create" checked/);
      const accepted = await admin.post('/admin/imports/accept', { ...fields, i0_title: 'Reunión de altos funcionarios en Madrid (corregida)', i0_city: 'Madrid centro' });
      assert.equal(accepted.statusCode, 303, accepted.body.slice(0, 3000));
      const location = String(accepted.headers.location);
      assert.match(location, /^\/admin\/imports\/\d+$/);
      const row = await t.db
        .selectFrom('activity_translations')
        .select(['activity_id', 'title', 'city'])
        .where('title', '=', 'Reunión de altos funcionarios en Madrid (corregida)')
        .executeTakeFirst();
      assert.ok(row, 'the corrected title was written');
      assert.equal(row.city, 'Madrid centro');
      const created = await t.db.selectFrom('activities').select(['workflow', 'published_at']).where('id', '=', row.activity_id).executeTakeFirstOrThrow();
      assert.deepEqual(created, { workflow: 'draft', published_at: null }, 'without "publish", an imported record is a draft for review');
      const audit = await t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(row.activity_id)).where('action', '=', 'activity.import').executeTakeFirst();
      assert.ok(audit);
      const report = await admin.get(location);
      assert.equal(report.statusCode, 200);
      assert.match(report.body, new RegExp(`<a href="/admin/activities/${row.activity_id}">Reunión de altos funcionarios en Madrid \\(corregida\\)</a>`));
      assert.match(report.body, /1 created, 0 merged, 0 skipped, 0 failed/);
      const list = await admin.get('/admin/imports');
      assert.match(list.body, new RegExp(`href="${location}"`));
      assert.match(list.body, /reunion-altos-funcionarios-madrid/);
    });

    test('an announcement then its look-back merge into one record through the review', async () => {
      const first = await review(fixture('en-announcement-dakar.html'));
      assert.equal(first.statusCode, 200);
      const f1 = formFields(first.body);
      assert.equal(f1.i0_action, 'create');
      assert.match(first.body, /data-testid="publish-imported"/, 'an admin may publish what the import creates');
      const a1 = await admin.post('/admin/imports/accept', { ...f1, publish: '1' });
      assert.equal(a1.statusCode, 303, a1.body.slice(0, 3000));
      const activities = await countRows(t.db, 'activities');
      const second = await review(fixture('en-lookback-dakar.txt'));
      assert.equal(second.statusCode, 200);
      const f2 = formFields(second.body);
      assert.equal(f2.i0_action, 'merge');
      assert.match(second.body, /value="create"/, 'a merge may become a create');
      // The admin first turns the merge into a skip: nothing is merged, the report says skipped.
      const skipped = await admin.post('/admin/imports/accept', { ...f2, i0_action: 'skip' });
      assert.equal(skipped.statusCode, 303, skipped.body.slice(0, 3000));
      assert.match((await admin.get(String(skipped.headers.location))).body, /0 created, 0 merged, 1 skipped/);
      assert.equal(await countRows(t.db, 'activities'), activities);
      const target = second.body.match(/data-testid="merge-target"[^>]*>#(\d+)</)?.[1] ?? second.body.match(/href="\/admin\/activities\/(\d+)" data-testid="merge-target"/)?.[1];
      assert.ok(target, 'the record it merges into is linked');
      const published = await t.db.selectFrom('activities').select(['workflow']).where('id', '=', Number(target)).executeTakeFirstOrThrow();
      assert.equal(published.workflow, 'published', 'accepted with "publish"');
      const a2 = await admin.post('/admin/imports/accept', { ...f2, publish: '1' });
      assert.equal(a2.statusCode, 303, a2.body.slice(0, 3000));
      assert.equal(await countRows(t.db, 'activities'), activities, 'merged, not created');
      const report = await admin.get(String(a2.headers.location));
      assert.match(report.body, /0 created, 1 merged/);
      assert.match(report.body, new RegExp(`href="/admin/activities/${target}"`));
      const merged = await t.db.selectFrom('audit_log').select('actor_user_id').where('action', '=', 'activity.import_merge').where('entity_id', '=', String(target)).executeTakeFirst();
      assert.ok(merged?.actor_user_id, 'the audit names the admin who accepted');
    });

    test('the French review shows the importer’s warnings in French', async () => {
      const fr = await admin.submit('/admin/imports/new?lang=fr', '/admin/imports/review?lang=fr', { page: fixture('en-missing-fields.txt') });
      assert.equal(fr.statusCode, 200, fr.body.slice(0, 2000));
      const warnings = fr.body.slice(fr.body.indexOf('data-testid="warnings"'));
      assert.match(warnings.slice(0, warnings.indexOf('</div>')), /<li>Hôte\u00a0: la page ne nomme aucun hôte<\/li>/);
      assert.doesNotMatch(warnings.slice(0, warnings.indexOf('</div>')), /the page names no host/);
      const en = await review(fixture('en-missing-fields.txt'));
      assert.match(en.body, /<li>host: the page names no host<\/li>/);
    });

    test('bad input re-renders the form with a message in the reader’s language and writes nothing', async () => {
      const before = await counts();
      const cases: [string, Record<string, string>, RegExp][] = [
        ['empty', { page: '  \n ' }, /Paste the saved page: the text is empty/],
        ['garbage', { page: fixture('garbage.txt') }, /No activity was found in this page/],
        ['binary', { page: 'PK\u0003\u0004\u0000\u0001binary' }, /This is not a page saved from a browser/],
        ['bad address', { page: fixture('it-riunione.txt'), source_url: 'javascript:alert(1)' }, /full http\(s\) address/],
      ];
      for (const [what, form, message] of cases) {
        const res = await admin.submit('/admin/imports/new', '/admin/imports/review', { source_url: '', ...form });
        assert.equal(res.statusCode, 400, what);
        assert.match(res.body, /data-testid="error-summary"/, what);
        assert.match(res.body, message, what);
      }
      const kept = await admin.submit('/admin/imports/new', '/admin/imports/review', { page: 'Nothing to see <b>here</b>', source_url: 'https://old.example/x' });
      assert.equal(kept.statusCode, 400);
      assert.match(kept.body, /Nothing to see &lt;b>here&lt;\/b>|Nothing to see &lt;b&gt;here&lt;\/b&gt;/, 'what was typed is kept, escaped');
      assert.match(kept.body, /value="https:\/\/old.example\/x"/);
      const fr = await admin.submit('/admin/imports/new?lang=fr', '/admin/imports/review?lang=fr', { page: '' });
      assert.equal(fr.statusCode, 400);
      assert.match(fr.body, /Collez la page enregistrée/);
      const big = await admin.submit('/admin/imports/new', '/admin/imports/review', { page: 'x'.repeat(20 * 1024 * 1024 + 1) });
      assert.equal(big.statusCode, 400);
      assert.match(big.body, /larger than the 20 MB/);
      const badField = await admin.post('/admin/imports/accept', { ...formFields((await review(fixture('it-riunione.txt'))).body), i0_start_date: '31/02/2019', i0_date_precision: 'day' });
      assert.equal(badField.statusCode, 400);
      assert.match(badField.body, /Item 1: enter the date as YYYY-MM-DD/);
      assert.deepEqual(await counts(), before);
    });

    /** Posts the upload form as a browser does (multipart/form-data) with the client's cookies. */
    async function upload(client: TestClient, form: Record<string, string>, file: { name: string; content: Buffer } | null, url = '/admin/imports/upload') {
      const boundary = '----diwan-test-boundary';
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(form)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      if (file) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="page_file"; filename="${file.name}"\r\nContent-Type: text/html\r\n\r\n`), file.content, Buffer.from('\r\n'));
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      return t.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` } });
    }

    test('an uploaded saved file is reviewed like a pasted page; bad files are refused', async () => {
      const before = await counts();
      const token = csrfToken((await admin.get('/admin/imports/new')).body);
      const ok = await upload(admin, { _csrf: token, source_url: '' }, { name: 'side-event.html', content: Buffer.from(fixture('en-side-event.html')) });
      assert.equal(ok.statusCode, 200, ok.body.slice(0, 3000));
      assert.match(ok.body, /data-testid="review-form"/);
      assert.match(ok.body, /data-testid="import-item-0"/);
      const png = await upload(admin, { _csrf: token, source_url: '' }, { name: 'photo.png', content: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]) });
      assert.equal(png.statusCode, 400);
      assert.match(png.body, /This is not a page saved from a browser/);
      const none = await upload(admin, { _csrf: token, source_url: '' }, null);
      assert.equal(none.statusCode, 400);
      assert.match(none.body, /the text is empty/);
      const huge = await upload(admin, { _csrf: token, source_url: '' }, { name: 'huge.html', content: Buffer.alloc(20 * 1024 * 1024 + 10, 0x20) });
      assert.equal(huge.statusCode, 400);
      assert.match(huge.body, /larger than the 20 MB/);
      const elsewhere = await upload(admin, { _csrf: token, page: 'x' }, null, '/admin/imports/review');
      assert.equal(elsewhere.statusCode, 415, 'multipart is parsed only by the upload route');
      const noCsrf = await upload(admin, { source_url: '' }, { name: 'side-event.html', content: Buffer.from(fixture('en-side-event.html')) });
      assert.equal(noCsrf.statusCode, 403);
      const fp = new TestClient(t.app);
      await fp.login('fp@example.org', PASSWORD);
      const fpToken = csrfToken((await fp.get('/admin/')).body);
      assert.equal((await upload(fp, { _csrf: fpToken }, { name: 'side-event.html', content: Buffer.from(fixture('en-side-event.html')) })).statusCode, 403);
      assert.deepEqual(await counts(), before);
    });

    test('a plan that changed since the review is not accepted', async () => {
      const res = await review(fixture('pt-oficina.txt'));
      const fields = formFields(res.body);
      const before = await counts();
      const stale = await admin.post('/admin/imports/accept', { ...fields, plan: '0:merge:#1' });
      assert.equal(stale.statusCode, 409);
      assert.match(stale.body, /The plan changed since you reviewed it/);
      assert.deepEqual(await counts(), before);
    });

    test('editors and focal points get 403 on every import route; a post without CSRF is refused', async () => {
      const before = await counts();
      const [run] = await legacyDb(t.db).selectFrom('legacy_import_runs').select('id').limit(1).execute();
      for (const email of ['editor@example.org', 'fp@example.org']) {
        const c = new TestClient(t.app);
        await c.login(email, PASSWORD);
        const dash = await c.get('/admin/');
        assert.doesNotMatch(dash.body, /href="\/admin\/imports"/, email);
        for (const url of ['/admin/imports', '/admin/imports/new', `/admin/imports/${run?.id ?? 1}`]) assert.equal((await c.get(url)).statusCode, 403, `${email} ${url}`);
        const token = csrfToken(dash.body);
        const page = fixture('es-nota-prensa.txt');
        assert.equal((await c.post('/admin/imports/review', { _csrf: token, page })).statusCode, 403, email);
        assert.equal((await c.post('/admin/imports/accept', { _csrf: token, page, plan: '0:create:' })).statusCode, 403, email);
      }
      const anonymous = new TestClient(t.app);
      assert.equal((await anonymous.get('/admin/imports')).statusCode, 303);
      const noCsrf = await admin.post('/admin/imports/accept', { page: fixture('it-riunione.txt'), plan: '0:create:' });
      assert.equal(noCsrf.statusCode, 403);
      assert.deepEqual(await counts(), before);
    });
  });
}
