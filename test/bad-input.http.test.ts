/**
 * Bad input never gives a 500, on either database: a NUL byte (which PostgreSQL refuses in text),
 * unknown reference codes, over-long fields, malformed or unsupported bodies. Each gets a clear
 * message in the reader's language, with the rest of the input kept and nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, csrfToken, inputValue } from './helpers/client.js';
import { createUser } from '../src/modules/auth/index.js';
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

const PASSWORD = 'correct horse battery staple';

/** A valid activity form; each case below spoils one field. */
const activity = (overrides: Record<string, string | string[]>) => ({
  version: '0',
  doc_count: '1',
  type: 'technical_workshop',
  status: 'planned',
  date_precision: 'day',
  start_date: '2027-04-20',
  format: 'hybrid',
  t_en_title: 'Workshop kept as typed',
  t_en_summary: 'A summary that must come back unchanged.',
  doc_0_type: 'agenda',
  doc_0_lang: 'en',
  doc_0_title_en: 'Agenda',
  ...overrides,
});

for (const dialect of await dialectsUnderTest()) {
  describe(`bad input gets a message in the reader's language, never a 500 (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let frAdmin: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin', displayName: 'Ada' });
      await createUser(t.db, { email: 'admin-fr@example.org', password: PASSWORD, role: 'admin', displayName: 'Adèle', lang: 'fr' });
      admin = new TestClient(t.app);
      frAdmin = new TestClient(t.app);
      assert.equal((await admin.login('admin@example.org', PASSWORD)).statusCode, 303);
      assert.equal((await frAdmin.login('admin-fr@example.org', PASSWORD)).statusCode, 303);
    });
    after(async () => t?.close());
    const count = async (table: 'activities' | 'pages' | 'users' | 'countries' | 'organisations') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const summary = (html: string) => html.match(/data-testid="error-summary"[\s\S]*?<\/ul>/)?.[0] ?? '';

    test('unknown reference codes on the activity form name their field; what was typed stays; nothing is written', async () => {
      const before = await count('activities');
      const cases: [Record<string, string | string[]>, string, RegExp][] = [
        [{ country: 'ZZ' }, 'country', /Choose the country where it takes place/],
        [{ host: 'c:ZZ' }, 'host', /Choose the host/],
        [{ host: 'o:no-such-organisation' }, 'host', /Choose the host/],
        [{ co_chair_1: 'o:no-such-organisation' }, 'co_chair_1', /Choose the co-chair 2 from the list/],
        [{ themes: ['no-such.theme'] }, 'themes', /Choose the themes from the list/],
        [{ doc_0_type: 'memo' }, 'doc_0_type', /Choose the type of document 1/],
      ];
      for (const [spoilt, field, message] of cases) {
        const res = await admin.submit('/admin/activities/new', '/admin/activities', activity(spoilt));
        assert.equal(res.statusCode, 400, field);
        assert.match(summary(res.body), new RegExp(`href="#${field}"`), field);
        assert.match(summary(res.body), message, field);
        assert.equal(inputValue(res.body, 't_en_title'), 'Workshop kept as typed', field);
        assert.match(res.body, /A summary that must come back unchanged\./, field);
      }
      assert.equal(await count('activities'), before);
    });

    test('over-long fields get a message with the limit, in French for a French editor, and nothing is written', async () => {
      const before = { activities: await count('activities'), pages: await count('pages') };
      const long = await frAdmin.submit('/admin/activities/new', '/admin/activities', activity({ t_en_title: 'x'.repeat(301), doc_0_title_en: 'y'.repeat(301), t_en_city: 'z'.repeat(121) }));
      assert.equal(long.statusCode, 400);
      assert.match(summary(long.body), /Le champ « titre \(anglais\) » doit compter au plus 300 caractères/);
      assert.match(summary(long.body), /href="#t_en_city"/);
      assert.match(summary(long.body), /href="#doc_0_title_en"/);
      assert.equal(inputValue(long.body, 't_en_title'), 'x'.repeat(301), 'the long text is kept to be shortened, not cut');
      const page = await admin.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: '', t_en_title: 'A page with a very long text', t_en_body_html: `<p>${'a'.repeat(200_001)}</p>` });
      assert.equal(page.statusCode, 400);
      assert.match(summary(page.body), /href="#t_en_body_html"[^>]*>The text \(English\) must be at most 200,000 characters long/);
      assert.equal(inputValue(page.body, 't_en_title'), 'A page with a very long text');
      assert.deepEqual({ activities: await count('activities'), pages: await count('pages') }, before);
    });

    test('accounts and reference data refuse unknown codes and over-long names with messages', async () => {
      const users = await count('users');
      const invite = await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'new@example.org', name: 'N'.repeat(201), role: 'focal_point', country: 'ZZ', organisation: '999999', lang: 'en' });
      assert.equal(invite.statusCode, 400);
      for (const field of ['name', 'country', 'organisation']) assert.match(summary(invite.body), new RegExp(`href="#${field}"`), field);
      assert.equal(inputValue(invite.body, 'email'), 'new@example.org');
      assert.equal(await count('users'), users);
      const countries = await count('countries');
      const country = await admin.submit('/admin/reference/countries/new', '/admin/reference/countries/new', { code: 'QQ', name_en: 'Q'.repeat(201), region: 'atlantis', status: 'partner' });
      assert.equal(country.statusCode, 400);
      assert.match(summary(country.body), /href="#name_en"/);
      assert.match(summary(country.body), /href="#region"[^>]*>Choose the region from the list/);
      assert.equal(await count('countries'), countries);
      const orgs = await count('organisations');
      const org = await admin.submit('/admin/reference/organisations/new', '/admin/reference/organisations/new', { code: 'new-org', name_en: 'New organisation', abbr_en: 'A'.repeat(41), kind: 'cartel' });
      assert.equal(org.statusCode, 400);
      assert.match(summary(org.body), /href="#abbr_en"/);
      assert.match(summary(org.body), /href="#kind"/);
      assert.equal(await count('organisations'), orgs);
      const login = await new TestClient(t.app).submit('/admin/login', '/admin/login', { email: `${'e'.repeat(300)}@example.org`, password: 'whatever it is' });
      assert.equal(login.statusCode, 400);
      assert.match(summary(login.body), /The e-mail address must be at most 254 characters long/);
    });

    test('malformed, unsupported and over-large bodies get an error page in the reader’s language with the security headers', async () => {
      const page = await frAdmin.get('/admin/imports/new');
      const cookie = [...frAdmin.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const csrf = csrfToken(page.body);
      const post = (url: string, contentType: string, payload: string) => t.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': contentType }, payload });
      const truncated = await post('/admin/imports/upload', 'multipart/form-data; boundary=xx', `--xx\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--xx\r\nContent-Disposition: form-data; name="page_file"; filename="a.html"\r\n\r\n<p>cut off`);
      const noBoundary = await post('/admin/imports/upload', 'multipart/form-data', 'garbage');
      const multipartElsewhere = await post('/admin/activities', 'multipart/form-data; boundary=xx', `--xx\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--xx--\r\n`);
      const huge = await post('/admin/activities', 'application/x-www-form-urlencoded', `t_en_title=${'x'.repeat(1_100_000)}`);
      for (const [name, res, status, title] of [
        ['truncated multipart', truncated, 400, /Requête incomprise/],
        ['multipart without a boundary', noBoundary, 400, /Requête incomprise/],
        ['multipart where forms are expected', multipartElsewhere, 415, /Ce type de requête n’est pas accepté/],
        ['a body over the limit', huge, 413, /L’envoi est trop volumineux/],
      ] as const) {
        assert.equal(res.statusCode, status, name);
        assert.match(res.body, title, name);
        assert.match(String(res.headers['content-security-policy']), /default-src/, name);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', name);
      }
    });

    test('a client that asks for JSON gets the error as JSON', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/fr/no-such-page', headers: { accept: 'application/json' } });
      assert.equal(res.statusCode, 404);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.deepEqual(JSON.parse(res.body), { error: { status: 404, kind: 'notFound', message: 'Page introuvable' } });
    });
  });
}

for (const dialect of await dialectsUnderTest()) {
  describe(`record ids in addresses (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'ids.admin@example.org', password: PASSWORD, role: 'admin' });
      admin = new TestClient(t.app);
      await admin.login('ids.admin@example.org', PASSWORD);
    });
    after(async () => t?.close());

    test('only decimal digits name a record: 0x1, 1e0, 01, +1, 1.0, a space or a number past the integer range is no record, and never a 500', async () => {
      const id = (await t.db.selectFrom('activities').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
      const page = (await t.db.selectFrom('pages').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
      const user = (await t.db.selectFrom('users').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id;
      for (const [pattern, real] of [
        ['/admin/activities/{id}', id],
        ['/admin/activities/{id}/agenda', id],
        ['/admin/pages/{id}', page],
        ['/admin/users/{id}', user],
      ] as const) {
        assert.equal((await admin.get(pattern.replace('{id}', String(real)))).statusCode, 200, `${pattern} with its real id`);
        for (const bad of [`0x${real.toString(16)}`, `${real}e0`, `0${real}`, `%2B${real}`, `${real}.0`, `%20${real}`, '99999999999', '2147483648']) {
          const r = await admin.get(pattern.replace('{id}', bad));
          assert.equal(r.statusCode, 404, `${pattern.replace('{id}', bad)}: ${r.statusCode}`);
        }
      }
      for (const bad of ['0x1', '1e0', '01', '99999999999']) assert.equal((await t.app.inject(`/files/${bad}`)).statusCode, 404, `/files/${bad}`);
    });
  });
}
