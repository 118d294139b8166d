import type { Locator, Response } from 'playwright-core';
import { BasePage } from './base.page.js';

/** The error page (404 and friends). */
export class ErrorPage extends BasePage {
  get title(): Locator {
    return this.page.getByTestId('error-title');
  }

  goto(path: string): Promise<Response> {
    return this.open(path);
  }
}
