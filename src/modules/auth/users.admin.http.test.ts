import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from './users.commands.js';

const PASSWORD = 'correct horse battery staple';

for (const dialect of await dialectsUnderTest()) {
  describe(`user administration (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    let adminId = 0;
    before(async () => {
      t = await createTestApp(dialect, { demo: false });
      adminId = await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin', displayName: 'Ada' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor', displayName: 'Eda' });
      admin = new TestClient(t.app);
      await admin.login('admin@example.org', PASSWORD);
    });
    after(async () => t.close());

    test('an admin invites a focal point by e-mail; the person sets a password through the link and signs in', async () => {
      const bad = await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'not-an-address', name: '', role: 'focal_point', country: '', lang: 'fr' });
      assert.equal(bad.statusCode, 400);
      for (const f of ['email', 'name', 'country']) assert.match(bad.body, new RegExp(`href="#${f}"`), f);
      assert.equal((await t.db.selectFrom('users').select('id').execute()).length, 2, 'nothing written');
      const res = await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'Focal@Example.SN', name: 'Awa Focal', role: 'focal_point', country: 'SN', lang: 'fr' });
      assert.equal(res.statusCode, 303);
      const list = await admin.get(String(res.headers.location));
      assert.match(list.body, /focal@example.sn/);
      assert.match(list.body, /invited/);
      const mail = await t.db.selectFrom('outbox').selectAll().where('purpose', '=', 'invitation').executeTakeFirstOrThrow();
      assert.equal(mail.to_address, 'focal@example.sn');
      assert.match(mail.subject, /Invitation/, 'written in the invitee’s language');
      const link = mail.text_body.match(/\/admin\/invitation\/[\w-]+/)?.[0];
      assert.ok(link);
      const invited = new TestClient(t.app);
      assert.equal((await invited.login('focal@example.sn', PASSWORD)).statusCode, 400, 'no sign-in before accepting');
      const accept = await invited.submit(link, link, { password: PASSWORD, confirm: PASSWORD });
      assert.equal(accept.statusCode, 303);
      assert.equal((await invited.login('focal@example.sn', PASSWORD)).statusCode, 303);
      const dash = await invited.get('/admin/');
      assert.equal(dash.statusCode, 200);
      assert.match(dash.body, /lang="fr"/);
      const dup = await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'focal@example.sn', name: 'Again', role: 'editor', lang: 'en' });
      assert.match(dup.body, /already uses this e-mail address/);
    });

    test('changing a role is audited as a permission change and ends the person’s sessions', async () => {
      const editor = new TestClient(t.app);
      await editor.login('editor@example.org', PASSWORD);
      assert.equal((await editor.get('/admin/activities')).statusCode, 200);
      const target = await t.db.selectFrom('users').select('id').where('email', '=', 'editor@example.org').executeTakeFirstOrThrow();
      const res = await admin.submit(`/admin/users/${target.id}`, `/admin/users/${target.id}`, { name: 'Eda', role: 'participant', country: '', organisation: '', lang: 'en', status: 'active' });
      assert.equal(res.statusCode, 303);
      assert.equal((await editor.get('/admin/activities')).statusCode, 303, 'signed out');
      const entry = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.permissions_changed').executeTakeFirstOrThrow();
      assert.equal(entry.actor_user_id, adminId);
      assert.match(String(entry.before_json), /"role":"editor"/);
      assert.match(String(entry.after_json), /"role":"participant"/);
      const audit = await admin.get('/admin/audit?action=user.permissions_changed');
      assert.match(audit.body, /user.permissions_changed/);
    });

    test('nobody edits their own role or status; editors cannot reach accounts', async () => {
      const self = await admin.get(`/admin/users/${adminId}`);
      assert.match(self.body, /cannot change your own role/);
      const page = await admin.get('/admin/users');
      const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
      const post = await admin.post(`/admin/users/${adminId}`, { _csrf: token, name: 'Ada', role: 'participant', lang: 'en', status: 'active' });
      assert.equal(post.statusCode, 403);
      const role = await t.db.selectFrom('users').select('role_code').where('id', '=', adminId).executeTakeFirstOrThrow();
      assert.equal(role.role_code, 'admin');
      await createUser(t.db, { email: 'ed2@example.org', password: PASSWORD, role: 'editor' });
      const ed = new TestClient(t.app);
      await ed.login('ed2@example.org', PASSWORD);
      for (const url of ['/admin/users', '/admin/users/invite', `/admin/users/${adminId}`]) assert.equal((await ed.get(url)).statusCode, 403, url);
    });
  });
}
