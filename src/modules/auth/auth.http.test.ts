import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { DEMO_USERS, seedDemoUsers } from './demo-users.js';
import { createUser, passwordProblem } from './users.commands.js';

const PASSWORD = 'correct horse battery staple';

for (const dialect of await dialectsUnderTest()) {
  describe(`accounts and sessions (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { demo: false, config: { loginMaxFailures: 3, smtpUrl: undefined } });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor', displayName: 'Eda Editor' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', displayName: 'Focal Point', countryCode: 'SN' });
    });
    after(async () => t.close());
    const audits = async (action: string) => Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

    test('sign-in sets an HttpOnly SameSite=Lax session cookie on /admin, rotated at each login, removed at logout', async () => {
      const c = new TestClient(t.app);
      const res = await c.login('Editor@Example.org ', PASSWORD);
      assert.equal(res.statusCode, 303, res.body.slice(0, 300));
      assert.equal(res.headers.location, '/admin/');
      const cookie = [res.headers['set-cookie']].flat().find((x) => String(x).startsWith('diwan_session='));
      assert.match(String(cookie), /HttpOnly/);
      assert.match(String(cookie), /SameSite=Lax/);
      assert.match(String(cookie), /Path=\/admin/);
      const first = c.cookies.get('diwan_session');
      const dash = await c.get('/admin/');
      assert.equal(dash.statusCode, 200);
      assert.equal(dash.headers['cache-control'], 'private, no-store');
      assert.match(dash.body, /Eda Editor/);
      const again = await c.post('/admin/login', { _csrf: csrfToken(dash.body), email: 'editor@example.org', password: PASSWORD });
      assert.equal(again.statusCode, 303);
      assert.notEqual(c.cookies.get('diwan_session'), first, 'a new session id at each login');
      const out = await c.post('/admin/logout', { _csrf: csrfToken(dash.body) });
      assert.equal(out.statusCode, 303);
      assert.equal(c.cookies.get('diwan_session'), undefined);
      const after = await c.get('/admin/');
      assert.equal(after.statusCode, 303);
      assert.match(String(after.headers.location), /^\/admin\/login/);
      // The old session id no longer works even if replayed.
      const replay = await t.app.inject({ url: '/admin/', headers: { cookie: `diwan_session=${first}` } });
      assert.equal(replay.statusCode, 303);
    });

    test('a wrong password and an unknown account get the same answer; failures are throttled and audited', async () => {
      const c = new TestClient(t.app);
      const unknown = await c.login('nobody@example.org', 'whatever password');
      const wrong = await c.login('fp@example.org', 'wrong password!!');
      assert.equal(unknown.statusCode, 400);
      assert.equal(wrong.statusCode, 400);
      const msg = (html: string) => html.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
      assert.equal(msg(unknown.body), msg(wrong.body));
      assert.match(wrong.body, /value="fp@example.org"/, 'the address typed is kept');
      await c.login('fp@example.org', 'wrong password!!');
      await c.login('fp@example.org', 'wrong password!!');
      const locked = await c.login('fp@example.org', PASSWORD);
      assert.equal(locked.statusCode, 429, 'even the right password waits once the account is throttled');
      assert.match(locked.body, /Too many unsuccessful attempts/);
      const lockedUnknown = await c.login('ghost@example.org', 'x'.repeat(12));
      await c.login('ghost@example.org', 'x'.repeat(12));
      await c.login('ghost@example.org', 'x'.repeat(12));
      const ghost = await c.login('ghost@example.org', 'x'.repeat(12));
      assert.equal(lockedUnknown.statusCode, 400);
      assert.equal(ghost.statusCode, 429, 'unknown accounts are throttled the same way');
      assert.ok((await audits('login.failed')) >= 5);
      assert.ok((await audits('login.throttled')) >= 1);
      assert.match(String(locked.headers['retry-after']), /^\d+$/, 'Retry-After says when');
      const rows = await t.db.selectFrom('login_throttle').select('key').execute();
      assert.ok(rows.every((r) => !r.key.includes('@')), 'throttle keys do not store addresses');
    });

    test('the throttle holds: parallel guesses are counted before the password check; a stranger elsewhere does not lock the owner out; a reset lifts it', async () => {
      await createUser(t.db, { email: 'target@example.org', password: PASSWORD, role: 'editor' });
      const from = (address: string) => {
        const c = new TestClient(t.app);
        return {
          async login(password: string) {
            const page = await t.app.inject({ method: 'GET', url: '/admin/login', remoteAddress: address });
            const cookie = [page.headers['set-cookie']].flat().map((x) => String(x).split(';')[0]).join('; ');
            return t.app.inject({ method: 'POST', url: '/admin/login', remoteAddress: address, payload: new URLSearchParams({ _csrf: csrfToken(page.body), email: 'target@example.org', password }).toString(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
          },
          c,
        };
      };
      const attacker = from('198.51.100.66');
      const before = await audits('login.failed');
      const results = await Promise.all(Array.from({ length: 25 }, () => attacker.login('guess guess guess')));
      assert.equal(results.filter((r) => r.statusCode === 400).length, 3, 'three reach the password check, however many are sent at once');
      assert.equal(results.filter((r) => r.statusCode === 429).length, 22);
      assert.equal((await audits('login.failed')) - before, 3);
      // The owner, from their own network, is not locked out by the stranger.
      assert.equal((await from('192.0.2.10').login(PASSWORD)).statusCode, 303);
      // Locked from the attacker's network, even with the right password.
      assert.equal((await attacker.login(PASSWORD)).statusCode, 429);
    });

    test('a form posted without or with a wrong CSRF token is refused and changes nothing', async () => {
      const c = new TestClient(t.app);
      await c.get('/admin/login');
      const none = await c.post('/admin/login', { email: 'editor@example.org', password: PASSWORD });
      assert.equal(none.statusCode, 403);
      assert.match(none.body, /You cannot do this/);
      assert.equal(c.cookies.get('diwan_session'), undefined);
      const bad = await c.post('/admin/login', { _csrf: 'forged', email: 'editor@example.org', password: PASSWORD });
      assert.equal(bad.statusCode, 403);
      const other = new TestClient(t.app);
      const foreign = await other.get('/admin/login');
      const cross = await c.post('/admin/login', { _csrf: csrfToken(foreign.body), email: 'editor@example.org', password: PASSWORD });
      assert.equal(cross.statusCode, 403, "another browser's token does not work");
    });

    test('only local back-office paths are followed after sign-in', async () => {
      const c = new TestClient(t.app);
      const page = await c.get('/admin/login?next=/admin/activities');
      assert.match(page.body, /name="next" value="\/admin\/activities"/);
      const ok = await c.post('/admin/login', { _csrf: csrfToken(page.body), email: 'editor@example.org', password: PASSWORD, next: '/admin/activities' });
      assert.equal(ok.headers.location, '/admin/activities');
      const d = new TestClient(t.app);
      const evil = await d.submit('/admin/login', '/admin/login', { email: 'editor@example.org', password: PASSWORD, next: '//evil.example/admin/x' });
      assert.equal(evil.headers.location, '/admin/');
      for (const bad of ['/admin/x\r\nSet-Cookie: a=b', '/admin/x\nLocation: //evil.example', '/admin/\\evil.example', '/admin/a b', `/admin/${'x'.repeat(3000)}`]) {
        const e = new TestClient(t.app);
        const r = await e.submit('/admin/login', '/admin/login', { email: 'editor@example.org', password: PASSWORD, next: bad });
        assert.equal(r.statusCode, 303, `a next of ${JSON.stringify(bad.slice(0, 40))} is refused without an error`);
        assert.equal(r.headers.location, '/admin/');
        assert.equal(r.headers['set-cookie']?.toString().includes('a=b'), false);
        const again = await e.get(`/admin/login?next=${encodeURIComponent(bad)}`);
        if (bad.length > 2048) {
          assert.equal(again.statusCode, 414, 'an address over the limit gets its page');
          continue;
        }
        assert.equal(again.statusCode, 303, 'signed in already: the same fallback');
        assert.equal(again.headers.location, '/admin/');
      }
    });

    test('password reset: same answer for any address, a single-use expiring link, all sessions ended', async () => {
      const c = new TestClient(t.app);
      const before = await t.db.selectFrom('outbox').select('id').execute();
      const unknown = await c.submit('/admin/password/forgot', '/admin/password/forgot', { email: 'nobody@example.org' });
      const known = await c.submit('/admin/password/forgot', '/admin/password/forgot', { email: 'editor@example.org' });
      // The lookup and the mail are a job, off the request path.
      await t.app.diwan.jobs.drain();
      assert.equal(unknown.statusCode, 200);
      assert.equal(known.statusCode, 200);
      assert.match(known.body, /data-testid="reset-sent"/);
      assert.match(unknown.body, /data-testid="reset-sent"/);
      const mails = await t.db.selectFrom('outbox').selectAll().where('id', 'not in', before.length ? before.map((b) => b.id) : [0]).execute();
      assert.equal(mails.length, 1, 'only the real account gets a mail');
      assert.equal(mails[0]?.to_address, 'editor@example.org');
      const token = mails[0]?.text_body.match(/\/admin\/password\/reset\/([\w-]+)/)?.[1];
      assert.ok(token);
      const stored = await t.db.selectFrom('auth_tokens').select('id').execute();
      assert.ok(stored.every((s) => s.id !== token), 'only a hash of the token is stored');

      const session = new TestClient(t.app);
      await session.login('editor@example.org', PASSWORD);
      assert.equal((await session.get('/admin/')).statusCode, 200);

      const short = await c.submit(`/admin/password/reset/${token}`, `/admin/password/reset/${token}`, { password: 'short', confirm: 'short' });
      assert.equal(short.statusCode, 400);
      assert.match(short.body, /at least 12 characters/);
      const mismatch = await c.submit(`/admin/password/reset/${token}`, `/admin/password/reset/${token}`, { password: 'a brand new passphrase', confirm: 'another one entirely' });
      assert.match(mismatch.body, /not the same/);
      const done = await c.submit(`/admin/password/reset/${token}`, `/admin/password/reset/${token}`, { password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
      assert.equal(done.statusCode, 303);
      assert.equal((await session.get('/admin/')).statusCode, 303, 'existing sessions ended');
      const reuse = await c.get(`/admin/password/reset/${token}`);
      assert.equal(reuse.statusCode, 410);
      assert.equal((await new TestClient(t.app).login('editor@example.org', PASSWORD)).statusCode, 400);
      assert.equal((await new TestClient(t.app).login('editor@example.org', 'a brand new passphrase')).statusCode, 303);
      // An expired link is refused too.
      await t.db.updateTable('auth_tokens').set({ used_at: null, expires_at: '2000-01-01T00:00:00.000Z' }).execute();
      assert.equal((await c.get(`/admin/password/reset/${token}`)).statusCode, 410);
      await createUser(t.db, { email: 'restore@example.org', password: PASSWORD, role: 'participant' });
    });

    test('links stay closed: a disabled account’s reset link opens nothing, a newer link spends the older, an account is sent a few an hour', async () => {
      const userId = await createUser(t.db, { email: 'links@example.org', password: PASSWORD, role: 'editor', displayName: 'Lin Links' });
      const linksOf = async () => (await t.db.selectFrom('outbox').select('text_body').where('to_address', '=', 'links@example.org').orderBy('id').execute()).map((m) => m.text_body.match(/\/admin\/password\/reset\/([\w-]+)/)![1]!);
      const ask = async () => {
        const res = await new TestClient(t.app).submit('/admin/password/forgot', '/admin/password/forgot', { email: 'links@example.org' });
        await t.app.diwan.jobs.drain();
        return res;
      };
      await ask();
      await ask();
      const [older, newer] = await linksOf();
      const c = new TestClient(t.app);
      assert.equal((await c.get(`/admin/password/reset/${newer}`)).headers['referrer-policy'], 'no-referrer', 'the address with the secret is never sent on');
      assert.equal((await c.get(`/admin/password/reset/${older}`)).statusCode, 410, 'a newer link spends the older one');
      assert.equal((await c.get(`/admin/password/reset/${newer}`)).statusCode, 200);
      await ask();
      await ask();
      assert.equal((await linksOf()).length, 3, 'three links an hour, then the same answer and no mail');

      // Disabled by an admin: the link it still has opens nothing, and the account stays disabled.
      const latest = (await linksOf()).at(-1)!;
      await createUser(t.db, { email: 'links-admin@example.org', password: PASSWORD, role: 'admin' });
      const admin = new TestClient(t.app);
      await admin.login('links-admin@example.org', PASSWORD);
      const outbox = await admin.get('/admin/outbox');
      assert.equal(outbox.statusCode, 200);
      assert.ok(!outbox.body.includes(latest), 'another admin does not see the link');
      assert.match(outbox.body, /\/admin\/password\/reset\/\[personal link hidden\]/);
      // Passwords people guess first, or that hold the account's own name, are refused (NIST 800-63B).
      for (const [password, message] of [
        [' '.repeat(12), /at least 12 characters/],
        ['password1234', /among the first ones guessed/],
        ['qwertyqwerty!', /among the first ones guessed/],
        ['111111111111', /among the first ones guessed/],
        ['my links are 2024', /must not contain your e-mail address or your name/],
      ] as const) {
        const res = await c.submit(`/admin/password/reset/${latest}`, `/admin/password/reset/${latest}`, { password, confirm: password });
        assert.equal(res.statusCode, 400, password);
        assert.match(res.body, message);
      }
      const disabled = await admin.submit(`/admin/users/${userId}`, `/admin/users/${userId}`, { name: 'Lin Links', role: 'editor', country: '', organisation: '', lang: 'en', status: 'disabled' });
      assert.equal(disabled.statusCode, 303, disabled.body.slice(0, 300));
      assert.equal((await c.get(`/admin/password/reset/${latest}`)).statusCode, 410);
      const page = await c.get('/admin/password/forgot');
      const forced = await c.post(`/admin/password/reset/${latest}`, { _csrf: csrfToken(page.body), password: 'a brand new passphrase', confirm: 'a brand new passphrase' });
      assert.notEqual(forced.statusCode, 303);
      assert.equal((await t.db.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirstOrThrow()).status, 'disabled');
      // Enabled again, the old link still opens nothing: it was spent when the status changed.
      await admin.submit(`/admin/users/${userId}`, `/admin/users/${userId}`, { name: 'Lin Links', role: 'editor', country: '', organisation: '', lang: 'en', status: 'active' });
      assert.equal((await c.get(`/admin/password/reset/${latest}`)).statusCode, 410);
    });

    test('reset requests are limited per network, with Retry-After', async () => {
      const from = (n: number) => t.app.inject({ method: 'GET', url: '/admin/password/forgot', remoteAddress: `203.0.113.${n}` });
      const page = await from(9);
      const cookie = [page.headers['set-cookie']].flat().map((c) => String(c).split(';')[0]).join('; ');
      let last = 0;
      let retry: unknown;
      for (let i = 0; i < 11; i++) {
        const res = await t.app.inject({ method: 'POST', url: '/admin/password/forgot', remoteAddress: '203.0.113.9', payload: new URLSearchParams({ _csrf: csrfToken(page.body), email: `someone${i}@example.org` }).toString(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
        last = res.statusCode;
        retry = res.headers['retry-after'];
      }
      assert.equal(last, 429);
      assert.equal(retry, '3600');
    });

    test('sessions expire after the idle timeout', async () => {
      const c = new TestClient(t.app);
      await c.login('fp2@example.org', PASSWORD);
      await createUser(t.db, { email: 'idle@example.org', password: PASSWORD, role: 'editor' });
      const d = new TestClient(t.app);
      await t.db.deleteFrom('login_throttle').execute();
      assert.equal((await d.login('idle@example.org', PASSWORD)).statusCode, 303);
      await t.db.updateTable('sessions').set({ last_seen_at: '2000-01-01T00:00:00.000Z' }).execute();
      assert.equal((await d.get('/admin/')).statusCode, 303);
      const idle = await t.db.selectFrom('users').select('id').where('email', '=', 'idle@example.org').executeTakeFirstOrThrow();
      assert.equal((await t.db.selectFrom('sessions').select('id').where('user_id', '=', idle.id).execute()).length, 0, 'the expired session is deleted');
    });

    test('a focal point reaches the dashboard but no editor page; a participant not even the dashboard', async () => {
      await t.db.deleteFrom('login_throttle').execute();
      const c = new TestClient(t.app);
      assert.equal((await c.login('fp@example.org', PASSWORD)).statusCode, 303);
      const dash = await c.get('/admin/');
      assert.equal(dash.statusCode, 200);
      assert.doesNotMatch(dash.body, /href="\/admin\/activities"/);
      for (const url of ['/admin/activities', '/admin/activities/new', '/admin/audit', '/admin/outbox']) {
        assert.equal((await c.get(url)).statusCode, 403, url);
      }
      const p = new TestClient(t.app);
      assert.equal((await p.login('restore@example.org', PASSWORD)).statusCode, 303);
      assert.equal((await p.get('/admin/')).statusCode, 403);
    });

    test('the audit log cannot be changed, even by a direct query', async () => {
      await assert.rejects(t.db.updateTable('audit_log').set({ action: 'forged' }).execute(), /append-only/);
      await assert.rejects(t.db.deleteFrom('audit_log').execute(), /append-only/);
    });

    test('outside the test suites the demo accounts get random passwords, returned once, that sign in; the published ones do not', async () => {
      const created = await seedDemoUsers(t.db, { passwords: 'random' });
      assert.deepEqual(created.map((u) => u.role), ['admin', 'editor', 'organiser', 'focal_point']);
      const fixed = new Set(DEMO_USERS.map((u) => u.password));
      for (const u of created) {
        assert.ok(!fixed.has(u.password) && u.password.length >= 16, 'not a published password');
        assert.equal(passwordProblem(u.password, { email: u.email, name: u.displayName }), null);
      }
      assert.equal(new Set(created.map((u) => u.password)).size, created.length, 'each its own');
      const admin = created[0]!;
      assert.equal((await new TestClient(t.app).login(admin.email, DEMO_USERS[0]!.password)).statusCode, 400);
      assert.equal((await new TestClient(t.app).login(admin.email, admin.password)).statusCode, 303);
      assert.deepEqual(await seedDemoUsers(t.db, { passwords: 'random' }), [], 'a second start creates none and prints none');
    });
  });
}

test('passwords found in breaches are refused as they are, with digits and signs around them, or repeated; passphrases pass', () => {
  for (const p of ['1qaz2wsx3edc', 'sunshine2024!!', '!!Football1234', 'iloveyou iloveyou', 'monkeymonkeymonkey', 'Princess12345', 'rabatprocess2026', 'motdepasse2026!']) {
    assert.equal(passwordProblem(p), 'guessable', p);
  }
  for (const p of ['correct horse battery staple', 'quiet harbour lantern 42', 'a brand new passphrase', 'Migration dialogue Dakar 2026', 'Lz8-Qw3_Xe5!Mn']) {
    assert.equal(passwordProblem(p), null, p);
  }
});

describe('the session cookie behind https', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp('sqlite', { demo: true, config: { publicUrl: 'https://rabat.example', secureCookies: true } });
    await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor', displayName: 'Eda Editor' });
  });
  after(async () => t.close());

  test('is __Host-diwan_session: Secure, Path=/, no Domain; a public page asked with it is neither taken from nor put in the cache; sign-out clears it', async () => {
    const c = new TestClient(t.app);
    const res = await c.login('editor@example.org', PASSWORD);
    assert.equal(res.statusCode, 303);
    const cookie = String([res.headers['set-cookie']].flat().find((x) => String(x).startsWith('__Host-diwan_session=')));
    assert.match(cookie, /; Path=\/(;|$)/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.doesNotMatch(cookie, /Domain=/i);
    assert.equal((await c.get('/admin/')).statusCode, 200, 'the back-office reads it');
    const anonymous = await t.app.inject('/en/activities');
    assert.equal(anonymous.headers['cache-control'], 'public, max-age=0, must-revalidate');
    const signedIn = await c.get('/en/activities');
    assert.equal(signedIn.headers['cache-control'], 'private, no-store', 'an editor’s public page is not shared');
    const dash = await c.get('/admin/');
    await c.post('/admin/logout', { _csrf: csrfToken(dash.body) });
    assert.equal(c.cookies.get('__Host-diwan_session'), undefined);
    assert.equal((await c.get('/admin/')).statusCode, 303, 'signed out');
  });
});
