import { IntlMessageFormat } from 'intl-messageformat';
import { localeOf, textDirection } from './languages.js';
import { adminEn } from './messages.admin.en.js';
import { adminFr } from './messages.admin.fr.js';
import { en } from './messages.en.js';
import { fr } from './messages.fr.js';
import { legacyEn } from './messages.legacy.en.js';
import { legacyFr } from './messages.legacy.fr.js';

/** Every message key of the interface: public site, back-office and e-mails. */
export type MessageKey = keyof typeof en | keyof typeof adminEn | keyof typeof legacyEn;
type Catalogue = Record<MessageKey, string>;

/** The interface catalogues: a new language is one more line here (its files typed as Catalogue). */
const catalogues: Record<string, Catalogue> = { en: { ...en, ...adminEn, ...legacyEn }, fr: { ...fr, ...adminFr, ...legacyFr } };

export type Values = Record<string, string | number>;

/** Everything a view needs to speak one language: messages, dates and numbers. */
export interface Translator {
  lang: string;
  locale: string;
  /** Which way the language is written, for the `dir` attribute. */
  dir: 'ltr' | 'rtl';
  t(key: MessageKey, values?: Values): string;
  number(n: number): string;
}

const formatCache = new Map<string, IntlMessageFormat>();
const translators = new Map<string, Translator>();

/** The languages that have an interface catalogue, English (the reference catalogue) first. */
export function catalogueLanguages(): string[] {
  return Object.keys(catalogues);
}

/** Every message of a language's catalogue, for tests that check catalogues against each other. */
export function catalogueOf(lang: string): Readonly<Record<string, string>> | undefined {
  return catalogues[lang];
}

/** True when an interface catalogue exists for the language. */
/** True when a string is a message key of the interface (for messages that arrive as data). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en!, key);
}

export function hasCatalogue(lang: string): boolean {
  return lang in catalogues;
}

/** Returns the translator for a language (cached; one per language). */
export function translator(lang: string): Translator {
  const cached = translators.get(lang);
  if (cached) return cached;
  const catalogue = catalogues[lang];
  if (!catalogue) throw new Error(`No catalogue for language ${lang}`);
  const locale = localeOf(lang);
  const numberFormat = new Intl.NumberFormat(locale);
  const tr: Translator = {
    lang,
    locale,
    dir: textDirection(lang),
    t(key, values) {
      const message = catalogue[key];
      if (!values) return message;
      const cacheKey = `${lang}\u0000${key}`;
      let fmt = formatCache.get(cacheKey);
      if (!fmt) {
        fmt = new IntlMessageFormat(message, locale);
        formatCache.set(cacheKey, fmt);
      }
      return String(fmt.format(values)).replace(/ {2,}/g, ' ').trim();
    },
    number: (n) => numberFormat.format(n),
  };
  translators.set(lang, tr);
  return tr;
}
