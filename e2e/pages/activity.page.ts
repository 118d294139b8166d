import type { Locator, Response } from 'playwright-core';
import { BasePage, type Lang } from './base.page.js';
import { ActivityListPage } from './activity-list.page.js';

/** The public page of one activity. */
export class ActivityPage extends BasePage {
  get article(): Locator {
    return this.page.getByTestId('activity');
  }

  get facts(): Locator {
    return this.page.getByTestId('facts');
  }

  get date(): Locator {
    return this.page.getByTestId('activity-date');
  }

  get place(): Locator {
    return this.page.getByTestId('activity-place');
  }

  get coChairs(): Locator {
    return this.page.getByTestId('co-chairs');
  }

  get themes(): Locator {
    return this.page.getByTestId('themes');
  }

  get figures(): Locator {
    return this.page.getByTestId('figures');
  }

  get documentList(): Locator {
    return this.page.getByTestId('documents');
  }

  get documents(): Locator {
    return this.page.getByTestId('document');
  }

  get narrative(): Locator {
    return this.page.getByTestId('narrative');
  }

  get related(): Locator {
    return this.page.getByTestId('related');
  }

  get backLink(): Locator {
    return this.page.getByTestId('back-link');
  }

  goto(lang: Lang, slug: string): Promise<Response> {
    return this.open(`/${lang}/activities/${slug}`);
  }

  async text(locator: Locator): Promise<string> {
    return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** The document titles, in the order the list shows them (the title is the link or span before the details). */
  async documentTitles(): Promise<string[]> {
    return this.documents.evaluateAll((items) => items.map((li) => (li.firstElementChild?.textContent ?? '').trim()));
  }

  /** Follows the back link to the list and returns the list page object. */
  async goBack(lang: Lang): Promise<ActivityListPage> {
    await this.follow(this.backLink, (u) => u.pathname === `/${lang}/activities`);
    return new ActivityListPage(this.page);
  }

  /** Uses the language switch and waits for the page in the other language. */
  async switchLanguage(to: Lang, expectedSlug: string): Promise<ActivityPage> {
    await this.follow(this.languageLink(to), (u) => u.pathname === `/${to}/activities/${expectedSlug}`);
    return new ActivityPage(this.page);
  }
}
