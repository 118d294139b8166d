/**
 * A meeting's agenda in Debian's Chromium: an organiser sets the venue's time zone and adds a
 * plenary and two parallel working groups (one with a mistake first, corrected with the rest of
 * the form kept); a visitor opens the meeting, follows "See the agenda", finds the parallel groups
 * side by side and downloads the calendar file, which a real parser reads with the right UTC times.
 * Every page passes axe-core, the agenda also at phone width.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import type { Browser } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { assertNoAxeViolations, launchBrowser, signIn, startApp, withContext, type RunningApp } from './browser.js';
import { DEMO_MEETING_KEY } from '../src/modules/meetings/demo/demo-seeder.js';

const ORGANISER = { email: 'agenda.organiser@diwan.test', password: 'agenda organiser 12' };


describe('meeting agenda', () => {
  let app: RunningApp;
  let browser: Browser;
  let meeting: { id: number; slug: string };
  const year = new Date().getUTCFullYear() + 1;

  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
    await createUser(app.test.db, { ...ORGANISER, role: 'organiser', displayName: 'Awa Organiser' });
    const db = app.test.db;
    const row = await db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('activities').set({ start_date: `${year}-06-16`, end_date: `${year}-06-17`, date_precision: 'day', status: 'announced' }).where('id', '=', row.id).execute();
    const slug = (await db.selectFrom('activity_translations').select('slug').where('activity_id', '=', row.id).where('lang', '=', 'en').executeTakeFirstOrThrow()).slug;
    meeting = { id: row.id, slug };
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('an organiser builds the agenda; a visitor reads it and adds it to a calendar', async () => {
    await withContext(browser, app.origin, async (context) => {
      const page = await context.newPage();
      await signIn(page, ORGANISER);
      await page.goto(`/admin/activities/${meeting.id}`);
      await Promise.all([page.waitForURL(`**/admin/activities/${meeting.id}/agenda`), page.getByTestId('agenda-link').click()]);
      for (const line of await assertNoAxeViolations(page, 'agenda (back-office)')) void line;
      await page.fill('#time_zone', 'Africa/Dakar');
      await Promise.all([page.waitForURL('**/agenda?done=zone'), page.click('form[action$="/time-zone"] button[type=submit]')]);

      const addSession = async (fields: Record<string, string>, selects: Record<string, string>) => {
        await page.goto(`/admin/activities/${meeting.id}/agenda/sessions/new`);
        for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
        for (const [id, value] of Object.entries(selects)) await page.selectOption(`#${id}`, value);
      };
      const save = () => Promise.all([page.waitForURL('**/agenda?done=saved'), page.click('form[action$="/sessions/new"] button[type=submit]')]);

      await addSession({ day: `${year}-06-16`, starts: '09:00', ends: '10:30', t_en_title: 'Opening plenary', t_fr_title: 'Plénière d’ouverture', room: 'Main hall', person_0_name: 'Awa Diop' }, { kind: 'opening', person_0_role: 'chair' });
      for (const line of await assertNoAxeViolations(page, 'session form')) void line;
      await save();
      // A mistake: the end before the start. The message names the field, the rest stays typed.
      await addSession({ day: `${year}-06-16`, starts: '11:00', ends: '10:00', t_en_title: 'Working group 1: legal pathways', room: 'Room 1' }, { kind: 'working_group', track: '1' });
      await page.click('form[action$="/sessions/new"] button[type=submit]');
      await page.getByTestId('error-summary').waitFor();
      assert.match(await page.getByTestId('error-summary').innerText(), /The session must end after it starts/);
      assert.equal(await page.inputValue('#t_en_title'), 'Working group 1: legal pathways');
      for (const line of await assertNoAxeViolations(page, 'session form with an error')) void line;
      await page.fill('#ends', '12:30');
      await save();
      await addSession({ day: `${year}-06-16`, starts: '11:00', ends: '12:30', t_en_title: 'Working group 2: return and reintegration', room: 'Room 2' }, { kind: 'working_group', track: '2' });
      await save();
      assert.equal(await page.locator('[data-testid="agenda-sessions"] tbody tr').count(), 3);

      const visitor = await context.browser()!.newContext({ baseURL: app.origin, acceptDownloads: true });
      try {
        const v = await visitor.newPage();
        await v.goto(`/en/activities/${meeting.slug}`);
        await Promise.all([v.waitForURL(`**/en/activities/${meeting.slug}/agenda`), v.getByTestId('meeting-links').getByRole('link', { name: 'See the agenda' }).click()]);
        assert.match(await v.locator('h1').innerText(), /^Agenda: /);
        assert.match(await v.locator('main').innerText(), /Times are local to the venue \(Africa\/Dakar, (GMT|UTC)\)/);
        const parallel = v.getByRole('list', { name: 'Parallel sessions' });
        assert.equal(await parallel.getByTestId('agenda-session').count(), 2, 'the two groups side by side');
        for (const line of await assertNoAxeViolations(v, 'agenda (public)')) void line;
        await v.setViewportSize({ width: 375, height: 800 });
        for (const line of await assertNoAxeViolations(v, 'agenda (public, phone)')) void line;
        const [download] = await Promise.all([v.waitForEvent('download'), v.getByRole('link', { name: 'Add to calendar (.ics)' }).first().click()]);
        const text = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
        const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
        assert.equal(events.length, 4, 'the meeting and its three sessions');
        const opening = events.find((e) => e.summary.startsWith('Opening plenary'))!;
        assert.equal(opening.startDate.toJSDate().toISOString(), `${year}-06-16T09:00:00.000Z`, 'Dakar keeps UTC');
      } finally {
        await visitor.close();
      }
    });
  });
});
