/**
 * The whole cycle of a meeting in Debian's Chromium, with mail through a real SMTP peer: an
 * organiser gives a meeting a two-day agenda with two parallel working groups and invites Senegal
 * and Spain; the Senegalese focal point nominates two delegates; the organiser approves one and
 * waitlists the other; the approved delegate's mail carries a calendar file that parses; the badge
 * PDF's QR code, read from its pixels, opens the check-in desk on a phone-sized page, where the
 * delegate is checked in; after the meeting, the public page shows the figures counted from
 * attendance and names only the participant who agreed. Every page passes axe-core.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { DEMO_MEETING_KEY } from '../src/modules/meetings/demo/demo-seeder.js';
import { firstQrValue } from '../test/helpers/qr.js';
import { assertNoAxeViolations, freePort, launchBrowser, signIn, startApp, withContext, type RunningApp } from './browser.js';
import { MailSink } from './mail-sink.js';

const ORGANISER = { email: 'cycle.organiser@diwan.test', password: 'cycle organiser 1234' };
const FOCAL = { email: 'cycle.focal.sn@diwan.test', password: 'cycle focal point 1234' };

describe('a meeting from invitation to attendance', () => {
  let app: RunningApp;
  let browser: Browser;
  const mail = new MailSink();
  let meeting: { id: number; slug: string };
  const year = new Date().getUTCFullYear() + 1;

  before(async () => {
    const [smtpPort, port] = await Promise.all([mail.listen(), freePort()]);
    app = await startApp({ port, config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: `http://127.0.0.1:${port}` } });
    browser = await launchBrowser();
    const db = app.test.db;
    await createUser(db, { ...ORGANISER, role: 'organiser', displayName: 'Awa Organiser' });
    await createUser(db, { ...FOCAL, role: 'focal_point', displayName: 'Moussa Focal', countryCode: 'SN', lang: 'en' });
    // The meeting record (an activity an editor made), on two days next year.
    const row = await db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('activities').set({ start_date: `${year}-10-06`, end_date: `${year}-10-07`, date_precision: 'day', status: 'announced', participants: 120, participants_qualifier: 'over' }).where('id', '=', row.id).execute();
    const slug = await db.selectFrom('activity_translations').select('slug').where('activity_id', '=', row.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
    meeting = { id: row.id, slug: slug.slug };
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await mail.close();
  });

  const drain = () => app.test.app.diwan.jobs.drain({ timeoutMs: 120_000 });
  const submit = (page: Page, form: string, url: string) => Promise.all([page.waitForURL(url), page.click(`[data-testid="${form}"] button[type=submit]`)]);

  test('agenda, invitations, nominations, decisions, badge, check-in, figures', async () => {
    const base = `/admin/activities/${meeting.id}`;
    await withContext(browser, app.origin, async (context) => {
      const organiser = await context.newPage();
      await signIn(organiser, ORGANISER);
      // A two-day agenda with two parallel working groups.
      await organiser.goto(`${base}/agenda`);
      await organiser.fill('#time_zone', 'Africa/Dakar');
      await Promise.all([organiser.waitForURL('**/agenda?done=zone'), organiser.click('form[action$="/time-zone"] button[type=submit]')]);
      const sessions: [string, string, string, string, string, string][] = [
        [`${year}-10-06`, '09:00', '10:00', 'Opening plenary', 'opening', ''],
        [`${year}-10-06`, '10:30', '12:30', 'Working group 1: labour mobility', 'working_group', '1'],
        [`${year}-10-06`, '10:30', '12:30', 'Working group 2: return and reintegration', 'working_group', '2'],
        [`${year}-10-07`, '09:00', '11:00', 'Closing plenary', 'closing', ''],
      ];
      for (const [day, starts, ends, title, kind, track] of sessions) {
        await organiser.goto(`${base}/agenda/sessions/new`);
        await organiser.fill('#day', day);
        await organiser.fill('#starts', starts);
        await organiser.fill('#ends', ends);
        await organiser.fill('#t_en_title', title);
        await organiser.selectOption('#kind', kind);
        if (track) await organiser.selectOption('#track', track);
        await Promise.all([organiser.waitForURL('**/agenda?done=saved'), organiser.click('form[action$="/sessions/new"] button[type=submit]')]);
      }
      // Registration by invitation; Senegal and Spain invited.
      await organiser.goto(`${base}/registrations`);
      await organiser.check('#open');
      await organiser.selectOption('#form', 'invited');
      await organiser.fill('#capacity', '10');
      await submit(organiser, 'registration-settings', '**/registrations?done=settings');
      await organiser.goto(`${base}/invitations`);
      for (const [code, seats] of [['c:SN', '2'], ['c:ES', '1']]) {
        await organiser.selectOption('#partner', code!);
        await organiser.fill('#seats', seats!);
        await submit(organiser, 'invite-form', '**/invitations?done=invited');
      }
    });

    // The Senegalese focal point nominates two delegates.
    await drain();
    const invitation = await mail.nth(FOCAL.email, 1);
    const delegationPath = new URL(/(https?:\/\/\S+\/admin\/delegations\/\d+)/.exec(invitation.text ?? '')![1]!).pathname;
    await withContext(browser, app.origin, async (context) => {
      const focal = await context.newPage();
      await signIn(focal, FOCAL);
      await focal.goto(delegationPath);
      for (const [given, family, email, named] of [['Mamadou', 'Sarr', 'mamadou.sarr@example.sn', true], ['Fatou', 'Ba', 'fatou.ba@example.sn', false]] as const) {
        await focal.fill('#given_name', given);
        await focal.fill('#family_name', family);
        await focal.fill('#email', email);
        if (named) await focal.check('#consent_public');
        await focal.check('#consent_data');
        await submit(focal, 'nominate-form', '**/admin/delegations/*?done=nominated');
      }
      assert.equal(await focal.getByTestId('delegate-row').count(), 2);
    });

    const db = app.test.db;
    const idOf = async (email: string) => (await db.selectFrom('registrations').select('id').where('email_key', '=', email).where('activity_id', '=', meeting.id).executeTakeFirstOrThrow()).id;
    const sarr = await idOf('mamadou.sarr@example.sn');
    const ba = await idOf('fatou.ba@example.sn');

    await withContext(browser, app.origin, async (context) => {
      const organiser = await context.newPage();
      await signIn(organiser, ORGANISER);
      // The organiser approves one delegate and waitlists the other.
      await organiser.goto(`${base}/registrations/${sarr}`);
      await Promise.all([organiser.waitForURL('**?done=approved'), organiser.getByTestId('decide-approved').click()]);
      await organiser.goto(`${base}/registrations/${ba}`);
      await Promise.all([organiser.waitForURL('**?done=waitlisted'), organiser.getByTestId('decide-waitlisted').click()]);
      // A Spanish delegate, nominated by the organiser for Spain, who does not wish to be named.
      const spain = await db.selectFrom('meeting_invitations').select('id').where('activity_id', '=', meeting.id).where('country_code', '=', 'ES').executeTakeFirstOrThrow();
      await organiser.goto(`/admin/delegations/${spain.id}`);
      await organiser.fill('#given_name', 'Lucía');
      await organiser.fill('#family_name', 'Gómez');
      await organiser.fill('#email', 'lucia.gomez@example.es');
      await organiser.check('#consent_data');
      await submit(organiser, 'nominate-form', '**/admin/delegations/*?done=nominated');
      const gomez = await idOf('lucia.gomez@example.es');
      await organiser.goto(`${base}/registrations/${gomez}`);
      await Promise.all([organiser.waitForURL('**?done=approved'), organiser.getByTestId('decide-approved').click()]);

      // The approval's mail carries the meeting as a calendar file that parses.
      await drain();
      const approved = await mail.nth('mamadou.sarr@example.sn', 2);
      assert.match(approved.subject ?? '', /approved/);
      const ics = approved.attachments.find((a) => a.filename === 'meeting.ics');
      assert.ok(ics, 'the calendar file');
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
      assert.equal(event.startDate.toJSDate().toISOString().slice(0, 10), `${year}-10-06`);
      const waiting = await mail.nth('fatou.ba@example.sn', 2);
      assert.match(waiting.text ?? '', /waiting list/);

      // The badge, printed by a job; its QR code holds the desk's address for this delegate.
      await organiser.goto(`${base}/registrations/${sarr}`);
      await Promise.all([organiser.waitForURL('**/prints/badges**'), organiser.getByTestId('badge-link').click()]);
      assert.match(await organiser.getByTestId('print-status').innerText(), /printed in the background/);
      await assertNoAxeViolations(organiser, 'PDF being prepared');
      const badgeUrl = new URL(organiser.url()).pathname + new URL(organiser.url()).search;
      await drain();
      const pdf = await context.request.get(badgeUrl);
      assert.equal(pdf.headers()['content-type'], 'application/pdf');
      const qr = await firstQrValue(Buffer.from(await pdf.body()));
      assert.ok(qr && qr.startsWith(`${app.origin}/admin/check-in/`), `QR: ${qr}`);

      // On a phone, the QR's address opens the desk with the delegate found: one tap checks them in.
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 375, height: 740 });
      await phone.goto(qr);
      await phone.getByTestId('checkin-person').first().waitFor();
      assert.match(await phone.getByTestId('checkin-results').innerText(), /Mamadou Sarr/);
      await assertNoAxeViolations(phone, 'check-in desk (phone)');
      await Promise.all([phone.waitForURL('**done=attended**'), phone.getByTestId('check-in-button').click()]);
      assert.match(await phone.getByTestId('notice').innerText(), /Mamadou Sarr is checked in/);
      assert.match(await phone.getByTestId('attendance-count').innerText(), /1 of 2 approved participants checked in/);
      // The Spanish delegate, found by name without the accent.
      await phone.fill('#q', 'lucia');
      await Promise.all([phone.waitForURL('**q=lucia**'), phone.click('.checkin-search button[type=submit]')]);
      await Promise.all([phone.waitForURL('**done=attended**'), phone.getByTestId('check-in-button').click()]);
      assert.match(await phone.getByTestId('attendance-count').innerText(), /2 of 2 approved participants checked in/);
      await assertNoAxeViolations(phone, 'check-in desk after two arrivals (phone)');
    });

    // After the meeting: the page counts who came and names only who agreed.
    const lastYear = year - 2;
    await db.updateTable('activities').set({ start_date: `${lastYear}-10-06`, end_date: `${lastYear}-10-07`, status: 'held' }).where('id', '=', meeting.id).execute();
    // Time passes outside the app: the page cache is emptied as a new day would.
    app.test.app.diwan.cache.clear();
    await withContext(browser, app.origin, async (context) => {
      const visitor = await context.newPage();
      await visitor.goto(`/en/activities/${meeting.slug}`);
      assert.match(await visitor.getByTestId('computed-figures').innerText(), /^2 participants from 2 countries$/);
      assert.match(await visitor.getByTestId('computed-details').innerText(), /1 African delegation and 1 European delegation/);
      const named = await visitor.getByTestId('public-participant').allInnerTexts();
      assert.equal(named.length, 1);
      assert.match(named[0]!, /Mamadou Sarr/);
      assert.doesNotMatch(await visitor.locator('main').innerText(), /Gómez|Over 120 participants/);
      await assertNoAxeViolations(visitor, 'meeting page after the meeting');
    });
  });
});
