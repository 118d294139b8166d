import { onChange } from '../events/changes.js';

/**
 * Read-mostly data (the framework tree, theme parents, country names) kept in memory between
 * requests, per database handle, until public content changes: a change event from this process or
 * another instance (which every reference-data command announces), or a new content version seen by
 * the poll (a write from the command line). A page that is not cached then costs its own queries,
 * not the reference lists again.
 *
 * Only values that do not depend on the time may be kept here (what is published when is not).
 * Callers must not change what they get: the same object is handed to every request.
 */
const memos = new WeakMap<object, Map<string, Promise<unknown>>>();
let holders: WeakRef<Map<string, Promise<unknown>>>[] = [];

/** Forgets everything kept, in every database handle of this process. */
export function forgetReadMostly(): void {
  for (const ref of holders) ref.deref()?.clear();
  holders = holders.filter((ref) => ref.deref() !== undefined);
}

onChange((event) => {
  if (event.public) forgetReadMostly();
});

/** The value kept for `key` on this database handle, or what `load` gives (kept unless it fails). */
export function rememberForContent<T>(db: object, key: string, load: () => Promise<T>): Promise<T> {
  let memo = memos.get(db);
  if (!memo) {
    memo = new Map();
    memos.set(db, memo);
    holders.push(new WeakRef(memo));
  }
  const kept = memo.get(key) as Promise<T> | undefined;
  if (kept) return kept;
  const loading = load();
  memo.set(key, loading);
  const m = memo;
  loading.catch(() => {
    if (m.get(key) === loading) m.delete(key);
  });
  return loading;
}
