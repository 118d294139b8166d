/**
 * Secrets and personal data never reach the log. The application logs at its most verbose level
 * (trace, with an access line per request) while people sign in, fail to, are invited, reset their
 * password, subscribe to alerts, register for a meeting and send bad input, with mail going to a
 * real SMTP peer; then the whole log is searched for every token, password, address and name the
 * run created or mailed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildDiwan } from '../src/app/index.js';
import { createUser } from '../src/modules/auth/index.js';
import { DEMO_MEETING_KEY } from '../src/modules/meetings/demo/demo-seeder.js';
import { openDatabase, type Db } from '../src/platform/db/database.js';
import type { FastifyInstance } from 'fastify';
import { TestClient, formBody } from './helpers/client.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from './helpers/databases.js';
import { startSmtpSink, type Received } from './helpers/smtp.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const dialect of await dialectsUnderTest()) {
  describe(`nothing secret or personal in the log (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    let app: FastifyInstance;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let received: Received[] = [];
    const log: string[] = [];
    /** Everything the run made that must not be logged. */
    const secrets = new Set<string>();
    const drain = () => app.diwan.jobs.drain({ timeoutMs: 30_000 });
    const post = (url: string, fields: Record<string, string | string[]>, remoteAddress = '192.0.2.77') => app.inject({ method: 'POST', url, payload: formBody(fields), headers: FORM, remoteAddress });
    /** The tokens in every mail received so far (those of the links that carry one). */
    const mailedTokens = () => received.flatMap((m) => [...m.text.matchAll(/\/(?:registrations|confirm|unsubscribe|invitation|reset)\/([\w-]{16,})/g)].map((x) => x[1]!));

    before(async () => {
      smtp = await startSmtpSink();
      received = smtp.received;
      tdb = await createTestDatabase(dialect, { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, publicUrl: 'https://rabat.example', logLevel: 'trace', accessLogLevel: 'info' }, 'demo');
      db = openDatabase(tdb.config);
      app = await buildDiwan({ config: tdb.config, db, logStream: { write: (line: string) => void log.push(line) } });
      await app.ready();
    });
    after(async () => {
      await app?.close();
      await db?.destroy();
      await tdb?.drop();
      await smtp?.close();
    });

    test('sign-in, invitation, reset, alerts, registration and bad input leave no token, password, address or name in the log', async () => {
      const adminPassword = 'quiet harbour lantern 42';
      await createUser(db, { email: 'chair.person@secret-ministry.example', password: adminPassword, role: 'admin', displayName: 'Philomena Quist' });
      secrets.add(adminPassword).add('chair.person').add('secret-ministry').add('Philomena').add('Quist');

      const admin = new TestClient(app);
      assert.equal((await admin.login('chair.person@secret-ministry.example', 'a wrong guess entirely')).statusCode, 400);
      assert.equal((await admin.login('nobody.known@unknown-domain.example', 'another wrong guess')).statusCode, 400);
      secrets.add('a wrong guess entirely').add('nobody.known').add('unknown-domain').add('another wrong guess');
      assert.equal((await admin.login('chair.person@secret-ministry.example', adminPassword)).statusCode, 303);
      secrets.add(admin.cookies.get('diwan_session')!);

      // An invitation, accepted through its link.
      const invited = await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'invitee.hidden@partner-agency.example', name: 'Bartholomew Invitee', role: 'editor', country: '', lang: 'fr' });
      assert.equal(invited.statusCode, 303, invited.body.slice(0, 500));
      secrets.add('invitee.hidden').add('partner-agency').add('Bartholomew');
      await drain();
      const invitation = received.find((m) => m.to.includes('invitee.hidden@partner-agency.example'));
      assert.ok(invitation, 'the invitation was mailed');
      const inviteLink = /\/admin\/invitation\/[\w-]+/.exec(invitation.text)![0];
      const person = new TestClient(app);
      const chosen = 'meadow violin copper 77';
      secrets.add(chosen);
      assert.equal((await person.submit(inviteLink, inviteLink, { password: chosen, confirm: chosen })).statusCode, 303);

      // A password reset, asked and used.
      await person.submit('/admin/password/forgot', '/admin/password/forgot', { email: 'invitee.hidden@partner-agency.example' });
      await drain();
      const reset = received.find((m) => m.to.includes('invitee.hidden@partner-agency.example') && /\/password\/reset\//.test(m.text));
      assert.ok(reset, 'the reset link was mailed');
      const resetLink = /\/admin\/password\/reset\/[\w-]+/.exec(reset.text)![0];
      const renewed = 'glacier pepper saddle 19';
      secrets.add(renewed);
      assert.equal((await person.submit(resetLink, resetLink, { password: renewed, confirm: renewed })).statusCode, 303);

      // An alert: asked, confirmed, then a one-click unsubscribe.
      assert.equal((await post('/en/alerts', { scope: 'search', q: 'seasonal workers', email: 'reader.private@home-isp.example' })).statusCode, 303);
      secrets.add('reader.private').add('home-isp');
      await drain();
      const alertMail = received.find((m) => m.to.includes('reader.private@home-isp.example'));
      assert.ok(alertMail);
      const confirmToken = /\/alerts\/confirm\/([\w-]+)/.exec(alertMail.text)![1]!;
      assert.equal((await post(`/en/alerts/confirm/${confirmToken}`, {})).statusCode, 200);

      // A registration for the demo meeting, with a passport for a visa letter, then seen and corrected.
      const meeting = await db.selectFrom('activity_translations as t').innerJoin('activities as a', 'a.id', 't.activity_id').select(['t.slug', 'a.id', 'a.start_date']).where('a.key', '=', DEMO_MEETING_KEY).where('t.lang', '=', 'en').executeTakeFirstOrThrow();
      const slug = meeting.slug;
      // The organisers' own questions, answered.
      const answers: Record<string, string> = {};
      for (const q of await db.selectFrom('registration_fields').select(['id', 'kind']).where('activity_id', '=', meeting.id).execute()) {
        answers[`q_${q.id}`] = q.kind === 'choice' ? '0' : q.kind === 'yes_no' ? 'yes' : q.kind === 'date' ? String(meeting.start_date) : 'Arriving the evening before';
      }
      const registrant = {
        title: 'ms',
        given_name: 'Zenobia',
        family_name: 'Okonkwo-Lindqvist',
        function: 'Counsellor',
        institution: 'Ministry of Secret Affairs',
        represents: 'c:SN',
        email: 'zenobia.registrant@gov-mail.example',
        phone: '+221 77 987 65 43',
        languages: ['en'],
        consent_data: '1',
        consent_public: '',
        ...answers,
      };
      secrets.add('Zenobia').add('Okonkwo').add('zenobia.registrant').add('gov-mail').add('987 65 43');
      const registered = await post(`/en/activities/${slug}/register`, registrant);
      assert.equal(registered.statusCode, 303);
      await drain();
      const registrationMail = received.find((m) => m.to.includes('zenobia.registrant@gov-mail.example'));
      assert.ok(registrationMail);
      const personal = /\/registrations\/([\w-]+)/.exec(registrationMail.text)![1]!;
      assert.equal((await app.inject(`/en/registrations/${personal}`)).statusCode, 200);
      // Bad input holding personal data: refused, and not logged either.
      const refused = await post(`/en/activities/${slug}/register`, { ...registrant, email: 'zenobia.registrant@@gov-mail', consent_data: '' });
      assert.equal(refused.statusCode, 400);
      assert.equal((await admin.submit('/admin/users/invite', '/admin/users/invite', { email: 'malformed@@partner-agency', name: 'Bartholomew Invitee', role: 'emperor', lang: 'fr' })).statusCode, 400);

      for (const token of mailedTokens()) secrets.add(token);
      for (const token of [confirmToken, personal, inviteLink.split('/').at(-1)!, resetLink.split('/').at(-1)!]) secrets.add(token);
      assert.ok(secrets.size > 25, `${secrets.size} secrets to look for`);

      const text = log.join('');
      assert.ok(log.length > 30, `the run was logged (${log.length} lines)`);
      assert.match(text, /"route":"\/admin\/password\/reset\/:token"/, 'token routes are logged, by their pattern');
      const found = [...secrets].filter((s) => text.toLowerCase().includes(s.toLowerCase()));
      assert.deepEqual(found, [], 'nothing secret or personal is in the log');
    });
  });
}
