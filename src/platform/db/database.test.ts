import assert from 'node:assert/strict';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { withStatementCache } from './database.js';

test('SQLite statements are prepared once per SQL text, reused with other parameters, and bounded', async () => {
  const sqlite = new SQLite(':memory:');
  let prepared = 0;
  const prepare = sqlite.prepare.bind(sqlite);
  sqlite.prepare = ((source: string) => (prepared++, prepare(source))) as typeof sqlite.prepare;
  const db = new Kysely<{ t: { n: number } }>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, 2) }) });
  await sql`create table t (n integer)`.execute(db);
  for (const n of [1, 2, 3]) await db.insertInto('t').values({ n }).execute();
  assert.equal(prepared, 2, 'one create, one insert for three rows');
  assert.deepEqual((await db.selectFrom('t').select('n').where('n', '>', 1).orderBy('n').execute()).map((r) => r.n), [2, 3]);
  assert.deepEqual((await db.selectFrom('t').select('n').where('n', '>', 2).orderBy('n').execute()).map((r) => r.n), [3], 'the same statement with another parameter');
  assert.equal(prepared, 3);
  // A cache of two: the create and the insert have been pushed out by now, so the insert is prepared again.
  await db.selectFrom('t').selectAll().execute();
  await db.insertInto('t').values({ n: 4 }).execute();
  assert.equal(prepared, 5);
  await db.destroy();
});
