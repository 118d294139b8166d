import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { isPostgres } from '../../platform/db/database.js';
import type { Executor } from '../../platform/editorial/editorial.js';
import type { FileStore, StagedFile } from '../../platform/storage/storage.js';

/** How long a stored file may stay unnamed before it is removed (an upload commits its rows within seconds). */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

/** The first key of the PostgreSQL advisory locks taken per stored key (the second is the key's hash). */
const STORED_KEY_LOCK_CLASS = 0x0d1f11e5;

/**
 * Serialises, per stored key, the collector's removal with the transactions that name the key. On
 * PostgreSQL: a transaction-scoped advisory lock, held until commit or rollback, taken first and
 * in key order (so two writers never wait on each other crosswise). On SQLite nothing is needed
 * here: the first statement that follows is a write, which takes the database's single write lock
 * until the commit (and, being the first, never meets a stale snapshot in another process).
 */
async function lockStoredKeys(trx: Executor, keys: string[]): Promise<void> {
  if (!isPostgres(trx as Db)) return;
  for (const key of [...new Set(keys)].sort()) await sql`SELECT pg_advisory_xact_lock(${STORED_KEY_LOCK_CLASS}, hashtext(${key}))`.execute(trx);
}

/** A stored file a row is about to name, with the staged copy it was committed from (still on disk). */
export interface ClaimedFile {
  key: string;
  staged: StagedFile;
}

/**
 * Takes stored files back from the collector, first thing in the transaction that writes the rows
 * naming them: the keys are locked against the collector, their notes in `file_orphans` deleted,
 * then each file is looked for in the store, and one the collector removed before the lock is
 * committed again from its staged copy. From then until the transaction ends the collector cannot
 * remove these files, and after the commit the rows name them.
 */
export async function claimStoredFiles(trx: Executor, store: FileStore, files: ClaimedFile[]): Promise<void> {
  if (!files.length) return;
  const keys = files.map((f) => f.key);
  await lockStoredKeys(trx, keys);
  await trx.deleteFrom('file_orphans').where('storage_key', 'in', keys).execute();
  for (const f of files) {
    if (!(await store.stat(f.key))) await store.commit(f.staged, { keepStaged: true });
  }
}

/**
 * Removes one noted file if it is still unnamed, in one transaction holding its key (see
 * claimStoredFiles): its note is deleted first (none left, or a newer one, means a writer took it
 * back meanwhile), then the rows are looked at, and the file is deleted from the store before the
 * transaction commits, so no row naming it can commit in between.
 */
async function removeIfUnnamed(db: Db, store: FileStore, key: string, seenBefore: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await lockStoredKeys(trx, [key]);
    const note = await trx.deleteFrom('file_orphans').where('storage_key', '=', key).where('seen_at', '<=', seenBefore).executeTakeFirst();
    if (Number(note.numDeletedRows) === 0) return false;
    const named = await trx.selectFrom('document_files').select('id').where((eb) => eb.or([eb('storage_key', '=', key), eb('thumbnail_key', '=', key)])).executeTakeFirst();
    if (named) return false;
    await store.delete(key);
    return true;
  });
}

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
  const seenBefore = new Date(now.getTime() - grace).toISOString();
  let removed = 0;
  for (const key of unnamed) {
    const seen = noted.get(key);
    if (!seen) {
      await db.insertInto('file_orphans').values({ storage_key: key, seen_at: now.toISOString() }).onConflict((oc) => oc.column('storage_key').doNothing()).execute();
      continue;
    }
    if (seen > seenBefore) continue;
    if (await removeIfUnnamed(db, store, key, seenBefore)) removed++;
  }
  // Notes about files named again or gone meanwhile are dropped.
  const stale = [...noted.keys()].filter((k) => !unnamed.has(k));
  for (let i = 0; i < stale.length; i += 200) await db.deleteFrom('file_orphans').where('storage_key', 'in', stale.slice(i, i + 200)).execute();
  return { removed, waiting: unnamed.size - removed };
}
