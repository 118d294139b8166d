/**
 * Slugs: the word part of a public address (`/fr/activities/l-asile-en-2015`).
 *
 * Latin letters are folded to plain a-z (accents dropped, œ → oe, ß → ss) because that is what
 * people type and what the old sites used. Every other script keeps its own letters: an Arabic
 * title gives an Arabic slug, which browsers show as typed and send percent-encoded.
 */

/** Longest slug `slugify` makes unless asked otherwise (characters, not bytes). */
export const SLUG_MAX_LENGTH = 100;

/**
 * The shape of a slug: words of letters (with their combining marks) and digits, joined by single
 * hyphens. `isValidSlug` adds what a regular expression cannot say well (normal form, case, folded
 * Latin letters), so validators should call it rather than test this pattern alone.
 */
export const SLUG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:-[\p{L}\p{N}][\p{L}\p{M}\p{N}]*)*$/u;

/** Latin letters that carry no decomposable accent but still have a plain spelling. */
const LATIN_LETTERS: Record<string, string> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ẞ: 'ss',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const LATIN_LETTER_RE = new RegExp(`[${Object.keys(LATIN_LETTERS).join('')}]`, 'gu');

/**
 * Elided words before an apostrophe: French (l', d', qu', jusqu'...) and Italian (dell', all',
 * un'...). The apostrophe stands for a dropped vowel, so it separates two words ("l'asile" is
 * "la asile"); any other apostrophe is just removed ("Officials' meeting", "don't").
 */
const ELISION = /(?<![\p{L}\p{M}\p{N}])(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu|dell|dall|nell|sull|all|coll|un|quest|quell)['’ʼ](?=\p{L})/giu;
const APOSTROPHES = /['’ʼ‘`´]/g;

/** A Latin letter followed by combining marks: the marks are accents to drop. */
const LATIN_WITH_MARKS = /(\p{Script=Latin})\p{M}+/gu;

/**
 * Marks that Arabic and Hebrew writers may or may not add (short vowels, cantillation, the Arabic
 * elongation stroke): dropped, so that the same title always gives the same address. The hamza
 * and madda (U+0653-U+0655) are part of the spelling and stay: NFKD splits أ or ؤ into a letter
 * and a hamza, and NFC joins them again.
 */
// Each mark is matched on its own, on purpose: the class lists combining marks, not letters.
// eslint-disable-next-line no-misleading-character-class
const OPTIONAL_MARKS = /[\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u0610-\u061A\u0640\u064B-\u0652\u0656-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E4\u06E7\u06E8\u06EA-\u06ED]/g;

/** Invisible format characters (joiners, bidi marks, soft hyphens): removed, never a separator. */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/gu;

/** A combining mark with no letter or digit before it belongs to nothing: dropped. */
const STRAY_MARKS = /(^|[^\p{L}\p{M}\p{N}])\p{M}+/gu;

/** Length in characters (code points), the unit slug limits are written in. */
export function slugLength(slug: string): number {
  let n = 0;
  for (const _ of slug) n++;
  return n;
}

/**
 * Shortens a slug to at most `max` characters, at a hyphen when one falls in the last 60% of the
 * allowed length, so a word is cut only when the first words are very long.
 */
function shorten(slug: string, max: number): string {
  const chars = Array.from(slug);
  if (chars.length <= max) return slug;
  if (chars[max] === '-') return chars.slice(0, max).join('');
  const cut = chars.slice(0, max);
  const lastHyphen = cut.lastIndexOf('-');
  const kept = lastHyphen > max * 0.4 ? cut.slice(0, lastHyphen) : cut;
  return kept.join('').replace(/-+$/, '');
}

/**
 * A slug from a title: Latin letters lower-cased and folded to a-z, other scripts' letters and
 * digits kept (in NFC, lower-cased where the script has case), hyphens between words, at most
 * `maxLength` characters. Returns '' when the title has no letter or digit at all.
 */
export function slugify(title: string, maxLength: number = SLUG_MAX_LENGTH): string {
  const words = title
    .replace(ELISION, '$1 ')
    .replace(APOSTROPHES, '')
    // Compatibility forms become plain ones here: ligatures, full-width letters, superscripts.
    .normalize('NFKD')
    .toLowerCase()
    .replace(LATIN_LETTER_RE, (c) => LATIN_LETTERS[c] ?? c)
    .replace(LATIN_WITH_MARKS, '$1')
    .replace(OPTIONAL_MARKS, '')
    .replace(FORMAT_CHARACTERS, '')
    // Scripts such as Hangul were taken apart by NFKD: put them back together.
    .normalize('NFC')
    .toLowerCase()
    .replace(STRAY_MARKS, '$1')
    .replace(SEPARATORS, '-')
    .replace(/^-+|-+$/g, '');
  return shorten(words, maxLength);
}

/**
 * True when a string is a slug as `slugify` would write it (so two spellings of one address
 * cannot both exist) and is at most `maxLength` characters long.
 */
export function isValidSlug(slug: string, maxLength: number = SLUG_MAX_LENGTH): boolean {
  return slug !== '' && slugLength(slug) <= maxLength && SLUG_PATTERN.test(slug) && slugify(slug, Infinity) === slug;
}
