import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { prepared, preparedShapes } from '../../platform/db/prepared.js';
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

/** The list filters as the database compares them: each value as written in its column. */
export interface SqlFilters {
  type?: string | undefined;
  format?: string | undefined;
  /** Four digits. */
  year?: string | undefined;
  country?: string | undefined;
}

/** The parsed filters as compared in queries (the year as the text the start date begins with). */
export function sqlFilters(filters: ActivityFilters): SqlFilters {
  return { type: filters.type, format: filters.format, year: filters.year === undefined ? undefined : String(filters.year), country: filters.country };
}

/** The public list filters as a condition on activities (the back-office list uses them too). */
export function matchesFilters(eb: ActivityEb, filters: SqlFilters, themeIds: readonly number[] | null) {
  const conditions = [];
  if (filters.type) conditions.push(eb('activities.type', '=', filters.type));
  if (filters.format) conditions.push(eb('activities.format', '=', filters.format));
  if (filters.year) conditions.push(eb(eb.fn('substr', ['activities.start_date', eb.val(1), eb.val(4)]), '=', filters.year));
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

/**
 * The list and facet queries, compiled once per shape: which filters are set and how many themes
 * the theme filter stands for decide the SQL; the values are the arguments.
 */
type FilterArgs = Record<string, unknown> & SqlFilters & { now: string };
const filteredQuery = preparedShapes<FilterArgs>();

interface FilterShape {
  key: string;
  args: FilterArgs;
  /** The filters and themes for a query's build: the same ones set, each standing for its argument. */
  standIns(args: FilterArgs): { filters: SqlFilters; themeIds: number[] | null };
}

function filterShape(filters: ActivityFilters, themeIds: number[] | null, now: string): FilterShape {
  const values = sqlFilters(filters);
  const args: FilterArgs = { now };
  const set = (['type', 'format', 'year', 'country'] as const).filter((k) => values[k] !== undefined && values[k] !== '');
  for (const k of set) args[k] = values[k];
  themeIds?.forEach((id, i) => (args[`theme${i}`] = id));
  return {
    key: `${set.join(',')}|${themeIds ? themeIds.length : '-'}`,
    args,
    standIns: (a) => ({
      filters: Object.fromEntries(set.map((k) => [k, a[k]])) as SqlFilters,
      themeIds: themeIds ? themeIds.map((_, i) => a[`theme${i}`] as number) : null,
    }),
  };
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
  const shape = filterShape(args.filters, args.themeIds, args.now);
  const base = (d: Db, a: FilterArgs) => {
    const { filters, themeIds } = shape.standIns(a);
    return d.selectFrom('activities').where((eb) => eb.and([isPublished(eb, a.now), matchesFilters(eb, filters, themeIds)]));
  };
  const [[counted], rows] = await Promise.all([
    filteredQuery(db, `count|${shape.key}`, (d, a) => base(d, a).select((eb) => eb.fn.countAll<number>().as('total')), shape.args),
    filteredQuery(
      db,
      `page|${shape.key}`,
      (d, a) =>
        base(d, a)
          .select(ACTIVITY_COLUMNS)
          .orderBy('activities.start_date', 'desc')
          .orderBy('activities.id', 'desc')
          .offset(a.offset as number)
          .limit(a.limit as number),
      { ...shape.args, offset: args.offset, limit: args.limit },
    ),
  ]);
  return { total: Number(counted?.total ?? 0), rows };
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

const translationsQuery = prepared((db, a: { id: number }) =>
  db.selectFrom('activity_translations').select(['activity_id', 'lang', 'title', 'slug', 'summary', 'narrative_html', 'city', 'venue']).where('activity_id', '=', a.id),
);

/** Translations of the given activities in every language. */
export async function translationsFor(db: Db, ids: number[]): Promise<TranslationRow[]> {
  if (!ids.length) return [];
  if (ids.length === 1) return translationsQuery(db, { id: ids[0]! });
  return db
    .selectFrom('activity_translations')
    .select(['activity_id', 'lang', 'title', 'slug', 'summary', 'narrative_html', 'city', 'venue'])
    .where('activity_id', 'in', ids)
    .execute();
}

const publishedBySlug = prepared((db, a: { slug: string; now: string }) =>
  db
    // The slug picks the rows, then the activity is read by its key: a cross join keeps SQLite from
    // walking every published activity to test its slugs (which it chose when the statistics said
    // the published activities were few).
    .selectFrom('activity_translations as t')
    .crossJoin('activities')
    .select([...ACTIVITY_COLUMNS, 't.lang as slug_lang'])
    .whereRef('activities.id', '=', 't.activity_id')
    .where('t.slug', '=', a.slug)
    .where((eb) => isPublished(eb, a.now)),
);

/** Finds a published activity by the slug of one of its translations, and the language of that slug. */
export async function findPublishedBySlug(db: Db, slug: string, now: string): Promise<{ row: ActivityRow; slugLang: string }[]> {
  const rows = await publishedBySlug(db, { slug, now });
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

const coChairsQuery = prepared((db, a: { id: number }) =>
  db.selectFrom('activity_co_chairs').select(['country_code', 'organisation_id']).where('activity_id', '=', a.id).orderBy('position'),
);

/** Co-chairs of an activity in order. */
export function coChairsOf(db: Db, activityId: number) {
  return coChairsQuery(db, { id: activityId });
}

const themesQuery = prepared((db, a: { id: number }) =>
  db
    .selectFrom('activity_themes as at')
    .innerJoin('themes', 'themes.id', 'at.theme_id')
    .select(['themes.id', 'themes.code', 'themes.level', 'themes.number', 'themes.parent_id', 'themes.framework_id'])
    .where('at.activity_id', '=', a.id)
    .orderBy('themes.framework_id')
    .orderBy('themes.position'),
);

/** Themes of an activity with their level, number, framework and parent chain ids. */
export function themesOf(db: Db, activityId: number) {
  return themesQuery(db, { id: activityId });
}

const documentsQuery = prepared((db, a: { id: number }) =>
  db.selectFrom('activity_documents').select(['id', 'type', 'url', 'lang', 'size_bytes', 'mime']).where('activity_id', '=', a.id).orderBy('position'),
);
const documentTitlesQuery = prepared((db, a: { id: number }) =>
  db
    .selectFrom('activity_document_titles as t')
    .innerJoin('activity_documents as d', 'd.id', 't.document_id')
    .select(['t.document_id', 't.lang', 't.title'])
    .where('d.activity_id', '=', a.id),
);

/** Documents of an activity in their order, with titles in every language. */
export async function documentsOf(db: Db, activityId: number) {
  const docs = await documentsQuery(db, { id: activityId });
  const titles = docs.length ? await documentTitlesQuery(db, { id: activityId }) : [];
  return docs.map((d) => ({ ...d, titles: Object.fromEntries(titles.filter((t) => t.document_id === d.id).map((t) => [t.lang, t.title])) as Record<string, string> }));
}

const publishedRelated = prepared((db, a: { id: number; now: string }) =>
  db
    // Both directions of the relation, found by their keys, then each activity by its own key.
    .selectFrom(
      db
        .selectFrom('activity_relations')
        .select('related_activity_id as id')
        .where('activity_id', '=', a.id)
        .union(db.selectFrom('activity_relations').select('activity_id as id').where('related_activity_id', '=', a.id))
        .as('r'),
    )
    .crossJoin('activities')
    .select(ACTIVITY_COLUMNS)
    .whereRef('activities.id', '=', 'r.id')
    .where((eb) => isPublished(eb, a.now))
    .orderBy('activities.start_date')
    .orderBy('activities.id'),
);

/** Published activities related to one, in either direction, oldest first. */
export function relatedOf(db: Db, activityId: number, now: string): Promise<ActivityRow[]> {
  return publishedRelated(db, { id: activityId, now });
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
  /** The activities matching every filter but one (that facet's own), as a compiled query's shape. */
  const without = (k: keyof ActivityFilters | null) => filterShape(k ? { ...filters, [k]: undefined } : filters, k === 'theme' ? null : themeIds, now);
  const matching = (d: Db, shape: FilterShape, a: FilterArgs) => {
    const { filters: f, themeIds: t } = shape.standIns(a);
    return d.selectFrom('activities').where((eb) => eb.and([isPublished(eb, a.now), matchesFilters(eb, f, t)]));
  };
  // Literals, not parameters: PostgreSQL only matches a GROUP BY expression written the same way.
  const year = sql<string>`substr(${sql.ref('activities.start_date')}, 1, 4)`;

  const simpleFacets = async () => {
    // Type, format and year: each facet whose own filter is not set has the same matching activities,
    // so they share one scan grouped by all three; a facet whose filter is set gets its own.
    const shared = (['type', 'format', 'year'] as const).filter((k) => filters[k] === undefined);
    const out = { type: new Map<string, number>(), format: new Map<string, number>(), year: new Map<string, number>() };
    const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
    if (shared.length) {
      const all = without(null);
      const rows = await filteredQuery(
        db,
        `facets|${all.key}`,
        (d, a) =>
          matching(d, all, a)
            .select((eb) => ['activities.type', 'activities.format', year.as('y'), eb.fn.countAll<number>().as('n')])
            .groupBy(['activities.type', 'activities.format', year]),
        all.args,
      );
      for (const r of rows) {
        if (shared.includes('type')) add(out.type, r.type, Number(r.n));
        if (shared.includes('format')) add(out.format, r.format, Number(r.n));
        if (shared.includes('year')) add(out.year, String(r.y), Number(r.n));
      }
    }
    for (const k of ['type', 'format'] as const) {
      if (shared.includes(k)) continue;
      const others = without(k);
      const rows = await filteredQuery(
        db,
        `${k}|${others.key}`,
        (d, a) =>
          matching(d, others, a)
            .select((eb) => [`activities.${k}` as const, eb.fn.countAll<number>().as('n')])
            .groupBy(`activities.${k}`),
        others.args,
      );
      for (const r of rows) add(out[k], String((r as Record<string, unknown>)[k]), Number(r.n));
    }
    if (!shared.includes('year')) {
      const others = without('year');
      const rows = await filteredQuery(db, `year|${others.key}`, (d, a) => matching(d, others, a).select((eb) => [year.as('y'), eb.fn.countAll<number>().as('n')]).groupBy(year), others.args);
      for (const r of rows) add(out.year, String(r.y), Number(r.n));
    }
    return out;
  };

  // With no other filter, the matching activities are nearly all of them: count every row of the
  // facet table (an index scan, no lookups) and take away the few that are not public.
  const othersSet = (own: 'country' | 'theme') => (Object.keys(filters) as (keyof ActivityFilters)[]).some((k) => k !== own && filters[k] !== undefined);
  const counted = async (table: 'activity_countries' | 'activity_theme_index', column: 'country_code' | 'theme_id', own: 'country' | 'theme') => {
    type Restrict = (d: Db, q: SelectQueryBuilder<Database, typeof table, object>, a: FilterArgs) => SelectQueryBuilder<Database, typeof table, object>;
    const group = (key: string, restrict: Restrict, args: FilterArgs) =>
      filteredQuery(
        db,
        `${table}|${key}`,
        (d, a) =>
          restrict(d, d.selectFrom(table) as SelectQueryBuilder<Database, typeof table, object>, a)
            .select((eb) => [sql.ref<string | number>(`${table}.${column}`).as('k'), eb.fn.countAll<number>().as('n')])
            .groupBy(sql.ref(`${table}.${column}`)),
        args,
      ) as Promise<{ k: string | number; n: number }[]>;
    const counts = new Map<string, number>();
    if (othersSet(own)) {
      const others = without(own);
      for (const r of await group(`in|${others.key}`, (d, q, a) => q.where(`${table}.activity_id`, 'in', matching(d, others, a).select('activities.id')), others.args)) {
        counts.set(String(r.k), Number(r.n));
      }
      return counts;
    }
    for (const r of await group('all', (_d, q) => q, { now })) counts.set(String(r.k), Number(r.n));
    const hidden = (d: Db, a: FilterArgs) => d.selectFrom('activities').select('activities.id').where((eb) => eb.not(isPublished(eb, a.now)));
    for (const r of await group('hidden', (d, q, a) => q.where(`${table}.activity_id`, 'in', hidden(d, a)), { now })) {
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
