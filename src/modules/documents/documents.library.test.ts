/**
 * The library's list and facets (documents.library.ts, counted in memory) against the database's
 * own answer to the same filters (`documentsPublishedBetween`, plain SQL with the access rule of
 * the policy), on a random library: every access tier, drafts, scheduled documents, documents that
 * follow a meeting published, unpublished or scheduled, and files, themes, countries and meetings
 * linked at random. On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { forgetReadMostly } from '../../platform/db/read-mostly.js';
import { libraryPage } from './documents.library.js';
import { FACETS, documentsPublishedBetween, type LibraryFilters } from './documents.repository.js';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, some: <T>(xs: readonly T[], max: number): T[] => [...new Set(Array.from({ length: Math.floor(next() * (max + 1)) }, () => xs[Math.floor(next() * xs.length)]!))] };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`library list and facets (${dialect})`, () => {
    let t: TestApp;
    const now = new Date().toISOString();
    const past = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
    const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    let themes: number[] = [];
    let countries: string[] = [];
    let activities: number[] = [];

    before(async () => {
      t = await createTestApp(dialect, { demo: true });
      const r = random(20261206);
      themes = (await t.db.selectFrom('themes').select('id').execute()).map((x) => x.id).slice(0, 6);
      countries = (await t.db.selectFrom('countries').select('code').execute()).map((x) => x.code).slice(0, 8);
      activities = (await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').orderBy('id').execute()).map((x) => x.id).slice(0, 6);
      // Meetings a document may follow: one unpublished, one published only next week.
      await t.db.updateTable('activities').set({ workflow: 'draft' }).where('id', '=', activities[4]!).execute();
      await t.db.updateTable('activities').set({ published_at: future(7) }).where('id', '=', activities[5]!).execute();
      for (let i = 0; i < 80; i++) {
        const access = r.pick(['public', 'public', 'public', 'inherit', 'inherit', 'partners', 'restricted'] as const);
        const { id } = await t.db
          .insertInto('documents')
          .values({
            type: r.pick(['final_report', 'agenda', 'concept_note', 'presentation']),
            doc_date: r.pick([null, '2019-03-01', '2019-11-30', '2021-06-15', '2024-01-01', '2024-12-31']),
            reference: `LIB-${i}`,
            access,
            access_roles: '',
            access_activity_id: access === 'inherit' ? r.pick(activities) : null,
            workflow: r.pick(['published', 'published', 'published', 'draft']),
            published_at: r.pick([past(30), past(1), future(3), null]),
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await t.db.insertInto('document_translations').values([
          { document_id: id, lang: 'en', title: `Library test ${i}`, slug: `library-test-${i}`, description: '', updated_at: now },
          { document_id: id, lang: 'fr', title: `Essai ${i}`, slug: `essai-${i}`, description: '', updated_at: now },
        ]).execute();
        let version = 0;
        for (const lang of r.some(['en', 'fr', 'ar'], 2)) {
          await t.db.insertInto('document_files').values({ document_id: id, lang, version: ++version, status: 'adopted', storage_key: `k${i}${lang}`, sha256: 'x', size_bytes: 1, kind: 'pdf', mime: 'application/pdf', file_name: 'a.pdf', uploaded_at: now, text_state: 'done' }).execute();
        }
        for (const theme of r.some(themes, 3)) await t.db.insertInto('document_themes').values({ document_id: id, theme_id: theme }).execute();
        for (const code of r.some(countries, 3)) await t.db.insertInto('document_countries').values({ document_id: id, country_code: code }).execute();
        let position = 0;
        for (const a of r.some(activities, 2)) await t.db.insertInto('document_activities').values({ document_id: id, activity_id: a, position: position++ }).execute();
      }
      // Written behind the commands' back: no change event told the kept index.
      forgetReadMostly();
    });
    after(async () => t?.close());

    /** What SQL says passes the filters: the total and the ids. */
    const oracle = async (filters: LibraryFilters) => {
      const r = await documentsPublishedBetween(t.db, { lang: 'en', filters, query: null, after: '', until: now, limit: 10_000 });
      return { total: r.total, ids: new Set(r.items.map((i) => i.id)) };
    };

    test('the list, its total, its order and every facet count are what the database says', async () => {
      const combos: LibraryFilters[] = [
        {},
        { type: 'final_report' },
        { lang: 'fr' },
        { theme: themes[0] },
        { country: countries[1] },
        { year: '2019' },
        { year: '2024', type: 'agenda' },
        { activity: activities[0] },
        { theme: themes[1], country: countries[0], lang: 'en' },
      ];
      let listed = 0;
      for (const filters of combos) {
        const page = await libraryPage(t.db, { lang: 'en', now, filters, query: null, sort: 'date', offset: 0, limit: 10_000 });
        const expected = await oracle(filters);
        const what = JSON.stringify(filters);
        assert.equal(page.total, expected.total, `total for ${what}`);
        assert.deepEqual(new Set(page.items.map((i) => i.id)), expected.ids, `documents for ${what}`);
        listed += page.total;
        for (let i = 1; i < page.items.length; i++) {
          const [a, b] = [page.items[i - 1]!, page.items[i]!];
          assert.ok(a.date === b.date ? a.id > b.id : b.date === null || (a.date !== null && a.date > b.date), `newest first, undated last (${what})`);
        }
        for (const facet of FACETS) {
          for (const v of page.facets[facet]) {
            const value = facet === 'theme' || facet === 'activity' ? Number(v.value) : v.value;
            const under = await oracle({ ...filters, [facet]: value });
            assert.equal(v.count, under.total, `${facet}=${v.value} under ${what}`);
          }
        }
        // A value the facet leaves out has nothing to show (the meetings facet also leaves out meetings not yet public).
        for (const theme of themes.filter((x) => !page.facets.theme.some((v) => Number(v.value) === x))) assert.equal((await oracle({ ...filters, theme })).total, 0, `theme ${theme} under ${what}`);
        assert.ok(!page.facets.activity.some((v) => Number(v.value) === activities[4] || Number(v.value) === activities[5]), 'meetings not public are not offered');
      }
      assert.ok(listed > 20, 'the random library gives the filters something to find');
    });

    test('a page is a slice of the whole list, and a scheduled document appears when its time comes', async () => {
      const all = await libraryPage(t.db, { lang: 'en', now, filters: {}, query: null, sort: 'date', offset: 0, limit: 10_000 });
      const second = await libraryPage(t.db, { lang: 'en', now, filters: {}, query: null, sort: 'date', offset: 5, limit: 5 });
      assert.deepEqual(second.items.map((i) => i.id), all.items.slice(5, 10).map((i) => i.id));
      const later = future(4);
      const then = await libraryPage(t.db, { lang: 'en', now: later, filters: {}, query: null, sort: 'date', offset: 0, limit: 10_000 });
      const expected = await documentsPublishedBetween(t.db, { lang: 'en', filters: {}, query: null, after: '', until: later, limit: 10_000 });
      assert.equal(then.total, expected.total);
      assert.ok(then.total > all.total, 'documents scheduled within four days are listed four days on, from the same kept index');
    });
  });
}
