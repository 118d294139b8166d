import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/site-state.js';
import { audit } from '../../platform/audit/audit.js';
import { activityColumns, writeActivityDetails, type Trx } from './activities.commands.js';
import { ActivityInputSchema, type ActivityInputParsed } from './activities.schemas.js';

export const WORKFLOW_STATES = ['draft', 'in_review', 'published', 'unpublished'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];
export type WorkflowAction = 'submit' | 'publish' | 'unpublish' | 'return';

/** An activity as the back-office edits it: the write input plus its workflow, version and translation dates. */
export interface EditableActivity {
  id: number;
  key: string | null;
  version: number;
  workflow: WorkflowState;
  publishedAt: string | null;
  updatedAt: string;
  translationUpdatedAt: Record<string, string>;
  input: ActivityInputParsed;
}

/** Reads everything about an activity into the shape the write commands take. */
export async function loadEditableActivity(db: Db | Trx, id: number): Promise<EditableActivity | null> {
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
  const input = ActivityInputSchema.parse({
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
    published: a.workflow === 'published',
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
  return {
    id: a.id,
    key: a.key,
    version: a.version,
    workflow: a.workflow as WorkflowState,
    publishedAt: a.published_at,
    updatedAt: a.updated_at,
    translationUpdatedAt: Object.fromEntries(translations.map((t) => [t.lang, t.updated_at])),
    input,
  };
}

/** Each language's state: missing, outdated (another language changed after it), or done. */
export function translationStates(languages: string[], updatedAt: Record<string, string>): Record<string, 'missing' | 'outdated' | 'done'> {
  const latest = Object.values(updatedAt).sort().at(-1);
  return Object.fromEntries(languages.map((l) => [l, !updatedAt[l] ? 'missing' : latest && updatedAt[l] < latest ? 'outdated' : 'done']));
}

async function saveRevision(trx: Trx, activityId: number, version: number, actorId: number | null, now: string): Promise<void> {
  const snapshot = await loadEditableActivity(trx, activityId);
  await trx
    .insertInto('activity_revisions')
    .values({ activity_id: activityId, version, saved_at: now, saved_by: actorId, snapshot: JSON.stringify(snapshot?.input ?? null) })
    .execute();
}

async function recordOldSlugs(trx: Trx, activityId: number, before: ActivityInputParsed, after: ActivityInputParsed): Promise<void> {
  for (const [lang, t] of Object.entries(before.t)) {
    const next = after.t[lang]?.slug;
    if (next && next !== t.slug) {
      await trx.deleteFrom('slug_redirects').where('entity_type', '=', 'activity').where('lang', '=', lang).where('old_slug', '=', t.slug).execute();
      await trx.insertInto('slug_redirects').values({ entity_type: 'activity', lang, old_slug: t.slug, entity_id: activityId }).execute();
    }
  }
}

/** Creates an activity as a draft, with its first revision and an audit entry. */
export async function createActivityDraft(db: Db, raw: unknown, actorId: number): Promise<number> {
  const input = ActivityInputSchema.parse(raw);
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const cols = await activityColumns(trx, input, now);
    const { id } = await trx
      .insertInto('activities')
      .values({ ...cols, key: input.key ?? null, workflow: 'draft', published_at: null, created_at: now, edited_at: now, updated_by: actorId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeActivityDetails(trx, id, input, now);
    await saveRevision(trx, id, 1, actorId, now);
    await audit(trx, { actorUserId: actorId, action: 'activity.create', entityType: 'activity', entityId: id, after: input });
    return id;
  });
}

export type UpdateResult = { ok: true; version: number } | { ok: false; conflict: EditableActivity };

/**
 * Saves an edit when nobody saved in between (optimistic locking on the version the editor
 * started from); otherwise returns the current record so the editor can merge.
 */
export async function updateActivity(db: Db, id: number, expectedVersion: number, raw: unknown, actorId: number, action = 'activity.update'): Promise<UpdateResult> {
  const input = ActivityInputSchema.parse(raw);
  const now = nowIso();
  const result = await db.transaction().execute(async (trx): Promise<UpdateResult & { published?: boolean }> => {
    const current = await loadEditableActivity(trx, id);
    if (!current) throw new Error(`activity ${id} not found`);
    if (current.version !== expectedVersion) return { ok: false, conflict: current };
    const cols = await activityColumns(trx, input, now);
    const version = current.version + 1;
    const updated = await trx
      .updateTable('activities')
      .set({ ...cols, version, edited_at: now, updated_by: actorId })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, conflict: current };
    await writeActivityDetails(trx, id, input, now);
    await recordOldSlugs(trx, id, current.input, input);
    await saveRevision(trx, id, version, actorId, now);
    await audit(trx, { actorUserId: actorId, action, entityType: 'activity', entityId: id, before: current.input, after: input });
    return { ok: true, version, published: current.workflow === 'published' };
  });
  if (result.ok && result.published) await bumpContentVersion(db);
  return result.ok ? { ok: true, version: result.version } : result;
}

/** Moves an activity through the workflow; publishing may be scheduled for a later time. */
export async function changeWorkflow(db: Db, id: number, action: WorkflowAction, actorId: number, publishAt?: Date): Promise<WorkflowState> {
  const now = new Date();
  const next: WorkflowState = action === 'submit' ? 'in_review' : action === 'publish' ? 'published' : action === 'unpublish' ? 'unpublished' : 'draft';
  await db.transaction().execute(async (trx) => {
    // The workflow is not content: it does not move the edit version, so a publication never
    // turns someone's open edit into a conflict.
    const current = await trx.selectFrom('activities').select(['workflow', 'published_at']).where('id', '=', id).executeTakeFirstOrThrow();
    const publishedAt = action === 'publish' ? (publishAt ?? now).toISOString() : action === 'unpublish' ? null : current.published_at;
    await trx
      .updateTable('activities')
      .set({ workflow: next, published_at: publishedAt, updated_at: now.toISOString(), updated_by: actorId })
      .where('id', '=', id)
      .execute();
    await audit(trx, {
      actorUserId: actorId,
      action: `activity.${action}`,
      entityType: 'activity',
      entityId: id,
      before: { workflow: current.workflow, published_at: current.published_at },
      after: { workflow: next, published_at: publishedAt },
    });
  });
  await bumpContentVersion(db);
  return next;
}

/** The saved revisions of an activity, newest first. */
export async function listRevisions(db: Db, id: number) {
  return db
    .selectFrom('activity_revisions')
    .leftJoin('users', 'users.id', 'activity_revisions.saved_by')
    .select(['activity_revisions.version', 'activity_revisions.saved_at', 'users.display_name'])
    .where('activity_id', '=', id)
    .orderBy('version', 'desc')
    .execute();
}

/** One saved revision's content. */
export async function loadRevision(db: Db, id: number, version: number): Promise<ActivityInputParsed | null> {
  const row = await db.selectFrom('activity_revisions').select('snapshot').where('activity_id', '=', id).where('version', '=', version).executeTakeFirst();
  return row ? ActivityInputSchema.parse(JSON.parse(row.snapshot)) : null;
}

/** Restores an earlier revision as a new save (so the restore itself can be undone). */
export async function restoreRevision(db: Db, id: number, version: number, expectedVersion: number, actorId: number): Promise<UpdateResult | null> {
  const snapshot = await loadRevision(db, id, version);
  if (!snapshot) return null;
  return updateActivity(db, id, expectedVersion, snapshot, actorId, 'activity.restore');
}
