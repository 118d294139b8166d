import type { Kysely, Selectable } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { ActivityTable, ActivityTranslationTable } from '../../platform/db/schema.js';
import { legacyDb, type LegacyDatabase } from './legacy.tables.js';

/** Reads for the legacy import: candidates to merge into, one activity in full, references, redirects. */

type AnyDb = Kysely<LegacyDatabase>;

export interface CandidateActivity {
  id: number;
  key: string | null;
  type: string;
  start_date: string;
  end_date: string | null;
  date_precision: string;
  country_code: string | null;
  titles: { lang: string; title: string; slug: string; city: string | null }[];
  sourceUrls: string[];
}

/** Activities that start within a year of a date (ISO at any precision), with their titles, cities and source addresses. */
export async function candidatesAround(db: Db | AnyDb, date: string): Promise<CandidateActivity[]> {
  const ldb = db as AnyDb;
  const year = Number(date.slice(0, 4));
  const rows = await ldb
    .selectFrom('activities')
    .select(['id', 'key', 'type', 'start_date', 'end_date', 'date_precision', 'country_code'])
    .where('start_date', '>=', String(year - 1))
    .where('start_date', '<', String(year + 2))
    .execute();
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const titles = await ldb.selectFrom('activity_translations').select(['activity_id', 'lang', 'title', 'slug', 'city']).where('activity_id', 'in', ids).execute();
  const sources = await ldb.selectFrom('legacy_sources').select(['activity_id', 'source_url']).where('activity_id', 'in', ids).execute();
  return rows.map((r) => ({
    ...r,
    titles: titles.filter((t) => t.activity_id === r.id).map(({ lang, title, slug, city }) => ({ lang, title, slug, city })),
    sourceUrls: sources.filter((s) => s.activity_id === r.id && s.source_url).map((s) => s.source_url!),
  }));
}

/** The activities an old address is already recorded for, with their place on that page. */
export async function activitiesFromSource(db: Db | AnyDb, sourceUrl: string | null): Promise<{ activity_id: number; position: number }[]> {
  if (!sourceUrl) return [];
  return (db as AnyDb).selectFrom('legacy_sources').select(['activity_id', 'position']).where('source_url', '=', sourceUrl).execute();
}

/** An activity's own columns, as a merge reads and writes them (the workflow and bookkeeping columns aside). */
export type ActivityColumns = Omit<Selectable<ActivityTable>, 'published_at' | 'created_at' | 'updated_at' | 'workflow' | 'version' | 'updated_by' | 'pending_version'>;

export interface ExistingActivity {
  row: ActivityColumns;
  hostOrganisation: string | null;
  translations: Omit<Selectable<ActivityTranslationTable>, 'activity_id' | 'updated_at'>[];
  coChairs: string[];
  themes: string[];
  documents: { type: string; url: string | null; titles: string[] }[];
  sources: { source_url: string | null; host: string | null; path: string | null; file_name: string | null }[];
  /** Confidence of the values imports wrote, or null when no import wrote this activity's values. */
  provenance: Record<string, number> | null;
}

/** One activity with everything a merge compares: translations, co-chairs, themes, documents, sources and provenance. */
export async function loadExisting(db: Db | AnyDb, id: number): Promise<ExistingActivity | null> {
  const ldb = db as AnyDb;
  const row = await ldb
    .selectFrom('activities')
    .select([
      'id', 'key', 'type', 'status', 'start_date', 'end_date', 'date_precision', 'format', 'country_code', 'host_country_code', 'host_organisation_id',
      'participants', 'participants_qualifier', 'countries_count', 'countries_qualifier', 'organisations_count', 'organisations_qualifier', 'gallery_url', 'edited_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const hostOrganisation = row.host_organisation_id
    ? ((await ldb.selectFrom('organisations').select('code').where('id', '=', row.host_organisation_id).executeTakeFirst())?.code ?? null)
    : null;
  const translations = await ldb.selectFrom('activity_translations').select(['lang', 'title', 'slug', 'summary', 'narrative_html', 'city', 'venue']).where('activity_id', '=', id).execute();
  const chairs = await ldb
    .selectFrom('activity_co_chairs')
    .leftJoin('organisations', 'organisations.id', 'activity_co_chairs.organisation_id')
    .select(['activity_co_chairs.country_code', 'organisations.code as organisation'])
    .where('activity_co_chairs.activity_id', '=', id)
    .orderBy('activity_co_chairs.position')
    .execute();
  const themes = await ldb.selectFrom('activity_themes').innerJoin('themes', 'themes.id', 'activity_themes.theme_id').select('themes.code').where('activity_themes.activity_id', '=', id).execute();
  const docs = await ldb.selectFrom('activity_documents').select(['id', 'type', 'url']).where('activity_id', '=', id).orderBy('position').execute();
  const titles = docs.length ? await ldb.selectFrom('activity_document_titles').select(['document_id', 'title']).where('document_id', 'in', docs.map((d) => d.id)).execute() : [];
  const sources = await ldb.selectFrom('legacy_sources').select(['source_url', 'host', 'path', 'file_name']).where('activity_id', '=', id).execute();
  const prov = await ldb.selectFrom('legacy_provenance').select('confidence').where('activity_id', '=', id).executeTakeFirst();
  return {
    row,
    hostOrganisation,
    translations,
    coChairs: chairs.map((c) => c.country_code ?? c.organisation ?? '').filter(Boolean),
    themes: themes.map((t) => t.code),
    documents: docs.map((d) => ({ type: d.type, url: d.url, titles: titles.filter((t) => t.document_id === d.id).map((t) => t.title) })),
    sources,
    provenance: prov ? (JSON.parse(prov.confidence) as Record<string, number>) : null,
  };
}

export interface References {
  countries: Set<string>;
  organisations: Map<string, number>;
  themes: Set<string>;
}

/** The directory's countries and organisations and the frameworks' theme codes, to check what a page names. */
export async function loadReferences(db: Db | AnyDb): Promise<References> {
  const ldb = db as AnyDb;
  const countries = await ldb.selectFrom('countries').select('code').execute();
  const organisations = await ldb.selectFrom('organisations').select(['id', 'code']).execute();
  const themes = await ldb.selectFrom('themes').select('code').execute();
  return {
    countries: new Set(countries.map((c) => c.code)),
    organisations: new Map(organisations.map((o) => [o.code, o.id])),
    themes: new Set(themes.map((t) => t.code)),
  };
}

/** True when a slug is taken in any language (slugs are looked up across languages). */
export async function slugTaken(db: Db | AnyDb, slug: string): Promise<boolean> {
  return !!(await (db as AnyDb).selectFrom('activity_translations').select('activity_id').where('slug', '=', slug).executeTakeFirst());
}

/** True when an activity key is taken. */
export async function keyTaken(db: Db | AnyDb, key: string): Promise<boolean> {
  return !!(await (db as AnyDb).selectFrom('activities').select('id').where('key', '=', key).executeTakeFirst());
}

export interface RedirectRow {
  activity_id: number;
  page_layout: string;
  position: number;
  source_lang: string | null;
  lang: string;
  slug: string;
}

/** The published activities recorded for an old path on the old hosts, with their slugs: one indexed query. */
export async function findRedirectRows(db: Db, hosts: string[], path: string, now: string): Promise<RedirectRow[]> {
  return legacyDb(db)
    .selectFrom('legacy_sources as s')
    .innerJoin('activities as a', 'a.id', 's.activity_id')
    .innerJoin('activity_translations as t', 't.activity_id', 's.activity_id')
    .select(['s.activity_id', 's.page_layout', 's.position', 's.lang as source_lang', 't.lang', 't.slug'])
    .where('s.path', '=', path)
    .where('s.host', 'in', hosts)
    // The same rule as the public pages: published in the workflow, and its publication time has come.
    .where('a.workflow', '=', 'published')
    .where('a.published_at', 'is not', null)
    .where('a.published_at', '<=', now)
    .orderBy('s.position')
    .orderBy('s.activity_id')
    .limit(50)
    .execute();
}
