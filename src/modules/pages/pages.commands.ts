import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import {
  changeWorkflow,
  createRecord,
  listRevisions,
  loadEditable,
  loadRevision,
  restoreRevision,
  saveRecord,
  type EditableRecord,
  type EditorialActor,
  registerEditorialKind,
  slugsTakenIn,
  type EditorialKind,
  type Executor,
  type SaveResult,
  type WorkflowAction,
  type WorkflowState,
} from '../../platform/editorial/editorial.js';
import type { Choice } from '../../platform/editorial/merge.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { PageInputSchema, type PageInputParsed } from './pages.schemas.js';

async function readPageContent(db: Executor, id: number): Promise<PageInputParsed | null> {
  const p = await db.selectFrom('pages').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p) return null;
  const tr = await db.selectFrom('page_translations').selectAll().where('page_id', '=', id).orderBy('lang').execute();
  return PageInputSchema.parse({ key: p.key, nav_position: p.nav_position, published: false, t: Object.fromEntries(tr.map((x) => [x.lang, { title: x.title, slug: x.slug, body_html: x.body_html }])) });
}

async function writeTranslations(trx: Executor, pageId: number, input: PageInputParsed, now: string): Promise<void> {
  await trx.deleteFrom('page_translations').where('page_id', '=', pageId).execute();
  for (const [lang, t] of Object.entries(input.t)) {
    await trx.insertInto('page_translations').values({ page_id: pageId, lang, title: t.title, slug: t.slug, body_html: sanitizeRichText(t.body_html), updated_at: now }).execute();
  }
}

/** Static pages as the editorial core knows them. */
export const pageKind: EditorialKind<PageInputParsed> = registerEditorialKind({
  entityType: 'page',
  table: 'pages',
  parse: (raw) => PageInputSchema.parse(raw),
  read: readPageContent,
  async insert(trx, input, now) {
    const { id } = await trx
      .insertInto('pages')
      .values({ key: input.key ?? null, workflow: 'draft', published_at: null, nav_position: input.nav_position ?? null, created_at: now, updated_at: now, updated_by: null, edited_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeTranslations(trx, id, input, now);
    return id;
  },
  async write(trx, id, input, now) {
    await trx.updateTable('pages').set({ nav_position: input.nav_position ?? null, updated_at: now }).where('id', '=', id).execute();
    await writeTranslations(trx, id, input, now);
  },
  takenSlugs: (db, id, input) => slugsTakenIn(db, 'page_translations', 'page_id', id, input),
  mergeIgnore: ['published', 'key'],
  normalize: (input) => ({
    ...input,
    published: false,
    nav_position: input.nav_position ?? null,
    t: Object.fromEntries(Object.entries(input.t).map(([lang, t]) => [lang, { ...t, body_html: sanitizeRichText(t.body_html) }])),
  }),
});

export type EditablePage = EditableRecord<PageInputParsed>;

/** Reads a page for the back-office: its newest content, workflow and version. */
export function loadEditablePage(db: Executor, id: number): Promise<EditablePage | null> {
  return loadEditable(db, pageKind, id);
}

/** Creates a page as a draft (seeded pages are published at once), with its first revision. */
export function createPage(db: Db, raw: unknown, actorId: number | null): Promise<number> {
  const input = PageInputSchema.parse(raw);
  return createRecord(db, pageKind, input, { id: actorId, canPublish: actorId === null }, { publish: input.published });
}

export type PageUpdateResult = SaveResult<PageInputParsed>;

/** Saves a page edit made on the form opened at `baseVersion` (merged with saves made since). */
export function updatePage(db: Db, id: number, baseVersion: number, raw: unknown, actor: EditorialActor, choices?: Record<string, Choice>): Promise<PageUpdateResult> {
  return saveRecord(db, pageKind, id, { baseVersion, input: raw, actor, choices });
}

/** Moves a page through the same workflow as activities; publishing may be scheduled for a later time. */
export function changePageWorkflow(db: Db, id: number, action: WorkflowAction, actorId: number | null, publishAt?: Date): Promise<WorkflowState> {
  return changeWorkflow(db, pageKind, id, action, actorId, publishAt);
}

/** The saved revisions of a page, newest first. */
export function listPageRevisions(db: Executor, id: number) {
  return listRevisions(db, pageKind, id);
}

/** One saved revision's content. */
export function loadPageRevision(db: Executor, id: number, version: number): Promise<PageInputParsed | null> {
  return loadRevision(db, pageKind, id, version);
}

/** Restores an earlier revision as a new save (waiting for review when the actor may not publish). */
export function restorePageRevision(db: Db, id: number, version: number, actor: EditorialActor): Promise<SaveResult<PageInputParsed> | null> {
  return restoreRevision(db, pageKind, id, version, actor);
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
