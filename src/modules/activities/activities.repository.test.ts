/**
 * Facet counts are one grouped query each (a recursive one for themes), never id lists. What they
 * must say is defined by the list itself: the count shown beside a choice is the number of
 * activities the list gives once that choice is added to the other filters. Checked for every
 * choice, under several filter combinations, on both databases.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { openDatabase, type Db } from '../../platform/db/database.js';
import { facetCounts, listPublishedActivities, themeWithDescendants } from './activities.repository.js';
import type { ActivityFilters } from './activities.schemas.js';
import { saveTheme } from '../directory/index.js';
import { createUser } from '../auth/index.js';

const NOW = new Date().toISOString();

for (const dialect of await dialectsUnderTest()) {
  describe(`facet counts agree with the list (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    before(async () => {
      tdb = await createTestDatabase(dialect, {}, 'demo');
      db = openDatabase(tdb.config);
      // Some activities the public does not see: a draft, one scheduled for later, one unpublished.
      const ids = (await db.selectFrom('activities').select('id').orderBy('id').limit(3).execute()).map((r) => r.id);
      await db.updateTable('activities').set({ workflow: 'draft', published_at: null }).where('id', '=', ids[0]!).execute();
      await db.updateTable('activities').set({ published_at: '2999-01-01T00:00:00.000Z' }).where('id', '=', ids[1]!).execute();
      await db.updateTable('activities').set({ workflow: 'unpublished' }).where('id', '=', ids[2]!).execute();
    });
    after(async () => {
      await db?.destroy();
      await tdb?.drop();
    });

    const total = async (filters: ActivityFilters) => {
      const themeIds = filters.theme ? await themeWithDescendants(db, filters.theme) : null;
      return (await listPublishedActivities(db, { filters, themeIds, offset: 0, limit: 1, now: NOW })).total;
    };

    for (const filters of [{}, { year: 2015 }, { type: 'thematic_meeting' }, { format: 'in_person', country: 'MA' }, { theme: 'marrakesh-2018.d5' }] as ActivityFilters[]) {
      test(`every choice's count, with ${JSON.stringify(filters)}`, async () => {
        const themeIds = filters.theme ? await themeWithDescendants(db, filters.theme) : null;
        const counts = await facetCounts(db, filters, themeIds, NOW);
        assert.ok(counts.type.size > 0 && counts.country.size > 0 && counts.theme.size > 0, 'each facet has choices');
        for (const [type, n] of counts.type) assert.equal(n, await total({ ...filters, type: type as ActivityFilters['type'] }), `type ${type}`);
        for (const [format, n] of counts.format) assert.equal(n, await total({ ...filters, format: format as ActivityFilters['format'] }), `format ${format}`);
        for (const [year, n] of counts.year) assert.equal(n, await total({ ...filters, year: Number(year) }), `year ${year}`);
        for (const [country, n] of counts.country) assert.equal(n, await total({ ...filters, country }), `country ${country}`);
        const codes = new Map((await db.selectFrom('themes').select(['id', 'code']).execute()).map((t) => [t.id, t.code]));
        for (const [id, n] of counts.theme) assert.equal(n, await total({ ...filters, theme: codes.get(id)! }), `theme ${codes.get(id)}`);
      });
    }

    test('a theme moved under another parent counts its activities there, and no longer under the old one', async () => {
      const child = await db.selectFrom('themes').select(['id', 'framework_id', 'parent_id', 'level', 'number']).where('parent_id', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
      const other = await db.selectFrom('themes').select(['id', 'code']).where('framework_id', '=', child.framework_id).where('parent_id', 'is', null).where('id', '!=', child.parent_id!).orderBy('id').executeTakeFirstOrThrow();
      const linked = await db.selectFrom('activity_themes').select('activity_id').where('theme_id', '=', child.id).execute();
      assert.ok(linked.length > 0, 'the moved theme carries activities');
      const admin = await createUser(db, { email: `mover-${dialect}@example.org`, password: 'correct horse battery staple', role: 'admin' });
      await saveTheme(db, child.id, { frameworkId: child.framework_id, parentId: other.id, level: child.level, number: child.number, retired: false, names: {} }, admin);
      const themeIds = await themeWithDescendants(db, other.code);
      assert.ok(themeIds?.includes(child.id), 'the filter follows the move');
      const counts = await facetCounts(db, {}, null, NOW);
      const codes = new Map((await db.selectFrom('themes').select(['id', 'code']).execute()).map((t) => [t.id, t.code]));
      for (const [id, n] of counts.theme) assert.equal(n, await total({ theme: codes.get(id)! }), `theme ${codes.get(id)}`);
    });
  });
}
