/**
 * Registration for a meeting in Debian's Chromium, with mail through a real SMTP peer: an organiser
 * opens registration with one seat; a delegate finds "Register" on the meeting's page, makes a
 * mistake (kept and explained), sends the form and opens the personal link from the mail; a second
 * delegate, in French, goes on the waiting list; the organiser approves the first, whose mail
 * carries a calendar file a real parser reads; the first cancels from the personal page and the
 * seat goes to the second. Every page passes axe-core, the form also at phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { assertNoAxeViolations, freePort, launchBrowser, signIn, startApp, withContext, type RunningApp } from './browser.js';
import { MailSink } from './mail-sink.js';
import { DEMO_MEETING_KEY } from '../src/modules/meetings/demo/demo-seeder.js';

const ORGANISER = { email: 'registration.organiser@diwan.test', password: 'registration organiser 12' };
const linkIn = (text: string | undefined) => /(https?:\/\/[^\s]+\/registrations\/[\w-]+)/.exec(text ?? '')?.[1];

describe('meeting registration', () => {
  let app: RunningApp;
  let browser: Browser;
  const mail = new MailSink();
  let meeting: { id: number; en: string; fr: string };
  const year = new Date().getUTCFullYear() + 1;

  before(async () => {
    const [smtpPort, port] = await Promise.all([mail.listen(), freePort()]);
    app = await startApp({ port, config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: `http://127.0.0.1:${port}` } });
    browser = await launchBrowser();
    await createUser(app.test.db, { ...ORGANISER, role: 'organiser', displayName: 'Awa Organiser' });
    const db = app.test.db;
    const row = await db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('activities').set({ start_date: `${year}-06-16`, end_date: `${year}-06-17`, date_precision: 'day', status: 'announced' }).where('id', '=', row.id).execute();
    const slugs = await db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', row.id).execute();
    meeting = { id: row.id, en: slugs.find((s) => s.lang === 'en')!.slug, fr: slugs.find((s) => s.lang === 'fr')!.slug };
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await mail.close();
  });

  const drain = () => app.test.app.diwan.jobs.drain({ timeoutMs: 30_000 });

  test('an organiser opens registration; delegates register, are approved or wait, and one cancels', async () => {
    await withContext(browser, app.origin, async (context) => {
      const organiser = await context.newPage();
      await signIn(organiser, ORGANISER);
      await organiser.goto(`/admin/activities/${meeting.id}`);
      await Promise.all([organiser.waitForURL(`**/admin/activities/${meeting.id}/registrations`), organiser.getByTestId('registrations-link').click()]);
      for (const line of await assertNoAxeViolations(organiser, 'registrations (back-office)')) void line;
      await organiser.check('#open');
      await organiser.fill('#capacity', '1');
      await Promise.all([organiser.waitForURL('**/registrations?done=settings'), organiser.click('[data-testid="registration-settings"] button[type=submit]')]);
      assert.match(await organiser.getByTestId('meeting-phase').innerText(), /Registration open/);
      assert.match(await organiser.getByTestId('seats').innerText(), /0 of 1 seat taken/);

      const delegate = await browser.newContext({ baseURL: app.origin, locale: 'en-GB' });
      try {
        const v = await delegate.newPage();
        await v.goto(`/en/activities/${meeting.en}`);
        assert.match(await v.getByTestId('registration-open').innerText(), /Registration is open until 17 June/);
        await Promise.all([v.waitForURL(`**/en/activities/${meeting.en}/register`), v.getByTestId('registration-open').getByRole('link', { name: 'Register' }).click()]);
        for (const line of await assertNoAxeViolations(v, 'registration form')) void line;
        await v.selectOption('#title', 'ms');
        await v.fill('#given_name', 'Awa');
        await v.fill('#family_name', 'Ndiaye');
        await v.fill('#function', 'Head of the migration unit');
        await v.selectOption('#represents', 'c:SN');
        await v.fill('#email', 'awa.ndiaye@example');
        await v.check('#languages-fr');
        // A mistake: an address without its domain, and no consent. Both are explained; the rest stays.
        await v.getByTestId('registration-submit').click();
        await v.getByTestId('error-summary').waitFor();
        const summary = await v.getByTestId('error-summary').innerText();
        assert.match(summary, /Enter an e-mail address in the form name@example.org/);
        assert.match(summary, /Tick the box to agree/);
        assert.equal(await v.inputValue('#given_name'), 'Awa');
        assert.ok(await v.isChecked('#languages-fr'));
        for (const line of await assertNoAxeViolations(v, 'registration form with errors')) void line;
        await v.fill('#email', 'awa.ndiaye@example.org');
        await v.check('#consent_data');
        await v.check('#consent_public');
        await Promise.all([v.waitForURL('**/register/sent'), v.getByTestId('registration-submit').click()]);
        assert.match(await v.getByTestId('registration-sent').innerText(), /Check your inbox/);
        await drain();
        const received = await mail.nth('awa.ndiaye@example.org', 1);
        const link = linkIn(received.text);
        assert.ok(link, 'the mail carries the personal link');
        await v.goto(link);
        assert.equal(await v.getByTestId('registration-state').innerText(), 'Pending');
        for (const line of await assertNoAxeViolations(v, 'own registration')) void line;

        // A second delegate, on a phone, in French: the only seat is held, so the waiting list.
        const phone = await browser.newContext({ baseURL: app.origin, locale: 'fr-FR', viewport: { width: 375, height: 740 } });
        try {
          const p = await phone.newPage();
          await p.goto(`/fr/activities/${meeting.fr}/register`);
          for (const line of await assertNoAxeViolations(p, 'registration form (phone, French)')) void line;
          await p.fill('#given_name', 'Inès');
          await p.fill('#family_name', 'García');
          await p.selectOption('#represents', 'c:ES');
          await p.fill('#email', 'ines.garcia@example.org');
          await p.check('#consent_data');
          await Promise.all([p.waitForURL('**/register/sent'), p.getByTestId('registration-submit').click()]);
          await drain();
          const waiting = await mail.nth('ines.garcia@example.org', 1);
          assert.match(waiting.text ?? '', /liste d’attente/);
          await p.goto(linkIn(waiting.text)!);
          assert.equal(await p.getByTestId('registration-state').innerText(), 'Sur la liste d’attente');
        } finally {
          await phone.close();
        }

        // The organiser approves the first delegate: the mail carries the meeting's calendar file.
        await organiser.goto(`/admin/activities/${meeting.id}/registrations?state=pending`);
        await Promise.all([organiser.waitForURL(/\/registrations\/\d+$/), organiser.getByRole('link', { name: 'Ndiaye, Awa' }).click()]);
        for (const line of await assertNoAxeViolations(organiser, 'one registration (back-office)')) void line;
        await Promise.all([organiser.waitForURL(/done=approved/), organiser.getByTestId('decide-approved').click()]);
        assert.match(await organiser.getByTestId('notice').innerText(), /Approved/);
        await drain();
        const approval = await mail.nth('awa.ndiaye@example.org', 2);
        assert.match(approval.subject ?? '', /is approved/);
        const ics = approval.attachments.find((a) => a.contentType.startsWith('text/calendar'));
        assert.ok(ics, 'a calendar file is attached');
        const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
        assert.equal(event.startDate.toString().slice(0, 10), `${year}-06-16`);

        // The first delegate cannot come after all: cancelling frees the seat for the second.
        await v.goto(link);
        assert.equal(await v.getByTestId('registration-state').innerText(), 'Approved');
        await Promise.all([v.waitForURL(/done=cancelled/), v.getByTestId('registration-cancel-submit').click()]);
        assert.equal(await v.getByTestId('registration-state').innerText(), 'Cancelled');
        await drain();
        const promoted = await mail.nth('ines.garcia@example.org', 2);
        assert.match(promoted.text ?? '', /Une place s’est libérée/);
        await organiser.goto(`/admin/activities/${meeting.id}/registrations`);
        assert.match(await organiser.getByTestId('seats').innerText(), /1 of 1 seat taken/);
        assert.match(await organiser.getByTestId('count-waitlisted').innerText(), /\(0\)/);
      } finally {
        await delegate.close();
      }
    });
  });
});
