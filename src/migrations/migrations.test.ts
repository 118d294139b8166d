import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { dialectsUnderTest } from '../../test/helpers/databases.js';

for (const dialect of await dialectsUnderTest()) {
  describe(`migrations (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect, { demo: true });
    });
    after(async () => t.close());

    test('visibility fails closed: a row written without a workflow state is a draft, and no pending revision', async () => {
      const now = new Date().toISOString();
      await sql`INSERT INTO activities (type, status, start_date, date_precision, format, created_at, updated_at) VALUES ('other', 'planned', '2030', 'year', 'in_person', ${now}, ${now})`.execute(t.db);
      const row = await t.db.selectFrom('activities').select(['workflow', 'pending_version', 'published_at']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      assert.deepEqual(row, { workflow: 'draft', pending_version: null, published_at: null });
    });

    test('the rebuilt table keeps its rows, references and indexes', async () => {
      const { n } = await t.db.selectFrom('activities').select((eb) => eb.fn.countAll<number>().as('n')).where('workflow', '=', 'published').executeTakeFirstOrThrow();
      assert.ok(Number(n) >= 50, 'the demo activities are still published');
      const orphans = await t.db
        .selectFrom('activity_translations')
        .leftJoin('activities', 'activities.id', 'activity_translations.activity_id')
        .select('activity_translations.activity_id')
        .where('activities.id', 'is', null)
        .execute();
      assert.equal(orphans.length, 0);
      await assert.rejects(sql`INSERT INTO activity_translations (activity_id, lang, title, slug, summary, narrative_html, updated_at) VALUES (999999, 'en', 'x', 'x-orphan', '', '', 'now')`.execute(t.db), 'foreign keys still hold');
    });

    test('the search index: its small columns first, its full-text table holding exactly its entries, ids never reused', async () => {
      const entries = await sql<{ id: number }>`SELECT id FROM search_entries ORDER BY id`.execute(t.db);
      assert.ok(entries.rows.length > 50, 'the demo is indexed');
      if (dialect === 'sqlite') {
        const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info('search_entries') ORDER BY cid`.execute(t.db);
        assert.deepEqual(columns.rows.slice(0, 7).map((c) => c.name), ['id', 'source', 'entity_id', 'lang', 'audience', 'date', 'published_at']);
        const fts = await sql<{ id: number }>`SELECT rowid AS id FROM search_fts ORDER BY rowid`.execute(t.db);
        assert.deepEqual(fts.rows.map((r) => r.id), entries.rows.map((r) => r.id));
        const seq = await sql<{ seq: number }>`SELECT seq FROM sqlite_sequence WHERE name = 'search_entries'`.execute(t.db);
        assert.ok(Number(seq.rows[0]?.seq) >= entries.rows.at(-1)!.id, 'the sequence was carried over');
      } else {
        const size = await sql<{ n: number }>`SELECT max(pg_column_size(rank_terms)) AS n FROM search_entries`.execute(t.db);
        assert.ok(Number(size.rows[0]?.n) < 2000, 'the ranking vector stays in the row');
      }
    });
  });
}
