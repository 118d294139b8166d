import { sql } from 'kysely';
import type { Db } from './database.js';

/**
 * A value that changes whenever an editorial record of a table changes: rows added or removed, an
 * edit (updated_at), a publication or its time, a workflow move, or an edit of a translation.
 * Derived data (the search index) is rebuilt when it differs from what it was built from.
 */
export async function editorialFingerprint(db: Db, table: 'activities' | 'pages' | 'documents', translations: 'activity_translations' | 'page_translations' | 'document_translations'): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT (SELECT count(*) FROM ${sql.table(table)}) AS n,
      (SELECT max(updated_at) FROM ${sql.table(table)}) AS u,
      (SELECT max(published_at) FROM ${sql.table(table)}) AS p,
      (SELECT sum(CASE WHEN workflow = 'published' THEN id ELSE 0 END) FROM ${sql.table(table)}) AS w,
      (SELECT count(*) FROM ${sql.table(translations)}) AS tn,
      (SELECT max(updated_at) FROM ${sql.table(translations)}) AS tu`.execute(db);
  const r = rows[0] ?? {};
  return ['n', 'u', 'p', 'w', 'tn', 'tu'].map((k) => String(r[k] ?? '')).join('|');
}
