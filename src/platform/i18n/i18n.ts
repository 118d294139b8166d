import { IntlMessageFormat } from 'intl-messageformat';
import { localeOf, textDirection } from './languages.js';
import { en } from './messages.en.js';
import { fr } from './messages.fr.js';

/**
 * Every message key of the interface: the platform's own (messages.en.ts) and each module's, which
 * a module adds by declaration merging in its `<module>.catalogue.ts`:
 *
 *     declare module '../../platform/i18n/i18n.js' {
 *       interface MessageCatalogue extends Record<keyof typeof pagesEn, string> {}
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the body comes from the modules' declarations
export interface MessageCatalogue extends Record<keyof typeof en, string> {}
export type MessageKey = keyof MessageCatalogue & string;

/**
 * The interface catalogues, one per interface language: the platform's messages, then each
 * module's as it registers them. A new language is one more entry here and one more file per module.
 */
const catalogues: Record<string, Record<string, string>> = { en: { ...en }, fr: { ...fr } };
const owners = new Map<string, string>();

/**
 * Adds a module's messages to every catalogue. A module must give every interface language (its
 * files are typed so that none can miss a key), and no two owners may give the same key.
 */
export function registerMessages(owner: string, byLanguage: Record<string, Record<string, string>>): void {
  for (const lang of Object.keys(catalogues)) if (!byLanguage[lang]) throw new Error(`${owner}: no ${lang} messages`);
  for (const [lang, messages] of Object.entries(byLanguage)) {
    const target = catalogues[lang];
    if (!target) throw new Error(`${owner}: ${lang} is not an interface language`);
    for (const [key, text] of Object.entries(messages)) {
      const first = owners.get(key) ?? (Object.hasOwn(en, key) ? 'platform' : undefined);
      if (first !== undefined && first !== owner) throw new Error(`${owner}: the message ${key} belongs to ${first}`);
      owners.set(key, owner);
      target[key] = text;
    }
  }
}

export type Values = Record<string, string | number>;

/** Everything a view needs to speak one language: messages, dates and numbers. */
export interface Translator {
  lang: string;
  locale: string;
  /** Which way the language is written, for the `dir` attribute. */
  dir: 'ltr' | 'rtl';
  t(key: MessageKey, values?: Values): string;
  number(n: number): string;
  /** A number with at most this many decimals ("1.2", "1,2"). */
  decimal(n: number, maxFractionDigits: number): string;
  /** Sorts texts in the language's order (one collator per language, made once). */
  collator: Intl.Collator;
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

/** True when a string is a message key of the interface (for messages that arrive as data). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(catalogues.en!, key);
}

/** True when an interface catalogue exists for the language. */
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
  const decimals = new Map<number, Intl.NumberFormat>();
  const tr: Translator = {
    lang,
    locale,
    dir: textDirection(lang),
    t(key, values) {
      // A key no registered module gives (its module was not imported) shows as itself, never as nothing.
      const message = catalogue[key] ?? catalogues.en![key] ?? key;
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
    decimal(n, digits) {
      let f = decimals.get(digits);
      if (!f) {
        f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
        decimals.set(digits, f);
      }
      return f.format(n);
    },
    collator: new Intl.Collator(locale),
  };
  translators.set(lang, tr);
  return tr;
}
