import { IntlMessageFormat } from 'intl-messageformat';
import { adminEn } from './messages.admin.en.js';
import { adminFr } from './messages.admin.fr.js';
import { en } from './messages.en.js';
import { fr } from './messages.fr.js';
import { legacyEn } from './messages.legacy.en.js';
import { legacyFr } from './messages.legacy.fr.js';

/** Every message key of the interface: public site, back-office and e-mails. */
export type MessageKey = keyof typeof en | keyof typeof adminEn | keyof typeof legacyEn;
type Catalogue = Record<MessageKey, string>;

const catalogues: Record<string, Catalogue> = { en: { ...en, ...adminEn, ...legacyEn }, fr: { ...fr, ...adminFr, ...legacyFr } };

/** The BCP 47 locale used for dates and numbers in each interface language. */
const LOCALES: Record<string, string> = { en: 'en-GB', fr: 'fr-FR' };

/** Open Graph locale of each language. */
export const OG_LOCALES: Record<string, string> = { en: 'en_GB', fr: 'fr_FR' };

export type Values = Record<string, string | number>;

/** Everything a view needs to speak one language: messages, dates and numbers. */
export interface Translator {
  lang: string;
  locale: string;
  t(key: MessageKey, values?: Values): string;
  number(n: number): string;
}

const formatCache = new Map<string, IntlMessageFormat>();
const translators = new Map<string, Translator>();

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
  const locale = LOCALES[lang] ?? lang;
  const numberFormat = new Intl.NumberFormat(locale);
  const tr: Translator = {
    lang,
    locale,
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
