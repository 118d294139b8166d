import { publicDocumentsOfActivity, type LibraryItem } from '../documents/index.js';
import { hasAgenda, meetingOutcome, meetingTimeZone, practicalOf, publicRegistration, type MeetingOutcome, type Practical, type PublicRegistration } from '../meetings/index.js';
import type { AppContext } from '../../platform/context.js';
import { todayIso } from '../../platform/i18n/dates.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { url, type Query } from '../../platform/http/urls.js';
import { isValidSlug } from '../../platform/text/slug.js';
import { frameworkTree, type FrameworkNode } from '../framework/index.js';
import {
  coChairsOf,
  countryExists,
  countryNames,
  documentsOf,
  findPublishedBySlug,
  findSlugRedirect,
  facetCounts,
  listPublishedActivities,
  organisationNames,
  relatedOf,
  themeWithDescendants,
  themesOf,
  translationsFor,
  type ActivityRow,
  type TranslationRow,
} from './activities.repository.js';
import { presentActivityDetail, presentCard, type ActivityCard, type ActivityDetailView, type Lookups } from './activities.presenter.js';
import { ACTIVITY_FORMATS, ACTIVITY_SLUG_MAX_LENGTH, ACTIVITY_TYPES, FILTER_KEYS, LIST_PAGE_SIZE, type ActivityFilters, type FilterKey } from './activities.schemas.js';

export interface FilterError {
  key: FilterKey | 'page';
  value: string;
}

export interface ParsedListQuery {
  filters: ActivityFilters;
  themeIds: number[] | null;
  page: number;
  errors: FilterError[];
  /** The valid filters, in a fixed order, as they go back into links. */
  query: Query;
}

/** Largest page number we try to serve; anything above is treated as past the end. */
const MAX_PAGE = 100_000;

function single(v: unknown): string | undefined {
  // A repeated parameter (`?year=&year=2015`) means its first non-empty value.
  if (Array.isArray(v)) return v.map(single).find((x) => x !== undefined);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  return s === '' ? undefined : s.slice(0, 200);
}

/** Reads the list filters from a query string; each invalid value is reported and ignored. */
export async function parseListQuery(ctx: AppContext, raw: Record<string, unknown>): Promise<ParsedListQuery> {
  const errors: FilterError[] = [];
  const filters: ActivityFilters = {};
  let themeIds: number[] | null = null;
  const type = single(raw.type);
  if (type) {
    if ((ACTIVITY_TYPES as readonly string[]).includes(type)) filters.type = type as ActivityFilters['type'];
    else errors.push({ key: 'type', value: type });
  }
  const theme = single(raw.theme);
  if (theme) {
    themeIds = /^[a-z0-9.-]+$/.test(theme) ? await themeWithDescendants(ctx.db, theme) : null;
    if (themeIds) filters.theme = theme;
    else errors.push({ key: 'theme', value: theme });
  }
  const year = single(raw.year);
  if (year) {
    const n = /^\d{4}$/.test(year) ? Number(year) : NaN;
    if (n >= 1990 && n <= 2100) filters.year = n;
    else errors.push({ key: 'year', value: year });
  }
  const country = single(raw.country)?.toUpperCase();
  if (country) {
    if (/^[A-Z]{2}$/.test(country) && (await countryExists(ctx.db, country))) filters.country = country;
    else errors.push({ key: 'country', value: single(raw.country) ?? country });
  }
  const format = single(raw.format);
  if (format) {
    if ((ACTIVITY_FORMATS as readonly string[]).includes(format)) filters.format = format as ActivityFilters['format'];
    else errors.push({ key: 'format', value: format });
  }
  let page = 1;
  const rawPage = single(raw.page);
  if (rawPage) {
    if (/^\d{1,9}$/.test(rawPage) && Number(rawPage) >= 1) page = Math.min(Number(rawPage), MAX_PAGE + 1);
    else errors.push({ key: 'page', value: rawPage });
  }
  const query: Query = {};
  for (const k of FILTER_KEYS) if (filters[k] !== undefined) query[k] = filters[k];
  return { filters, themeIds, page, errors, query };
}

/** Loads the names every card and page needs, in the reader's language. */
async function lookupsFor(ctx: AppContext, rows: ActivityRow[], lang: string, extraCountries: string[] = [], extraOrgs: number[] = []): Promise<Lookups> {
  const codes = rows.flatMap((r) => [r.country_code, r.host_country_code]).filter((c): c is string => !!c);
  const orgs = rows.map((r) => r.host_organisation_id).filter((o): o is number => o !== null);
  return {
    countries: await countryNames(ctx.db, [...codes, ...extraCountries], lang),
    organisations: await organisationNames(ctx.db, [...orgs, ...extraOrgs], lang),
    today: todayIso(new Date(), ctx.config.timeZone),
  };
}

/** Turns activity rows into cards in a language. */
export async function cardsFor(ctx: AppContext, rows: ActivityRow[], tr: Translator, backQuery?: Query): Promise<ActivityCard[]> {
  const translations = await translationsFor(ctx.db, rows.map((r) => r.id));
  const lookups = await lookupsFor(ctx, rows, tr.lang);
  return rows.map((r) =>
    presentCard(
      r,
      translations.filter((t) => t.activity_id === r.id),
      tr,
      ctx.config.defaultLanguage,
      lookups,
      backQuery,
    ),
  );
}

export interface FilterOptions {
  types: { value: string; label: string }[];
  formats: { value: string; label: string }[];
  years: { value: string; label: string }[];
  countries: { value: string; label: string }[];
  frameworks: FrameworkNode[];
}

export interface ActivityListView {
  parsed: ParsedListQuery;
  cards: ActivityCard[];
  total: number;
  pages: number;
  options: FilterOptions;
}

/** Everything the public list shows for a query: the page of cards, counts and the filter choices. */
export async function activityList(ctx: AppContext, lang: string, raw: Record<string, unknown>, now = new Date()): Promise<ActivityListView> {
  const tr = translator(lang);
  const parsed = await parseListQuery(ctx, raw);
  const nowIso = now.toISOString();
  // The page and the facet counts do not depend on each other: on PostgreSQL their queries run on
  // separate connections at once (SQLite runs them one after the other on its one connection).
  const [{ total, rows }, facets] = await Promise.all([
    listPublishedActivities(ctx.db, {
      filters: parsed.filters,
      themeIds: parsed.themeIds,
      offset: (parsed.page - 1) * LIST_PAGE_SIZE,
      limit: parsed.page > MAX_PAGE ? 0 : LIST_PAGE_SIZE,
      now: nowIso,
    }),
    facetCounts(ctx.db, parsed.filters, parsed.themeIds, nowIso),
  ]);
  const backQuery: Query = { ...parsed.query, ...(parsed.page > 1 ? { page: parsed.page } : {}) };
  const cards = await cardsFor(ctx, rows, tr, backQuery);
  const collator = tr.collator;
  // Each choice shows how many activities it would give; choices that would give none are left
  // out, except the one in use.
  const counted = <T extends string>(values: readonly T[], counts: Map<string, number>, label: (v: T) => string, selected: string | undefined) =>
    values.filter((v) => (counts.get(v) ?? 0) > 0 || v === selected).map((v) => ({ value: v, label: `${label(v)} (${tr.number(counts.get(v) ?? 0)})` }));
  const years = [...facets.year.keys()].sort((a, b) => b.localeCompare(a));
  if (parsed.filters.year && !years.includes(String(parsed.filters.year))) years.unshift(String(parsed.filters.year));
  const countryCodes = [...facets.country.keys()];
  if (parsed.filters.country && !countryCodes.includes(parsed.filters.country)) countryCodes.push(parsed.filters.country);
  const names = await countryNames(ctx.db, countryCodes, lang);
  const frameworks = (await frameworkTree(ctx.db, lang, { fallbackLang: ctx.config.defaultLanguage })).map((fw) => ({
    ...fw,
    themes: fw.themes
      .filter((th) => (facets.theme.get(th.id) ?? 0) > 0 || th.code === parsed.filters.theme)
      .map((th) => ({ ...th, name: `${th.name} (${tr.number(facets.theme.get(th.id) ?? 0)})` })),
  }));
  const options: FilterOptions = {
    types: counted(ACTIVITY_TYPES, facets.type, (v) => tr.t(`type.${v}`), parsed.filters.type),
    formats: counted(ACTIVITY_FORMATS, facets.format, (v) => tr.t(`format.${v}`), parsed.filters.format),
    years: counted(years, facets.year, (v) => v, parsed.filters.year ? String(parsed.filters.year) : undefined),
    countries: counted(countryCodes, facets.country, (c) => names.get(c) ?? c, parsed.filters.country).sort((a, b) => collator.compare(a.label, b.label)),
    frameworks: frameworks.filter((fw) => fw.themes.length),
  };
  return { parsed, cards, total, pages: Math.max(1, Math.ceil(total / LIST_PAGE_SIZE)), options };
}

/** Reads the list state carried by an activity link (`?back=`), keeping only known filters. */
export function parseBackQuery(raw: unknown): Query {
  const value = single(raw);
  if (!value) return {};
  const params = new URLSearchParams(value);
  const out: Query = {};
  for (const k of [...FILTER_KEYS, 'page'] as const) {
    const v = params.get(k);
    if (v && v.length <= 60 && /^[\w.-]+$/.test(v)) out[k] = v;
  }
  return out;
}

export type ActivityLookup =
  | { kind: 'found'; row: ActivityRow }
  | { kind: 'redirect'; slug: string }
  | { kind: 'missing' };

/** Finds a published activity by slug in a language; a slug from another language redirects to this one's. */
export async function lookupActivity(ctx: AppContext, lang: string, slug: string, now = new Date()): Promise<ActivityLookup> {
  if (!isValidSlug(slug, ACTIVITY_SLUG_MAX_LENGTH)) return { kind: 'missing' };
  const matches = await findPublishedBySlug(ctx.db, slug, now.toISOString());
  const same = matches.find((m) => m.slugLang === lang);
  if (same) return { kind: 'found', row: same.row };
  const other = matches[0];
  if (!other) {
    // A slug an editor has since changed keeps working: send readers to the current one.
    const movedId = await findSlugRedirect(ctx.db, lang, slug);
    const current = movedId === undefined ? undefined : (await translationsFor(ctx.db, [movedId])).find((t) => t.lang === lang);
    if (current && current.slug !== slug && (await findPublishedBySlug(ctx.db, current.slug, now.toISOString())).length) return { kind: 'redirect', slug: current.slug };
    return { kind: 'missing' };
  }
  const own = (await translationsFor(ctx.db, [other.row.id])).find((t) => t.lang === lang);
  return own ? { kind: 'redirect', slug: own.slug } : { kind: 'found', row: other.row };
}

/** An activity page: the presented content, with the translator and rows the back-office preview still reads. */
export interface ActivityDetail {
  tr: Translator;
  translations: TranslationRow[];
  view: ActivityDetailView;
  /** The library's documents linked to the activity that the public may open, in the activity's order. */
  library: LibraryItem[];
  /** The meeting's agenda page (when it has one) and calendar file (a meeting on known days, not over yet), in this language. */
  meeting: {
    agendaHref: string | null;
    calendarHref: string | null;
    practical: { info: Practical; lang: string; timeZone: string | null } | null;
    /** Registration open (with the form's address) or closed, while the meeting is upcoming. */
    registration: { state: NonNullable<PublicRegistration>; href: string } | null;
    /** Once the meeting is over: who came, counted from the check-in (null while nobody was checked in). */
    outcome: MeetingOutcome | null;
  };
}

/** The practical information of an upcoming meeting in a language, or in another it has (marked as such). */
async function practicalFor(ctx: AppContext, id: number, lang: string) {
  const all = await practicalOf(ctx.db, id);
  const shown = all[lang] ? lang : Object.keys(all)[0];
  return shown ? { info: all[shown]!, lang: shown, timeZone: await meetingTimeZone(ctx.db, id) } : null;
}

/** Loads everything the activity page shows and presents it in a language. */
export async function activityDetail(ctx: AppContext, row: ActivityRow, lang: string, now = new Date()): Promise<ActivityDetail> {
  const tr = translator(lang);
  const translations = await translationsFor(ctx.db, [row.id]);
  const coChairs = await coChairsOf(ctx.db, row.id);
  const themes = await themesOf(ctx.db, row.id);
  const frameworks = themes.length ? await frameworkTree(ctx.db, lang, { includeRetired: true, fallbackLang: ctx.config.defaultLanguage }) : [];
  const documents = await documentsOf(ctx.db, row.id);
  const library = await publicDocumentsOfActivity(ctx.db, row.id, lang, now.toISOString());
  const relatedRows = await relatedOf(ctx.db, row.id, now.toISOString());
  const relatedTranslations = await translationsFor(ctx.db, relatedRows.map((r) => r.id));
  const lookups = await lookupsFor(
    ctx,
    [row, ...relatedRows],
    lang,
    coChairs.map((c) => c.country_code).filter((c): c is string => !!c),
    coChairs.map((c) => c.organisation_id).filter((o): o is number => o !== null),
  );
  const view = presentActivityDetail(
    {
      row,
      translations,
      coChairs,
      themes,
      frameworks,
      documents,
      related: relatedRows.map((r) => ({ row: r, translations: relatedTranslations.filter((x) => x.activity_id === r.id) })),
      lookups,
    },
    tr,
    { defaultLanguage: ctx.config.defaultLanguage, languages: ctx.config.languages },
  );
  const slug = translations.find((t) => t.lang === lang)?.slug;
  const upcoming = row.date_precision === 'day' && (row.end_date ?? row.start_date) >= todayIso(now, ctx.config.timeZone);
  const timeZone = upcoming ? await meetingTimeZone(ctx.db, row.id) : null;
  // The page shows a published activity (or previews one as it will be once published).
  const registration =
    slug && upcoming
      ? await publicRegistration(ctx.db, { id: row.id, workflow: 'published', status: row.status, startDate: row.start_date, endDate: row.end_date, datePrecision: row.date_precision, timeZone }, ctx.config.timeZone, now)
      : null;
  const meeting = {
    agendaHref: slug && (await hasAgenda(ctx.db, row.id)) ? url('activities.agenda', lang, { slug }) : null,
    calendarHref: slug && upcoming ? url('activities.calendar', lang, { slug }) : null,
    practical: upcoming ? await practicalFor(ctx, row.id, lang) : null,
    registration: registration && slug ? { state: registration, href: url('activities.register', lang, { slug }) } : null,
    outcome: upcoming ? null : await meetingOutcome(ctx.db, row.id, lang),
  };
  return { tr, translations, view, library, meeting };
}
