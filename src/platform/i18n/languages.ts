/**
 * Facts about languages that do not belong in a message catalogue: how each names itself, which
 * way it is written, and which regional locale formats its dates and numbers. A language missing
 * here still works (its code is its own locale, it is written left to right); add a line when one
 * needs better.
 */

/** Each language named in itself, for language switches. */
const AUTONYMS: Record<string, string> = {
  en: 'English',
  fr: 'Français',
  es: 'Español',
  pt: 'Português',
  it: 'Italiano',
  ar: 'العربية',
  fa: 'فارسی',
  he: 'עברית',
  ur: 'اردو',
};

/** Languages written right to left. */
const RIGHT_TO_LEFT = new Set(['ar', 'fa', 'he', 'ur']);

/**
 * The regional locale used for dates and numbers. British English and metropolitan French are the
 * dialogue's working conventions ("15 June 2015", "15 juin 2015").
 */
const LOCALES: Record<string, string> = { en: 'en-GB', fr: 'fr-FR' };

/** The language's name in itself ("Français"), or its code when unknown. */
export function autonym(lang: string): string {
  return AUTONYMS[lang] ?? lang;
}

/** `rtl` for languages written right to left, else `ltr`: the value of the `dir` attribute. */
export function textDirection(lang: string): 'ltr' | 'rtl' {
  return RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr';
}

/** The BCP 47 locale that formats dates and numbers in a language. */
export function localeOf(lang: string): string {
  return LOCALES[lang] ?? lang;
}

/** The Open Graph form of the locale ("en_GB"). */
export function ogLocaleOf(lang: string): string {
  return localeOf(lang).replace('-', '_');
}
