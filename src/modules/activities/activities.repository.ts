import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { rememberForContent } from '../../platform/db/read-mostly.js';
import type { Database } from '../../platform/db/schema.js';
import type { ActivityFilters } from './activities.schemas.js';

type ActivityEb = ExpressionBuilder<Database, 'activities'>;

/** The columns of an activity that every surface shows. */
export interface ActivityRow {
  id: number;
  type: string;
  status: string;
  start_date: string;
  end_date: string | null;
  date_precision: string;
  format: string;
  country_code: string | null;
  host_country_code: string | null;
  host_organisation_id: number | null;
  participants: number | null;
  participants_qualifier: string | null;
  countries_count: number | null;
  countries_qualifier: string | null;
  organisations_count: number | null;
  organisations_qualifier: string | null;
  gallery_url: string | null;
  published_at: string | null;
  updated_at: string;
}

export interface TranslationRow {
  activity_id: number;
  lang: string;
  title: string;
  slug: string;
  summary: string;
  narrative_html: string;
  city: string | null;
  venue: string | null;
}

const ACTIVITY_COLUMNS = [
  'activities.id',
  'activities.type',
  'activities.status',
  'activities.start_date',
  'activities.end_date',
  'activities.date_precision',
  'activities.format',
  'activities.country_code',
  'activities.host_country_code',
  'activities.host_organisation_id',
  'activities.participants',
  'activities.participants_qualifier',
  'activities.countries_count',
  'activities.countries_qualifier',
  'activities.organisations_count',
  'activities.organisations_qualifier',
  'activities.gallery_url',
  'activities.published_at',
  'activities.updated_at',
] as const;

/** Only activities whose publication time has come are public. */
function isPublished(eb: ActivityEb, now: string) {
  return eb.and([eb('activities.workflow', '=', 'published'), eb('activities.published_at', 'is not', null), eb('activities.published_at', '<=', now)]);
}

/** The public list filters as a condition on activities (the back-office list uses them too). */
export function matchesFilters(eb: ActivityEb, filters: ActivityFilters, themeIds: number[] | null) {
  const conditions = [];
  if (filters.type) conditions.push(eb('activities.type', '=', filters.type));
  if (filters.format) conditions.push(eb('activities.format', '=', filters.format));
  if (filters.year) conditions.push(eb(eb.fn('substr', ['activities.start_date', eb.val(1), eb.val(4)]), '=', String(filters.year)));
  if (filters.country) {
    const code = filters.country;
    conditions.push(
      eb.or([
        eb('activities.country_code', '=', code),
        eb('activities.host_country_code', '=', code),
        eb.exists(eb.selectFrom('activity_co_chairs as cc').select('cc.activity_id').whereRef('cc.activity_id', '=', 'activities.id').where('cc.country_code', '=', code)),
      ]),
    );
  }
  if (themeIds) {
    conditions.push(
      themeIds.length
        ? eb.exists(eb.selectFrom('activity_themes as at').select('at.activity_id').whereRef('at.activity_id', '=', 'activities.id').where('at.theme_id', 'in', themeIds))
        : eb.val(false),
    );
  }
  return eb.and(conditions);
}

interface ThemeIndex {
  byCode: Map<string, number>;
  children: Map<number, number[]>;
}

/** Every theme's id by code and its sub-themes: reference data, kept until it changes. */
function themeIndex(db: Db): Promise<ThemeIndex> {
  return rememberForContent(db, 'activities:theme-index', async () => {
    const themes = await db.selectFrom('themes').select(['id', 'code', 'parent_id']).execute();
    const children = new Map<number, number[]>();
    for (const t of themes) if (t.parent_id !== null) children.set(t.parent_id, [...(children.get(t.parent_id) ?? []), t.id]);
    return { byCode: new Map(themes.map((t) => [t.code, t.id])), children };
  });
}

/** The ids of a theme and all the themes under it, or null when no theme has that code. */
export async function themeWithDescendants(db: Db, code: string): Promise<number[] | null> {
  const { byCode, children } = await themeIndex(db);
  const root = byCode.get(code);
  if (root === undefined) return null;
  const ids = [root];
  for (let i = 0; i < ids.length; i++) ids.push(...(children.get(ids[i]!) ?? []));
  return ids;
}

/** One page of published activities matching the filters, newest first, with the total count. */
export async function listPublishedActivities(
  db: Db,
  args: { filters: ActivityFilters; themeIds: number[] | null; offset: number; limit: number; now: string },
): Promise<{ total: number; rows: ActivityRow[] }> {
  const base = db.selectFrom('activities').where((eb) => eb.and([isPublished(eb, args.now), matchesFilters(eb, args.filters, args.themeIds)]));
  const [{ total }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
    base.select(ACTIVITY_COLUMNS).orderBy('activities.start_date', 'desc').orderBy('activities.id', 'desc').offset(args.offset).limit(args.limit).execute(),
  ]);
  return { total: Number(total), rows };
}

/** Published activities that start on or after a date and are still expected, soonest first. */
export async function listUpcomingActivities(db: Db, args: { today: string; now: string; limit: number }): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .where((eb) => isPublished(eb, args.now))
    .where('activities.start_date', '>=', args.today)
    .where('activities.status', 'in', ['planned', 'announced'])
    .orderBy('activities.start_date', 'asc')
    .limit(args.limit)
    .execute();
}

/** The most recent published activities that started before a date. */
export async function listLatestActivities(db: Db, args: { today: string; now: string; limit: number }): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .where((eb) => isPublished(eb, args.now))
    .where('activities.start_date', '<', args.today)
    .orderBy('activities.start_date', 'desc')
    .orderBy('activities.id', 'desc')
    .limit(args.limit)
    .execute();
}

/** Figures for the home page, computed from the records. */
export async function countKeyFigures(db: Db, now: string): Promise<{ activities: number; ministerials: number; partners: number; firstYear: number | null }> {
  const a = await db
    .selectFrom('activities')
    .where((eb) => isPublished(eb, now))
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('activities.start_date').as('first')])
    .executeTakeFirstOrThrow();
  const m = await db
    .selectFrom('activities')
    .where((eb) => isPublished(eb, now))
    .where('type', '=', 'ministerial_conference')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const p = await db.selectFrom('countries').where('status', '=', 'partner').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { activities: Number(a.n), ministerials: Number(m.n), partners: Number(p.n), firstYear: a.first ? Number(String(a.first).slice(0, 4)) : null };
}

/** Translations of the given activities in every language. */
export async function translationsFor(db: Db, ids: number[]): Promise<TranslationRow[]> {
  if (!ids.length) return [];
  return db
    .selectFrom('activity_translations')
    .select(['activity_id', 'lang', 'title', 'slug', 'summary', 'narrative_html', 'city', 'venue'])
    .where('activity_id', 'in', ids)
    .execute();
}

/** Finds a published activity by the slug of one of its translations, and the language of that slug. */
export async function findPublishedBySlug(db: Db, slug: string, now: string): Promise<{ row: ActivityRow; slugLang: string }[]> {
  const rows = await db
    .selectFrom('activity_translations as t')
    .innerJoin('activities', 'activities.id', 't.activity_id')
    .select([...ACTIVITY_COLUMNS, 't.lang as slug_lang'])
    .where('t.slug', '=', slug)
    .where((eb) => isPublished(eb, now))
    .execute();
  return rows.map(({ slug_lang, ...row }) => ({ row, slugLang: slug_lang }));
}

/** Names of countries in a language (falling back to any language), by code. */
export async function countryNames(db: Db, codes: string[], lang: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!codes.length) return out;
  // Every country's names: a few hundred rows of reference data, read once until they change.
  const all = await rememberForContent(db, 'activities:country-names', () => db.selectFrom('country_names').select(['country_code', 'lang', 'name']).execute());
  const wanted = new Set(codes);
  const rows = all.filter((r) => wanted.has(r.country_code));
  for (const r of rows) if (r.lang === lang || !out.has(r.country_code)) out.set(r.country_code, r.name);
  for (const r of rows) if (r.lang === lang) out.set(r.country_code, r.name);
  return out;
}

/** Names (and abbreviations) of organisations in a language, with their directory code, by id. */
export async function organisationNames(db: Db, ids: number[], lang: string): Promise<Map<number, { code: string; name: string; abbr: string | null }>> {
  const out = new Map<number, { code: string; name: string; abbr: string | null }>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('organisation_names')
    .innerJoin('organisations', 'organisations.id', 'organisation_names.organisation_id')
    .select(['organisation_names.organisation_id', 'organisations.code', 'organisation_names.lang', 'organisation_names.name', 'organisation_names.abbr'])
    .where('organisation_names.organisation_id', 'in', [...new Set(ids)])
    .execute();
  const named = (r: (typeof rows)[number]) => ({ code: r.code, name: r.name, abbr: r.abbr });
  for (const r of rows) if (!out.has(r.organisation_id)) out.set(r.organisation_id, named(r));
  for (const r of rows) if (r.lang === lang) out.set(r.organisation_id, named(r));
  return out;
}

/** Co-chairs of an activity in order. */
export async function coChairsOf(db: Db, activityId: number) {
  return db.selectFrom('activity_co_chairs').select(['country_code', 'organisation_id']).where('activity_id', '=', activityId).orderBy('position').execute();
}

/** Themes of an activity with their level, number, framework and parent chain ids. */
export async function themesOf(db: Db, activityId: number) {
  return db
    .selectFrom('activity_themes as at')
    .innerJoin('themes', 'themes.id', 'at.theme_id')
    .select(['themes.id', 'themes.code', 'themes.level', 'themes.number', 'themes.parent_id', 'themes.framework_id'])
    .where('at.activity_id', '=', activityId)
    .orderBy('themes.framework_id')
    .orderBy('themes.position')
    .execute();
}

/** Documents of an activity in their order, with titles in every language. */
export async function documentsOf(db: Db, activityId: number) {
  const docs = await db
    .selectFrom('activity_documents')
    .select(['id', 'type', 'url', 'lang', 'size_bytes', 'mime'])
    .where('activity_id', '=', activityId)
    .orderBy('position')
    .execute();
  const titles = docs.length
    ? await db.selectFrom('activity_document_titles').select(['document_id', 'lang', 'title']).where('document_id', 'in', docs.map((d) => d.id)).execute()
    : [];
  return docs.map((d) => ({ ...d, titles: Object.fromEntries(titles.filter((t) => t.document_id === d.id).map((t) => [t.lang, t.title])) as Record<string, string> }));
}

/** Published activities related to one, in either direction, oldest first. */
export async function relatedOf(db: Db, activityId: number, now: string): Promise<ActivityRow[]> {
  return db
    .selectFrom('activities')
    .select(ACTIVITY_COLUMNS)
    .where((eb) =>
      eb.and([
        isPublished(eb, now),
        // One IN over both directions of the relation: the related rows are found by their key, never by walking the activities.
        eb(
          'activities.id',
          'in',
          eb
            .selectFrom('activity_relations')
            .select('related_activity_id as id')
            .where('activity_id', '=', activityId)
            .union(eb.selectFrom('activity_relations').select('activity_id as id').where('related_activity_id', '=', activityId)),
        ),
      ]),
    )
    .orderBy('activities.start_date')
    .execute();
}

/** Every country code known to the directory. */
export async function countryExists(db: Db, code: string): Promise<boolean> {
  return !!(await db.selectFrom('countries').select('code').where('code', '=', code).executeTakeFirst());
}

/** An activity's row whatever its workflow state (for previews in the back-office). */
export async function findActivityRow(db: Db, id: number): Promise<ActivityRow | undefined> {
  return db.selectFrom('activities').select(ACTIVITY_COLUMNS).where('activities.id', '=', id).executeTakeFirst();
}

/** The activity an old slug pointed to, when an editor changed it. */
export async function findSlugRedirect(db: Db, lang: string, slug: string): Promise<number | undefined> {
  const row = await db.selectFrom('slug_redirects').select('entity_id').where('entity_type', '=', 'activity').where('lang', '=', lang).where('old_slug', '=', slug).executeTakeFirst();
  return row?.entity_id;
}

export interface FacetCounts {
  type: Map<string, number>;
  format: Map<string, number>;
  year: Map<string, number>;
  country: Map<string, number>;
  theme: Map<number, number>;
}

/**
 * How many published activities each filter value would give, the other filters staying as they
 * are (as faceted search shows it). Themes count their sub-themes' activities too.
 */
export async function facetCounts(db: Db, filters: ActivityFilters, themeIds: number[] | null, now: string): Promise<FacetCounts> {
  const base = (without: keyof ActivityFilters | null) =>
    db.selectFrom('activities').where((eb) => eb.and([isPublished(eb, now), matchesFilters(eb, without ? { ...filters, [without]: undefined } : filters, without === 'theme' ? null : themeIds)]));
  // Literals, not parameters: PostgreSQL only matches a GROUP BY expression written the same way.
  const year = sql<string>`substr(${sql.ref('activities.start_date')}, 1, 4)`;

  const simpleFacets = async () => {
    // Type, format and year: each facet whose own filter is not set has the same matching activities,
    // so they share one scan grouped by all three; a facet whose filter is set gets its own.
    const shared = (['type', 'format', 'year'] as const).filter((k) => filters[k] === undefined);
    const out = { type: new Map<string, number>(), format: new Map<string, number>(), year: new Map<string, number>() };
    const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
    if (shared.length) {
      const rows = await base(null)
        .select((eb) => ['activities.type', 'activities.format', year.as('y'), eb.fn.countAll<number>().as('n')])
        .groupBy(['activities.type', 'activities.format', year])
        .execute();
      for (const r of rows) {
        if (shared.includes('type')) add(out.type, r.type, Number(r.n));
        if (shared.includes('format')) add(out.format, r.format, Number(r.n));
        if (shared.includes('year')) add(out.year, String(r.y), Number(r.n));
      }
    }
    for (const k of ['type', 'format'] as const) {
      if (shared.includes(k)) continue;
      const rows = await base(k).select((eb) => [`activities.${k}` as const, eb.fn.countAll<number>().as('n')]).groupBy(`activities.${k}`).execute();
      for (const r of rows) add(out[k], String((r as Record<string, unknown>)[k]), Number(r.n));
    }
    if (!shared.includes('year')) {
      const rows = await base('year').select((eb) => [year.as('y'), eb.fn.countAll<number>().as('n')]).groupBy(year).execute();
      for (const r of rows) add(out.year, String(r.y), Number(r.n));
    }
    return out;
  };

  // With no other filter, the matching activities are nearly all of them: count every row of the
  // facet table (an index scan, no lookups) and take away the few that are not public.
  const others = (without: 'country' | 'theme') => (Object.keys(filters) as (keyof ActivityFilters)[]).some((k) => k !== without && filters[k] !== undefined);
  const counted = async (table: 'activity_countries' | 'activity_theme_index', column: 'country_code' | 'theme_id', without: 'country' | 'theme') => {
    const group = (restrict: (q: SelectQueryBuilder<Database, typeof table, object>) => SelectQueryBuilder<Database, typeof table, object>) =>
      restrict(db.selectFrom(table) as SelectQueryBuilder<Database, typeof table, object>)
        .select((eb) => [sql.ref<string | number>(`${table}.${column}`).as('k'), eb.fn.countAll<number>().as('n')])
        .groupBy(sql.ref(`${table}.${column}`))
        .execute() as Promise<{ k: string | number; n: number }[]>;
    const counts = new Map<string, number>();
    if (others(without)) {
      for (const r of await group((q) => q.where(`${table}.activity_id`, 'in', base(without).select('activities.id')))) counts.set(String(r.k), Number(r.n));
      return counts;
    }
    for (const r of await group((q) => q)) counts.set(String(r.k), Number(r.n));
    const hidden = db.selectFrom('activities').select('activities.id').where((eb) => eb.not(isPublished(eb, now)));
    for (const r of await group((q) => q.where(`${table}.activity_id`, 'in', hidden))) {
      const left = (counts.get(String(r.k)) ?? 0) - Number(r.n);
      if (left > 0) counts.set(String(r.k), left);
      else counts.delete(String(r.k));
    }
    return counts;
  };
  // Countries (where it takes place, who hosts it, who co-chairs it) and themes (with every theme
  // above them) come from the facet tables the commands keep, each activity there once per value.
  // Independent reads: on PostgreSQL they run on separate connections at once.
  const [out, country, theme] = await Promise.all([simpleFacets(), counted('activity_countries', 'country_code', 'country'), counted('activity_theme_index', 'theme_id', 'theme')]);

  return {
    ...out,
    country,
    theme: new Map([...theme].map(([k, n]) => [Number(k), n])),
  };
}
