import type { Locator, Response } from 'playwright-core';
import { BasePage, type Lang } from './base.page.js';
import { ActivityListPage } from './activity-list.page.js';

/** The home page: introduction, upcoming and latest activities, key figures. */
export class HomePage extends BasePage {
  get upcoming(): Locator {
    return this.page.getByTestId('upcoming');
  }

  get latest(): Locator {
    return this.page.getByTestId('latest');
  }

  get latestCards(): Locator {
    return this.latest.getByTestId('activity-card');
  }

  get allActivitiesLink(): Locator {
    return this.page.getByTestId('all-activities');
  }

  goto(lang: Lang): Promise<Response> {
    return this.open(`/${lang}/`);
  }

  /** Follows the "all activities" link to the unfiltered list. */
  async openAllActivities(lang: Lang): Promise<ActivityListPage> {
    await this.follow(this.allActivitiesLink, (u) => u.pathname === `/${lang}/activities`);
    return new ActivityListPage(this.page);
  }
}
