import { launchBrowser, startApp } from './browser.js';
import { AxeBuilder } from '@axe-core/playwright';
const t0 = Date.now(); const lap = (l: string) => console.log(l, Date.now() - t0);
const [app, browser] = await Promise.all([startApp(), launchBrowser()]); lap('start');
for (const legacy of [false, true, false, true]) {
  const ctx = await browser.newContext({ baseURL: app.origin }); lap('ctx');
  const page = await ctx.newPage(); lap('page');
  await page.goto('/en/no-such'); lap('goto');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a','wcag2aa','wcag21a','wcag21aa']).setLegacyMode(legacy).analyze(); lap('axe ' + legacy + r.violations.length);
  await page.goto('/en/activities'); lap('goto list');
  await new AxeBuilder({ page }).withTags(['wcag2a','wcag2aa','wcag21a','wcag21aa']).setLegacyMode(legacy).analyze(); lap('axe list '+legacy);
  await ctx.close(); lap('close');
}
await browser.close(); await app.close();
