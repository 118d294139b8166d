import type { Db } from '../../platform/db/database.js';
import {
  changeWorkflow,
  createRecord,
  listRevisions,
  loadEditable,
  loadRevision,
  restoreRevision,
  saveRecord,
  type CreateOptions,
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
import type { Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { activityColumns, writeActivityDetails } from './activities.commands.js';
import { ActivityInputSchema, type ActivityInputParsed } from './activities.schemas.js';

export { translationStates, WORKFLOW_STATES, type WorkflowAction, type WorkflowState } from '../../platform/editorial/editorial.js';

/** Reads an activity's live content into the shape the write commands take. */
export async function readActivityContent(db: Executor, id: number): Promise<ActivityInputParsed | null> {
  const a = await db.selectFrom('activities').selectAll().where('id', '=', id).executeTakeFirst();
  if (!a) return null;
  const translations = await db.selectFrom('activity_translations').selectAll().where('activity_id', '=', id).orderBy('lang').execute();
  const chairs = await db
    .selectFrom('activity_co_chairs')
    .leftJoin('organisations', 'organisations.id', 'activity_co_chairs.organisation_id')
    .select(['activity_co_chairs.country_code', 'organisations.code as org'])
    .where('activity_id', '=', id)
    .orderBy('position')
    .execute();
  const themes = await db.selectFrom('activity_themes').innerJoin('themes', 'themes.id', 'activity_themes.theme_id').select('themes.code').where('activity_id', '=', id).orderBy('themes.code').execute();
  const docs = await db.selectFrom('activity_documents').selectAll().where('activity_id', '=', id).orderBy('position').execute();
  const titles = docs.length ? await db.selectFrom('activity_document_titles').selectAll().where('document_id', 'in', docs.map((d) => d.id)).execute() : [];
  const related = await db.selectFrom('activity_relations').select('related_activity_id').where('activity_id', '=', id).orderBy('related_activity_id').execute();
  const hostOrg = a.host_organisation_id !== null ? await db.selectFrom('organisations').select('code').where('id', '=', a.host_organisation_id).executeTakeFirst() : undefined;
  const figure = (value: number | null, qualifier: string | null) => (value === null ? null : { value, qualifier: (qualifier ?? 'exact') as 'exact' });
  return ActivityInputSchema.parse({
    key: a.key,
    type: a.type,
    status: a.status,
    start_date: a.start_date,
    end_date: a.end_date,
    date_precision: a.date_precision,
    format: a.format,
    country: a.country_code,
    host: a.host_country_code ? { country: a.host_country_code } : hostOrg ? { organisation: hostOrg.code } : null,
    co_chairs: chairs.map((c) => (c.country_code ? { country: c.country_code } : { organisation: c.org ?? '' })),
    themes: themes.map((t) => t.code),
    participants: figure(a.participants, a.participants_qualifier),
    countries_count: figure(a.countries_count, a.countries_qualifier),
    organisations_count: figure(a.organisations_count, a.organisations_qualifier),
    gallery_url: a.gallery_url,
    published: false,
    t: Object.fromEntries(translations.map((t) => [t.lang, { title: t.title, slug: t.slug, summary: t.summary, narrative_html: t.narrative_html, city: t.city, venue: t.venue }])),
    documents: docs.map((d) => ({
      type: d.type,
      lang: d.lang,
      url: d.url,
      size_bytes: d.size_bytes,
      mime: d.mime,
      title: Object.fromEntries(titles.filter((t) => t.document_id === d.id).map((t) => [t.lang, t.title])),
    })),
    related_ids: related.map((r) => r.related_activity_id),
  });
}

/** An activity's content as it is stored: what a form posts and what the database reads back compare equal. */
export function normalizeActivity(input: ActivityInputParsed): ActivityInputParsed {
  return {
    ...input,
    end_date: input.date_precision === 'day' ? (input.end_date ?? input.start_date) : null,
    host: input.host ?? null,
    country: input.country ?? null,
    gallery_url: input.gallery_url ?? null,
    participants: input.participants ?? null,
    countries_count: input.countries_count ?? null,
    organisations_count: input.organisations_count ?? null,
    themes: [...new Set(input.themes)].sort(),
    related_ids: [...new Set(input.related_ids)].sort((a, b) => a - b),
    published: false,
    related: [],
    documents: input.documents.map((d) => ({ ...d, url: d.url ?? null, size_bytes: d.size_bytes ?? null, mime: d.mime ?? null })),
    t: Object.fromEntries(
      Object.entries(input.t).map(([lang, tr]) => [
        lang,
        { ...tr, summary: tr.summary ?? '', narrative_html: tr.narrative_html ? sanitizeRichText(tr.narrative_html) : '', city: tr.city || null, venue: tr.venue || null },
      ]),
    ),
  };
}

/** Activities as the editorial core knows them. */
export const activityKind: EditorialKind<ActivityInputParsed> = registerEditorialKind({
  entityType: 'activity',
  table: 'activities',
  parse: (raw) => ActivityInputSchema.parse(raw),
  read: readActivityContent,
  async insert(trx, input, now) {
    const cols = await activityColumns(trx, input, now);
    const { id } = await trx
      .insertInto('activities')
      .values({ ...cols, key: input.key ?? null, workflow: 'draft', published_at: null, created_at: now, edited_at: null, updated_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeActivityDetails(trx, id, input, now);
    return id;
  },
  async write(trx, id, input, now) {
    const cols = await activityColumns(trx, input, now);
    await trx.updateTable('activities').set(cols).where('id', '=', id).execute();
    await writeActivityDetails(trx, id, input, now);
  },
  takenSlugs: (db, id, input) => slugsTakenIn(db, 'activity_translations', 'activity_id', id, input),
  // Bookkeeping fields: `published` is decided by the workflow, `related` (keys) only by seeders.
  mergeIgnore: ['published', 'related', 'key'],
  normalize: normalizeActivity,
});

/** An activity as the back-office edits it: the newest content, workflow, version and translation dates. */
export interface EditableActivity extends EditableRecord<ActivityInputParsed> {
  key: string | null;
  updatedAt: string;
  translationUpdatedAt: Record<string, string>;
}

/** Reads an activity for the back-office. */
export async function loadEditableActivity(db: Executor, id: number): Promise<EditableActivity | null> {
  const record = await loadEditable(db, activityKind, id);
  if (!record) return null;
  const row = await db.selectFrom('activities').select(['key', 'updated_at']).where('id', '=', id).executeTakeFirstOrThrow();
  const translations = await db.selectFrom('activity_translations').select(['lang', 'updated_at']).where('activity_id', '=', id).execute();
  return { ...record, key: row.key, updatedAt: row.updated_at, translationUpdatedAt: Object.fromEntries(translations.map((t) => [t.lang, t.updated_at])) };
}

/** Creates an activity as a draft, with its first revision and an audit entry. */
export function createActivityDraft(db: Db, raw: unknown, actorId: number): Promise<number> {
  return createRecord(db, activityKind, raw, { id: actorId, canPublish: false });
}

/**
 * Creates an activity for a writer other than the form (the importer): a draft unless `publish`
 * and the actor may publish; `within` writes what must commit with it.
 */
export function createActivity(db: Db, raw: unknown, actor: EditorialActor, options: CreateOptions = {}): Promise<number> {
  return createRecord(db, activityKind, raw, actor, options);
}

/** Extra settings of a save by a writer other than the form (see the editorial core's saveRecord). */
export interface UpdateOptions {
  action?: string;
  summary?: string;
  countsAsEdit?: boolean;
  within?: (trx: Transaction<Database>) => Promise<void>;
}

/** Saves an edit made on the form opened at `baseVersion` (see the editorial core's saveRecord). */
export function updateActivity(db: Db, id: number, baseVersion: number, raw: unknown, actor: EditorialActor, choices?: Record<string, Choice>, options: UpdateOptions = {}): Promise<SaveResult<ActivityInputParsed>> {
  return saveRecord(db, activityKind, id, { baseVersion, input: raw, actor, choices, ...options });
}

/** Moves an activity through the workflow; publishing may be scheduled for a later time. */
export function changeActivityWorkflow(db: Db, id: number, action: WorkflowAction, actorId: number | null, publishAt?: Date): Promise<WorkflowState> {
  return changeWorkflow(db, activityKind, id, action, actorId, publishAt);
}

/** The saved revisions of an activity, newest first. */
export function listActivityRevisions(db: Executor, id: number) {
  return listRevisions(db, activityKind, id);
}

/** One saved revision's content. */
export function loadActivityRevision(db: Executor, id: number, version: number): Promise<ActivityInputParsed | null> {
  return loadRevision(db, activityKind, id, version);
}

/** Restores an earlier revision as a new save (waiting for review when the actor may not publish). */
export function restoreActivityRevision(db: Db, id: number, version: number, actor: EditorialActor): Promise<SaveResult<ActivityInputParsed> | null> {
  return restoreRevision(db, activityKind, id, version, actor);
}
