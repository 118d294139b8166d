import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { bumpContentVersion } from '../../platform/db/site-state.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import type { Transaction } from 'kysely';
import { PageInputSchema, type PageInputParsed } from './pages.schemas.js';

type Trx = Transaction<Database>;

export interface EditablePage {
  id: number;
  key: string | null;
  version: number;
  workflow: 'draft' | 'in_review' | 'published' | 'unpublished';
  publishedAt: string | null;
  input: PageInputParsed;
}

/** Reads a page into the shape the write commands take. */
export async function loadEditablePage(db: Db | Trx, id: number): Promise<EditablePage | null> {
  const p = await db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) return null;
  const tr = await db.selectFrom('page_translations').selectAll().where('page_id', '=', id).orderBy('lang').execute();
  return {
    id: p.id,
    key: p.key,
    version: p.version,
    workflow: p.workflow as EditablePage['workflow'],
    publishedAt: p.published_at,
    input: PageInputSchema.parse({ key: p.key, nav_position: p.nav_position, published: p.workflow === 'published', t: Object.fromEntries(tr.map((x) => [x.lang, { title: x.title, slug: x.slug, body_html: x.body_html }])) }),
  };
}

async function writeTranslations(trx: Trx, pageId: number, input: PageInputParsed, now: string): Promise<void> {
  await trx.deleteFrom('page_translations').where('page_id', '=', pageId).execute();
  for (const [lang, t] of Object.entries(input.t)) {
    await trx.insertInto('page_translations').values({ page_id: pageId, lang, title: t.title, slug: t.slug, body_html: sanitizeRichText(t.body_html), updated_at: now }).execute();
  }
}

async function saveRevision(trx: Trx, pageId: number, version: number, actorId: number | null, now: string): Promise<void> {
  const snapshot = await loadEditablePage(trx, pageId);
  await trx.insertInto('page_revisions').values({ page_id: pageId, version, saved_at: now, saved_by: actorId, snapshot: JSON.stringify(snapshot?.input ?? null) }).execute();
}

/** Creates a page as a draft (or published, for seeded pages), with its first revision. */
export async function createPage(db: Db, raw: unknown, actorId: number | null): Promise<number> {
  const input = PageInputSchema.parse(raw);
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('pages')
      .values({ key: input.key ?? null, workflow: input.published ? 'published' : 'draft', published_at: input.published ? now : null, nav_position: input.nav_position ?? null, created_at: now, updated_at: now, updated_by: actorId, edited_at: actorId ? now : null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeTranslations(trx, id, input, now);
    await saveRevision(trx, id, 1, actorId, now);
    await audit(trx, { actorUserId: actorId, action: 'page.create', entityType: 'page', entityId: id, after: input });
    return id;
  });
  if (input.published) await bumpContentVersion(db);
  return id;
}

export type PageUpdateResult = { ok: true } | { ok: false; conflict: EditablePage };

/** Saves a page edit unless someone saved in between (optimistic locking); old slugs keep working. */
export async function updatePage(db: Db, id: number, expectedVersion: number, raw: unknown, actorId: number): Promise<PageUpdateResult> {
  const input = PageInputSchema.parse(raw);
  const now = nowIso();
  const result = await db.transaction().execute(async (trx): Promise<PageUpdateResult & { published?: boolean }> => {
    const current = await loadEditablePage(trx, id);
    if (!current) throw new Error(`page ${id} not found`);
    if (current.version !== expectedVersion) return { ok: false, conflict: current };
    await trx.updateTable('pages').set({ nav_position: input.nav_position ?? null, version: current.version + 1, updated_at: now, updated_by: actorId, edited_at: now }).where('id', '=', id).execute();
    await writeTranslations(trx, id, input, now);
    for (const [lang, t] of Object.entries(current.input.t)) {
      const next = input.t[lang]?.slug;
      if (next && next !== t.slug) {
        await trx.deleteFrom('slug_redirects').where('entity_type', '=', 'page').where('lang', '=', lang).where('old_slug', '=', t.slug).execute();
        await trx.insertInto('slug_redirects').values({ entity_type: 'page', lang, old_slug: t.slug, entity_id: id }).execute();
      }
    }
    await saveRevision(trx, id, current.version + 1, actorId, now);
    await audit(trx, { actorUserId: actorId, action: 'page.update', entityType: 'page', entityId: id, before: current.input, after: input });
    return { ok: true, published: current.workflow === 'published' };
  });
  if (result.ok && result.published) await bumpContentVersion(db);
  return result.ok ? { ok: true } : result;
}

/** Moves a page through the same workflow as activities. */
export async function changePageWorkflow(db: Db, id: number, action: 'submit' | 'publish' | 'unpublish' | 'return', actorId: number): Promise<void> {
  const next = action === 'submit' ? 'in_review' : action === 'publish' ? 'published' : action === 'unpublish' ? 'unpublished' : 'draft';
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('pages').select(['workflow', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const publishedAt = action === 'publish' ? now : action === 'unpublish' ? null : current.published_at;
    await trx.updateTable('pages').set({ workflow: next, published_at: publishedAt, updated_at: now, updated_by: actorId }).where('id', '=', id).execute();
    await audit(trx, { actorUserId: actorId, action: `page.${action}`, entityType: 'page', entityId: id, before: current, after: { workflow: next, published_at: publishedAt } });
  });
  await bumpContentVersion(db);
}

const DemoPagesSchema = z.array(PageInputSchema);

/** Loads the demo pages (About, Partners, Governance) when no page with their key exists. */
export async function seedDemoPages(db: Db): Promise<number> {
  const pages = DemoPagesSchema.parse(JSON.parse(readFileSync(new URL('./demo/pages.json', import.meta.url), 'utf8')));
  let created = 0;
  for (const p of pages) {
    if (p.key && (await db.selectFrom('pages').select('id').where('key', '=', p.key).executeTakeFirst())) continue;
    await createPage(db, { ...p, published: true }, null);
    created++;
  }
  return created;
}
