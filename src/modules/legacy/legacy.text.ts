/**
 * Text helpers shared by the legacy importer: folding for comparisons, and the five languages the
 * old pages are written in.
 */

export const PAGE_LANGUAGES = ['en', 'fr', 'es', 'pt', 'it'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** Lower-case, diacritics removed, typographic apostrophes and dashes made plain: the form we compare words in. */
export function fold(s: string): string {
  // Most words are plain ASCII: skip the Unicode work for them.
  if (/^[\x20-\x26\x28-\x7e]*$/.test(s)) return s.toLowerCase();
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘ʼ`´]/g, "'")
    .replace(/[‐‑‒–—−]/g, '-')
    .toLowerCase();
}

/** Same length as the input (one character for one), so offsets found in it point into the original. */
export function normaliseSameLength(s: string): string {
  return s.replace(/[‐‑‒–—−]/g, '-').replace(/[\u00a0\u2007\u202f\u2009\u200a]/g, ' ').replace(/[’‘ʼ]/g, "'");
}

/** Collapses runs of white space to one space and trims. */
export function squash(s: string): string {
  return s.replace(/[\s\u00a0\u2007\u202f\u2009\u200a]+/g, ' ').trim();
}

/** Escapes text for inclusion in HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Splits a paragraph into sentences, keeping abbreviations such as "Mr." inside; each with its offset. */
export function sentences(text: string): { text: string; index: number }[] {
  const out: { text: string; index: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.!?]+(?=\s+[\p{Lu}\d«"“(]|\s*$)/gu)) {
    const end = m.index + m[0].length;
    const candidate = text.slice(start, end);
    // "Mr. Sutherland", "Dr. X", "M. Dupont": an abbreviation does not end a sentence.
    if (/(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|St|H\.E|M|Mme|Sr|Sra|Dña|Sig|No|Nr)\.$/u.test(candidate)) continue;
    if (candidate.trim()) out.push({ text: candidate, index: start });
    start = end;
  }
  if (text.slice(start).trim()) out.push({ text: text.slice(start), index: start });
  return out;
}

const STOP_WORDS: Record<PageLanguage, string[]> = {
  en: ['the', 'and', 'of', 'to', 'in', 'was', 'were', 'with', 'for', 'on', 'this', 'by', 'from', 'will', 'which', 'their', 'meeting'],
  fr: ['le', 'la', 'les', 'des', 'et', 'du', 'pour', 'dans', 'sur', 'une', 'au', 'aux', 'est', 'ont', 'par', 'qui', 'réunion', 'été'],
  es: ['el', 'los', 'las', 'del', 'y', 'para', 'por', 'con', 'una', 'fue', 'se', 'en', 'al', 'que', 'reunión', 'sobre', 'como'],
  pt: ['o', 'os', 'do', 'da', 'dos', 'das', 'e', 'para', 'com', 'uma', 'foi', 'em', 'no', 'na', 'ao', 'não', 'reunião', 'sobre', 'que'],
  it: ['il', 'gli', 'della', 'delle', 'degli', 'e', 'per', 'con', 'una', 'è', 'stata', 'nel', 'nella', 'dei', 'alla', 'riunione', 'che', 'sono'],
};

/** The language a page is written in, from its function words (one of the five the importer reads). */
export function detectLanguage(text: string, hint?: string | null): PageLanguage {
  const h = hint?.slice(0, 2).toLowerCase();
  if (h && (PAGE_LANGUAGES as readonly string[]).includes(h)) return h as PageLanguage;
  const counts = new Map<string, number>();
  // The first 100,000 characters say which language a page is in as well as the whole would.
  for (const w of text.slice(0, 100_000).toLowerCase().match(/\p{L}+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  let best: PageLanguage = 'en';
  let bestScore = -1;
  for (const lang of PAGE_LANGUAGES) {
    const score = STOP_WORDS[lang].reduce((n, w) => n + (counts.get(w) ?? 0), 0);
    if (score > bestScore) {
      best = lang;
      bestScore = score;
    }
  }
  return best;
}
