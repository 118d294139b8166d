/**
 * `robots.txt` and `sitemap.xml` on both databases: the sitemap is well-formed XML in the sitemap
 * namespace, lists every published record in every language with its hreflang alternates and an
 * x-default, the landing pages of each language, and nothing unpublished or not public.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseDocument, DomUtils } from 'htmlparser2';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';

for (const dialect of await dialectsUnderTest()) {
  describe(`sitemap and robots (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { demo: true, config: { publicUrl: 'https://rabat.example' } });
    });
    after(async () => t?.close());

    test('robots.txt keeps crawlers out of the back-office and personal pages, and names the sitemap', async () => {
      const res = await t.app.inject('/robots.txt');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      assert.match(res.body, /^User-agent: \*$/m);
      assert.match(res.body, /^Disallow: \/admin\/$/m);
      assert.match(res.body, /^Disallow: \/en\/registrations\/$/m);
      assert.match(res.body, /^Disallow: \/fr\/search$/m, "endless result pages are not crawled");
      assert.match(res.body, /^Sitemap: https:\/\/rabat\.example\/sitemap\.xml$/m);
    });

    test('sitemap.xml: every public record in both languages with alternates; nothing else', async () => {
      const res = await t.app.inject('/sitemap.xml');
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/xml/);
      const doc = parseDocument(res.body, { xmlMode: true });
      const urlset = DomUtils.findOne((e) => e.name === 'urlset', doc.children)!;
      assert.equal(urlset.attribs.xmlns, 'http://www.sitemaps.org/schemas/sitemap/0.9');
      const urls = DomUtils.findAll((e) => e.name === 'url', doc.children);
      const locs = urls.map((u) => DomUtils.textContent(DomUtils.findOne((e) => e.name === 'loc', u.children)!));
      assert.ok(locs.includes('https://rabat.example/en/') && locs.includes('https://rabat.example/fr/'), 'each language’s home');
      assert.equal(new Set(locs).size, locs.length, 'each address once');
      for (const u of urls) {
        const links = DomUtils.findAll((e) => e.name === 'xhtml:link', u.children);
        assert.ok(links.some((l) => l.attribs.hreflang === 'x-default'), 'an x-default alternate');
        const lastmod = DomUtils.findOne((e) => e.name === 'lastmod', u.children);
        if (lastmod) assert.match(DomUtils.textContent(lastmod), /^\d{4}-\d{2}-\d{2}$/);
      }
      const published = await t.db.selectFrom('activities as a').innerJoin('activity_translations as tr', 'tr.activity_id', 'a.id').select(['tr.lang', 'tr.slug']).where('a.workflow', '=', 'published').limit(5).execute();
      for (const p of published) assert.ok(locs.includes(`https://rabat.example/${p.lang}/activities/${encodeURIComponent(p.slug)}`), p.slug);
      const hidden = await t.db.selectFrom('activities as a').innerJoin('activity_translations as tr', 'tr.activity_id', 'a.id').select('tr.slug').where('a.workflow', '!=', 'published').execute();
      for (const h of hidden) assert.ok(!res.body.includes(`/${encodeURIComponent(h.slug)}<`), `an unpublished activity is not listed: ${h.slug}`);
      const restricted = await t.db.selectFrom('documents as d').innerJoin('document_translations as tr', 'tr.document_id', 'd.id').select('tr.slug').where('d.access', 'in', ['partners', 'participants', 'restricted']).execute();
      for (const r of restricted) assert.ok(!res.body.includes(`/documents/${encodeURIComponent(r.slug)}<`), `a document not for everyone is not listed: ${r.slug}`);
    });

    test('pages carry an x-default alternate', async () => {
      const home = await t.app.inject('/fr/');
      assert.match(home.body, /<link rel="alternate" hreflang="x-default" href="https:\/\/rabat\.example\/en\/"\/>/);
    });
  });
}
