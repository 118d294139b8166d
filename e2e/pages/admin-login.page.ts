import type { Locator, Response } from 'playwright-core';
import type { Lang } from './base.page.js';
import { AdminPage } from './admin.page.js';

/** The back-office sign-in page. */
export class AdminLoginPage extends AdminPage {
  get form(): Locator {
    return this.page.getByTestId('login-form');
  }

  get email(): Locator {
    return this.page.locator('#email');
  }

  get password(): Locator {
    return this.page.locator('#password');
  }

  get submitButton(): Locator {
    return this.form.locator('button[type=submit]');
  }

  get forgotLink(): Locator {
    return this.page.locator('main a[href^="/admin/password/forgot"]');
  }

  /** Opens /admin/login, in a language when asked (anonymous pages take `?lang=`). */
  goto(lang?: Lang): Promise<Response> {
    return this.gotoPath('/admin/login', lang);
  }

  /** Types the credentials and submits; returns the page the browser lands on (the dashboard, or this form with an error). */
  async login(email: string, password: string): Promise<Response> {
    await this.email.fill(email);
    await this.password.fill(password);
    return this.submitWith(this.submitButton);
  }
}
