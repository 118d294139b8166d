import type { Locator, Response } from 'playwright-core';
import type { Lang } from './base.page.js';
import { AdminPage } from './admin.page.js';

/** "Forgotten password": asks for the address that should receive a reset link, then confirms. */
export class ForgotPasswordPage extends AdminPage {
  get email(): Locator {
    return this.page.locator('#email');
  }

  get submitButton(): Locator {
    return this.page.locator('main form[action^="/admin/password/forgot"] button[type=submit]');
  }

  /** The confirmation shown after a request, whether or not the account exists. */
  get sent(): Locator {
    return this.page.getByTestId('reset-sent');
  }

  goto(lang?: Lang): Promise<Response> {
    return this.gotoPath('/admin/password/forgot', lang);
  }

  async request(email: string): Promise<Response> {
    await this.email.fill(email);
    return this.submitWith(this.submitButton);
  }
}

/** The page a reset link opens: a new password, twice; or the "link no longer valid" page. */
export class ResetPasswordPage extends AdminPage {
  get form(): Locator {
    return this.page.getByTestId('password-form');
  }

  get password(): Locator {
    return this.page.locator('#password');
  }

  get confirm(): Locator {
    return this.page.locator('#confirm');
  }

  get submitButton(): Locator {
    return this.form.locator('button[type=submit]');
  }

  get tokenInvalid(): Locator {
    return this.page.getByTestId('token-invalid');
  }

  /** Opens a reset link as it arrived by e-mail (an absolute address), or a path. */
  gotoLink(link: string): Promise<Response> {
    return this.open(link);
  }

  async choose(password: string, confirm = password): Promise<Response> {
    await this.password.fill(password);
    await this.confirm.fill(confirm);
    return this.submitWith(this.submitButton);
  }
}
