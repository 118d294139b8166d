import type { Locator, Response } from 'playwright-core';
import { BasePage, type Lang } from './base.page.js';
import { ActivityPage } from './activity.page.js';

export const FILTER_FIELDS = ['type', 'theme', 'year', 'country', 'format'] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type Filters = Partial<Record<FilterField, string>>;

/** The public list of activities: filter form, result count, cards, empty state, pagination. */
export class ActivityListPage extends BasePage {
  get filtersForm(): Locator {
    return this.page.getByTestId('filters');
  }

  get submitButton(): Locator {
    return this.page.locator('.filters button[type=submit]');
  }

  get resultCount(): Locator {
    return this.page.getByTestId('result-count');
  }

  get cards(): Locator {
    return this.page.getByTestId('activity-card');
  }

  get cardLinks(): Locator {
    return this.page.getByTestId('activity-link');
  }

  get emptyState(): Locator {
    return this.page.getByTestId('empty-state');
  }

  get filterErrors(): Locator {
    return this.page.getByTestId('filter-errors');
  }

  get clearFilters(): Locator {
    return this.page.getByTestId('clear-filters');
  }

  get nextPageLink(): Locator {
    return this.page.getByTestId('page-next');
  }

  get previousPageLink(): Locator {
    return this.page.getByTestId('page-prev');
  }

  /** The page number marked as current in the pagination. */
  get currentPageMarker(): Locator {
    return this.page.locator('.pagination [aria-current="page"]');
  }

  select(field: FilterField): Locator {
    return this.page.locator(`select#${field}[name=${field}]`);
  }

  goto(lang: Lang, query: Record<string, string> = {}): Promise<Response> {
    const qs = new URLSearchParams(query).toString();
    return this.open(`/${lang}/activities${qs ? `?${qs}` : ''}`);
  }

  /** Chooses values in the filter form (by option value), without submitting. */
  async chooseFilters(filters: Filters): Promise<void> {
    for (const field of FILTER_FIELDS) {
      const value = filters[field];
      if (value !== undefined) await this.select(field).selectOption(value);
    }
  }

  /** Submits the filter form and waits for the filtered list. */
  async submitFilters(lang: Lang): Promise<void> {
    await this.follow(this.submitButton, (u) => u.pathname === `/${lang}/activities` && u.search.length > 0);
  }

  /** The value selected in every filter control ('' for "any"). */
  async formState(): Promise<Record<FilterField, string>> {
    const out = {} as Record<FilterField, string>;
    for (const field of FILTER_FIELDS) out[field] = await this.select(field).inputValue();
    return out;
  }

  /** The non-empty filters carried by the current address. */
  urlFilters(): Filters {
    const params = this.url().searchParams;
    const out: Filters = {};
    for (const field of FILTER_FIELDS) {
      const v = params.get(field);
      if (v) out[field] = v;
    }
    return out;
  }

  async resultCountText(): Promise<string> {
    return ((await this.resultCount.textContent()) ?? '').trim();
  }

  /** The type label of every card on the page (the first tag of each card). */
  async cardTypeLabels(): Promise<string[]> {
    return this.cards.evaluateAll((cards) => cards.map((card) => (card.querySelector('.meta-line .tag')?.textContent ?? '').trim()));
  }

  /** The address of every card's title link. */
  async cardHrefs(): Promise<string[]> {
    return this.cardLinks.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  }

  /** The card whose link goes to the activity with this slug. */
  cardFor(lang: Lang, slug: string): Locator {
    return this.page.locator(`[data-testid="activity-link"][href^="/${lang}/activities/${slug}"]`);
  }

  /** Opens an activity from its card. */
  async openActivity(lang: Lang, slug: string): Promise<ActivityPage> {
    await this.follow(this.cardFor(lang, slug), (u) => u.pathname === `/${lang}/activities/${slug}`);
    return new ActivityPage(this.page);
  }

  /** Opens the activity of the n-th card (0-based) and returns its page object and the path it went to. */
  async openNthActivity(n: number): Promise<{ activity: ActivityPage; path: string }> {
    const link = this.cardLinks.nth(n);
    const href = await link.getAttribute('href');
    if (!href) throw new Error(`card ${n} has no link`);
    const path = new URL(href, this.page.url()).pathname;
    await this.follow(link, (u) => u.pathname === path);
    return { activity: new ActivityPage(this.page), path };
  }

  async goToNextPage(lang: Lang, expectedPage: number): Promise<void> {
    await this.follow(this.nextPageLink, (u) => u.pathname === `/${lang}/activities` && u.searchParams.get('page') === String(expectedPage));
  }
}
