import type { Locator, Response } from 'playwright-core';
import { BasePage, type Lang } from './base.page.js';

/** The preview of an activity's public page: the public layout with a banner, before publication. */
export class PreviewPage extends BasePage {
  get banner(): Locator {
    return this.page.getByTestId('preview-banner');
  }

  goto(id: number, lang: Lang): Promise<Response> {
    return this.open(`/admin/activities/${id}/preview?lang=${lang}`);
  }
}
