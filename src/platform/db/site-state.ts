import type { Db } from './database.js';

const CONTENT_VERSION = 'content_version';

/** Reads the content version that every write to published content moves. */
export async function readContentVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('site_state').select('value').where('key', '=', CONTENT_VERSION).executeTakeFirst();
  return row?.value ?? '0';
}

/**
 * Moves the shared content version, so instances that cannot hear change events (another process
 * on the same SQLite file, or PostgreSQL without LISTEN) see that public content changed.
 */
export async function bumpContentVersion(db: Db): Promise<string> {
  const next = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await db
    .insertInto('site_state')
    .values({ key: CONTENT_VERSION, value: next })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: next }))
    .execute();
  return next;
}
