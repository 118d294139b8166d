/**
 * Delegations end to end over HTTP, on both databases, with mail through a real SMTP peer: the
 * organiser invites partners with seats and their focal points are told; a focal point sees and
 * nominates for their own partner only; a delegation's seats hold under concurrent nominations and
 * free seats go to its waiting delegates; the head of delegation; the nomination letter checked
 * like the library's uploads; the public form by link or by invitation only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfToken, TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { startSmtpSink, type Received } from '../../../test/helpers/smtp.js';
import { makeHtml, makePdf } from '../../platform/files/test-files.js';
import { createUser } from '../auth/index.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';

const PASSWORD = 'correct horse battery staple';

for (const dialect of await dialectsUnderTest()) {
  describe(`delegations (${dialect})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let received: Received[] = [];
    let organiser: TestClient;
    let senegal: TestClient;
    let spain: TestClient;
    let editor: TestClient;
    let meeting: { id: number; en: string };
    const invitations: Record<string, number> = {};
    const year = new Date().getUTCFullYear() + 1;
    const drain = () => t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
    const cookie = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const delegate = (given: string, family: string, email: string, extra: Record<string, string | string[]> = {}) => ({
      title: 'mr',
      given_name: given,
      family_name: family,
      function: 'Director of migration',
      institution: 'Ministry of the Interior',
      email,
      languages: ['fr'],
      consent_data: '1',
      ...extra,
    });
    const nominate = (client: TestClient, invitation: number, fields: Record<string, string | string[]>) => client.submit(`/admin/delegations/${invitation}`, `/admin/delegations/${invitation}/nominate`, fields);
    const stateOf = async (email: string) => (await t.db.selectFrom('registrations').select('state').where('email_key', '=', email.toLowerCase()).where('activity_id', '=', meeting.id).executeTakeFirstOrThrow()).state;
    const settings = (fields: Record<string, string>) => organiser.submit(`/admin/activities/${meeting.id}/registrations`, `/admin/activities/${meeting.id}/registrations/settings`, fields);

    before(async () => {
      smtp = await startSmtpSink();
      received = smtp.received;
      t = await createTestApp(dialect, { demo: true, config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, publicUrl: 'https://rabat.example' } });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'fp.sn@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'SN', displayName: 'Awa Ndiaye', lang: 'fr' });
      await createUser(t.db, { email: 'fp.es@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'ES', displayName: 'Lucía Gómez' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      organiser = new TestClient(t.app);
      senegal = new TestClient(t.app);
      spain = new TestClient(t.app);
      editor = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await senegal.login('fp.sn@example.org', PASSWORD);
      await spain.login('fp.es@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      const row = await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await t.db
        .updateTable('activities')
        .set({ start_date: `${year}-05-12`, end_date: `${year}-05-13`, date_precision: 'day', status: 'announced', published_at: new Date(Date.now() - 60_000).toISOString() })
        .where('id', '=', row.id)
        .execute();
      const slug = await t.db.selectFrom('activity_translations').select('slug').where('activity_id', '=', row.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      meeting = { id: row.id, en: slug.slug };
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    test('the organiser invites partners with seats; bad input is refused and kept; the focal points are told by mail', async () => {
      const base = `/admin/activities/${meeting.id}/invitations`;
      assert.equal((await editor.get(base)).statusCode, 403, 'an editor does not manage invitations');
      assert.equal((await senegal.get(base)).statusCode, 403, 'nor does a focal point');
      const early = await organiser.submit(base, base, { partner: 'c:SN', seats: '2' });
      assert.equal(early.statusCode, 400, 'no registration settings yet');
      assert.match(early.body, /Set up registration for this meeting first/);

      assert.equal((await settings({ open: '1', form: 'invited', capacity: '20', closes_on: '', approval: 'manual' })).statusCode, 303);
      const bad = await organiser.submit(base, base, { partner: 'c:ZZ', seats: 'lots' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Choose a country or organisation/);
      assert.match(bad.body, /Enter a whole number of seats from 1 to 1,000/);
      assert.match(bad.body, /value="lots"/, 'what was typed is kept');
      assert.equal((await t.db.selectFrom('meeting_invitations').select('id').where('activity_id', '=', meeting.id).execute()).length, 0, 'nothing written');

      for (const [code, seats] of [['SN', '2'], ['ES', '1']] as const) {
        const res = await organiser.submit(base, base, { partner: `c:${code}`, seats });
        assert.equal(res.statusCode, 303, res.body.slice(0, 500));
        invitations[code] = (await t.db.selectFrom('meeting_invitations').select('id').where('activity_id', '=', meeting.id).where('country_code', '=', code).executeTakeFirstOrThrow()).id;
      }
      const again = await organiser.submit(base, base, { partner: 'c:SN', seats: '3' });
      assert.equal(again.statusCode, 409, 'a partner is invited once');
      assert.match(again.body, /This partner is already invited/);
      const list = await organiser.get(base);
      assert.equal((list.body.match(/data-testid="invitation-row"/g) ?? []).length, 2);
      assert.match(list.body, /0 of 2 seats taken/);

      await drain();
      const mail = received.find((m) => m.to.includes('fp.sn@example.org'));
      assert.ok(mail, 'the Senegalese focal point is told');
      assert.match(mail.subject, /^Invitation : /, 'in their language');
      assert.match(mail.text, /avec 2 places/);
      assert.match(mail.text, new RegExp(`https://rabat.example/admin/delegations/${invitations.SN}`));
      assert.ok(!received.some((m) => m.to.includes('fp.es@example.org') && m.text.includes('2 seats')), 'Spain is told of its own seat only');
    });

    test('a focal point sees and acts for their own partner only', async () => {
      const mine = await senegal.get('/admin/delegations');
      assert.equal(mine.statusCode, 200);
      assert.equal((mine.body.match(/data-testid="delegation-row"/g) ?? []).length, 2, 'this meeting and the demo meeting');
      assert.match(mine.body, /href="\/admin\/delegations"[^>]*>Délégations</, 'the navigation names the page');
      assert.equal((await spain.get(`/admin/delegations/${invitations.SN}`)).statusCode, 404, 'Spain cannot see Senegal’s delegation');
      const page = await spain.get(`/admin/delegations/${invitations.ES}`);
      const forged = await spain.post(`/admin/delegations/${invitations.SN}/nominate`, { _csrf: csrfToken(page.body), ...delegate('Juan', 'Pérez', 'juan@example.es') });
      assert.equal(forged.statusCode, 404, 'nor nominate for it');
      assert.equal((await spain.get(`/admin/delegations/${invitations.SN}/letter`)).statusCode, 404);
      assert.equal((await editor.get(`/admin/delegations/${invitations.SN}`)).statusCode, 404, 'an editor is no focal point');
      assert.equal((await editor.get('/admin/delegations')).statusCode, 403);
      assert.equal(await t.db.selectFrom('registrations').select('id').where('email_key', '=', 'juan@example.es').executeTakeFirst(), undefined);
    });

    test('nominations: bad input refused with the rest kept; seats of the delegation first, then its waiting list; the delegate gets their link', async () => {
      const id = invitations.SN!;
      const bad = await nominate(senegal, id, delegate('Mamadou\u0000', '', 'not-an-address', { represents: 'c:ES' }));
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Saisissez : nom de famille/);
      assert.match(bad.body, /adresse électronique/);
      assert.match(bad.body, /value="not-an-address"/);
      assert.equal((await t.db.selectFrom('registrations').select('id').where('invitation_id', '=', id).execute()).length, 0, 'nothing written');

      for (const [given, family, email] of [['Mamadou', 'Sarr', 'm.sarr@example.sn'], ['Fatou', 'Ba', 'f.ba@example.sn'], ['Ousmane', 'Diallo', 'o.diallo@example.sn']]) {
        const res = await nominate(senegal, id, delegate(given!, family!, email!, { represents: 'c:ES' }));
        assert.equal(res.statusCode, 303, res.body.slice(0, 800));
      }
      assert.equal(await stateOf('m.sarr@example.sn'), 'pending');
      assert.equal(await stateOf('f.ba@example.sn'), 'pending');
      assert.equal(await stateOf('o.diallo@example.sn'), 'waitlisted', 'the third waits: the delegation has two seats');
      const row = await t.db.selectFrom('registrations').select(['country_code', 'nominated_by', 'invitation_id']).where('email_key', '=', 'm.sarr@example.sn').executeTakeFirstOrThrow();
      assert.equal(row.country_code, 'SN', 'the delegation is the invitation’s, whatever the form said');
      assert.equal(row.invitation_id, id);
      assert.ok(row.nominated_by);

      const page = await senegal.get(`/admin/delegations/${id}`);
      assert.match(page.body, /2 places occupées sur 2, 1 en attente/);
      assert.equal((page.body.match(/data-testid="delegate-row"/g) ?? []).length, 3);

      await drain();
      const mail = received.find((m) => m.to.includes('m.sarr@example.sn'));
      assert.ok(mail);
      assert.match(mail.subject, /désigné·e/);
      assert.match(mail.text, /https:\/\/rabat\.example\/fr\/registrations\/[\w-]{43}/, 'their personal link');

      // The delegate corrects their details through their link, but stays in Senegal's delegation.
      const token = mail.text.match(/\/fr\/registrations\/([\w-]{43})/)![1]!;
      const own = await t.app.inject(`/fr/registrations/${token}`);
      assert.match(own.body, /<input type="hidden" name="represents" value="c:SN"\/>/, 'the delegation is fixed on their page');
      const moved = await t.app.inject({ method: 'POST', url: `/fr/registrations/${token}`, payload: new URLSearchParams({ ...delegate('Mamadou', 'Sarr', ''), function: 'Ambassador', represents: 'c:ES' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(moved.statusCode, 303, moved.body.slice(0, 300));
      const after = await t.db.selectFrom('registrations').select(['country_code', 'function', 'invitation_id']).where('email_key', '=', 'm.sarr@example.sn').executeTakeFirstOrThrow();
      assert.deepEqual(after, { country_code: 'SN', function: 'Ambassador', invitation_id: id });

      const again = await nominate(senegal, id, delegate('Mamadou', 'Sarr', 'M.Sarr@example.sn'));
      assert.equal(again.statusCode, 303);
      assert.match(String(again.headers.location), /done=again/);
    });

    test('seats freed or added go to the delegation’s waiting delegates; an approval beyond its seats is refused', async () => {
      const id = invitations.SN!;
      const waiting = await t.db.selectFrom('registrations').select('id').where('email_key', '=', 'o.diallo@example.sn').executeTakeFirstOrThrow();
      const one = `/admin/activities/${meeting.id}/registrations/${waiting.id}`;
      const refused = await organiser.submit(one, `${one}/decide`, { decision: 'approved' });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Every seat of this registrant(&#39;|')s delegation is taken/);

      // A cancelled delegate's seat goes to the one waiting in the same delegation.
      const ba = await t.db.selectFrom('registrations').select('id').where('email_key', '=', 'f.ba@example.sn').executeTakeFirstOrThrow();
      const baPage = `/admin/activities/${meeting.id}/registrations/${ba.id}`;
      assert.equal((await organiser.submit(baPage, `${baPage}/decide`, { decision: 'cancelled' })).statusCode, 303);
      assert.equal(await stateOf('o.diallo@example.sn'), 'pending', 'promoted within the delegation');

      // Another waiting delegate, then a third seat: promoted at once.
      assert.equal((await nominate(senegal, id, delegate('Aminata', 'Fall', 'a.fall@example.sn'))).statusCode, 303);
      assert.equal(await stateOf('a.fall@example.sn'), 'waitlisted');
      const base = `/admin/activities/${meeting.id}/invitations`;
      assert.equal((await organiser.submit(base, `${base}/${id}/seats`, { seats: 'zero' })).statusCode, 400);
      assert.equal((await organiser.submit(base, `${base}/${id}/seats`, { seats: '3' })).statusCode, 303);
      assert.equal(await stateOf('a.fall@example.sn'), 'pending');
      assert.equal((await organiser.submit(base, `${base}/${id}/withdraw`, {})).statusCode, 409, 'not withdrawn while delegates hold seats');
    });

    test('concurrent nominations never exceed the delegation’s seats', async () => {
      const base = `/admin/activities/${meeting.id}/invitations`;
      const spainId = invitations.ES!;
      assert.equal((await organiser.submit(base, `${base}/${spainId}/seats`, { seats: '3' })).statusCode, 303);
      const page = await spain.get(`/admin/delegations/${spainId}`);
      const token = csrfToken(page.body);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => spain.post(`/admin/delegations/${spainId}/nominate`, { _csrf: token, ...delegate(`Delegado${i}`, 'García', `d${i}@example.es`) })));
      assert.ok(results.every((r) => r.statusCode === 303), results.map((r) => r.statusCode).join(','));
      const states = (await t.db.selectFrom('registrations').select('state').where('invitation_id', '=', spainId).execute()).map((r) => r.state);
      assert.equal(states.filter((s) => s === 'pending').length, 3);
      assert.equal(states.filter((s) => s === 'waitlisted').length, 7);
    });

    test('the head of delegation and the nomination letter, checked like the library’s uploads', async () => {
      const id = invitations.SN!;
      const sarr = await t.db.selectFrom('registrations').select('id').where('email_key', '=', 'm.sarr@example.sn').executeTakeFirstOrThrow();
      const spanish = await t.db.selectFrom('registrations').select('id').where('invitation_id', '=', invitations.ES!).limit(1).executeTakeFirstOrThrow();
      const wrong = await senegal.submit(`/admin/delegations/${id}`, `/admin/delegations/${id}/head`, { head: String(spanish.id) });
      assert.equal(wrong.statusCode, 400, 'a delegate of another delegation cannot head this one');
      assert.equal((await senegal.submit(`/admin/delegations/${id}`, `/admin/delegations/${id}/head`, { head: String(sarr.id) })).statusCode, 303);
      assert.match((await senegal.get(`/admin/delegations/${id}`)).body, /Sarr, Mamadou<\/span> <strong class="tag" data-testid="head-tag">/);
      assert.match((await organiser.get(`/admin/activities/${meeting.id}/invitations`)).body, /Mamadou Sarr/);

      const send = async (filename: string, content: Buffer) => {
        const page = await senegal.get(`/admin/delegations/${id}`);
        const body = multipart([
          { name: '_csrf', value: csrfToken(page.body) },
          { name: 'letter', filename, content },
        ]);
        return t.app.inject({ method: 'POST', url: `/admin/delegations/${id}/letter`, payload: body.payload, headers: { cookie: cookie(senegal), 'content-type': body.contentType } });
      };
      const html = await send('note-verbale.pdf', makeHtml());
      assert.equal(html.statusCode, 400);
      assert.match(html.body, /field-error/);
      assert.equal((await t.db.selectFrom('invitation_letters').select('invitation_id').execute()).length, 0, 'nothing kept');
      const pdf = await makePdf(['Note verbale', 'The Republic of Senegal nominates its delegation.']);
      assert.equal((await send('Note verbale Sénégal.pdf', pdf)).statusCode, 303);
      const download = await senegal.get(`/admin/delegations/${id}/letter`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.match(String(download.headers['content-disposition']), /^attachment; filename="Note verbale Senegal\.pdf"; filename\*=UTF-8''Note%20verbale%20S%C3%A9n%C3%A9gal\.pdf$/);
      assert.match(String(download.headers['cache-control']), /no-store/);
      assert.deepEqual(download.rawPayload, pdf);
      assert.equal((await organiser.get(`/admin/delegations/${id}/letter`)).statusCode, 200, 'the organiser reads it too');
      const tooBig = await t.app.inject({ method: 'POST', url: `/admin/delegations/${id}/letter`, headers: { cookie: cookie(senegal), 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * 1024 * 1024) }, payload: '' });
      assert.equal(tooBig.statusCode, 413, 'refused on its declared size before the body is read');
    });

    test('the public form: by invitation only, then by link for experts and observers', async () => {
      const form = `/en/activities/${meeting.en}/register`;
      const invited = await t.app.inject(form);
      assert.equal(invited.statusCode, 403);
      assert.match(invited.body, /Registration is by invitation/);
      assert.match((await t.app.inject(`/en/activities/${meeting.en}`)).body, /data-testid="registration-invited-note"/);

      assert.equal((await settings({ open: '1', form: 'link', capacity: '20', closes_on: '', approval: 'manual' })).statusCode, 303);
      const list = await organiser.get(`/admin/activities/${meeting.id}/registrations`);
      const link = list.body.match(/data-testid="form-link">[\s\S]*?<code>([^<]+)<\/code>/)?.[1];
      assert.ok(link, 'the organiser sees the link to send');
      const key = new URL(link.replace(/&amp;/g, '&')).searchParams.get('key')!;
      assert.equal((await t.app.inject(`${form}?key=wrong`)).statusCode, 403);
      const page = await t.app.inject(`${form}?key=${key}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(`action="${form}\\?key=${key}"`));
      const payload = new URLSearchParams({ given_name: 'Helena', family_name: 'Costa', represents: 'c:PT', email: 'h.costa@example.pt', consent_data: '1' }).toString();
      const refused = await t.app.inject({ method: 'POST', url: form, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(refused.statusCode, 403, 'not without the key');
      const ok = await t.app.inject({ method: 'POST', url: `${form}?key=${key}`, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
      assert.equal(await stateOf('h.costa@example.pt'), 'pending');
      // The key stays the same while the form is by link; closed and opened by link again, it changes.
      await settings({ open: '1', form: 'link', capacity: '21', closes_on: '', approval: 'manual' });
      assert.equal((await t.app.inject(`${form}?key=${key}`)).statusCode, 200);
      await settings({ open: '1', form: 'invited', capacity: '21', closes_on: '', approval: 'manual' });
      await settings({ open: '1', form: 'link', capacity: '21', closes_on: '', approval: 'manual' });
      assert.equal((await t.app.inject(`${form}?key=${key}`)).statusCode, 403, 'an old link opens nothing');
      assert.equal((await t.app.inject(`${form}?key=${'é'.repeat(20)}${key.slice(0, 3)}`)).statusCode, 403, 'a key of another byte length is refused, not a crash');
    });
  });
}
