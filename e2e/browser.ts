/**
 * Shared machinery of the browser tests: the app started in-process on a free port, Debian's Chromium
 * driven by playwright-core, and an axe-core check whose failure message lists every violation.
 */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { createTestApp, type TestApp } from '../test/helpers/app.js';
import type { Config } from '../src/platform/config.js';

/** Launch arguments for Debian's Chromium on these machines (see /work/shared/STACK.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The WCAG levels every public page must meet. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Starts Chromium; `chromium.launch` gives it a fresh temporary profile that is removed on close. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30_000,
  });
}

export interface RunningApp {
  test: TestApp;
  /** Origin of the running app, e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for an app that must know its own address before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  /** Port to listen on (default: any free one). */
  port?: number;
  /** Configuration overrides, e.g. an SMTP server or the public URL. */
  config?: Partial<Config>;
}

/** The app on a SQLite database with reference and demo data, listening on a free local port. */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const t = await createTestApp('sqlite', options.config ? { config: options.config } : {});
  await t.app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = t.app.server.address() as AddressInfo | string | null;
  if (!address || typeof address === 'string') throw new Error(`unexpected server address: ${String(address)}`);
  return { test: t, origin: `http://127.0.0.1:${address.port}`, close: () => t.close() };
}

/** A fresh browser context (own cookies and cache) whose pages resolve relative URLs against the app. */
export function newContext(browser: Browser, origin: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ baseURL: origin, locale: 'en-GB', ...options });
}

/** Runs a callback with a fresh context and closes the context whatever happens. */
export async function withContext<T>(browser: Browser, origin: string, fn: (context: BrowserContext) => Promise<T>, options: BrowserContextOptions = {}): Promise<T> {
  const context = await newContext(browser, origin, options);
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

/** Requests that left an origin (data: URLs, like the empty favicon, aside). */
export function thirdPartyRequests(urls: string[], origin: string): string[] {
  return urls.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
}

/** A fresh context and page for one test; whatever the test does, no request may leave the app's origin. */
export function inOwnOriginPage<T>(browser: Browser, origin: string, fn: (page: Page, context: BrowserContext) => Promise<T>, options: BrowserContextOptions = {}): Promise<T> {
  return withContext(
    browser,
    origin,
    async (context) => {
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const result = await fn(await context.newPage(), context);
      assert.deepEqual(thirdPartyRequests(requests, origin), [], 'no third-party request');
      return result;
    },
    options,
  );
}

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

/** A readable list of axe violations: rule, impact, help, and each failing node's target and summary. */
export function formatViolations(violations: AxeResults['violations']): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    - ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n');
      return `  * ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs axe-core on the page as it is now and fails with every violation spelled out. Returns the
 * results' "needs review" items (axe could not decide) as readable lines, for the test to report.
 */
export async function assertNoAxeViolations(page: Page, label: string): Promise<string[]> {
  // Legacy mode runs axe.run() in the page itself instead of axe.runPartial() plus finishRun() in an extra
  // blank page: on a loaded 2-core machine it halves the cost of a check. It only matters for cross-origin
  // iframes, which public pages must not have: assert that, so the shortcut stays sound.
  const frames = page.frames().map((f) => f.url());
  assert.deepEqual(frames.slice(1), [], `${label}: public pages have no frames`);
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  // A run that checked nothing would pass vacuously: make sure axe really looked at the page.
  assert.ok(results.passes.length > 0, `${label}: axe reported no passing rule, so it did not analyse the page`);
  assert.equal(results.violations.length, 0, `${label} (${page.url()}) has ${results.violations.length} axe violation(s):\n${formatViolations(results.violations)}`);
  return results.incomplete.flatMap((r) => r.nodes.map((n) => `axe needs review on ${label}: ${r.id} (${r.help}) at ${JSON.stringify(n.target)}`));
}

/** Signs in through the back-office form and waits for the dashboard. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/admin/login');
  await page.fill('#email', who.email);
  await page.fill('#password', who.password);
  await Promise.all([page.waitForURL('**/admin/'), page.click('[data-testid="login-form"] button[type=submit]')]);
}
