/**
 * The rich-text editor in the back-office: with JavaScript, the narrative field becomes a Tiptap
 * editor under a nonce-based CSP (no violations), its HTML reaches the server and is sanitised; the
 * toolbar passes axe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createUser } from '../src/modules/auth/users.commands.js';
import { assertNoAxeViolations, launchBrowser, startApp, withContext, type RunningApp } from './browser.js';

const EDITOR = { email: 'rte.editor@diwan.test', password: 'rich text editor 12' };

describe('rich-text editor', () => {
  let app: RunningApp;
  let browser: Browser;
  before(async () => {
    app = await startApp();
    await createUser(app.test.db, { ...EDITOR, role: 'editor', displayName: 'Rita Editor' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  test('formatting typed in the editor is saved as clean HTML, with no CSP violation', async () => {
    await withContext(browser, app.origin, async (context) => {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto('/admin/login');
      await page.fill('#email', EDITOR.email);
      await page.fill('#password', EDITOR.password);
      await Promise.all([page.waitForURL('**/admin/'), page.click('[data-testid="login-form"] button[type=submit]')]);
      await page.goto('/admin/activities/new');
      const editor = page.locator('[data-testid="texts-en"] .rte-content');
      await editor.waitFor();
      assert.equal(await page.locator('#t_en_narrative_html').isHidden(), true, 'the textarea gives way to the editor');
      assert.equal(await editor.getAttribute('aria-labelledby'), 't_en_narrative_html-label');
      await editor.click();
      await page.keyboard.type('Delegates met in ');
      const bold = page.locator('[data-testid="texts-en"] .rte-toolbar button', { hasText: 'Bold' });
      await bold.click();
      assert.equal(await bold.getAttribute('aria-pressed'), 'true');
      await page.keyboard.type('Dakar');
      await bold.click();
      assert.equal(await bold.getAttribute('aria-pressed'), 'false');
      assert.equal(await editor.evaluate((el) => el.contains(document.activeElement) || el === document.activeElement), true, 'the text keeps focus');
      await page.keyboard.type('.');
      await page.keyboard.press('Enter');
      await page.locator('[data-testid="texts-en"] .rte-toolbar button', { hasText: 'Bulleted list' }).click();
      await page.locator('[data-testid="texts-en"] .rte-content ul').waitFor();
      await page.keyboard.type('first point');
      for (const line of await assertNoAxeViolations(page, 'activity form with the editor')) void line;
      await page.selectOption('#type', 'training');
      await page.fill('#start_date', '2027-05-04');
      await page.fill('#t_en_title', 'Training with rich text');
      await Promise.all([page.waitForURL(/\/admin\/activities\/\d+\?done=created/), page.click('[data-testid="save"]')]);
      const id = Number(/activities\/(\d+)/.exec(page.url())?.[1]);
      const row = await app.test.db.selectFrom('activity_translations').select('narrative_html').where('activity_id', '=', id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(row.narrative_html, '<p>Delegates met in <strong>Dakar</strong>.</p><ul><li><p>first point</p></li></ul>');
      assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused/.test(p)), []);
      assert.deepEqual(problems, []);
    });
  });
});
