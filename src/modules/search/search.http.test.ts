/**
 * The site search as visitors and editors meet it, on both databases: stems, accents, phrases and
 * exclusions in English and French; hostile queries; and what the public may not read (drafts,
 * scheduled and unpublished records) never found, counted or quoted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';

const PASSWORD = 'correct horse battery staple';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function activityForm(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    version: '0',
    doc_count: '0',
    type: 'technical_workshop',
    status: 'planned',
    date_precision: 'day',
    start_date: '2027-04-20',
    end_date: '2027-04-21',
    format: 'hybrid',
    country: 'SN',
    host: 'c:SN',
    themes: ['cadiz-2022.d2'],
    t_en_title: 'Workshop on zanzibarite remittances',
    t_en_slug: '',
    t_en_summary: 'Experts compare quokkaville schemes for sending money home.',
    t_en_narrative_html: '<p>The diaspora bonds were discussed at length.</p>',
    t_en_city: 'Dakar',
    t_fr_title: 'Atelier sur les transferts zanzibarites',
    t_fr_summary: 'Des experts comparent les envois de fonds des diasporas vers les pays d’origine.',
    t_fr_narrative_html: '<p>Les réunions préparatoires ont eu lieu à Dakar.</p>',
    t_fr_city: 'Dakar',
    ...overrides,
  };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`site search (${dialect})`, () => {
    let t: TestApp;
    let admin: TestClient;
    const search = async (lang: string, q: string, extra = '') => {
      const res = await t.app.inject(`/${lang}/search?q=${encodeURIComponent(q)}${extra}`);
      assert.equal(res.statusCode, 200, `the search for ${JSON.stringify(q.slice(0, 40))} answers with a page`);
      return res.body;
    };
    const count = (body: string) => {
      const m = body.match(/data-testid="search-count">([^<]*)</);
      return m ? Number((m[1]!.match(/^[\d\s\u202f,.]+/)?.[0] ?? '0').replace(/\D/g, '')) : -1;
    };
    /** Indexing follows the change event, after the transaction: wait for it. */
    const eventually = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 100; i++) {
        if (await check()) return;
        await sleep(20);
      }
      assert.fail(`not within 2 s: ${what}`);
    };
    before(async () => {
      t = await createTestApp(dialect);
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      admin = new TestClient(t.app);
      assert.equal((await admin.login('admin@example.org', PASSWORD)).statusCode, 303);
    });
    after(async () => t.close());

    test('every public page has a search box in its header, the page not found one more; the search page starts empty', async () => {
      for (const path of ['/en/', '/fr/activities', '/en/about']) {
        const body = (await t.app.inject(path)).body;
        assert.match(body, new RegExp(`<form role="search" method="get" action="/${path.slice(1, 3)}/search"`), path);
      }
      const missing = await t.app.inject('/fr/nulle-part');
      assert.equal(missing.statusCode, 404);
      assert.equal((missing.body.match(/role="search"/g) ?? []).length, 2, 'the header box and one in the page');
      const start = await search('en', '');
      assert.match(start, /data-testid="search-start"/);
      assert.match(start, /<meta name="robots" content="noindex"/);
    });

    test('French: stems and accents, so "reunions preparatoires" finds "réunions préparatoires"; English: "remittance" finds "remittances"', async () => {
      const created = await admin.submit('/admin/activities/new', '/admin/activities', activityForm());
      assert.equal(created.statusCode, 303);
      const id = Number(created.headers.location!.match(/\/admin\/activities\/(\d+)/)![1]);
      // A draft is not found, in any language.
      await sleep(50);
      assert.equal(count(await search('en', 'zanzibarite')), 0, 'a draft is not found');
      const edit = await admin.get(`/admin/activities/${id}`);
      assert.equal((await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(edit.body), action: 'publish' })).statusCode, 303);
      await eventually(async () => count(await search('en', 'zanzibarite')) === 1, 'the published activity is found');
      const fr = await search('fr', 'reunion preparatoire zanzibarite');
      assert.equal(count(fr), 1);
      assert.match(fr, /<mark>réunions<\/mark> <mark>préparatoires<\/mark>/, 'the words as written are marked');
      assert.match(fr, /href="\/fr\/activities\/atelier-sur-les-transferts-zanzibarites"/);
      assert.equal(count(await search('en', 'zanzibarite remittance')), 1, 'English stemming');
      assert.equal(count(await search('en', 'ZANZIBARITE REMITTANCES')), 1, 'case');
      assert.equal(count(await search('fr', 'quokkaville')), 0, 'each language searches its own text');
      // Phrases and exclusions.
      assert.equal(count(await search('en', '"diaspora bonds"')), 1);
      assert.equal(count(await search('en', '"bonds diaspora"')), 0, 'a phrase keeps its order');
      assert.equal(count(await search('en', 'zanzibarite -quokkaville')), 0, 'an excluded word leaves the result out');
      assert.match(await search('en', '-quokkaville'), /data-testid="search-message"[^>]*>Add a word to look for/);
      assert.match(await search('fr', 'le la les'), /data-testid="search-message"[^>]*>Ces mots sont trop courants/);

      // An edit is found at once by its new words, no longer by the old ones.
      const page = await admin.get(`/admin/activities/${id}`);
      const version = page.body.match(/name="version" value="(\d+)"/)![1]!;
      assert.equal((await admin.submit(`/admin/activities/${id}`, `/admin/activities/${id}`, activityForm({ version, t_en_summary: 'Experts compare wombatania schemes.' }))).statusCode, 303);
      await eventually(async () => count(await search('en', 'wombatania')) === 1, 'the new words are found');
      assert.equal(count(await search('en', 'quokkaville')), 0, 'the old words are gone');

      // Unpublished: gone from the results and the counts.
      const again = await admin.get(`/admin/activities/${id}`);
      assert.equal((await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(again.body), action: 'unpublish' })).statusCode, 303);
      await eventually(async () => count(await search('en', 'zanzibarite')) === 0, 'the unpublished activity is no longer found');
    });

    test('a scheduled activity is found from its publication time, not before', async () => {
      const created = await admin.submit('/admin/activities/new', '/admin/activities', activityForm({ t_en_title: 'Seminar on platypusian corridors', t_fr_title: 'Séminaire sur les corridors ornithorynques' }));
      const id = Number(created.headers.location!.match(/\/admin\/activities\/(\d+)/)![1]);
      const edit = await admin.get(`/admin/activities/${id}`);
      const at = new Date(Date.now() + 120_000);
      const local = at.toISOString().slice(0, 16);
      const res = await admin.post(`/admin/activities/${id}/workflow`, { _csrf: csrfToken(edit.body), action: 'schedule', publish_at: local });
      assert.equal(res.statusCode, 303);
      await sleep(100);
      assert.equal(count(await search('en', 'platypusian')), 0, 'not yet');
      // It is in the index already, with its publication time: let that time come.
      const entries = await t.db.selectFrom('search_entries').select('published_at').where('source', '=', 'activity').where('entity_id', '=', id).execute();
      assert.equal(entries.length, 2, 'indexed in both languages, ahead of time');
      await t.db.updateTable('search_entries').set({ published_at: new Date(Date.now() - 1000).toISOString() }).where('source', '=', 'activity').where('entity_id', '=', id).execute();
      assert.equal(count(await search('en', 'platypusian')), 1, 'found once its time has come');
    });

    test('hostile and odd queries give a page, never an error', async () => {
      const odd = ['"unbalanced', 'NEAR(a b)', 'a OR b', '* ^ : ( )', '"', '\u0000asylum', '🙂 migration', 'الهجرة', 'x'.repeat(10_000), 'migration '.repeat(50), "l'asile d'Afrique", '-', '--', '""', "'; drop table activities; --"];
      for (const q of odd) {
        const body = await search('fr', q);
        assert.doesNotMatch(body, /error-title/, q.slice(0, 30));
      }
      assert.match(await search('en', 'x'.repeat(10_000)), /only its first 200 characters/);
      assert.ok(count(await search('fr', "l'asile")) > 0, 'an elision is read as the word after it');
      // Query parameters in odd shapes.
      assert.equal((await t.app.inject('/en/search?q=asylum&q=migration&page=-3&sort=%00')).statusCode, 200);
      assert.equal((await t.app.inject('/en/search?page=99999999999999999999&q=asylum')).statusCode, 200);
      assert.equal((await t.app.inject('/xx/search?q=asylum')).statusCode, 404);
    });

    test('results: counts in the language, marked words escaped, sort by date, pages of twenty', async () => {
      const body = await search('en', 'migration');
      const n = count(body);
      assert.ok(n > 20, `the demo record has many activities about migration (${n})`);
      assert.match(body, /rel="next"/);
      const second = await search('en', 'migration', '&page=2');
      assert.match(second, /rel="prev"/);
      const byDate = await search('en', 'migration', '&sort=date');
      const dates = [...byDate.matchAll(/<span> · ([^<]+)<\/span>/g)].map((m) => Date.parse(m[1]!));
      assert.ok(dates.length > 1);
      for (let i = 1; i < dates.length; i++) assert.ok(dates[i - 1]! >= dates[i]!, 'newest first');
      const xss = await search('en', '<script>alert(1)</script> migration');
      // Inside quoted attribute values "<" is text; everywhere else it must arrive escaped.
      assert.doesNotMatch(xss.replace(/="[^"]*"/g, '=""'), /<script>alert/);
      assert.match(xss, /data-testid="search-count">[^<]*&lt;script>alert/);
    });
  });
}
