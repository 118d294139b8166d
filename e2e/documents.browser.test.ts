/**
 * The document library in Debian's Chromium: an editor describes a report, links it to the founding
 * meeting and uploads it in English and French through the back-office form; an administrator
 * publishes it; a visitor finds it from the header search by a French word that is only inside the
 * French PDF, opens it and downloads it. Every page on the way passes axe-core.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { makePdf } from '../src/platform/files/test-files.js';
import { assertNoAxeViolations, launchBrowser, signIn, startApp, withContext, type RunningApp } from './browser.js';

const EDITOR = { email: 'library.editor@diwan.test', password: 'library editor 12' };
const ADMIN = { email: 'library.admin@diwan.test', password: 'library admin 12' };
const FOUNDING_SLUG = 'thematic-meeting-asylum-international-protection-2015';


describe('document library', () => {
  let app: RunningApp;
  let browser: Browser;
  let dir: string;
  before(async () => {
    app = await startApp();
    await createUser(app.test.db, { ...EDITOR, role: 'editor', displayName: 'Lina Editor' });
    await createUser(app.test.db, { ...ADMIN, role: 'admin', displayName: 'Omar Admin' });
    browser = await launchBrowser();
    dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-e2e-docs-'));
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('an editor uploads a report in two languages, it is published, and a visitor finds it by a word inside the PDF and downloads it', async () => {
    const en = path.join(dir, 'Final report.pdf');
    const fr = path.join(dir, 'Rapport final.pdf');
    writeFileSync(en, await makePdf([['The senior officials met in Rabat.'], ['They agreed on the next steps.']]));
    writeFileSync(fr, await makePdf([['Les hauts fonctionnaires se sont réunis à Rabat.'], ['Ils ont salué la coopération quadrilatérale des délégations.']]));

    let documentId = 0;
    await withContext(browser, app.origin, async (context) => {
      const page = await context.newPage();
      await signIn(page, EDITOR);
      await page.goto('/admin/documents/new');
      for (const line of await assertNoAxeViolations(page, 'new document form')) void line;
      // Sent empty first: the errors are listed and each one leads to its field.
      await page.click('[data-testid="save"]');
      await page.getByTestId('error-summary').waitFor();
      await page.selectOption('#type', 'final_report');
      await page.fill('#doc_date', '2015-06-15');
      await page.check('[data-testid="access-public"]');
      await page.fill('#activities', FOUNDING_SLUG);
      await page.fill('#t_en_title', 'Final report of the senior officials');
      await page.fill('#t_fr_title', 'Rapport final des hauts fonctionnaires');
      await Promise.all([page.waitForURL(/\/admin\/documents\/\d+\?done=created/), page.click('[data-testid="save"]')]);
      documentId = Number(/documents\/(\d+)/.exec(page.url())?.[1]);
      for (const line of await assertNoAxeViolations(page, 'document page in the back-office')) void line;
      // A refused file comes back as the page with its error, through the script that shows progress.
      await page.setInputFiles('#file_en', { name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') });
      await page.click('[data-testid="upload-form"] button[type=submit]');
      await page.getByTestId('error-summary').waitFor();
      assert.match(await page.getByTestId('error-summary').innerText(), /SVG images are not accepted/);
      await page.goto(`/admin/documents/${documentId}`);
      await page.setInputFiles('#file_en', en);
      await page.setInputFiles('#file_fr', fr);
      await Promise.all([page.waitForURL(/done=files/), page.click('[data-testid="upload-form"] button[type=submit]')]);
      assert.equal(await page.locator('[data-testid="admin-files"] tbody tr').count(), 2);
      await app.test.app.diwan.jobs.drain({ timeoutMs: 30_000 });
      await page.reload();
      assert.match(await page.locator('[data-testid="admin-files"]').innerText(), /2 pages/);
      for (const line of await assertNoAxeViolations(page, 'document with its files')) void line;
      await Promise.all([page.waitForURL(/done=submit/), page.click('[data-testid="save-submit"]')]);
    });

    await withContext(browser, app.origin, async (context) => {
      const page = await context.newPage();
      await signIn(page, ADMIN);
      await page.goto(`/admin/documents/${documentId}`);
      await Promise.all([page.waitForURL(/done=publish/), page.click('[data-testid="save-publish"]')]);
    });

    await withContext(
      browser,
      app.origin,
      async (context) => {
        const page = await context.newPage();
        await page.goto('/fr/');
        // "quadrilaterale" without its accent: the word is only inside the French PDF.
        let found = false;
        for (let i = 0; i < 50 && !found; i++) {
          await page.getByTestId('site-search-input').fill('quadrilaterale');
          await Promise.all([page.waitForURL(/\/fr\/search\?q=/), page.getByTestId('site-search-input').press('Enter')]);
          found = (await page.locator('[data-testid="search-result"] a', { hasText: 'Rapport final des hauts fonctionnaires' }).count()) === 1;
          if (!found) await page.waitForTimeout(100);
        }
        assert.ok(found, 'the report is found by a word of its French file');
        assert.equal(await page.locator('[data-testid="search-result"] mark').first().innerText(), 'quadrilatérale');
        await Promise.all([page.waitForURL('**/fr/documents/rapport-final-des-hauts-fonctionnaires'), page.locator('[data-testid="search-result"] a', { hasText: 'Rapport final' }).click()]);
        for (const line of await assertNoAxeViolations(page, 'document page (fr)')) void line;
        assert.match(await page.getByTestId('document-files').innerText(), /PDF · français · .* · 2 pages/);
        assert.match(await page.getByTestId('document-activities').innerText(), /asile/i);
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="document-files"] a[hreflang="fr"]').click()]);
        assert.equal(download.suggestedFilename(), 'Rapport final.pdf');
        const saved = path.join(dir, 'downloaded.pdf');
        await download.saveAs(saved);
        assert.ok(readFileSync(saved).equals(readFileSync(fr)), 'the bytes downloaded are the bytes uploaded');

        await page.goto('/fr/documents');
        for (const line of await assertNoAxeViolations(page, 'library (fr)')) void line;
        await page.getByTestId('facet-type').getByRole('link', { name: 'Rapport final' }).click();
        assert.match(await page.getByTestId('library-count').innerText(), /1 document/);
        await page.goto('/en/documents?q=officials');
        for (const line of await assertNoAxeViolations(page, 'library search (en)')) void line;
        assert.match(await page.getByTestId('library-count').innerText(), /1 document/);
      },
      { acceptDownloads: true },
    );
  });
});
