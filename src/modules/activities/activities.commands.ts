import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import { bumpContentVersion } from '../../platform/db/site-state.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { ActivityInputSchema, type ActivityInput, type PartyRef } from './activities.schemas.js';

type Trx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];

/** Raised when an activity refers to a country, organisation or theme that does not exist. */
export class UnknownReferenceError extends Error {}

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

/**
 * Creates an activity, or replaces one with the same key, with its translations, co-chairs,
 * themes and documents, in one transaction; the narrative is sanitised here, before storage.
 */
export async function saveActivity(db: Db, raw: ActivityInput, options: { bumpVersion?: boolean } = {}): Promise<number> {
  const input = ActivityInputSchema.parse(raw);
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    const host = input.host ? await party(trx, input.host) : { country_code: null, organisation_id: null };
    const row = {
      key: input.key ?? null,
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
    const existing = input.key ? await trx.selectFrom('activities').select(['id', 'published_at']).where('key', '=', input.key).executeTakeFirst() : undefined;
    const publishedAt = input.published ? (existing?.published_at ?? now) : null;
    let activityId: number;
    if (existing) {
      activityId = existing.id;
      await trx.updateTable('activities').set({ ...row, published_at: publishedAt }).where('id', '=', activityId).execute();
      for (const table of ['activity_translations', 'activity_co_chairs', 'activity_themes', 'activity_documents'] as const) {
        await trx.deleteFrom(table).where('activity_id', '=', activityId).execute();
      }
    } else {
      activityId = (await trx.insertInto('activities').values({ ...row, published_at: publishedAt, created_at: now }).returning('id').executeTakeFirstOrThrow()).id;
    }
    for (const [lang, tr] of Object.entries(input.t)) {
      await trx
        .insertInto('activity_translations')
        .values({
          activity_id: activityId,
          lang,
          title: tr.title,
          slug: tr.slug,
          summary: tr.summary,
          narrative_html: tr.narrative_html ? sanitizeRichText(tr.narrative_html) : '',
          city: tr.city ?? null,
          venue: tr.venue ?? null,
          updated_at: now,
        })
        .execute();
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
    return activityId;
  });
  if (options.bumpVersion !== false) await bumpContentVersion(db);
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
