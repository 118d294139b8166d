import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as frenchStemmer } from '@orama/stemmers/french';
import { stopwords as englishStopwords } from '@orama/stopwords/english';
import { stopwords as frenchStopwords } from '@orama/stopwords/french';

/**
 * How the search reads text, the same way for what is indexed and for what is asked, on both
 * databases: words of letters and digits, stop words of the language left out, each word stemmed
 * lower-cased with its accents taken off, then stemmed by the language's Snowball stemmer, so
 * "réunions", "Reunion" and "réunion" are one term. A language without a stemmer keeps whole words.
 */

/** Lower case without accents or other marks: "Réunion" gives "reunion". */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

const foldedSet = (words: readonly string[]) => new Set(words.map(fold));
const STOPWORDS: Record<string, Set<string>> = { en: foldedSet(englishStopwords), fr: foldedSet(frenchStopwords) };
const STEMMERS: Record<string, (word: string) => string> = { en: englishStemmer, fr: frenchStemmer };

/** The longest word kept (longer runs of letters are not words anyone searches for). */
const MAX_WORD = 60;
const WORD = /[\p{L}\p{N}]+/gu;

/** The term a word gives in a language, or '' when it is a stop word (or not a word). */
export function termOf(word: string, lang: string): string {
  const lower = word.normalize('NFC').toLowerCase();
  const folded = fold(lower);
  if (!folded || folded.length > MAX_WORD) return '';
  // French elisions split off as a letter of their own ("l'asile", "d'Afrique"): not words.
  if (folded.length === 1 && /\p{L}/u.test(folded)) return '';
  if (STOPWORDS[lang]?.has(folded)) return '';
  const stem = STEMMERS[lang];
  // The stemmer reads the word without its accents: "transfrontalière" and "transfrontaliere"
  // must give one term (French Snowball treats è and e apart).
  return stem ? fold(stem(folded)) : folded;
}

/** The terms of a text in a language, in order. */
export function terms(text: string, lang: string): string[] {
  const out: string[] = [];
  for (const [word] of text.matchAll(WORD)) {
    const term = termOf(word, lang);
    if (term) out.push(term);
  }
  return out;
}

/** Distinct words remembered per language before the memo starts afresh (a few MB). */
const MEMO_WORDS = 200_000;
const memo = new Map<string, Map<string, string>>();

/**
 * `terms(text, lang).join(' ')`, with each distinct word analysed once: stemming every word anew
 * was most of the time of an index rebuild (a text repeats its words), and a word gives the same
 * term every time.
 */
export function indexedTerms(text: string, lang: string): string {
  let known = memo.get(lang);
  if (!known) memo.set(lang, (known = new Map()));
  const out: string[] = [];
  // exec in a loop: a third of the time of matchAll's iterator on long texts.
  const word = new RegExp(WORD);
  for (let m = word.exec(text); m; m = word.exec(text)) {
    let term = known.get(m[0]);
    if (term === undefined) {
      if (known.size >= MEMO_WORDS) known.clear();
      term = termOf(m[0], lang);
      known.set(m[0], term);
    }
    if (term) out.push(term);
  }
  return out.join(' ');
}

/** One part of a query: a word, or a phrase in quotes; with a minus in front, what results must not contain. */
export interface QueryPart {
  terms: string[];
  phrase: boolean;
  exclude: boolean;
}

export interface ParsedQuery {
  /** The query as kept (control characters out, at most MAX_QUERY characters). */
  text: string;
  parts: QueryPart[];
  /** True when the query was longer than what is searched, and shortened. */
  shortened: boolean;
}

export const MAX_QUERY = 200;
const MAX_PARTS = 12;

/**
 * Reads what a visitor typed. Anything is accepted: words, "phrases in quotes", -excluded words or
 * phrases; an unbalanced quote runs to the end; operators of the database's own syntax (`NEAR(`,
 * `OR`, `*`, `:`) are ordinary words or left out, since only terms reach the database.
 */
export function parseQuery(raw: string, lang: string): ParsedQuery {
  // eslint-disable-next-line no-control-regex -- control characters (NUL included) are not text anyone searches for
  const cleaned = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = Array.from(cleaned);
  const shortened = chars.length > MAX_QUERY;
  const text = shortened ? chars.slice(0, MAX_QUERY).join('') : cleaned;
  const parts: QueryPart[] = [];
  let count = 0;
  for (const m of text.matchAll(/(-?)"([^"]*)"?|(-?)([^\s"]+)/g)) {
    const phrase = m[2] !== undefined;
    const exclude = (phrase ? m[1] : m[3]) === '-';
    const partTerms = terms(phrase ? m[2]! : m[4]!, lang);
    if (!partTerms.length) continue;
    // A word like "co-chair" or "2015/2016" gives several terms: they are searched as a phrase.
    parts.push({ terms: partTerms, phrase: phrase || partTerms.length > 1, exclude });
    if (++count >= MAX_PARTS) break;
  }
  return { text, parts, shortened: shortened || count >= MAX_PARTS };
}

/** True when the query has something to look for (excluded words alone find nothing). */
export function searchable(query: ParsedQuery): boolean {
  return query.parts.some((p) => !p.exclude);
}

/**
 * A passage of a text around the first word that matches, about `words` words long, as pieces to
 * show: `mark` pieces are the matching words. The whole text when it is short; its beginning when
 * nothing matches.
 */
export function snippet(text: string, wanted: ReadonlySet<string>, lang: string, words = 32): { text: string; mark: boolean }[] {
  const found = [...text.matchAll(WORD)];
  if (!found.length) return [];
  const matches = found.map((m) => wanted.has(termOf(m[0], lang)));
  const first = matches.indexOf(true);
  const startWord = first < 0 ? 0 : Math.max(0, first - Math.floor(words / 3));
  const endWord = Math.min(found.length, startWord + words);
  const from = startWord === 0 ? 0 : found[startWord]!.index;
  const to = endWord === found.length ? text.length : found[endWord - 1]!.index + found[endWord - 1]![0].length;
  const pieces: { text: string; mark: boolean }[] = [];
  if (from > 0) pieces.push({ text: '… ', mark: false });
  let at = from;
  for (let i = startWord; i < endWord; i++) {
    if (!matches[i]) continue;
    const m = found[i]!;
    if (m.index > at) pieces.push({ text: text.slice(at, m.index), mark: false });
    pieces.push({ text: m[0], mark: true });
    at = m.index + m[0].length;
  }
  if (to > at) pieces.push({ text: text.slice(at, to), mark: false });
  if (to < text.length) pieces.push({ text: ' …', mark: false });
  return pieces;
}
