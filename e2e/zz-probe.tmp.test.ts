import { test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { createUser } from '../src/modules/auth/users.commands.js';
import { launchBrowser, startApp, AXE_TAGS } from '../e2e/browser.js';
import { AdminLoginPage } from '../e2e/pages/admin-login.page.js';

test('probe', async () => {
  let t0 = Date.now();
  const lap = (l: string) => { const n = Date.now(); console.log(l, n - t0); t0 = n; };
  const [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  lap('start');
  await createUser(app.test.db, { email: 'a@diwan.test', password: 'abcdefghijklmnop', role: 'admin' });
  lap('createUser');
  const ctx = await browser.newContext({ baseURL: app.origin });
  const page = await ctx.newPage();
  const login = new AdminLoginPage(page);
  await login.goto(); lap('login page');
  await login.login('a@diwan.test', 'abcdefghijklmnop'); lap('login');
  for (const p of ['/admin/', '/admin/activities', '/admin/activities/new', '/admin/activities/1', '/admin/audit', '/admin/login?lang=fr']) {
    const r = await page.goto(p); lap(`goto ${p} ${r?.status()} ${(await r?.body())?.length}`);
    await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze(); lap(`axe ${p}`);
  }
  await browser.close(); await app.close();
});
