import type { Locator, Page, Response } from 'playwright-core';

export type Lang = 'en' | 'fr';

/** What every public page shares: the layout's header, language switch and navigation. */
export class BasePage {
  constructor(readonly page: Page) {}

  get mainNav(): Locator {
    return this.page.locator('.main-nav');
  }

  get main(): Locator {
    return this.page.locator('main#main');
  }

  get h1(): Locator {
    return this.page.locator('main h1');
  }

  languageLink(lang: Lang): Locator {
    return this.page.getByTestId(`lang-${lang}`);
  }

  /** The `lang` attribute of the root element. */
  async htmlLang(): Promise<string | null> {
    return this.page.locator('html').getAttribute('lang');
  }

  /** The current address as a URL object. */
  url(): URL {
    return new URL(this.page.url());
  }

  /** `type` attributes of every script element that is not JSON-LD (an empty list is what we want). */
  async scriptsOtherThanJsonLd(): Promise<string[]> {
    return this.page.locator('script').evaluateAll((els) =>
      els.map((e) => e.getAttribute('type') ?? '(no type)').filter((type) => type !== 'application/ld+json'),
    );
  }

  async jsonLdCount(): Promise<number> {
    return this.page.locator('script[type="application/ld+json"]').count();
  }

  /** Clicks a link and waits until the browser has loaded the page whose address satisfies `arrived`. */
  protected async follow(link: Locator, arrived: (url: URL) => boolean): Promise<void> {
    await Promise.all([this.page.waitForURL(arrived, { waitUntil: 'load' }), link.click()]);
  }

  /** Opens a path of the app (relative to the context's baseURL) and returns the main response. */
  protected async open(path: string): Promise<Response> {
    const response = await this.page.goto(path, { waitUntil: 'load' });
    if (!response) throw new Error(`no response for ${path}`);
    return response;
  }
}
