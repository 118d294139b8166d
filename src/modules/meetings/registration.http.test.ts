/**
 * Registration for a meeting end to end over HTTP, on both databases, with mail through a real SMTP
 * peer: the organiser's settings, the public form and its bad input, seats and the waiting list
 * (also under concurrent registrations), the registrant's personal link, the organiser's decisions
 * and the mails each one sends (an approval with a calendar file a real parser reads), passport
 * details behind their own permission with every reading audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startSmtpSink, type Received } from '../../../test/helpers/smtp.js';
import { TestClient, formBody } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';
import { purgePassports } from './registration.jobs.js';
import { nextRegistrationClose } from './registration.repository.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';

const PASSWORD = 'correct horse battery staple';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };



for (const dialect of await dialectsUnderTest()) {
  describe(`meeting registration (${dialect})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let received: Received[] = [];
    let organiser: TestClient;
    let admin: TestClient;
    let editor: TestClient;
    let meeting: { id: number; en: string; fr: string };
    let ip = 10;
    const year = new Date().getUTCFullYear() + 1;
    const drain = () => t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
    const post = (url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'POST', url, payload: formBody(fields), headers: { ...FORM, ...headers }, remoteAddress: `192.0.2.${ip}` });
    const person = (given: string, family: string, email: string, extra: Record<string, string | string[]> = {}) => ({
      title: 'ms',
      given_name: given,
      family_name: family,
      gender: 'woman',
      function: 'Director',
      institution: 'Ministry of the Interior',
      represents: 'c:SN',
      email,
      phone: '+221 33 123 45 67',
      languages: ['fr', 'en'],
      consent_data: '1',
      consent_public: '1',
      ...extra,
    });
    const rows = () => t.db.selectFrom('registrations').selectAll().where('activity_id', '=', meeting.id).orderBy('id').execute();
    const mailsTo = (email: string) => received.filter((m) => m.to.includes(email));
    const linkIn = (text: string) => text.match(/https?:\/\/[^\s]+\/registrations\/([\w-]+)/)?.[1];
    const settings = (fields: Record<string, string>) => organiser.submit(`/admin/activities/${meeting.id}/registrations`, `/admin/activities/${meeting.id}/registrations/settings`, fields);

    before(async () => {
      smtp = await startSmtpSink();
      received = smtp.received;
      const port = smtp.port;
      t = await createTestApp(dialect, { demo: true, config: { smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'https://rabat.example' } });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      organiser = new TestClient(t.app);
      admin = new TestClient(t.app);
      editor = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await admin.login('admin@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      const row = await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await t.db
        .updateTable('activities')
        .set({ start_date: `${year}-03-10`, end_date: `${year}-03-11`, date_precision: 'day', status: 'announced', published_at: new Date(Date.now() - 60_000).toISOString() })
        .where('id', '=', row.id)
        .execute();
      const slugs = await t.db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', row.id).execute();
      meeting = { id: row.id, en: slugs.find((s) => s.lang === 'en')!.slug, fr: slugs.find((s) => s.lang === 'fr')!.slug };
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    test('the organiser opens registration; bad settings are refused with the input kept; others may not see the list', async () => {
      const closed = await t.app.inject(`/en/activities/${meeting.en}/register`);
      assert.equal(closed.statusCode, 404, 'no registration settings: no form');
      assert.equal((await editor.get(`/admin/activities/${meeting.id}/registrations`)).statusCode, 403, 'an editor without registration.manage');
      assert.equal((await t.app.inject(`/admin/activities/${meeting.id}/registrations`)).statusCode, 303, 'signed out: to the login page');

      const bad = await settings({ open: '1', capacity: 'twelve', closes_on: `${year}-04-01`, approval: 'manual' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the number of seats as a whole number/);
      assert.match(bad.body, /The closing day must be on or before the meeting(&#39;|')s last day \(11 March \d{4}\)/);
      assert.match(bad.body, /value="twelve"/, 'what was typed is kept');
      assert.equal(await t.db.selectFrom('meeting_registration').select('activity_id').where('activity_id', '=', meeting.id).executeTakeFirst(), undefined, 'nothing written');

      const ok = await settings({ open: '1', capacity: '2', closes_on: '', approval: 'manual' });
      assert.equal(ok.statusCode, 303);
      const list = await organiser.get(`/admin/activities/${meeting.id}/registrations`);
      assert.match(list.body, /data-testid="meeting-phase"[^>]*>Registration open</);
      assert.match(list.body, /0 of 2 seats taken/);

      // The page cache keeps the "Register" block no later than the first registration to close.
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      await settings({ open: '1', capacity: '2', closes_on: tomorrow, approval: 'manual' });
      const dayAfter = new Date(Date.parse(`${tomorrow}T00:00:00Z`) + 86_400_000);
      assert.equal((await nextRegistrationClose(t.db, new Date(), 'UTC'))?.toISOString(), dayAfter.toISOString());
      await settings({ open: '1', capacity: '2', closes_on: '', approval: 'manual' });
      const page = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.match(page.body, /Registration is open until 11 March/);
      assert.match(page.body, new RegExp(`href="/en/activities/${meeting.en}/register"`));
      const fr = await t.app.inject(`/fr/activities/${meeting.fr}`);
      assert.match(fr.body, /Les inscriptions sont ouvertes jusqu’au 11 mars/);
    });

    test('the form refuses bad input in the reader’s language, keeps the rest, and writes nothing', async () => {
      ip++;
      const url = `/en/activities/${meeting.en}/register`;
      const form = await t.app.inject(url);
      assert.equal(form.statusCode, 200);
      assert.match(String(form.headers['cache-control']), /no-store/);
      assert.match(form.body, /<optgroup label="Countries">/);

      const empty = await post(url, { given_name: '', family_name: '', email: 'not an address', represents: 'c:ZZ', visa_letter: '1', passport_number: 'AB', passport_expiry: `${year}-03-01` });
      assert.equal(empty.statusCode, 400);
      for (const message of [/Enter the given name/, /Enter the family name/, /Choose the country or organisation represented/, /Enter an e-mail address in the form name@example.org/, /Choose the nationality/, /Enter the passport number as printed/, /enter an expiry date after 11 March \d{4}/, /Tick the box to agree/]) {
        assert.match(empty.body, message);
      }
      assert.match(empty.body, /value="not an address"/);
      assert.match(empty.body, /<title>Error: /);

      const fr = await post(`/fr/activities/${meeting.fr}/register`, person('Awa', 'Diop', 'awa@@example', { consent_data: '' }));
      assert.equal(fr.statusCode, 400);
      assert.match(fr.body, /Saisissez une adresse électronique de la forme nom@exemple.org/);
      assert.match(fr.body, /Cochez la case pour accepter/);
      assert.match(fr.body, /value="Awa"/);

      const lineBreak = await post(url, person('Awa\r\nBcc: x@example.org', 'Diop', 'awa@example.org'));
      assert.equal(lineBreak.statusCode, 400);
      assert.match(lineBreak.body, /contains characters that cannot be kept/);

      const huge = await post(url, person('x'.repeat(10 * 1024 * 1024), 'Diop', 'awa@example.org'));
      assert.equal(huge.statusCode, 413, 'a 10 MB name is refused before the body is read');
      const crossSite = await post(url, person('Awa', 'Diop', 'awa@example.org'), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.statusCode, 403);
      assert.equal((await rows()).length, 0, 'nothing written');
      await drain();
      assert.equal(received.length, 0, 'nothing sent');
    });

    let first = '';
    let second = '';
    test('seats, then the waiting list; each registrant gets a mail with their own link, and sees only their own registration', async () => {
      ip++;
      const url = `/en/activities/${meeting.en}/register`;
      // Names as people write them: right to left, with emoji, a spreadsheet formula, a NUL byte.
      assert.equal((await post(url, person('عائشة', 'بنعلي 🌍', 'aicha@example.org', { languages: 'ar' }))).statusCode, 303);
      assert.equal((await post(url, person('=HYPERLINK("http://x")', 'Sy\u0000lla', 'moussa@example.org', { title: 'mr', gender: 'man', consent_public: '' }))).statusCode, 303);
      assert.equal((await post(`/fr/activities/${meeting.fr}/register`, person('Inès', 'García', 'ines@example.org', { represents: 'c:ES' }))).statusCode, 303);
      await drain();
      const stored = await rows();
      assert.deepEqual(
        stored.map((r) => [r.given_name, r.family_name, r.state]),
        [
          ['عائشة', 'بنعلي 🌍', 'pending'],
          ['=HYPERLINK("http://x")', 'Sylla', 'pending'],
          ['Inès', 'García', 'waitlisted'],
        ],
      );
      const aicha = mailsTo('aicha@example.org');
      assert.equal(aicha.length, 1);
      assert.match(aicha[0]!.subject, /^Your registration for /);
      assert.match(aicha[0]!.text, /It is now with the organisers/);
      const ines = mailsTo('ines@example.org');
      assert.match(ines[0]!.subject, /^Votre inscription/);
      assert.match(ines[0]!.text, /liste d’attente/);
      first = linkIn(aicha[0]!.text)!;
      second = linkIn(mailsTo('moussa@example.org')[0]!.text)!;
      assert.ok(first && second && first !== second);
      const outbox = await t.db.selectFrom('outbox').select(['text_body', 'to_address']).where('to_address', '=', 'aicha@example.org').execute();
      assert.doesNotMatch(outbox[0]!.text_body, new RegExp(first), 'the outbox forgets the link once sent');

      const own = await t.app.inject(`/en/registrations/${first}`);
      assert.equal(own.statusCode, 200);
      assert.match(String(own.headers['cache-control']), /private, no-store/);
      assert.match(own.body, /data-testid="registration-state"[^>]*>Pending</);
      assert.match(own.body, /عائشة/);
      assert.doesNotMatch(own.body, /HYPERLINK|moussa@/, "another registrant's details are not there");
      assert.equal((await t.app.inject(`/en/registrations/${'A'.repeat(43)}`)).statusCode, 404, 'a made-up link');
      assert.equal((await t.app.inject(`/en/registrations/x'%3Cscript%3E`)).statusCode, 404);

      // The same address again: its link is sent again, nothing else changes.
      assert.equal((await post(url, person('Aïcha', 'Benali', 'AICHA@example.org'))).statusCode, 303);
      await drain();
      assert.equal((await rows()).length, 3);
      assert.match(mailsTo('aicha@example.org').at(-1)!.text, /already registered/);
      assert.equal(linkIn(mailsTo('aicha@example.org').at(-1)!.text), first);
      // Once an hour at most: the form cannot be used to flood an address.
      const sent = mailsTo('aicha@example.org').length;
      assert.equal((await post(url, person('Aïcha', 'Benali', 'aicha@example.org'))).statusCode, 303);
      await drain();
      assert.equal(mailsTo('aicha@example.org').length, sent);
    });

    test('the registrant corrects their details (bad input kept) and the organiser decides: approval mails a calendar file, a freed seat goes to the waiting list', async () => {
      ip++;
      const bad = await post(`/en/registrations/${first}`, person('', 'Benali', '', { phone: 'call me' }));
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the given name/);
      assert.match(bad.body, /Enter the phone number with digits only/);
      assert.match(bad.body, /value="call me"/);
      const fixed = await post(`/en/registrations/${first}`, person('Aïcha', 'Benali', '', { dietary: 'Vegetarian' }));
      assert.equal(fixed.statusCode, 303);
      const stored = (await rows())[0]!;
      assert.equal(stored.given_name, 'Aïcha');
      assert.equal(stored.email, 'aicha@example.org', 'the address stays');
      assert.equal(stored.dietary, 'Vegetarian');

      const [a, m, i] = await rows();
      const approve = await organiser.submit(`/admin/activities/${meeting.id}/registrations/${a!.id}`, `/admin/activities/${meeting.id}/registrations/${a!.id}/decide`, { decision: 'approved' });
      assert.equal(approve.statusCode, 303);
      const full = await organiser.submit(`/admin/activities/${meeting.id}/registrations/${i!.id}`, `/admin/activities/${meeting.id}/registrations/${i!.id}/decide`, { decision: 'approved' });
      assert.equal(full.statusCode, 409, 'no free seat for the waiting list');
      assert.match(full.body, /Every seat is taken/);
      const other = await organiser.submit(`/admin/activities/${meeting.id}/registrations/${a!.id}`, `/admin/activities/${meeting.id + 100000}/registrations/${a!.id}/decide`, { decision: 'declined' });
      assert.equal(other.statusCode, 404, "another meeting's address does not reach this registration");
      const decline = await organiser.submit(`/admin/activities/${meeting.id}/registrations/${m!.id}`, `/admin/activities/${meeting.id}/registrations/${m!.id}/decide`, { decision: 'declined' });
      assert.equal(decline.statusCode, 303);
      await drain();
      assert.deepEqual(
        (await rows()).map((r) => r.state),
        ['approved', 'declined', 'pending'],
        'the seat Moussa left went to Inès',
      );
      const approval = mailsTo('aicha@example.org').at(-1)!;
      assert.match(approval.subject, /is approved/);
      const ics = approval.attachments.find((x) => x.contentType.startsWith('text/calendar'));
      assert.ok(ics, 'the approval carries the calendar file');
      const cal = new ICAL.Component(ICAL.parse(ics.content));
      const event = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
      assert.equal(event.startDate.toString().slice(0, 10), `${year}-03-10`);
      assert.match(mailsTo('moussa@example.org').at(-1)!.text, /could not accept/);
      assert.match(mailsTo('ines@example.org').at(-1)!.text, /Une place s’est libérée/);

      // The registrant cancels: the seat is free again; the link shows it cancelled and offers nothing more.
      const cancel = await post(`/en/registrations/${first}/cancel`, {});
      assert.equal(cancel.statusCode, 303);
      const after = await t.app.inject(`/en/registrations/${first}?done=cancelled`);
      assert.match(after.body, /Your registration is cancelled/);
      assert.doesNotMatch(after.body, /registration-cancel-submit/);
      assert.equal((await post(`/en/registrations/${first}/cancel`, {})).statusCode, 409);
      const list = await organiser.get(`/admin/activities/${meeting.id}/registrations`);
      assert.match(list.body, /1 of 2 seats taken/);
      const audits = await t.db.selectFrom('audit_log').select(['action', 'after_json']).where('entity_type', '=', 'registration').execute();
      assert.ok(audits.some((x) => x.action === 'registration.approved'));
      assert.ok(audits.every((x) => !/aicha|Benali|Diop/i.test(x.after_json ?? '')), 'the audit log keeps ids and states, not people');
    });

    test('a registration the organisers cancelled is not made again by its registrant', async () => {
      ip++;
      await settings({ open: '1', capacity: '', closes_on: '', approval: 'manual' });
      assert.equal((await post(`/en/activities/${meeting.en}/register`, person('Yaw', 'Boateng', 'yaw@example.org', { represents: 'c:GH' }))).statusCode, 303);
      const yaw = (await rows()).find((r) => r.email === 'yaw@example.org')!;
      const one = `/admin/activities/${meeting.id}/registrations/${yaw.id}`;
      assert.equal((await organiser.submit(one, `${one}/decide`, { decision: 'cancelled' })).statusCode, 303);
      assert.equal((await post(`/en/activities/${meeting.en}/register`, person('Yaw', 'Boateng', 'yaw@example.org', { represents: 'c:GH' }))).statusCode, 303);
      assert.equal((await rows()).find((r) => r.id === yaw.id)!.state, 'cancelled', 'still cancelled');
    });

    test('passport details: given for a visa letter, read only with the dedicated permission, each reading audited', async () => {
      ip++;
      await settings({ open: '1', capacity: '', closes_on: '', approval: 'auto' });
      const res = await post(`/en/activities/${meeting.en}/register`, person('Kofi', 'Mensah', 'kofi@example.org', { represents: 'c:GH', visa_letter: '1', nationality: 'GH', passport_number: 'g 1234-567', passport_expiry: `${year + 3}-01-31` }));
      assert.equal(res.statusCode, 303);
      const kofi = (await rows()).find((r) => r.email === 'kofi@example.org')!;
      assert.equal(kofi.state, 'approved', 'seats in order of arrival, without a limit');
      const passport = await t.db.selectFrom('registration_passports').selectAll().where('registration_id', '=', kofi.id).executeTakeFirstOrThrow();
      assert.equal(passport.passport_number, 'G1234567');

      const asOrganiser = await organiser.get(`/admin/activities/${meeting.id}/registrations/${kofi.id}`);
      assert.equal(asOrganiser.statusCode, 200);
      assert.doesNotMatch(asOrganiser.body, /G1234567/);
      assert.match(asOrganiser.body, /Reading them takes the permission/);
      const before = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'registration.passport_read').execute();
      assert.equal(before.length, 0);
      const asAdmin = await admin.get(`/admin/activities/${meeting.id}/registrations/${kofi.id}`);
      assert.match(asAdmin.body, /G1234567/);
      const reads = await t.db.selectFrom('audit_log').select(['actor_user_id', 'entity_id']).where('action', '=', 'registration.passport_read').execute();
      assert.equal(reads.length, 1);
      assert.equal(reads[0]!.entity_id, String(kofi.id));
      const list = await admin.get(`/admin/activities/${meeting.id}/registrations`);
      assert.doesNotMatch(list.body, /G1234567/, 'never in lists');
    });

    test('seats are never given twice under concurrent registrations; closing registration closes the form', async () => {
      await settings({ open: '1', capacity: String((await rows()).filter((r) => r.state === 'pending' || r.state === 'approved').length + 5), closes_on: '', approval: 'manual' });
      ip = 200;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          t.app.inject({ method: 'POST', url: `/en/activities/${meeting.en}/register`, payload: formBody(person(`Delegate${n}`, 'Concurrent', `delegate${n}@example.org`)), headers: FORM, remoteAddress: `198.51.100.${n}` }),
        ),
      );
      assert.deepEqual([...new Set(results.map((r) => r.statusCode))], [303]);
      const concurrent = (await rows()).filter((r) => r.family_name === 'Concurrent');
      assert.equal(concurrent.length, 20);
      assert.equal(concurrent.filter((r) => r.state === 'pending').length, 5);
      assert.equal(concurrent.filter((r) => r.state === 'waitlisted').length, 15);

      await settings({ open: '', capacity: '', closes_on: '', approval: 'manual' });
      const closed = await t.app.inject(`/en/activities/${meeting.en}/register`);
      assert.match(closed.body, /Registration is closed/);
      const refused = await post(`/en/activities/${meeting.en}/register`, person('Late', 'Comer', 'late@example.org'));
      assert.match(refused.body, /Registration is closed/);
      assert.equal((await rows()).filter((r) => r.email === 'late@example.org').length, 0);
      const page = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.match(page.body, /data-testid="registration-closed-note"/);
      await drain();
    });
    test('a newcomer does not take a seat ahead of the waiting list; hidden direction marks are refused; past the hourly allowance the input is kept', async () => {
      ip = 60;
      const seated = (await rows()).filter((r) => r.state === 'pending' || r.state === 'approved').length;
      await settings({ open: '1', capacity: String(seated), closes_on: '', approval: 'manual' });
      const url = `/en/activities/${meeting.en}/register`;
      assert.equal((await post(url, person('Xavier', 'First', 'xavier@example.org'))).statusCode, 303);
      const someone = (await rows()).find((r) => r.state === 'pending')!;
      const moved = await organiser.submit(`/admin/activities/${meeting.id}/registrations/${someone.id}`, `/admin/activities/${meeting.id}/registrations/${someone.id}/decide`, { decision: 'waitlisted' });
      assert.equal(moved.statusCode, 303);
      assert.equal((await post(url, person('Yara', 'Second', 'yara@example.org'))).statusCode, 303);
      const byEmail = new Map((await rows()).map((r) => [r.email, r.state]));
      assert.equal(byEmail.get('xavier@example.org'), 'waitlisted');
      assert.equal(byEmail.get('yara@example.org'), 'waitlisted', 'the seat the organiser freed is not the next visitor’s');

      const bidi = await post(url, person('\u202Eevil', 'Name', 'bidi@example.org'));
      assert.equal(bidi.statusCode, 400);
      assert.match(bidi.body, /contains characters that cannot be kept/);
      const zeroWidth = await post(url, person('Zed', 'Width', 'xavier\u200b@example.org'));
      assert.equal(zeroWidth.statusCode, 400, 'an address with a zero-width space is not another address');

      const config = t.app.diwan.config as { registrationsPerIpPerHour: number };
      const allowance = config.registrationsPerIpPerHour;
      config.registrationsPerIpPerHour = 1;
      try {
        ip = 61;
        assert.equal((await post(url, person('Una', 'Once', 'una@example.org'))).statusCode, 303);
        const limited = await post(url, person('Dos', 'Twice', 'dos@example.org', { dietary: 'No nuts' }));
        assert.equal(limited.statusCode, 429);
        assert.match(limited.body, /try again in an hour/);
        assert.match(limited.body, /value="Dos"/);
        assert.match(limited.body, /No nuts/);
      } finally {
        config.registrationsPerIpPerHour = allowance;
      }
      await drain();
    });

    test('passport details are erased a set number of days after the meeting; the registration and its figures stay', async () => {
      const kofi = (await rows()).find((r) => r.email === 'kofi@example.org')!;
      assert.equal(await purgePassports(t.db, 30, 'UTC'), 0, 'the meeting is still to come');
      const past = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
      await t.db.updateTable('activities').set({ start_date: past, end_date: past }).where('id', '=', meeting.id).execute();
      assert.equal(await purgePassports(t.db, 60, 'UTC'), 0, 'not yet past a 60-day retention');
      assert.equal(await purgePassports(t.db, 30, 'UTC'), 1);
      assert.equal(await t.db.selectFrom('registration_passports').select('registration_id').where('registration_id', '=', kofi.id).executeTakeFirst(), undefined);
      const kept = (await rows()).find((r) => r.id === kofi.id)!;
      assert.equal(kept.visa_letter, 1, 'that a visa letter was asked for stays, for the figures');
      assert.equal(kept.state, 'approved');
      const entry = await t.db.selectFrom('audit_log').select('after_json').where('action', '=', 'registration.passports_purged').executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(entry.after_json!), { erased: 1, retentionDays: 30 });
      const page = await admin.get(`/admin/activities/${meeting.id}/registrations/${kofi.id}`);
      assert.match(page.body, /The passport details have been erased/);
    });
  });
}
