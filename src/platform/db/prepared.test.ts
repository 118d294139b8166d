import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { openDatabase, type Db } from './database.js';
import { prepared, preparedShapes } from './prepared.js';

for (const dialect of await dialectsUnderTest()) {
  describe(`queries compiled once (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    before(async () => {
      tdb = await createTestDatabase(dialect);
      db = openDatabase(tdb.config);
      await sql`create table prepared_probe (id integer primary key, name text not null, lang text not null)`.execute(db);
      await sql`insert into prepared_probe (id, name, lang) values (1, 'one', 'en'), (2, 'un', 'fr'), (3, 'three', 'en'), (4, 'quatre', 'fr')`.execute(db);
    });
    after(async () => {
      await db?.destroy();
      await tdb?.drop();
    });

    // The table is not in the application's schema type: the tests reach it through its own type.
    const untyped = (d: Db) => (d as never as Kysely<{ prepared_probe: { id: number; name: string; lang: string } }>).selectFrom('prepared_probe');

    test('built once per database handle, then run with each call’s arguments', async () => {
      let builds = 0;
      const byLang = prepared((d, a: { lang: string; above: number }) => {
        builds++;
        return untyped(d).select(['id', 'name']).where('lang', '=', a.lang).where('id', '>', a.above).orderBy('id');
      });
      assert.deepEqual(await byLang(db, { lang: 'en', above: 0 }), [
        { id: 1, name: 'one' },
        { id: 3, name: 'three' },
      ]);
      assert.deepEqual(await byLang(db, { lang: 'fr', above: 2 }), [{ id: 4, name: 'quatre' }], 'other arguments, other rows');
      assert.deepEqual(await byLang(db, { lang: 'de', above: 0 }), []);
      assert.equal(builds, 1, 'the query was built and compiled once');
      // Inside a transaction the handle differs: the query is compiled for it and sees its writes.
      await db.transaction().execute(async (trx) => {
        await sql`insert into prepared_probe (id, name, lang) values (5, 'cinq', 'fr')`.execute(trx);
        assert.deepEqual(await byLang(trx, { lang: 'fr', above: 3 }), [
          { id: 4, name: 'quatre' },
          { id: 5, name: 'cinq' },
        ]);
        throw new Error('roll back');
      }).catch((err: Error) => assert.equal(err.message, 'roll back'));
      assert.deepEqual(await byLang(db, { lang: 'fr', above: 3 }), [{ id: 4, name: 'quatre' }], 'the rolled-back row is gone');
    });

    test('an argument the caller leaves out is an error, not a query with a stand-in in it', async () => {
      const byId = prepared((d, a: { id: number }) => untyped(d).select('name').where('id', '=', a.id));
      await assert.rejects(byId(db, {} as { id: number }), /no value for "id"/);
    });

    test('shaped queries: one compiled query per shape, lists of values included', async () => {
      const run = preparedShapes<Record<string, unknown>>(2);
      let builds = 0;
      const namesOf = (ids: number[]) =>
        run(
          db,
          `ids|${ids.length}`,
          (d, a) => {
            builds++;
            return untyped(d)
              .select('name')
              .where(
                'id',
                'in',
                ids.map((_, i) => a[`id${i}`] as number),
              )
              .orderBy('id');
          },
          Object.fromEntries(ids.map((id, i) => [`id${i}`, id])),
        );
      assert.deepEqual((await namesOf([1, 2])).map((r) => r.name), ['one', 'un']);
      assert.deepEqual((await namesOf([3, 4])).map((r) => r.name), ['three', 'quatre'], 'same shape, other values');
      assert.deepEqual((await namesOf([1, 3, 4])).map((r) => r.name), ['one', 'three', 'quatre'], 'three values: another shape');
      assert.equal(builds, 2);
      await namesOf([2]);
      await namesOf([1, 2]);
      assert.equal(builds, 4, 'past two shapes the oldest is forgotten and compiled again when asked');
    });
  });
}
