/**
 * Over a real socket: behind an https PUBLIC_URL every response (pages from memory, assets, the
 * back-office, errors) tells browsers to come back over HTTPS only; over plain http it does not
 * (a browser would refuse the site afterwards); and the server's header and request timeouts are set.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from './helpers/app.js';

for (const [scheme, expected] of [
  ['https', 'max-age=31536000; includeSubDomains'],
  ['http', undefined],
] as const) {
  describe(`transport security behind ${scheme}`, () => {
    let t: TestApp;
    let base = '';
    before(async () => {
      t = await createTestApp('sqlite', { demo: true, config: { publicUrl: `${scheme}://rabat.example` } });
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(async () => t?.close());

    test(`Strict-Transport-Security ${expected ? 'on every response' : 'never sent'}`, async () => {
      const home = await fetch(`${base}/en/`);
      await home.text();
      const again = await fetch(`${base}/en/`);
      await again.text();
      const css = /href="(\/assets\/site-[^"]+\.css)"/.exec(await (await fetch(`${base}/en/`)).text())?.[1];
      assert.ok(css);
      for (const path of ['/en/', css, '/admin/login', '/en/no-such-page', '/healthz']) {
        const res = await fetch(`${base}${path}`);
        await res.arrayBuffer();
        assert.equal(res.headers.get('strict-transport-security') ?? undefined, expected, path);
      }
    });

    test('slow clients are cut off: header and request timeouts are set', () => {
      assert.equal(t.app.server.headersTimeout, 20_000);
      assert.equal(t.app.server.requestTimeout, 120_000);
    });
  });
}
