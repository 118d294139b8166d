import { formatDateRange, isoAtPrecision, type DatePrecision } from '../../platform/i18n/dates.js';
import type { Translator, MessageKey } from '../../platform/i18n/i18n.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import { url, type Query } from '../../platform/http/urls.js';
import type { ActivityRow, TranslationRow } from './activities.repository.js';

/** Names the presenter needs, loaded by the service in a few queries. */
export interface Lookups {
  countries: Map<string, string>;
  organisations: Map<number, { name: string; abbr: string | null }>;
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
    status: row.status,
    statusLabel: tr.t(`status.${row.status}` as MessageKey),
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

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** Size of a file in the reader's language: "1.2 MB", "1,2 Mo" (each catalogue names the units). */
export function fileSize(bytes: number, tr: Translator): string {
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < SIZE_UNITS.length - 1) {
    n /= 1000;
    i++;
  }
  const size = new Intl.NumberFormat(tr.locale, { maximumFractionDigits: i === 0 ? 0 : 1 }).format(n);
  return tr.t('document.size', { size, unit: SIZE_UNITS[i] ?? 'gigabyte' });
}
