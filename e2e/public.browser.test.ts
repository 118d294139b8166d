/**
 * Browser tests of the public site in Debian's Chromium: accessibility (axe-core, WCAG 2.1 A/AA) of every
 * public page type in English and French, and the flows a visitor follows, with and without JavaScript.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoAxeViolations, launchBrowser, inOwnOriginPage, startApp, thirdPartyRequests, withContext, type RunningApp } from './browser.js';
import type { Lang } from './pages/base.page.js';
import { HomePage } from './pages/home.page.js';
import { ActivityListPage, type Filters } from './pages/activity-list.page.js';
import { ActivityPage } from './pages/activity.page.js';
import { ErrorPage } from './pages/error.page.js';

/** What the demo data shows for the founding meeting (Rabat, June 2015), in each language. */
const FOUNDING = {
  en: {
    slug: 'thematic-meeting-asylum-international-protection-2015',
    title: 'Thematic meeting on asylum and international protection',
    typeLabel: 'Thematic meeting',
    count: '2 activities found',
    date: '15–16 June 2015',
    place: 'Rabat, Morocco',
    coChairs: ['Morocco', 'Spain'],
    theme: /Pillar 4: Promoting international protection \(Rome Programme\)/,
    figures: ['Over 120 participants', 'nearly 50 countries'],
    documents: ['Final report', 'List of participants', 'Experts’ presentations', 'More documents of the meeting'],
    notFound: 'Page not found',
  },
  fr: {
    slug: 'reunion-thematique-asile-protection-internationale-2015',
    title: 'Réunion thématique sur l’asile et la protection internationale',
    typeLabel: 'Réunion thématique',
    count: '2 activités trouvées',
    date: 'juin 2015',
    place: 'Rabat, Maroc',
    coChairs: ['Maroc', 'Espagne'],
    theme: /Pilier 4\s*:\s*Promouvoir la protection internationale \(Programme de Rome\)/,
    figures: ['Plus de 120 participants', 'près de 50 pays'],
    documents: ['Rapport final', 'Liste des participants', 'Présentations des experts', 'Autres documents de la réunion'],
    notFound: 'Page introuvable',
  },
} as const;

const LANGS: Lang[] = ['en', 'fr'];
const OTHER: Record<Lang, Lang> = { en: 'fr', fr: 'en' };
const FOUNDING_FILTERS: Filters = { type: 'thematic_meeting', year: '2015' };
/** No training took place in 2006 in the demo data (the only 2006 activity is the ministerial conference). */
const NOTHING_MATCHES = { type: 'training', year: '2006' };
const INVALID_FILTER = { year: 'abcd' };
const PAGE_SIZE = 20;
/**
 * Tests of a group run side by side, each in its own context of the one browser: waits (network, layout,
 * axe) overlap, which keeps the file near 30-60 s on a busy 2-core machine.
 */
const CONCURRENCY = 2;

/** Apostrophes differ between sources (’ and '): compare texts with both folded to one. */
const fold = (s: string) => s.replace(/[’']/g, "'").replace(/\s+/g, ' ').trim();

let running: RunningApp;
let browser: Browser;

before(async () => {
  [running, browser] = await Promise.all([startApp(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await running?.close();
});

/** Requests that left the app's own origin. */
const thirdParty = (urls: string[]): string[] => thirdPartyRequests(urls, running.origin);

/** A fresh context and page for one test, with no request leaving the app's origin. */
const inPage = <T,>(fn: (page: Page, context: BrowserContext) => Promise<T>, options: Parameters<typeof withContext>[3] = {}): Promise<T> =>
  inOwnOriginPage(browser, running.origin, fn, options);

describe('accessibility (axe-core, WCAG 2.1 A and AA)', { concurrency: CONCURRENCY }, () => {
  for (const lang of LANGS) {
    const f = FOUNDING[lang];
    describe(`in ${lang}`, { concurrency: CONCURRENCY }, () => {
      test(`home page /${lang}/`, (t) =>
        inPage(async (page) => {
          const home = new HomePage(page);
          const response = await home.goto(lang);
          assert.equal(response.status(), 200);
          assert.equal(await home.htmlLang(), lang);
          assert.ok((await home.latestCards.count()) > 0, 'the home page lists the latest activities');
          for (const line of await assertNoAxeViolations(page, `home (${lang})`)) t.diagnostic(line);
        }));

      test('activity list, unfiltered', (t) =>
        inPage(async (page) => {
          const list = new ActivityListPage(page);
          assert.equal((await list.goto(lang)).status(), 200);
          assert.equal(await list.cards.count(), PAGE_SIZE);
          for (const line of await assertNoAxeViolations(page, `list (${lang})`)) t.diagnostic(line);
        }));

      test('activity list with filters applied', (t) =>
        inPage(async (page) => {
          const list = new ActivityListPage(page);
          assert.equal((await list.goto(lang, FOUNDING_FILTERS as Record<string, string>)).status(), 200);
          assert.equal(await list.resultCountText(), f.count);
          assert.ok(await list.clearFilters.isVisible(), 'a "clear filters" link is offered');
          for (const line of await assertNoAxeViolations(page, `filtered list (${lang})`)) t.diagnostic(line);
        }));

      test('activity list, empty state', (t) =>
        inPage(async (page) => {
          const list = new ActivityListPage(page);
          assert.equal((await list.goto(lang, NOTHING_MATCHES)).status(), 200);
          assert.ok(await list.emptyState.isVisible(), 'the empty state is shown');
          assert.equal(await list.cards.count(), 0);
          for (const line of await assertNoAxeViolations(page, `empty list (${lang})`)) t.diagnostic(line);
        }));

      test('activity list with an invalid filter value', (t) =>
        inPage(async (page) => {
          const list = new ActivityListPage(page);
          assert.equal((await list.goto(lang, INVALID_FILTER)).status(), 400);
          assert.ok(await list.filterErrors.isVisible(), 'the error notice is shown');
          assert.match((await list.filterErrors.textContent()) ?? '', /abcd/);
          assert.equal(await list.filterErrors.getAttribute('role'), 'alert');
          for (const line of await assertNoAxeViolations(page, `list with invalid filter (${lang})`)) t.diagnostic(line);
        }));

      test('activity page of the founding meeting', (t) =>
        inPage(async (page) => {
          const activity = new ActivityPage(page);
          assert.equal((await activity.goto(lang, f.slug)).status(), 200);
          assert.equal(fold(await activity.text(activity.h1)), fold(f.title));
          for (const line of await assertNoAxeViolations(page, `activity page (${lang})`)) t.diagnostic(line);
        }));

      test('search results, and the search page before a query', (t) =>
        inPage(async (page) => {
          const q = lang === 'fr' ? 'asile' : 'asylum';
          assert.equal((await page.goto(`${running.origin}/${lang}/search?q=${q}`))?.status(), 200);
          assert.ok((await page.getByTestId('search-result').count()) > 0, 'the search finds results');
          assert.ok((await page.locator('.results mark').count()) > 0, 'matched words are marked');
          for (const line of await assertNoAxeViolations(page, `search results (${lang})`)) t.diagnostic(line);
          assert.equal((await page.goto(`${running.origin}/${lang}/search`))?.status(), 200);
          for (const line of await assertNoAxeViolations(page, `search page (${lang})`)) t.diagnostic(line);
        }));

      test('404 page', (t) =>
        inPage(async (page) => {
          const error = new ErrorPage(page);
          assert.equal((await error.goto(`/${lang}/no-such-page`)).status(), 404);
          assert.equal(((await error.title.textContent()) ?? '').trim(), f.notFound);
          assert.equal(await error.htmlLang(), lang);
          for (const line of await assertNoAxeViolations(page, `404 page (${lang})`)) t.diagnostic(line);
        }));
    });
  }
});

describe('visitor flows', { concurrency: CONCURRENCY }, () => {
  for (const lang of LANGS) {
    const f = FOUNDING[lang];
    describe(`in ${lang}`, { concurrency: CONCURRENCY }, () => {
      test('a visitor searches from the header box and opens the founding meeting', () =>
        inPage(async (page) => {
          await page.goto(`${running.origin}/${lang}/`);
          // Accents left out on purpose: "reunion thematique" finds "Réunion thématique".
          await page.getByTestId('site-search-input').fill(lang === 'fr' ? 'reunion thematique asile 2015' : 'thematic meeting asylum 2015');
          await Promise.all([page.waitForURL(new RegExp(`/${lang}/search\\?q=`)), page.getByTestId('site-search-input').press('Enter')]);
          assert.match(await page.getByTestId('search-count').innerText(), /\d/);
          const link = page.locator(`[data-testid="search-result"] a[href="/${lang}/activities/${f.slug}"]`);
          assert.equal(await link.count(), 1, 'the founding meeting is among the results');
          await Promise.all([page.waitForURL(`**/${lang}/activities/${f.slug}`), link.click()]);
          assert.equal(fold(await page.locator('h1').innerText()), fold(f.title));
        }));

      test('home → list → filter → founding meeting → back to the same filtered list, all from the app itself', () =>
        inPage(async (page, context) => {
          // Requirement: no third-party request during the whole flow.
          const requests: string[] = [];
          context.on('request', (r) => requests.push(r.url()));

          const home = new HomePage(page);
          await home.goto(lang);
          const list = await home.openAllActivities(lang);
          assert.deepEqual(list.urlFilters(), {});
          const total = Number(/\d+/.exec(await list.resultCountText())?.[0]);
          assert.ok(total > PAGE_SIZE, `the unfiltered list counts more than ${PAGE_SIZE} activities (got ${total})`);

          await list.chooseFilters(FOUNDING_FILTERS);
          await list.submitFilters(lang);
          assert.deepEqual(list.urlFilters(), FOUNDING_FILTERS, 'the address carries the chosen filters');
          assert.equal(await list.resultCountText(), f.count);
          const types = await list.cardTypeLabels();
          assert.equal(types.length, 2);
          assert.deepEqual(types, types.map(() => f.typeLabel), 'every card is a thematic meeting');
          const filteredForm = await list.formState();
          assert.deepEqual(filteredForm, { type: 'thematic_meeting', theme: '', year: '2015', country: '', format: '' });

          const activity = await list.openActivity(lang, f.slug);
          assert.equal(fold(await activity.text(activity.h1)), fold(f.title));
          assert.ok((await activity.text(activity.date)).includes(f.date), `date shows ${f.date}`);
          if (lang === 'en') assert.equal(await activity.text(activity.date), '15–16 June 2015');
          assert.equal(await activity.date.getAttribute('datetime'), '2015-06-15');
          assert.equal(await activity.text(activity.place), f.place);
          const chairs = await activity.text(activity.coChairs);
          for (const c of f.coChairs) assert.ok(chairs.includes(c), `co-chairs include ${c}: ${chairs}`);
          assert.match(await activity.text(activity.themes), f.theme);
          const figures = await activity.text(activity.figures);
          for (const fig of f.figures) assert.ok(figures.includes(fig), `figures include "${fig}": ${figures}`);
          assert.equal(await activity.documentList.evaluate((el) => el.tagName), 'OL', 'documents are a numbered list');
          assert.deepEqual((await activity.documentTitles()).map(fold), f.documents.map(fold));
          assert.ok(await activity.narrative.isVisible());

          const back = await activity.goBack(lang);
          assert.deepEqual(back.urlFilters(), FOUNDING_FILTERS, 'the back link restores the filters in the address');
          assert.deepEqual(await back.formState(), filteredForm, 'the back link restores the filters in the form');
          assert.equal(await back.resultCountText(), f.count);

          // No request of the whole flow left the app's own origin.
          const foreign = thirdParty(requests);
          assert.ok(requests.length >= 5, `the flow made requests (${requests.length})`);
          assert.ok(requests.some((u) => u.includes('/assets/')), 'the stylesheet was requested from the app');
          assert.deepEqual(foreign, [], `third-party requests: ${foreign.join(', ')}`);
        }));

      test('language switch on the activity page goes to the other language and back', () =>
        inPage(async (page) => {
          const other = OTHER[lang];
          const start = new ActivityPage(page);
          await start.goto(lang, f.slug);
          assert.equal(await start.htmlLang(), lang);
          const switched = await start.switchLanguage(other, FOUNDING[other].slug);
          assert.equal(await switched.htmlLang(), other);
          assert.equal(fold(await switched.text(switched.h1)), fold(FOUNDING[other].title));
          assert.equal(await switched.text(switched.place), FOUNDING[other].place);
          const back = await switched.switchLanguage(lang, f.slug);
          assert.equal(await back.htmlLang(), lang);
          assert.equal(fold(await back.text(back.h1)), fold(f.title));
        }));

      test('pagination: page 2, and an activity opened from page 2 leads back to page 2', () =>
        inPage(async (page) => {
          const list = new ActivityListPage(page);
          await list.goto(lang);
          assert.equal(await list.cards.count(), PAGE_SIZE);
          assert.equal(((await list.currentPageMarker.textContent()) ?? '').trim(), '1');
          assert.equal(await list.previousPageLink.count(), 0, 'no "previous" on page 1');
          const firstPage = await list.cardHrefs();

          await list.goToNextPage(lang, 2);
          assert.equal(((await list.currentPageMarker.textContent()) ?? '').trim(), '2');
          assert.ok(await list.previousPageLink.isVisible());
          const secondPage = await list.cardHrefs();
          assert.ok(secondPage.length > 0);
          assert.deepEqual(secondPage.filter((h) => firstPage.includes(h)), [], 'page 2 shows other activities than page 1');

          const { activity } = await list.openNthActivity(0);
          const backHref = await activity.backLink.getAttribute('href');
          assert.equal(backHref, `/${lang}/activities?page=2`);
          const back = await activity.goBack(lang);
          assert.equal(back.url().searchParams.get('page'), '2');
          assert.equal(((await back.currentPageMarker.textContent()) ?? '').trim(), '2');
          assert.deepEqual(await back.cardHrefs(), secondPage);
        }));

      test('works without JavaScript: the filter form and pages have no script but JSON-LD', () =>
        inPage(
          async (page) => {
            // The context really runs no page script.
            await page.setContent('<p id="probe">off</p><script>document.getElementById("probe").textContent = "on"</script>');
            assert.equal(await page.locator('#probe').textContent(), 'off', 'JavaScript is disabled in this context');

            const home = new HomePage(page);
            await home.goto(lang);
            assert.deepEqual(await home.scriptsOtherThanJsonLd(), [], 'home page has no script');

            const list = await home.openAllActivities(lang);
            assert.deepEqual(await list.scriptsOtherThanJsonLd(), [], 'list has no script');
            await list.chooseFilters(FOUNDING_FILTERS);
            await list.submitFilters(lang);
            assert.deepEqual(list.urlFilters(), FOUNDING_FILTERS);
            assert.equal(await list.resultCountText(), f.count);
            assert.deepEqual(await list.cardTypeLabels(), [f.typeLabel, f.typeLabel]);
            assert.equal(await list.cardFor(lang, f.slug).count(), 1);

            const activity = await list.openActivity(lang, f.slug);
            assert.deepEqual(await activity.scriptsOtherThanJsonLd(), [], 'activity page has no script but JSON-LD');
            assert.equal(await activity.jsonLdCount(), 1, 'the activity page describes its event in JSON-LD');
            const back = await activity.goBack(lang);
            assert.deepEqual(back.urlFilters(), FOUNDING_FILTERS);

            const error = new ErrorPage(page);
            await error.goto(`/${lang}/no-such-page`);
            assert.deepEqual(await error.scriptsOtherThanJsonLd(), [], '404 page has no script');
          },
          { javaScriptEnabled: false },
        ));

      test('print: navigation, language switch, back link and filters are hidden; the narrative is printed', () =>
        inPage(async (page) => {
          const activity = new ActivityPage(page);
          await activity.goto(lang, f.slug);
          // On screen first, so that the print checks below can fail.
          assert.ok(await activity.mainNav.isVisible(), 'navigation is visible on screen');
          assert.ok(await activity.backLink.isVisible(), 'back link is visible on screen');
          await page.emulateMedia({ media: 'print' });
          assert.equal(await activity.mainNav.isVisible(), false, 'navigation is hidden in print');
          assert.equal(await activity.languageLink(OTHER[lang]).isVisible(), false, 'language switch is hidden in print');
          assert.equal(await activity.backLink.isVisible(), false, 'back link is hidden in print');
          assert.ok(await activity.narrative.isVisible(), 'narrative is printed');
          assert.ok(await activity.facts.isVisible(), 'facts are printed');
          assert.ok(await activity.documentList.isVisible(), 'documents are printed');

          const list = new ActivityListPage(page);
          await page.emulateMedia({ media: 'screen' });
          await list.goto(lang, FOUNDING_FILTERS as Record<string, string>);
          assert.ok(await list.filtersForm.isVisible(), 'filters are visible on screen');
          await page.emulateMedia({ media: 'print' });
          assert.equal(await list.filtersForm.isVisible(), false, 'filters are hidden in print');
          assert.equal(await list.mainNav.isVisible(), false, 'navigation is hidden in print');
          assert.ok(await list.cards.first().isVisible(), 'results are printed');
        }));
    });
  }
});
