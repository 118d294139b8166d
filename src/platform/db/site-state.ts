import { EventEmitter } from 'node:events';
import type { Db } from './database.js';

/** Tells this process's page caches at once that content changed (other instances poll the version). */
export const contentEvents = new EventEmitter<{ changed: [version: string] }>();

const CONTENT_VERSION = 'content_version';

/** Reads the content version that every write to published content increments. */
export async function readContentVersion(db: Db): Promise<string> {
  const row = await db.selectFrom('site_state').select('value').where('key', '=', CONTENT_VERSION).executeTakeFirst();
  return row?.value ?? '0';
}

/** Marks published content as changed so every app instance drops its cached pages. */
export async function bumpContentVersion(db: Db): Promise<string> {
  const next = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  await db
    .insertInto('site_state')
    .values({ key: CONTENT_VERSION, value: next })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: next }))
    .execute();
  contentEvents.emit('changed', next);
  return next;
}
