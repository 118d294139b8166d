import type { Locator, Response } from 'playwright-core';
import { AdminPage } from './admin.page.js';

/** The back-office list of activities, with its workflow, type and title filters. */
export class AdminActivityListPage extends AdminPage {
  get table(): Locator {
    return this.page.getByTestId('admin-activities');
  }

  get rows(): Locator {
    return this.table.locator('tbody tr');
  }

  get count(): Locator {
    return this.page.locator('main .result-count');
  }

  get newActivityLink(): Locator {
    return this.page.getByTestId('new-activity');
  }

  goto(query: Record<string, string> = {}): Promise<Response> {
    const qs = new URLSearchParams(query).toString();
    return this.gotoPath(`/admin/activities${qs ? `?${qs}` : ''}`);
  }

  /** The number the result count shows (0 for "No activity"). */
  async total(): Promise<number> {
    const text = await this.text(this.count);
    return Number(/\d[\d\s,.\u202f\u00a0]*/.exec(text)?.[0]?.replace(/\D/g, '') ?? 0);
  }
}
