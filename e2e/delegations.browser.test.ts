/**
 * Delegations in Debian's Chromium, with mail through a real SMTP peer: an organiser invites
 * Senegal and Spain to a meeting; the Senegalese focal point finds the invitation, nominates two
 * delegates (the second beyond the delegation's seat, so waiting), names the head of delegation and
 * attaches the nomination letter; the nominated delegate's mail carries their personal link. Every
 * page passes axe-core; the delegation page also at phone width.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { DEMO_MEETING_KEY } from '../src/modules/meetings/demo/demo-seeder.js';
import { makePdf } from '../src/platform/files/test-files.js';
import { assertNoAxeViolations, freePort, launchBrowser, signIn, startApp, withContext, type RunningApp } from './browser.js';
import { MailSink } from './mail-sink.js';

const ORGANISER = { email: 'delegations.organiser@diwan.test', password: 'delegations organiser 12' };
const FOCAL = { email: 'delegations.focal.sn@diwan.test', password: 'delegations focal point 12' };

describe('delegations', () => {
  let app: RunningApp;
  let browser: Browser;
  const mail = new MailSink();
  let meetingId: number;
  const year = new Date().getUTCFullYear() + 1;

  before(async () => {
    const [smtpPort, port] = await Promise.all([mail.listen(), freePort()]);
    app = await startApp({ port, config: { smtpUrl: `smtp://127.0.0.1:${smtpPort}`, publicUrl: `http://127.0.0.1:${port}` } });
    browser = await launchBrowser();
    const db = app.test.db;
    await createUser(db, { ...ORGANISER, role: 'organiser', displayName: 'Awa Organiser' });
    await createUser(db, { ...FOCAL, role: 'focal_point', displayName: 'Moussa Focal', countryCode: 'SN', lang: 'en' });
    const row = await db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    await db.updateTable('activities').set({ start_date: `${year}-09-22`, end_date: `${year}-09-23`, date_precision: 'day', status: 'announced' }).where('id', '=', row.id).execute();
    meetingId = row.id;
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await mail.close();
  });

  const drain = () => app.test.app.diwan.jobs.drain({ timeoutMs: 30_000 });
  const submit = (page: Page, form: string, url: string) => Promise.all([page.waitForURL(url), page.click(`[data-testid="${form}"] button[type=submit]`)]);

  test('an organiser invites two partners; a focal point nominates its delegation, names its head and attaches the letter', async () => {
    await withContext(browser, app.origin, async (context) => {
      const organiser = await context.newPage();
      await signIn(organiser, ORGANISER);
      await organiser.goto(`/admin/activities/${meetingId}/registrations`);
      await organiser.check('#open');
      await organiser.selectOption('#form', 'invited');
      await organiser.fill('#capacity', '10');
      await submit(organiser, 'registration-settings', '**/registrations?done=settings');
      await Promise.all([organiser.waitForURL('**/invitations'), organiser.getByTestId('invitations-link').click()]);
      await assertNoAxeViolations(organiser, 'invitations (empty)');
      // A mistake first: no partner chosen.
      await organiser.fill('#seats', '1');
      await Promise.all([organiser.waitForLoadState('load'), organiser.click('[data-testid="invite-form"] button[type=submit]')]);
      assert.match(await organiser.getByTestId('error-summary').innerText(), /Choose a country or organisation/);
      assert.equal(await organiser.inputValue('#seats'), '1', 'kept');
      for (const [code, seats] of [['c:SN', '1'], ['c:ES', '2']]) {
        await organiser.selectOption('#partner', code!);
        await organiser.fill('#seats', seats!);
        await submit(organiser, 'invite-form', '**/invitations?done=invited');
      }
      assert.equal(await organiser.getByTestId('invitation-row').count(), 2);
      await assertNoAxeViolations(organiser, 'invitations (two partners)');
    });

    await drain();
    const invitation = await mail.nth(FOCAL.email, 1);
    const link = /(https?:\/\/\S+\/admin\/delegations\/\d+)/.exec(invitation.text ?? '')?.[1];
    assert.ok(link);

    await withContext(browser, app.origin, async (context) => {
      const focal = await context.newPage();
      await signIn(focal, FOCAL);
      await Promise.all([focal.waitForURL('**/admin/delegations'), focal.click('nav a[href="/admin/delegations"]')]);
      await assertNoAxeViolations(focal, 'delegations list (focal point)');
      await focal.goto(new URL(link).pathname);
      await assertNoAxeViolations(focal, 'delegation page');
      for (const [given, family, email] of [['Mamadou', 'Sarr', 'mamadou.sarr@example.sn'], ['Fatou', 'Ba', 'fatou.ba@example.sn']]) {
        await focal.fill('#given_name', given!);
        await focal.fill('#family_name', family!);
        await focal.fill('#email', email!);
        await focal.check('#consent_data');
        await submit(focal, 'nominate-form', '**/admin/delegations/*?done=nominated');
      }
      const rows = focal.getByTestId('delegate-row');
      assert.equal(await rows.count(), 2);
      assert.match(await rows.nth(0).innerText(), /Pending/);
      assert.match(await rows.nth(1).innerText(), /waiting list/i);
      await focal.selectOption('#head', { label: 'Mamadou Sarr' });
      await submit(focal, 'head-form', '**/admin/delegations/*?done=head');
      assert.equal(await focal.getByTestId('head-tag').count(), 1);
      const dir = mkdtempSync(path.join(tmpdir(), 'diwan-letter-'));
      const file = path.join(dir, 'note-verbale.pdf');
      writeFileSync(file, await makePdf(['Note verbale', 'Nomination of the delegation of Senegal.']));
      await focal.setInputFiles('#letter', file);
      await submit(focal, 'letter-form', '**/admin/delegations/*?done=letter');
      assert.match(await focal.getByTestId('letter').innerText(), /note-verbale\.pdf/);
      await focal.setViewportSize({ width: 375, height: 800 });
      await assertNoAxeViolations(focal, 'delegation page (phone)');
    });

    await drain();
    const nominated = await mail.nth('mamadou.sarr@example.sn', 1);
    assert.match(nominated.text ?? '', /registered you as a delegate/);
    assert.match(nominated.text ?? '', /\/en\/registrations\/[\w-]{43}/);
  });
});
