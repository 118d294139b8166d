import { access, constants } from 'node:fs/promises';

/**
 * HTML printed to PDF by Chromium through playwright-core (decision 0025): the one way Diwan makes
 * PDFs (agendas now; badges, letters and lists later), because Chromium lays out French, Arabic and
 * every other script the pages use, and prints with the site's own print stylesheet.
 *
 * Each call starts its own headless Chromium with no network (the page must carry its styles and
 * images inline), prints, and closes it, all within `timeoutMs`; callers run it from a job, never in
 * a request.
 */

/** Chromium's switches for a headless, networkless, single-use print. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'];

/** Whether a Chromium can print here (the path is set and executable). */
export async function canPrint(chromiumPath: string): Promise<boolean> {
  if (!chromiumPath) return false;
  try {
    await access(chromiumPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class PrintUnavailable extends Error {}

/** Prints a self-contained HTML document on A4; throws PrintUnavailable when no Chromium is there. */
export async function printPdf(html: string, options: { chromiumPath: string; timeoutMs?: number; title?: string }): Promise<Buffer> {
  if (!(await canPrint(options.chromiumPath))) throw new PrintUnavailable(`no Chromium at ${options.chromiumPath || '(CHROMIUM_PATH is empty)'}`);
  const { chromium } = await import('playwright-core');
  const timeout = options.timeoutMs ?? 60_000;
  const browser = await chromium.launch({ executablePath: options.chromiumPath, args: ARGS, timeout });
  const timer = setTimeout(() => void browser.close().catch(() => undefined), timeout);
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    // Nothing leaves the machine: a page that names a remote resource prints without it.
    await context.route(/^(?!data:|about:)/, (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load', timeout });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true, margin: { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' } });
  } finally {
    clearTimeout(timer);
    await browser.close().catch(() => undefined);
  }
}
