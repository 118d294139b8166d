import type { Locator, Response } from 'playwright-core';
import { BasePage, type Lang } from './base.page.js';

/**
 * What every back-office page shares: the header with the account and sign-out, the navigation
 * (shown by ability), the success notice and the error summary; and form submission that waits for
 * the page the server answers with (a redirect's target, or the same form re-rendered with errors).
 */
export class AdminPage extends BasePage {
  get signedInAs(): Locator {
    return this.page.getByTestId('signed-in-as');
  }

  get logoutButton(): Locator {
    return this.page.getByTestId('logout');
  }

  /** The "done" message of a page (signed out, saved, published...). */
  get notice(): Locator {
    return this.page.locator('main .success[role="status"]');
  }

  get errorSummary(): Locator {
    return this.page.getByTestId('error-summary');
  }

  get navLinks(): Locator {
    return this.mainNav.getByRole('link');
  }

  /** Opens a back-office path (with `?lang=` for anonymous pages when asked) and returns the main response. */
  gotoPath(path: string, lang?: Lang): Promise<Response> {
    return this.open(lang ? `${path}${path.includes('?') ? '&' : '?'}lang=${lang}` : path);
  }

  /** The visible labels of the navigation links. */
  async navLabels(): Promise<string[]> {
    return (await this.navLinks.allTextContents()).map((s) => s.trim());
  }

  /** The addresses the error summary links to (`#field` ids). */
  async errorSummaryTargets(): Promise<string[]> {
    return this.errorSummary.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  }

  async text(locator: Locator): Promise<string> {
    return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * Clicks a submit button and waits until the browser has loaded the page the server answered with,
   * following redirects; returns that final response (so a 400 or 409 re-render can be checked).
   */
  async submitWith(button: Locator): Promise<Response> {
    // waitForNavigation is the one wait that also catches a form re-rendered at the same address.
    const [response] = await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
    if (!response) throw new Error('the form submission loaded no document');
    return response;
  }

  /** Signs out with the header button; the browser lands on the sign-in page. */
  logout(): Promise<Response> {
    return this.submitWith(this.logoutButton);
  }
}
