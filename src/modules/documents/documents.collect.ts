import type { Db } from '../../platform/db/database.js';
import type { FileStore } from '../../platform/storage/storage.js';

/** How long a stored file may stay unnamed before it is removed (an upload commits its rows within seconds). */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/**
 * Removes stored files that no document file names (a file's last version removed, an upload cut
 * between the store and its rows): a file unnamed at one pass is noted, and removed at a pass at
 * least `graceMs` later if it is still unnamed. Returns what was removed and what is waiting.
 */
export async function collectUnreferencedFiles(db: Db, store: FileStore, options: { graceMs?: number; now?: Date } = {}): Promise<{ removed: number; waiting: number }> {
  const now = options.now ?? new Date();
  const grace = options.graceMs ?? ORPHAN_GRACE_MS;
  const named = new Set<string>();
  for (const r of await db.selectFrom('document_files').select(['storage_key', 'thumbnail_key']).execute()) {
    named.add(r.storage_key);
    if (r.thumbnail_key) named.add(r.thumbnail_key);
  }
  const noted = new Map((await db.selectFrom('file_orphans').select(['storage_key', 'seen_at']).execute()).map((r) => [r.storage_key, r.seen_at]));
  const unnamed = new Set<string>();
  for await (const key of store.list()) if (!named.has(key)) unnamed.add(key);
  let removed = 0;
  for (const key of unnamed) {
    const seen = noted.get(key);
    if (!seen) {
      await db.insertInto('file_orphans').values({ storage_key: key, seen_at: now.toISOString() }).onConflict((oc) => oc.column('storage_key').doNothing()).execute();
      continue;
    }
    if (now.getTime() - Date.parse(seen) < grace) continue;
    // Named again since (an upload of the same bytes)? Then it stays.
    const again = await db.selectFrom('document_files').select('id').where((eb) => eb.or([eb('storage_key', '=', key), eb('thumbnail_key', '=', key)])).executeTakeFirst();
    if (!again) {
      await store.delete(key);
      removed++;
    }
    await db.deleteFrom('file_orphans').where('storage_key', '=', key).execute();
  }
  // Notes about files named again or gone meanwhile are dropped.
  const stale = [...noted.keys()].filter((k) => !unnamed.has(k));
  for (let i = 0; i < stale.length; i += 200) await db.deleteFrom('file_orphans').where('storage_key', 'in', stale.slice(i, i + 200)).execute();
  return { removed, waiting: unnamed.size - removed };
}
