import type { Locator, Response } from 'playwright-core';
import { AdminPage } from './admin.page.js';

/** One changed field of the diff: the label, and the words removed and added. */
export interface DiffRow {
  field: string;
  deleted: string[];
  inserted: string[];
  text: string;
}

/** The revisions of an activity: a diff between two versions, the list of versions and their restore buttons. */
export class RevisionsPage extends AdminPage {
  get diff(): Locator {
    return this.page.getByTestId('diff');
  }

  get versions(): Locator {
    return this.page.getByTestId('revisions').locator('li');
  }

  get from(): Locator {
    return this.page.locator('select#from');
  }

  get to(): Locator {
    return this.page.locator('select#to');
  }

  get compareButton(): Locator {
    return this.page.locator('main form[method=get] button[type=submit]');
  }

  restoreButton(version: number): Locator {
    return this.page.getByTestId(`restore-${version}`);
  }

  goto(id: number, query: { from?: number; to?: number } = {}): Promise<Response> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return this.gotoPath(`/admin/activities/${id}/revisions${qs ? `?${qs}` : ''}`);
  }

  /** Chooses two versions in the form and compares them (a GET form: the choice lands in the address). */
  async compare(from: number, to: number): Promise<void> {
    await this.from.selectOption(String(from));
    await this.to.selectOption(String(to));
    await this.follow(this.compareButton, (u) => u.searchParams.get('from') === String(from) && u.searchParams.get('to') === String(to));
  }

  /** The diff table as data. */
  async diffRows(): Promise<DiffRow[]> {
    return this.diff.locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        field: (r.querySelector('th')?.textContent ?? '').trim(),
        deleted: [...r.querySelectorAll('del')].map((e) => (e.textContent ?? '').trim()),
        inserted: [...r.querySelectorAll('ins')].map((e) => (e.textContent ?? '').trim()),
        text: (r.querySelector('td')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
    );
  }

  /** Restores a version; the browser lands on the edit page with a notice. */
  restore(version: number): Promise<Response> {
    return this.submitWith(this.restoreButton(version));
  }
}
