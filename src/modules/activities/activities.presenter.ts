import { formatDateRange, isoAtPrecision, lastPossibleDay, type DatePrecision } from '../../platform/i18n/dates.js';
import type { Translator, MessageKey } from '../../platform/i18n/i18n.js';
import { formatFileSize } from '../../platform/i18n/sizes.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import { url, type Query } from '../../platform/http/urls.js';
import type { FrameworkNode } from '../framework/index.js';
import type { ActivityRow, TranslationRow } from './activities.repository.js';

/** Names the presenter needs, loaded by the service in a few queries. */
export interface Lookups {
  countries: Map<string, string>;
  organisations: Map<number, { code: string; name: string; abbr: string | null }>;
  /** Today in the site's time zone: what is past decides the status shown. */
  today: string;
}

/**
 * The status a visitor is shown: a meeting still marked planned or announced whose last possible
 * day has passed is shown as held (the editors' dashboard lists such records to correct).
 */
export function shownStatus(row: Pick<ActivityRow, 'status' | 'start_date' | 'end_date' | 'date_precision'>, today: string): string {
  if ((row.status === 'planned' || row.status === 'announced') && lastPossibleDay(row.end_date ?? row.start_date, row.date_precision) < today) return 'held';
  return row.status;
}

export interface ActivityCard {
  id: number;
  href: string;
  title: string;
  /** Language of the title and summary shown (differs from the page's when not yet translated). */
  textLang: string;
  summary: string;
  type: string;
  typeLabel: string;
  status: string;
  statusLabel: string;
  dateText: string;
  dateIso: string;
  place: string;
  formatLabel: string;
}

/** The translation to show in a language: that language, else the default, else any. */
export function pickTranslation(translations: TranslationRow[], lang: string, defaultLang: string): TranslationRow | undefined {
  return translations.find((t) => t.lang === lang) ?? translations.find((t) => t.lang === defaultLang) ?? translations[0];
}

/** "Rabat, Morocco", "Online", or what is known of the place. */
export function placeText(row: ActivityRow, tr: TranslationRow | undefined, lookups: Lookups, t: Translator['t']): string {
  const country = row.country_code ? lookups.countries.get(row.country_code) : undefined;
  const parts = [tr?.city, country].filter((p): p is string => !!p);
  if (row.format === 'virtual' && !parts.length) return t('activity.online');
  return parts.join(', ');
}

export function dateText(row: ActivityRow, lang: string): string {
  return formatDateRange(row.start_date, row.end_date, row.date_precision as DatePrecision, lang);
}

/** A party (host or co-chair) named in a language: country name, or organisation abbreviation and name. */
export function partyName(ref: { country_code: string | null; organisation_id: number | null }, lookups: Lookups): string {
  if (ref.country_code) return lookups.countries.get(ref.country_code) ?? ref.country_code;
  if (ref.organisation_id !== null) {
    const o = lookups.organisations.get(ref.organisation_id);
    if (!o) return '';
    return o.abbr && o.abbr !== o.name ? `${o.name} (${o.abbr})` : o.name;
  }
  return '';
}

/** The card that stands for an activity in lists. */
export function presentCard(row: ActivityRow, translations: TranslationRow[], tr: Translator, defaultLang: string, lookups: Lookups, backQuery?: Query): ActivityCard {
  const text = pickTranslation(translations, tr.lang, defaultLang);
  const slug = translations.find((x) => x.lang === tr.lang)?.slug ?? text?.slug ?? String(row.id);
  const query = backQuery && Object.keys(backQuery).length ? { back: new URLSearchParams(backQuery as Record<string, string>).toString() } : undefined;
  return {
    id: row.id,
    href: url('activities.show', tr.lang, { slug }, query),
    title: text?.title ?? '',
    textLang: text?.lang ?? tr.lang,
    summary: text?.summary || (text ? richTextToPlain(text.narrative_html).slice(0, 240) : ''),
    type: row.type,
    typeLabel: tr.t(`type.${row.type}` as MessageKey),
    status: shownStatus(row, lookups.today),
    statusLabel: tr.t(`status.${shownStatus(row, lookups.today)}` as MessageKey),
    dateText: dateText(row, tr.lang),
    dateIso: isoAtPrecision(row.start_date, row.date_precision as DatePrecision),
    place: placeText(row, text, lookups, tr.t),
    formatLabel: tr.t(`format.${row.format}` as MessageKey),
  };
}

/** A participation figure in words: "Over 120 participants", "près de 50 pays". */
export function figureText(tr: Translator, key: 'figure.participants' | 'figure.countries' | 'figure.organisations', value: number | null, qualifier: string | null): string | null {
  if (value === null) return null;
  return tr.t(key, { count: value, qualifier: qualifier ?? 'exact' });
}

/** A coded value with its name in the reader's language. */
export interface Labelled {
  code: string;
  label: string;
}

/** A host or co-chair: a country (ISO code) or an organisation (directory code). */
export interface PartyView {
  kind: 'country' | 'organisation';
  code: string;
  name: string;
  abbr: string | null;
  /** How pages write it: "Morocco", "Economic Community of West African States (ECOWAS)". */
  label: string;
}

export interface ThemeView {
  code: string;
  level: string;
  levelLabel: string;
  number: string | null;
  name: string;
  /** "Pillar 4: Promoting international protection", or the name alone when unnumbered. */
  label: string;
  /** The public list filtered on this theme. */
  href: string;
  framework: { code: string; name: string };
  /** Names of the themes above it, outermost first. */
  ancestors: string[];
}

export interface FigureView {
  kind: 'participants' | 'countries' | 'organisations';
  value: number;
  qualifier: string;
  /** "Over 120 participants", "près de 50 pays". */
  text: string;
}

export interface DocumentView {
  type: string;
  typeLabel: string;
  /** The title in the reader's language, else in any language, else the type's name. */
  title: string;
  titles: Record<string, string>;
  /** A language code, or `mul` for several. */
  lang: string;
  langLabel: string;
  /** Null while the file is not online. */
  url: string | null;
  sizeBytes: number | null;
  sizeText: string | null;
  mime: string | null;
}

/**
 * Everything the public page of an activity shows, in one language, as plain data: strings,
 * numbers, arrays and records only, so the same object can be sent as JSON or read by a feed.
 * Text fields hold what the reader sees; coded fields keep the stored value beside its label.
 */
export interface ActivityDetailView {
  id: number;
  /** The reader's language. */
  lang: string;
  /** The language of the title, summary and narrative shown (another one when not yet translated). */
  textLang: string;
  textLangLabel: string;
  translated: boolean;
  title: string;
  summary: string;
  /** The narrative as HTML, sanitised when it was saved (every write goes through sanitizeRichText). */
  narrativeHtml: string;
  titles: Record<string, string>;
  slugs: Record<string, string>;
  /** The published languages with a translation, in the configured order. */
  languages: string[];
  /** The address of the page in each of those languages. */
  alternates: Record<string, string>;
  type: Labelled;
  status: Labelled;
  format: Labelled;
  dates: { start: string; end: string | null; precision: string; text: string; startIso: string; endIso: string | null };
  place: { text: string; city: string | null; venue: string | null; country: { code: string; name: string } | null };
  host: PartyView | null;
  coChairs: PartyView[];
  themes: ThemeView[];
  figures: FigureView[];
  documents: DocumentView[];
  galleryUrl: string | null;
  related: ActivityCard[];
  publishedAt: string | null;
  updatedAt: string;
}

/** What the service loads for one activity page. */
export interface ActivityDetailSource {
  row: ActivityRow;
  translations: TranslationRow[];
  coChairs: { country_code: string | null; organisation_id: number | null }[];
  themes: { id: number; code: string; level: string; number: string | null; framework_id: number }[];
  /** The frameworks (retired themes included) named in the reader's language. */
  frameworks: FrameworkNode[];
  documents: { type: string; url: string | null; lang: string; size_bytes: number | null; mime: string | null; titles: Record<string, string> }[];
  related: { row: ActivityRow; translations: TranslationRow[] }[];
  /** Names of every country and organisation above, in the reader's language. */
  lookups: Lookups;
}

function partyView(ref: { country_code: string | null; organisation_id: number | null }, lookups: Lookups): PartyView | null {
  const label = partyName(ref, lookups);
  if (!label) return null;
  if (ref.country_code) return { kind: 'country', code: ref.country_code, name: label, abbr: null, label };
  const o = ref.organisation_id === null ? undefined : lookups.organisations.get(ref.organisation_id);
  return o ? { kind: 'organisation', code: o.code, name: o.name, abbr: o.abbr, label } : null;
}

function themeView(t: ActivityDetailSource['themes'][number], frameworks: FrameworkNode[], tr: Translator): ThemeView {
  const framework = frameworks.find((f) => f.id === t.framework_id);
  const node = framework?.themes.find((n) => n.id === t.id);
  const ancestors: string[] = [];
  for (let parent = node?.parentId ?? null; parent !== null; ) {
    const p = framework?.themes.find((n) => n.id === parent);
    if (!p) break;
    ancestors.unshift(p.name);
    parent = p.parentId;
  }
  const name = node?.name ?? t.code;
  const levelLabel = tr.t(`level.${t.level}` as MessageKey);
  return {
    code: t.code,
    level: t.level,
    levelLabel,
    number: t.number,
    name,
    label: t.number ? tr.t('theme.numbered', { level: levelLabel, number: t.number, name }) : name,
    href: url('activities.list', tr.lang, {}, { theme: t.code }),
    framework: { code: framework?.code ?? '', name: framework?.shortName ?? '' },
    ancestors,
  };
}

const FIGURES = [
  ['participants', 'figure.participants', 'participants', 'participants_qualifier'],
  ['countries', 'figure.countries', 'countries_count', 'countries_qualifier'],
  ['organisations', 'figure.organisations', 'organisations_count', 'organisations_qualifier'],
] as const;

/** The activity page's content in the reader's language (see ActivityDetailView). */
export function presentActivityDetail(source: ActivityDetailSource, tr: Translator, options: { defaultLanguage: string; languages: string[] }): ActivityDetailView {
  const { row, translations, lookups } = source;
  const t = tr.t;
  const text = pickTranslation(translations, tr.lang, options.defaultLanguage);
  const textLang = text?.lang ?? tr.lang;
  const precision = row.date_precision as DatePrecision;
  const countryName = row.country_code ? lookups.countries.get(row.country_code) : undefined;
  const languages = options.languages.filter((l) => translations.some((x) => x.lang === l));
  const slugs = Object.fromEntries(translations.map((x) => [x.lang, x.slug]));
  const hasHost = !!row.host_country_code || row.host_organisation_id !== null;
  return {
    id: row.id,
    lang: tr.lang,
    textLang,
    textLangLabel: t(`lang.${textLang}` as MessageKey),
    translated: textLang === tr.lang,
    title: text?.title ?? '',
    summary: text?.summary ?? '',
    narrativeHtml: text?.narrative_html ?? '',
    titles: Object.fromEntries(translations.map((x) => [x.lang, x.title])),
    slugs,
    languages,
    alternates: Object.fromEntries(languages.map((l) => [l, url('activities.show', l, { slug: slugs[l] ?? '' })])),
    type: { code: row.type, label: t(`type.${row.type}` as MessageKey) },
    status: { code: shownStatus(row, lookups.today), label: t(`status.${shownStatus(row, lookups.today)}` as MessageKey) },
    format: { code: row.format, label: t(`format.${row.format}` as MessageKey) },
    dates: {
      start: row.start_date,
      end: row.end_date,
      precision: row.date_precision,
      text: dateText(row, tr.lang),
      startIso: isoAtPrecision(row.start_date, precision),
      endIso: row.end_date ? isoAtPrecision(row.end_date, precision) : null,
    },
    place: {
      text: placeText(row, text, lookups, t),
      city: text?.city ?? null,
      venue: text?.venue ?? null,
      country: row.country_code ? { code: row.country_code, name: countryName ?? row.country_code } : null,
    },
    host: hasHost ? partyView({ country_code: row.host_country_code, organisation_id: row.host_organisation_id }, lookups) : null,
    coChairs: source.coChairs.map((c) => partyView(c, lookups)).filter((p): p is PartyView => p !== null),
    themes: source.themes.map((th) => themeView(th, source.frameworks, tr)),
    figures: FIGURES.flatMap(([kind, key, valueColumn, qualifierColumn]) => {
      const value = row[valueColumn];
      if (value === null) return [];
      const qualifier = row[qualifierColumn] ?? 'exact';
      return [{ kind, value, qualifier, text: figureText(tr, key, value, qualifier) ?? '' }];
    }),
    documents: source.documents.map((doc) => {
      const typeLabel = t(`doctype.${doc.type}` as MessageKey);
      return {
        type: doc.type,
        typeLabel,
        title: doc.titles[tr.lang] ?? Object.values(doc.titles)[0] ?? typeLabel,
        titles: doc.titles,
        lang: doc.lang,
        langLabel: t(`lang.${doc.lang}` as MessageKey),
        url: doc.url,
        sizeBytes: doc.size_bytes,
        sizeText: doc.size_bytes ? formatFileSize(doc.size_bytes, tr.lang) : null,
        mime: doc.mime,
      };
    }),
    galleryUrl: row.gallery_url,
    related: source.related.map((r) => presentCard(r.row, r.translations, tr, options.defaultLanguage, lookups)),
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  };
}
