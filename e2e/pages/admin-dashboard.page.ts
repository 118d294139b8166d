import type { Locator, Response } from 'playwright-core';
import { AdminPage } from './admin.page.js';

/** The back-office dashboard: review queue, recent changes, upcoming activities. */
export class DashboardPage extends AdminPage {
  get reviewQueue(): Locator {
    return this.page.getByTestId('review-queue');
  }

  goto(): Promise<Response> {
    return this.gotoPath('/admin/');
  }

  /** The link to an activity in the "waiting for review" list. */
  reviewLink(title: string): Locator {
    return this.reviewQueue.getByRole('link', { name: title, exact: true });
  }

  /** Opens an activity from the review queue. */
  async openFromReview(title: string): Promise<void> {
    const link = this.reviewLink(title);
    const href = await link.getAttribute('href');
    if (!href) throw new Error(`no review link for ${title}`);
    await this.follow(link, (u) => u.pathname === href);
  }
}
