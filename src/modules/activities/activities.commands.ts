import { sql, type Kysely } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import { announceChange } from '../../platform/events/changes.js';
import { HttpError } from '../../platform/http/errors.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { ActivityInputSchema, type ActivityInput, type ActivityInputParsed, type PartyRef } from './activities.schemas.js';

/** A database handle or an open transaction on it. */
export type Trx = Kysely<Database>;

/**
 * Raised when an activity refers to a country, organisation or theme that does not exist (the
 * form checks first; this is the last line when one disappears meanwhile): a 400, never a 500.
 */
export class UnknownReferenceError extends HttpError {
  constructor(message: string) {
    super(400, 'badRequest', message);
    this.name = 'UnknownReferenceError';
  }
}

async function organisationId(trx: Trx, code: string): Promise<number> {
  const row = await trx.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst();
  if (!row) throw new UnknownReferenceError(`unknown organisation ${code}`);
  return row.id;
}

async function checkCountry(trx: Trx, code: string): Promise<string> {
  const row = await trx.selectFrom('countries').select('code').where('code', '=', code).executeTakeFirst();
  if (!row) throw new UnknownReferenceError(`unknown country ${code}`);
  return code;
}

async function party(trx: Trx, ref: PartyRef): Promise<{ country_code: string | null; organisation_id: number | null }> {
  return 'country' in ref
    ? { country_code: await checkCountry(trx, ref.country), organisation_id: null }
    : { country_code: null, organisation_id: await organisationId(trx, ref.organisation) };
}

/** The activity's own columns from an input (references checked). */
export async function activityColumns(trx: Trx, input: ActivityInputParsed, now: string) {
  const host = input.host ? await party(trx, input.host) : { country_code: null, organisation_id: null };
  return {
    type: input.type,
    status: input.status,
    start_date: input.start_date,
    end_date: input.date_precision === 'day' ? (input.end_date ?? input.start_date) : null,
    date_precision: input.date_precision,
    format: input.format,
    country_code: input.country ? await checkCountry(trx, input.country) : null,
    host_country_code: host.country_code,
    host_organisation_id: host.organisation_id,
    participants: input.participants?.value ?? null,
    participants_qualifier: input.participants?.qualifier ?? null,
    countries_count: input.countries_count?.value ?? null,
    countries_qualifier: input.countries_count?.qualifier ?? null,
    organisations_count: input.organisations_count?.value ?? null,
    organisations_qualifier: input.organisations_count?.qualifier ?? null,
    gallery_url: input.gallery_url ?? null,
    updated_at: now,
  };
}

/**
 * Writes everything that hangs off an activity: translations (a translation keeps its date when its
 * text did not change, so the other language can be flagged as outdated), co-chairs, themes,
 * documents and related activities. The narrative is sanitised here, before storage.
 */
export async function writeActivityDetails(trx: Trx, activityId: number, input: ActivityInputParsed, now: string): Promise<void> {
  const existing = await trx.selectFrom('activity_translations').selectAll().where('activity_id', '=', activityId).execute();
  const langs = Object.keys(input.t);
  const gone = existing.filter((e) => !langs.includes(e.lang)).map((e) => e.lang);
  if (gone.length) await trx.deleteFrom('activity_translations').where('activity_id', '=', activityId).where('lang', 'in', gone).execute();
  for (const [lang, tr] of Object.entries(input.t)) {
    const values = {
      title: tr.title,
      slug: tr.slug,
      summary: tr.summary,
      narrative_html: tr.narrative_html ? sanitizeRichText(tr.narrative_html) : '',
      city: tr.city || null,
      venue: tr.venue || null,
    };
    const before = existing.find((e) => e.lang === lang);
    if (!before) {
      await trx.insertInto('activity_translations').values({ activity_id: activityId, lang, ...values, updated_at: now }).execute();
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => (before[k] ?? null) !== (values[k] ?? null))) {
      await trx.updateTable('activity_translations').set({ ...values, updated_at: now }).where('activity_id', '=', activityId).where('lang', '=', lang).execute();
    }
  }
  for (const table of ['activity_co_chairs', 'activity_themes', 'activity_documents'] as const) {
    await trx.deleteFrom(table).where('activity_id', '=', activityId).execute();
  }
  let position = 0;
  for (const ref of input.co_chairs) {
    await trx.insertInto('activity_co_chairs').values({ activity_id: activityId, position: position++, ...(await party(trx, ref)) }).execute();
  }
  if (input.themes.length) {
    const themes = await trx.selectFrom('themes').select(['id', 'code']).where('code', 'in', input.themes).execute();
    const missing = input.themes.filter((c) => !themes.some((t) => t.code === c));
    if (missing.length) throw new UnknownReferenceError(`unknown theme ${missing.join(', ')}`);
    await trx.insertInto('activity_themes').values(themes.map((t) => ({ activity_id: activityId, theme_id: t.id }))).execute();
  }
  position = 0;
  for (const doc of input.documents) {
    const { id: documentId } = await trx
      .insertInto('activity_documents')
      .values({ activity_id: activityId, position: position++, type: doc.type, url: doc.url ?? null, lang: doc.lang, size_bytes: doc.size_bytes ?? null, mime: doc.mime ?? null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [lang, title] of Object.entries(doc.title)) {
      await trx.insertInto('activity_document_titles').values({ document_id: documentId, lang, title }).execute();
    }
  }
  if (input.related_ids.length || input.related.length) {
    const byKey = input.related.length ? await trx.selectFrom('activities').select('id').where('key', 'in', input.related).execute() : [];
    const ids = [...new Set([...input.related_ids, ...byKey.map((r) => r.id)])].filter((id) => id !== activityId);
    await trx.deleteFrom('activity_relations').where('activity_id', '=', activityId).execute();
    const found = ids.length ? await trx.selectFrom('activities').select('id').where('id', 'in', ids).execute() : [];
    if (found.length) await trx.insertInto('activity_relations').values(found.map((r) => ({ activity_id: activityId, related_activity_id: r.id }))).execute();
  } else {
    await trx.deleteFrom('activity_relations').where('activity_id', '=', activityId).execute();
  }
  await refreshFacetIndex(trx, activityId);
}

/**
 * Brings the list's facet tables (activity_countries, activity_theme_index, migration 0008) in step
 * with one activity's rows, or with every activity's when `activityId` is null (a theme moved in
 * the hierarchy, a synthetic record). Run inside the transaction that changed them.
 */
export async function refreshFacetIndex(trx: Trx, activityId: number | null): Promise<void> {
  await (activityId === null ? trx.deleteFrom('activity_countries') : trx.deleteFrom('activity_countries').where('activity_id', '=', activityId)).execute();
  await (activityId === null ? trx.deleteFrom('activity_theme_index') : trx.deleteFrom('activity_theme_index').where('activity_id', '=', activityId)).execute();
  const own = activityId === null ? sql`` : sql` AND a.id = ${activityId}`;
  const ownLink = activityId === null ? sql`` : sql` WHERE at.activity_id = ${activityId}`;
  await sql`
    INSERT INTO activity_countries (activity_id, country_code)
    SELECT a.id, a.country_code FROM activities a WHERE a.country_code IS NOT NULL${own}
    UNION SELECT a.id, a.host_country_code FROM activities a WHERE a.host_country_code IS NOT NULL${own}
    UNION SELECT a.id, cc.country_code FROM activity_co_chairs cc JOIN activities a ON a.id = cc.activity_id WHERE cc.country_code IS NOT NULL${own}`.execute(trx);
  await sql`
    WITH RECURSIVE ancestry(theme_id, ancestor_id) AS (
      SELECT id, id FROM themes
      UNION ALL
      SELECT ancestry.theme_id, themes.parent_id FROM ancestry JOIN themes ON themes.id = ancestry.ancestor_id WHERE themes.parent_id IS NOT NULL
    )
    INSERT INTO activity_theme_index (activity_id, theme_id)
    SELECT DISTINCT at.activity_id, ancestry.ancestor_id FROM activity_themes at JOIN ancestry ON ancestry.theme_id = at.theme_id${ownLink}`.execute(trx);
}

/**
 * Creates an activity, or replaces one with the same key, with everything that hangs off it, in one
 * transaction. Used by the demo seeder and importers: what it writes is published at once unless
 * the input says otherwise.
 */
export async function saveActivity(db: Db, raw: ActivityInput, options: { bumpVersion?: boolean } = {}): Promise<number> {
  const input = ActivityInputSchema.parse(raw);
  const now = nowIso();
  let wasPublic = false;
  const id = await db.transaction().execute(async (trx) => {
    const row = { key: input.key ?? null, ...(await activityColumns(trx, input, now)) };
    const existing = input.key ? await trx.selectFrom('activities').select(['id', 'published_at']).where('key', '=', input.key).executeTakeFirst() : undefined;
    const publishedAt = input.published ? (existing?.published_at ?? now) : null;
    const workflow = input.published ? 'published' : 'draft';
    let activityId: number;
    if (existing) {
      activityId = existing.id;
      wasPublic = existing.published_at !== null;
      await trx.updateTable('activities').set({ ...row, published_at: publishedAt, workflow }).where('id', '=', activityId).execute();
    } else {
      activityId = (await trx.insertInto('activities').values({ ...row, published_at: publishedAt, workflow, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    }
    // Keys of activities not created yet resolve later, when the seeder relates them in a second pass.
    await writeActivityDetails(trx, activityId, input, now);
    return activityId;
  });
  // Public when it is published now or was before (taken down, its page and its documents go).
  if (options.bumpVersion !== false) await announceChange(db, { entity: 'activity', id, action: 'saved', public: input.published || wasPublic, visibleFrom: null });
  return id;
}

/** Links activities to the activities they relate to, by key; the relation reads both ways. */
export async function relateActivities(db: Db, key: string, relatedKeys: string[]): Promise<void> {
  if (!relatedKeys.length) return;
  await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('activities').select(['id', 'key']).where('key', 'in', [key, ...relatedKeys]).execute();
    const self = rows.find((r) => r.key === key);
    if (!self) return;
    await trx.deleteFrom('activity_relations').where('activity_id', '=', self.id).execute();
    const values = rows.filter((r) => r.id !== self.id).map((r) => ({ activity_id: self.id, related_activity_id: r.id }));
    if (values.length) await trx.insertInto('activity_relations').values(values).execute();
  });
}
