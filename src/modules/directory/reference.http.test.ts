import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { migrateDiwan } from '../../app/index.js';
import { createUser } from '../auth/index.js';

const PASSWORD = 'correct horse battery staple';

for (const dialect of await dialectsUnderTest()) {
  describe(`reference data in the back-office (${dialect})`, () => {
    let t: TestApp;
    let editor: TestClient;
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      editor = new TestClient(t.app);
      await editor.login('editor@example.org', PASSWORD);
    });
    after(async () => t.close());

    test('renaming a country shows on public pages at once, survives a reload of the reference data, and is audited', async () => {
      const res = await editor.submit('/admin/reference/countries/MA', '/admin/reference/countries/MA', { name_en: 'Kingdom of Morocco', name_fr: 'Royaume du Maroc', region: 'north_africa', status: 'partner' });
      assert.equal(res.statusCode, 303);
      const page = await t.app.inject('/en/activities/thematic-meeting-asylum-international-protection-2015');
      assert.match(page.body, /Rabat, Kingdom of Morocco/);
      await migrateDiwan(t.db, { info: () => undefined });
      const name = await t.db.selectFrom('country_names').select('name').where('country_code', '=', 'MA').where('lang', '=', 'fr').executeTakeFirstOrThrow();
      assert.equal(name.name, 'Royaume du Maroc');
      assert.ok(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'country.update').where('entity_id', '=', 'MA').executeTakeFirst());
    });

    test('adding a country checks its code; bad input keeps what was typed', async () => {
      const bad = await editor.submit('/admin/reference/countries/new', '/admin/reference/countries/new', { code: 'Mar', name_en: 'Marsland', region: 'europe', status: 'other' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#code"/);
      assert.match(bad.body, /value="Marsland"/);
      const taken = await editor.submit('/admin/reference/countries/new', '/admin/reference/countries/new', { code: 'ma', name_en: 'Again', region: 'europe', status: 'other' });
      assert.match(taken.body, /already used/);
      const ok = await editor.submit('/admin/reference/countries/new', '/admin/reference/countries/new', { code: 'xk', name_en: 'Kosovo', name_fr: 'Kosovo', region: 'europe', status: 'other' });
      assert.equal(ok.statusCode, 303);
    });

    test('retiring an organisation hides it from choices but keeps its name on past records', async () => {
      const fiiapp = await t.db.selectFrom('organisations').select('id').where('code', '=', 'fiiapp').executeTakeFirstOrThrow();
      const edit = await editor.get(`/admin/reference/organisations/${fiiapp.id}`);
      assert.match(edit.body, /FIIAPP/);
      const names = await t.db.selectFrom('organisation_names').selectAll().where('organisation_id', '=', fiiapp.id).execute();
      const form: Record<string, string> = { kind: 'secretariat', retired: '1' };
      for (const n of names) {
        form[`name_${n.lang}`] = n.name;
        form[`abbr_${n.lang}`] = n.abbr ?? '';
      }
      const res = await editor.post(`/admin/reference/organisations/${fiiapp.id}`, { _csrf: csrfToken(edit.body), ...form });
      assert.equal(res.statusCode, 303);
      const newForm = await editor.get('/admin/activities/new');
      assert.doesNotMatch(newForm.body, /value="o:fiiapp"/);
      assert.match(newForm.body, /value="o:icmpd"/);
    });

    test('a theme can be renamed, added under another and retired; its code and links never change', async () => {
      const theme = await t.db.selectFrom('themes').select(['id', 'framework_id']).where('code', '=', 'rome-2014.p4').executeTakeFirstOrThrow();
      const res = await editor.submit(`/admin/reference/themes/${theme.id}`, `/admin/reference/themes/${theme.id}`, { name_en: 'International protection', name_fr: 'Protection internationale', level: 'pillar', number: '4', parent: '' });
      assert.equal(res.statusCode, 303);
      const list = await t.app.inject('/en/activities?theme=rome-2014.p4');
      assert.match(list.body, /Pillar 4 – International protection/);
      assert.match(list.body, /thematic-meeting-asylum-international-protection-2015/);
      const add = await editor.submit(`/admin/reference/themes/new?framework=${theme.framework_id}`, `/admin/reference/themes/new?framework=${theme.framework_id}`, { name_en: 'Resettlement', name_fr: 'Réinstallation', level: 'objective', number: '4.1', parent: String(theme.id) });
      assert.equal(add.statusCode, 303);
      const child = await t.db.selectFrom('themes').select(['id', 'parent_id', 'code']).where('parent_id', '=', theme.id).executeTakeFirstOrThrow();
      assert.match(child.code, /^rome-2014\./);
      const retire = await editor.submit(`/admin/reference/themes/${child.id}`, `/admin/reference/themes/${child.id}`, { name_en: 'Resettlement', level: 'objective', number: '4.1', parent: String(theme.id), retired: '1' });
      assert.equal(retire.statusCode, 303);
      const filters = await t.app.inject('/en/activities');
      assert.doesNotMatch(filters.body, /Resettlement/, 'a retired theme leaves the choices');
    });

    test('an organiser cannot edit reference data', async () => {
      const c = new TestClient(t.app);
      await c.login('org@example.org', PASSWORD);
      for (const url of ['/admin/reference', '/admin/reference/countries', '/admin/reference/countries/MA', '/admin/reference/organisations/new', '/admin/reference/themes']) {
        assert.equal((await c.get(url)).statusCode, 403, url);
      }
      const token = csrfToken((await c.get('/admin/')).body);
      assert.equal((await c.post('/admin/reference/countries/SN', { _csrf: token, name_en: 'X', region: 'europe', status: 'former' })).statusCode, 403);
      const sn = await t.db.selectFrom('countries').select('status').where('code', '=', 'SN').executeTakeFirstOrThrow();
      assert.equal(sn.status, 'partner');
    });
  });
}
