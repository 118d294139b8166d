import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Fail closed: an activity row written without a workflow state is a draft, not published (0002
 * gave the column the default 'published' so that rows existing then stayed public). Existing rows
 * keep their state. SQLite cannot change a column default in place, so the table is rebuilt the
 * documented way (foreign keys off, copy, swap, indexes again, check).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE activities ALTER COLUMN workflow SET DEFAULT 'draft'`.execute(db);
    return;
  }
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activities'`.execute(db);
  const create = table.rows[0]?.sql;
  if (!create) throw new Error('activities table not found');
  const changed = create.replace(/("workflow"\s+text\s+default\s+)'published'/i, "$1'draft'");
  if (changed === create) throw new Error(`could not find the workflow default in: ${create}`);
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activities' AND sql IS NOT NULL`.execute(db);
  const renamed = changed.replace(/^CREATE TABLE\s+("?)activities\1/i, 'CREATE TABLE "activities__new"');
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN`.execute(db);
    try {
      await sql.raw(renamed).execute(db);
      await sql`INSERT INTO "activities__new" SELECT * FROM activities`.execute(db);
      await sql`DROP TABLE activities`.execute(db);
      await sql`ALTER TABLE "activities__new" RENAME TO activities`.execute(db);
      for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
      const broken = await sql`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`foreign keys broken by the rebuild: ${JSON.stringify(broken.rows.slice(0, 3))}`);
      await sql`COMMIT`.execute(db);
    } catch (e) {
      await sql`ROLLBACK`.execute(db);
      throw e;
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`ALTER TABLE activities ALTER COLUMN workflow SET DEFAULT 'published'`.execute(db);
}
