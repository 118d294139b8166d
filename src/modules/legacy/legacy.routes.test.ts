import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { buildDiwan } from '../../app/index.js';
import { normaliseOldPath, oldAddress } from './legacy.addresses.js';
import { runImportLegacy } from './legacy.cli.js';
import { registerLegacyRoutes } from './legacy.routes.js';
import { createLegacyTestDb, type LegacyTestDb } from './legacy.test-support.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const OLD = 'www.old-rabat-process.example';

describe('old addresses', () => {
  test('are normalised the same way when stored and when requested', () => {
    assert.equal(normaliseOldPath('/fr/Activites/Reunion-X/'), '/fr/activites/reunion-x');
    assert.equal(normaliseOldPath('/fr/activites/reunion-x?utm_source=mail&b=2&a=1#top'), '/fr/activites/reunion-x?a=1&b=2');
    assert.equal(normaliseOldPath('/fr/activit%C3%A9s/r%C3%A9union/index.html'), '/fr/activités/réunion');
    assert.equal(normaliseOldPath('//en//news/'), '/en/news');
    assert.equal(normaliseOldPath('/'), '/');
    assert.equal(normaliseOldPath('/%E0%A4%A'), '/%e0%a4%a', 'a broken escape is kept as written');
  });
  test('keep their host and language', () => {
    assert.deepEqual(oldAddress('https://WWW.Old.example:443/fr/x'), { url: 'https://www.old.example/fr/x', host: 'www.old.example', path: '/fr/x', lang: 'fr' });
    assert.deepEqual(oldAddress('http://old.example:8080/index.php?option=com_content&id=12&lang=es'), {
      url: 'http://old.example:8080/index.php?option=com_content&id=12&lang=es',
      host: 'old.example:8080',
      path: '/?id=12&lang=es&option=com_content',
      lang: 'es',
    });
    assert.equal(oldAddress('mailto:x@example.org'), null);
    assert.equal(normaliseOldPath('/index.php?id=12'), normaliseOldPath('/?id=12'), 'an index file is its folder');
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`redirects from the old sites (${dialect})`, () => {
    let t: LegacyTestDb;
    let app: FastifyInstance;
    const slugs: Record<string, string> = {};
    before(async () => {
      t = await createLegacyTestDb(dialect);
      const quiet = { out: () => undefined, err: () => undefined };
      const imports: [string, string][] = [
        [`https://${OLD}/fr/activites/atelier-traite-abidjan/`, 'fr-retour-atelier.txt'],
        [`https://${OLD}/en/news/labour-mobility-dakar`, 'en-announcement-dakar.html'],
        [`http://${OLD}/index.php?option=com_content&view=article&id=57`, 'pt-oficina.txt'],
        [`https://${OLD}/en/activities`, 'en-list-activities.txt'],
        [`https://${OLD}/en/som-abuja-2024`, 'en-side-event.html'],
        [`https://${OLD}/fr/activites`, 'fr-liste-comites.html'],
      ];
      for (const [url, file] of imports) {
        const code = await runImportLegacy(['--publish', '--source-url', url, path.join(FIXTURES, file)], { db: t.db, ...quiet });
        assert.equal(code, 0, file);
      }
      for (const row of await t.db.selectFrom('activity_translations').select(['title', 'slug']).execute()) slugs[row.title] = row.slug;
      app = await buildDiwan({ config: t.tdb.config, db: t.db });
      // Registered after buildApp and before ready, as main.ts would do with config.legacyHosts.
      registerLegacyRoutes(app, [OLD, 'old-rabat-process.example']);
      await app.ready();
    });
    after(async () => {
      await app.close();
      await t.close();
    });
    const get = (url: string, host: string, method: 'GET' | 'HEAD' | 'POST' = 'GET') => app.inject({ method, url, headers: { host } });

    test('an old address answers 301 to the activity page, in the old address language', async () => {
      const res = await get('/fr/activites/atelier-traite-abidjan', OLD);
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, `http://diwan.test/fr/activities/${slugs['Atelier régional sur la traite des êtres humains']}`);
      const page = await app.inject({ method: 'GET', url: new URL(String(res.headers.location)).pathname, headers: { host: 'diwan.test' } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Atelier régional sur la traite des êtres humains/);
    });

    test('variants of the old address (case, trailing slash, tracking parameters, port, HEAD) redirect too', async () => {
      for (const [url, host] of [
        ['/FR/Activites/Atelier-Traite-Abidjan/', OLD],
        ['/fr/activites/atelier-traite-abidjan?utm_source=newsletter', `${OLD}:443`],
        ['/fr/activites/atelier-traite-abidjan', 'old-rabat-process.example'],
      ] as const) {
        const res = await get(url, host);
        assert.equal(res.statusCode, 301, `${host}${url}`);
      }
      assert.equal((await get('/fr/activites/atelier-traite-abidjan', OLD, 'HEAD')).statusCode, 301);
    });

    test('an English old address leads to the English page; a query-string address keeps its parameters as the key', async () => {
      const en = await get('/en/news/labour-mobility-dakar', OLD);
      assert.equal(en.statusCode, 301);
      assert.equal(en.headers.location, `http://diwan.test/en/activities/${slugs['Thematic meeting on labour mobility']}`);
      const cms = await get('/index.php?id=57&view=article&option=com_content', OLD);
      assert.equal(cms.statusCode, 301);
      // No language in that address: the default language, with the page's own (Portuguese) slug.
      assert.equal(cms.headers.location, `http://diwan.test/en/activities/${slugs['Oficina técnica sobre registo civil e identidade']}`);
      assert.equal((await get('/index.php?id=58&view=article&option=com_content', OLD)).statusCode, 404);
    });

    test('an old list page goes to the list; a page with a side event goes to its main meeting', async () => {
      const list = await get('/en/activities/', OLD);
      assert.equal(list.statusCode, 301);
      assert.equal(list.headers.location, 'http://diwan.test/en/activities');
      const som = await get('/en/som-abuja-2024', OLD);
      assert.equal(som.headers.location, `http://diwan.test/en/activities/${slugs["Senior Officials' Meeting in Abuja"]}`);
    });

    test("the entries of a saved list page bring their own old addresses along", async () => {
      const entry = await get('/fr/activites/comite-de-pilotage-juin-2018', OLD);
      assert.equal(entry.statusCode, 301);
      assert.equal(entry.headers.location, `http://diwan.test/fr/activities/${slugs['Comité de pilotage du Processus de Rabat']}`);
      assert.equal((await get('/fr/activites', OLD)).headers.location, 'http://diwan.test/fr/activities');
    });

    test('the same path on the new host, an unknown old path and a form post are not redirected', async () => {
      assert.equal((await get('/fr/activites/atelier-traite-abidjan', 'diwan.test')).statusCode, 404);
      assert.equal((await get('/fr/activites/nothing-here', OLD)).statusCode, 404);
      assert.notEqual((await get('/fr/activites/atelier-traite-abidjan', OLD, 'POST')).statusCode, 301);
      assert.equal((await get('/en/', 'diwan.test')).statusCode, 200, 'new pages are untouched');
    });

    test('an unpublished activity is not redirected to', async () => {
      const id = (await t.db.selectFrom('activity_translations').select('activity_id').where('slug', '=', slugs['Atelier régional sur la traite des êtres humains']!).executeTakeFirstOrThrow()).activity_id;
      await t.db.updateTable('activities').set({ workflow: 'unpublished' }).where('id', '=', id).execute();
      assert.equal((await get('/fr/activites/atelier-traite-abidjan', OLD)).statusCode, 404);
      await t.db.updateTable('activities').set({ workflow: 'published', published_at: '2999-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
      assert.equal((await get('/fr/activites/atelier-traite-abidjan', OLD)).statusCode, 404, 'not before its publication time');
    });
  });
}

test('no old hosts configured: no hook at all', async () => {
  const calls: string[] = [];
  const fake = { addHook: (name: string) => calls.push(name) } as unknown as FastifyInstance;
  registerLegacyRoutes(fake, []);
  registerLegacyRoutes(fake, ['  ']);
  assert.deepEqual(calls, []);
});
