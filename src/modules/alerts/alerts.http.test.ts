/**
 * E-mail alerts end to end over HTTP, on both databases, with a real SMTP peer: the form and its
 * bad input, double opt-in (a visit to the link does not confirm), the daily digest in the
 * subscriber's language with only new public matches, a second run that sends nothing, RFC 8058
 * one-click unsubscribe, and the limits (another site's form, per network address, per address).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { startSmtpSink, type Received } from '../../../test/helpers/smtp.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createDocument } from '../documents/index.js';
import { forgetStaleRequests } from './alerts.commands.js';
import { ALERT_DIGEST_JOB, DIGEST_JOB, alertDigestJob, dailyDigestJob, nextDigestTime } from './alerts.jobs.js';
import { ALERT_LIMITS } from './alerts.schemas.js';


const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const dialect of await dialectsUnderTest()) {
  describe(`e-mail alerts (${dialect})`, () => {
    let t: TestApp;
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let received: Received[] = [];
    const drain = () => t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
    let ip = 10;
    /** Each test posts from its own network address, so that the hourly limit is its own. */
    const post = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, payload: form(fields), headers: { ...FORM, ...headers }, remoteAddress: `192.0.2.${ip}` });
    const rows = () => t.db.selectFrom('alert_subscriptions').selectAll().orderBy('id').execute();
    const linkIn = (text: string, route: string) => text.match(new RegExp(`https?://[^\\s]+/alerts/${route}/([\\w-]+)`))?.[1];

    const publishDoc = async (key: string, type: string, access: string, titleEn: string, titleFr: string) =>
      createDocument(
        t.db,
        {
          key,
          type,
          doc_date: '2026-11-20',
          access,
          activities: [],
          published: true,
          t: { en: { title: titleEn, slug: key, description: `About ${titleEn}.` }, fr: { title: titleFr, slug: `${key}-fr`, description: `À propos de ${titleFr}.` } },
        },
        { id: null, canPublish: true },
      );

    /** Asks for an alert and confirms it from its mailed link; the confirmation mail is taken out of `received`. */
    const subscribe = async (email: string, fields: Record<string, string>, lang = 'en') => {
      assert.equal((await post(`/${lang}/alerts`, { ...fields, email })).statusCode, 303);
      await drain();
      const at = received.findIndex((m) => m.to.includes(email));
      assert.ok(at >= 0, `a confirmation mail to ${email}`);
      const token = linkIn(received.splice(at, 1)[0]!.text, 'confirm');
      assert.equal((await post(`/${lang}/alerts/confirm/${token}`, {})).statusCode, 200);
      // Something published from now on falls after the alert's window start (times are to the millisecond).
      await new Promise((r) => setTimeout(r, 5));
      return (await rows()).find((r) => r.email === email)!;
    };
    const mailsTo = (email: string) => received.filter((m) => m.to.includes(email));

    before(async () => {
      smtp = await startSmtpSink();
      received = smtp.received;
      const port = smtp.port;
      t = await createTestApp(dialect, { config: { smtpUrl: `smtp://127.0.0.1:${port}`, publicUrl: 'https://rabat.example', trustProxy: ['loopback'] } });
    });
    after(async () => {
      await t?.close();
      await smtp?.close();
    });

    test('the form describes the search; bad input is refused in the reader’s language with the rest kept, and nothing is written', async () => {
      ip++;
      const page = await t.app.inject('/en/alerts/new?scope=documents&q=quokka&type=final_report&sort=date&page=2');
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['cache-control']), /no-store/);
      assert.match(page.body, /<dd>quokka<\/dd>/);
      assert.match(page.body, /<dd>Final report<\/dd>/);
      assert.match(page.body, /name="type" value="final_report"/);
      assert.doesNotMatch(page.body, /name="sort"|name="page"/, 'order and page are not part of an alert');

      const empty = await post('/en/alerts', { scope: 'documents', q: 'quokka', type: 'final_report', email: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Enter your e-mail address/);
      assert.match(empty.body, /href="#email"/);
      const wrong = await post('/fr/alerts', { scope: 'documents', q: 'quokka', type: 'final_report', email: 'quelqu’un at exemple' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Saisissez une adresse électronique valide/);
      assert.match(wrong.body, /value="quelqu’un at exemple"/, 'what was typed is kept');
      assert.match(wrong.body, /name="q" value="quokka"/, 'the search is kept');
      assert.match(wrong.body, /<title>Erreur : /);
      const nothing = await post('/en/alerts', { scope: 'search', q: 'the of', email: 'reader@example.org' });
      assert.equal(nothing.statusCode, 400, 'only stop words: nothing to follow');
      const unknown = await t.app.inject('/en/alerts/new?scope=everything');
      assert.equal(unknown.statusCode, 400);
      const huge = await post('/en/alerts', { scope: 'search', q: 'x'.repeat(20_000), email: 'reader@example.org' });
      assert.equal(huge.statusCode, 413, 'a body over the limit is refused before it is read');
      const crossSite = await post('/en/alerts', { scope: 'search', q: 'quokka', email: 'reader@example.org' }, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
      assert.equal(crossSite.statusCode, 403, "another site's form is refused");
      const oldBrowser = await post('/en/alerts', { scope: 'search', q: 'quokka', email: 'reader@example.org' }, { origin: 'https://evil.example' });
      assert.equal(oldBrowser.statusCode, 403, 'by its Origin when the browser does not say Sec-Fetch-Site');
      assert.equal((await rows()).length, 0, 'nothing written');
      await drain();
      assert.equal(received.length, 0, 'nothing sent');
    });

    test('double opt-in: the mail’s link shows the alert, only its button turns it on; a digest lists only new public matches, once, in the subscriber’s language; one click stops it', async () => {
      ip++;
      const sent = await post('/en/alerts', { scope: 'documents', q: 'quokka', type: 'final_report', email: ' Reader@Example.org ' }, { origin: 'https://rabat.example', 'sec-fetch-site': 'same-origin' });
      assert.equal(sent.statusCode, 303);
      assert.equal(sent.headers.location, '/en/alerts/sent');
      const fr = await post('/fr/alerts', { scope: 'search', q: 'quokka', email: 'lectrice@example.org' });
      assert.equal(fr.statusCode, 303);
      assert.deepEqual((await rows()).map((r) => [r.email, r.lang, r.scope, r.params, r.status]), [
        ['reader@example.org', 'en', 'documents', 'q=quokka&type=final_report', 'pending'],
        ['lectrice@example.org', 'fr', 'search', 'q=quokka', 'pending'],
      ]);
      await drain();
      assert.equal(received.length, 2);
      const [enMail, frMail] = received.splice(0, 2);
      assert.equal(enMail!.subject, 'Confirm your e-mail alert');
      assert.match(enMail!.text, /Final report/);
      assert.equal(frMail!.subject, 'Confirmez votre alerte par courriel');
      const enToken = linkIn(enMail!.text, 'confirm');
      const frToken = linkIn(frMail!.text, 'confirm');
      assert.ok(enToken && frToken);
      const outbox = await t.db.selectFrom('outbox').select(['text_body']).where('purpose', '=', 'alert_confirm').execute();
      assert.ok(outbox.every((o) => !o.text_body.includes(enToken) && !o.text_body.includes(frToken)), 'the outbox forgets the links once sent');

      // A link checker that opens the link confirms nothing.
      const visit = await t.app.inject(`/en/alerts/confirm/${enToken}`);
      assert.equal(visit.statusCode, 200);
      assert.match(visit.body, /Confirm the alert/);
      assert.equal((await rows())[0]!.status, 'pending');
      const confirmed = await post(`/en/alerts/confirm/${enToken}`, {});
      assert.equal(confirmed.statusCode, 200);
      assert.match(confirmed.body, /Your alert is on/);
      assert.equal((await post(`/fr/alerts/confirm/${frToken}`, {})).statusCode, 200);
      assert.equal((await post(`/en/alerts/confirm/${enToken}`, {})).statusCode, 404, 'a confirmation link works once');
      assert.deepEqual((await rows()).map((r) => r.status), ['active', 'active']);

      // Published after the confirmation: a match, one of another type, and a restricted match.
      await publishDoc('quokka-report', 'final_report', 'public', 'Quokka migration final report', 'Rapport final sur les quokkas');
      await publishDoc('quokka-agenda', 'agenda', 'public', 'Quokka meeting agenda', 'Ordre du jour quokka');
      await publishDoc('quokka-secret', 'final_report', 'partners', 'Quokka partners-only report', 'Rapport quokka réservé');
      // The site search follows change events in the background.
      for (let i = 0; i < 150 && !/quokkas/.test((await t.app.inject('/fr/search?q=quokka')).body); i++) await new Promise((r) => setTimeout(r, 20));

      await t.app.diwan.jobs.send(DIGEST_JOB, {});
      await drain();
      assert.equal(received.length, 2, JSON.stringify(received.map((r) => r.subject)));
      const digestEn = received.find((m) => m.to.includes('reader@example.org'))!;
      const digestFr = received.find((m) => m.to.includes('lectrice@example.org'))!;
      assert.match(digestEn.subject, /^1 new result: /);
      assert.match(digestEn.text, /Quokka migration final report/);
      assert.match(digestEn.text, /https:\/\/rabat\.example\/en\/documents\/quokka-report/);
      assert.doesNotMatch(digestEn.text, /agenda|partners-only/i, 'only matches of the filters, only public documents');
      assert.match(digestFr.subject, /^2 nouveaux résultats : /);
      assert.match(digestFr.text, /Rapport final sur les quokkas/);
      assert.match(digestFr.text, /Ordre du jour quokka/);
      assert.doesNotMatch(digestFr.text, /réservé/);
      const unsubscribe = digestEn.headers.get('list-unsubscribe') ?? '';
      assert.match(unsubscribe, /^<https:\/\/rabat\.example\/en\/alerts\/unsubscribe\/[\w-]+>$/);
      assert.equal(digestEn.headers.get('list-unsubscribe-post'), 'List-Unsubscribe=One-Click');
      received.length = 0;

      // The same window again (a job run twice, a second instance), then a new day with nothing new: no mail.
      const [first] = await rows();
      await t.app.diwan.jobs.send(ALERT_DIGEST_JOB, { alertId: first!.id, until: first!.sent_until });
      await t.app.diwan.jobs.send(DIGEST_JOB, {});
      await drain();
      assert.equal(received.length, 0);
      assert.equal((await rows())[0]!.digests_sent, 1);

      // Asking again for an alert that is on: a note to the address, the same answer to the visitor.
      const again = await post('/en/alerts', { scope: 'documents', q: 'quokka', type: 'final_report', email: 'reader@example.org' });
      assert.equal(again.headers.location, '/en/alerts/sent');
      await drain();
      assert.equal(received.splice(0)[0]?.subject, 'Your e-mail alert is already on');

      // RFC 8058: the mail system posts, from its own servers, in either encoding.
      const oneClick = unsubscribe.slice(1, -1).replace('https://rabat.example', '');
      const manage = await t.app.inject(oneClick);
      assert.match(manage.body, /Stop this alert\?/);
      assert.match(manage.body, /r•••@example\.org/, 'the address is not shown whole to whoever holds the link');
      const stop = await t.app.inject({ method: 'POST', url: oneClick, payload: 'List-Unsubscribe=One-Click', headers: FORM });
      assert.equal(stop.statusCode, 200);
      assert.deepEqual((await rows()).map((r) => r.email), ['lectrice@example.org'], 'the row is gone, address and all');
      const boundary = 'xYz';
      const frToken2 = (await rows())[0]!.token;
      const multipartStop = await t.app.inject({
        method: 'POST',
        url: `/fr/alerts/unsubscribe/${frToken2}`,
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      assert.equal(multipartStop.statusCode, 200);
      assert.match(multipartStop.body, /L’alerte est arrêtée/);
      assert.equal((await rows()).length, 0);
      assert.equal((await t.app.inject({ method: 'POST', url: oneClick, payload: 'List-Unsubscribe=One-Click', headers: FORM })).statusCode, 200, 'again: the same answer');
      assert.equal((await t.app.inject(`/en/alerts/manage/${frToken2}`)).statusCode, 404);
    });

    test('limits: a few mails a day to one address however many ask, and a ceiling per network address before the body is read', async () => {
      ip++;
      for (let i = 0; i < ALERT_LIMITS.mailsPerAddressPerDay + 2; i++) {
        const res = await post('/en/alerts', { scope: 'search', q: `wombat${'x'.repeat(i)}`, email: 'target@example.org' });
        assert.equal(res.statusCode, 303, 'the visitor always gets the same answer');
      }
      await drain();
      assert.equal(received.splice(0).filter((m) => m.to.includes('target@example.org')).length, ALERT_LIMITS.mailsPerAddressPerDay);
      assert.equal((await rows()).filter((r) => r.email === 'target@example.org').length, ALERT_LIMITS.mailsPerAddressPerDay, 'a request that may not be mailed is not kept');

      ip++;
      let last = 0;
      for (let i = 0; i <= ALERT_LIMITS.requestsPerIpPerHour; i++) last = (await post('/en/alerts', { scope: 'search', q: 'wombat', email: '' })).statusCode;
      assert.equal(last, 429);
      assert.match((await post('/fr/alerts', { scope: 'search', q: 'wombat', email: '' })).body, /Trop de demandes/);

      // Requests never confirmed are forgotten after their link's life.
      const later = new Date(Date.now() + (ALERT_LIMITS.confirmDays + 1) * 86_400_000);
      assert.equal(await forgetStaleRequests(t.db, later), ALERT_LIMITS.mailsPerAddressPerDay);
    });

    test('hostile tokens and languages give plain pages, never errors', async () => {
      for (const url of ['/en/alerts/confirm/short', `/en/alerts/confirm/${'a'.repeat(43)}`, `/en/alerts/manage/${'%00'.repeat(20)}`, '/xx/alerts/new?scope=search&q=a', `/en/alerts/unsubscribe/${'é'.repeat(50)}`]) {
        const res = await t.app.inject(url);
        assert.ok([400, 404].includes(res.statusCode), `${url}: ${res.statusCode}`);
        assert.match(String(res.headers['content-type']), /text\/html/);
      }
    });

    test('a digest job cut after its transaction committed but before the mail was queued is queued again on the next run', async () => {
      ip++;
      const alert = await subscribe('cut@example.org', { scope: 'documents', type: 'concept_note' });
      await publishDoc('cut-note', 'concept_note', 'public', 'Concept note on cut digests', 'Note conceptuelle sur les envois coupés');
      // The process dies between the commit (the mail recorded, the window moved on) and the queuing.
      const cut = alertDigestJob({ ...t.app.diwan, mailer: { ...t.app.diwan.mailer, dispatch: () => Promise.reject(new Error('killed')) } });
      await assert.rejects(cut.run({ alertId: alert.id, until: new Date().toISOString() }, { id: 'cut', attempt: 1 }), /killed/);
      const recorded = (await rows()).find((r) => r.id === alert.id)!;
      assert.ok(recorded.last_outbox_id, 'the digest is recorded');
      await drain();
      assert.deepEqual(mailsTo('cut@example.org'), [], 'and not sent');

      // The next daily run, with a new window and nothing new in it, sends the recorded digest.
      await new Promise((r) => setTimeout(r, 5));
      await t.app.diwan.jobs.send(DIGEST_JOB, {});
      await drain();
      const sent = mailsTo('cut@example.org');
      assert.equal(sent.length, 1, JSON.stringify(sent.map((m) => m.subject)));
      assert.match(sent[0]!.text, /Concept note on cut digests/);
      // Only once, however many runs follow.
      received.length = 0;
      await t.app.diwan.jobs.send(DIGEST_JOB, {});
      await drain();
      assert.deepEqual(mailsTo('cut@example.org'), []);
    });

    test('a daily run that fails still leaves the next one queued', async () => {
      ip++;
      await subscribe('daily@example.org', { scope: 'documents', type: 'information_note' });
      const queued: { name: string; startAfter?: Date | undefined }[] = [];
      const jobs = {
        ...t.app.diwan.jobs,
        send: async (name: string, _data: unknown, options: { startAfter?: Date } = {}) => {
          if (name === ALERT_DIGEST_JOB) throw new Error('the queue is down');
          queued.push({ name, startAfter: options.startAfter });
          return null;
        },
      };
      await assert.rejects(dailyDigestJob({ ...t.app.diwan, jobs }).run({}, { id: 'daily', attempt: 4 }), /the queue is down/);
      const next = nextDigestTime(new Date(Date.now() + 60_000), t.app.diwan.config.alertDigestHour, t.app.diwan.config.timeZone);
      assert.deepEqual(queued, [{ name: DIGEST_JOB, startAfter: next }]);
    });

    test('two requests at once from a network address that has not asked yet are both counted, neither refused', async () => {
      for (let n = 0; n < 3; n++) {
        const from = `198.51.100.${200 + n}`;
        const twice = await Promise.all(
          ['first', 'second'].map((who) => t.app.inject({ method: 'POST', url: '/en/alerts', payload: form({ scope: 'search', q: 'wombat', email: '' }), headers: FORM, remoteAddress: from }).then((r) => `${who}: ${r.statusCode}`)),
        );
        assert.deepEqual(twice, ['first: 400', 'second: 400'], 'a double click on the first request of the hour');
      }
      const counted = await t.db.selectFrom('alert_rate').select('count').where('key', 'like', 'ip:%').where('window_start', '>', new Date(Date.now() - 60_000).toISOString()).execute();
      assert.ok(counted.some((r) => r.count === 2), JSON.stringify(counted));
    });

    test('behind a reverse proxy TRUST_PROXY names, each visitor is counted by the address the proxy gives; an IPv6 line by its /64', async () => {
      const ask = (remoteAddress: string, forwardedFor?: string) =>
        t.app.inject({ method: 'POST', url: '/en/alerts', payload: form({ scope: 'search', q: 'wombat', email: '' }), headers: { ...FORM, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) }, remoteAddress });
      const statuses = async (n: number, each: (i: number) => Promise<{ statusCode: number }>) => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push((await each(i)).statusCode);
        return out;
      };
      const over = ALERT_LIMITS.requestsPerIpPerHour + 1;
      // Many visitors through the proxy: none is refused for the others' requests.
      assert.ok(!(await statuses(over, (i) => ask('127.0.0.1', `198.51.100.${i + 1}`))).includes(429), 'each visitor has their own count');
      // One visitor who adds addresses of their own before the proxy's: still one count.
      assert.equal((await statuses(over, (i) => ask('127.0.0.1', `10.0.0.${i}, 198.51.100.100`))).at(-1), 429);
      // A header sent straight to the server, not through the proxy, changes nothing.
      assert.equal((await statuses(over, (i) => ask('203.0.113.9', `198.51.100.${i + 1}`))).at(-1), 429);
      // The addresses of one IPv6 line.
      assert.equal((await statuses(over, (i) => ask(`2001:db8:77:1::${(i + 1).toString(16)}`))).at(-1), 429);
      assert.equal((await ask('2001:db8:77:2::1')).statusCode, 400, 'another line is counted apart');
    });

    test('without TRUST_PROXY, X-Forwarded-For is ignored even from the machine itself', async () => {
      const plain = await createTestApp(dialect);
      try {
        const over = ALERT_LIMITS.requestsPerIpPerHour + 1;
        const codes: number[] = [];
        for (let i = 0; i < over; i++) {
          const r = await plain.app.inject({ method: 'POST', url: '/en/alerts', payload: form({ scope: 'search', q: 'wombat', email: '' }), headers: { ...FORM, 'x-forwarded-for': `198.51.100.${i + 1}` }, remoteAddress: '127.0.0.1' });
          codes.push(r.statusCode);
        }
        assert.equal(codes.at(-1), 429, 'one peer, one count, whatever the header says');
      } finally {
        await plain.close();
      }
    });
  });
}

test('digests go out at the configured hour in the site’s time zone, today if still to come, else tomorrow', () => {
  assert.equal(nextDigestTime(new Date('2026-12-04T05:00:00Z'), 7, 'UTC').toISOString(), '2026-12-04T07:00:00.000Z');
  assert.equal(nextDigestTime(new Date('2026-12-04T07:00:00Z'), 7, 'UTC').toISOString(), '2026-12-05T07:00:00.000Z');
  // 7:00 in Brussels is 6:00 UTC in winter.
  assert.equal(nextDigestTime(new Date('2026-12-04T05:59:00Z'), 7, 'Europe/Brussels').toISOString(), '2026-12-04T06:00:00.000Z');
});
