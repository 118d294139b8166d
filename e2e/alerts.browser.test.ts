/**
 * E-mail alerts in Debian's Chromium, as a visitor without an account: from the library, ask for
 * alerts on a filtered list, make a mistake in the address and correct it, confirm from the mailed
 * link, receive a digest when a matching document is published, and stop the alert from the
 * digest's link. Every page on the way passes axe-core. Without SMTP, mail stays in the outbox,
 * where the test reads it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createDocument } from '../src/modules/documents/index.js';
import { DIGEST_JOB } from '../src/modules/alerts/alerts.jobs.js';
import { assertNoAxeViolations, launchBrowser, startApp, withContext, type RunningApp } from './browser.js';

describe('e-mail alerts', () => {
  let app: RunningApp;
  let browser: Browser;
  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const lastMail = async (purpose: string) =>
    (await app.test.db.selectFrom('outbox').select(['to_address', 'subject', 'text_body']).where('purpose', '=', purpose).orderBy('id', 'desc').executeTakeFirstOrThrow());
  const path = (text: string, route: string) => {
    const m = text.match(new RegExp(`https?://[^\\s/]+(/[a-z]{2}/alerts/${route}/[\\w-]+)`));
    assert.ok(m, `a ${route} link in: ${text}`);
    return m[1]!;
  };

  test('a visitor subscribes to a filtered list, confirms, gets a digest of a new document and stops the alert from it', async () => {
    await withContext(browser, app.origin, async (context) => {
      const page = await context.newPage();
      await page.goto('/en/documents?type=final_report');
      await Promise.all([page.waitForURL('**/en/alerts/new?**'), page.getByTestId('library-alert').click()]);
      assert.match(await page.getByTestId('alert-criteria').innerText(), /Final report/);
      for (const line of await assertNoAxeViolations(page, 'alert form')) void line;

      await page.fill('#email', 'not an address');
      await page.getByTestId('alert-subscribe').click();
      await page.getByTestId('error-summary').waitFor();
      assert.match(await page.getByTestId('error-summary').innerText(), /Enter an e-mail address in the correct form/);
      assert.equal(await page.inputValue('#email'), 'not an address', 'what was typed is kept');
      for (const line of await assertNoAxeViolations(page, 'alert form with an error')) void line;
      // The summary's link leads to the field.
      await page.getByTestId('error-summary').locator('a').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'email');

      await page.fill('#email', 'visitor@example.org');
      await Promise.all([page.waitForURL('**/en/alerts/sent'), page.getByTestId('alert-subscribe').click()]);
      await page.getByTestId('alert-sent').waitFor();
      for (const line of await assertNoAxeViolations(page, 'check your inbox')) void line;

      const confirmation = await lastMail('alert_confirm');
      assert.equal(confirmation.to_address, 'visitor@example.org');
      await page.goto(path(confirmation.text_body, 'confirm'));
      await page.getByTestId('alert-confirm').waitFor();
      for (const line of await assertNoAxeViolations(page, 'confirm the alert')) void line;
      await page.getByTestId('alert-confirm-submit').click();
      await page.getByTestId('alert-confirmed').waitFor();
      for (const line of await assertNoAxeViolations(page, 'alert on')) void line;

      await createDocument(
        app.test.db,
        {
          key: 'alert-e2e-report',
          type: 'final_report',
          doc_date: '2026-11-30',
          access: 'public',
          activities: [],
          published: true,
          t: { en: { title: 'Report of the Dakar senior officials meeting', slug: 'report-dakar-senior-officials', description: 'Conclusions of the meeting.' } },
        },
        { id: null, canPublish: true },
      );
      await app.test.app.diwan.jobs.send(DIGEST_JOB, {});
      await app.test.app.diwan.jobs.drain({ timeoutMs: 30_000 });
      const digest = await lastMail('alert_digest');
      assert.match(digest.subject, /^1 new result: /);
      assert.match(digest.text_body, /Report of the Dakar senior officials meeting/);

      await page.goto(path(digest.text_body, 'unsubscribe'));
      await page.getByTestId('alert-unsubscribe').waitFor();
      for (const line of await assertNoAxeViolations(page, 'stop the alert')) void line;
      await page.getByTestId('alert-unsubscribe-submit').click();
      await page.getByTestId('alert-unsubscribed').waitFor();
      for (const line of await assertNoAxeViolations(page, 'alert stopped')) void line;
      assert.equal((await app.test.db.selectFrom('alert_subscriptions').select('id').execute()).length, 0);
    });
  });

  test('in French, from the site search', async () => {
    await withContext(
      browser,
      app.origin,
      async (context) => {
        const page = await context.newPage();
        await page.goto('/fr/search?q=asile');
        await Promise.all([page.waitForURL('**/fr/alerts/new?**'), page.getByTestId('search-alert').click()]);
        assert.match(await page.getByTestId('alert-criteria').innerText(), /Tout le site/);
        await page.getByTestId('alert-subscribe').click();
        await page.getByTestId('error-summary').waitFor();
        assert.match(await page.getByTestId('error-summary').innerText(), /Saisissez votre adresse électronique/);
        for (const line of await assertNoAxeViolations(page, 'formulaire d’alerte')) void line;
      },
      { locale: 'fr-FR' },
    );
  });
});
