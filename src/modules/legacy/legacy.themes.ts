import { readFrameworkFixtures } from '../framework/index.js';
import { THEME_NUMBER, THEME_TOKEN_EN } from './legacy.lexicon.js';
import { fold } from './legacy.text.js';

/**
 * Themes named on an old page, mapped to the framework that was in force on the activity's date:
 * "Pillars: International protection" on a 2015 page is the Rome Programme's fourth pillar
 * (rome-2014.p4); "Domain 3" in 2019 is marrakesh-2018.d3.
 */

interface ThemeNode {
  code: string;
  level: string;
  number: string | null;
  name: Record<string, string>;
  children?: ThemeNode[];
}
interface FrameworkRecord {
  code: string;
  adopted_on: string | null;
  name: Record<string, string>;
  short_name: Record<string, string>;
  themes: ThemeNode[];
}

const FRAMEWORKS = (readFrameworkFixtures() as FrameworkRecord[])
  .filter((f) => f.adopted_on)
  .sort((a, b) => (a.adopted_on! < b.adopted_on! ? -1 : 1));

/** The framework in force on a date (ISO at any precision): the latest adopted on or before it. */
export function frameworkInForce(date: string): FrameworkRecord | null {
  // A date known to the month or year is compared at its end, so "December 2014" falls under a framework adopted in November 2014.
  const end = date.length === 4 ? `${date}-12-31` : date.length === 7 ? `${date}-31` : date;
  let found: FrameworkRecord | null = null;
  for (const f of FRAMEWORKS) if (f.adopted_on! <= end) found = f;
  // Month and year precision: if the framework was adopted inside that period the date is ambiguous; prefer the earlier one.
  if (found && date.length < 10 && found.adopted_on!.startsWith(date)) {
    const i = FRAMEWORKS.indexOf(found);
    return i > 0 ? FRAMEWORKS[i - 1]! : found;
  }
  return found;
}

const STOP = new Set(
  'the of and on in to for a an with between its their la le les l de des du d et en au aux sur pour el los las del y o os as do da dos das e no na il lo gli della delle dei degli di ed nel nella alla'.split(' '),
);

function stem(token: string): string {
  if (token.length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (token.length > 3 && token.endsWith('s')) return token.slice(0, -1);
  return token;
}

function tokens(text: string): string[] {
  return (fold(text).match(/\p{L}+/gu) ?? [])
    .filter((t) => !STOP.has(t))
    .map((t) => THEME_TOKEN_EN[t] ?? t)
    .map(stem);
}

function topLevel(framework: FrameworkRecord): ThemeNode[] {
  return framework.themes;
}

function allThemes(framework: FrameworkRecord): ThemeNode[] {
  const out: ThemeNode[] = [];
  const walk = (nodes: ThemeNode[]) => {
    for (const n of nodes) {
      out.push(n);
      walk(n.children ?? []);
    }
  };
  walk(framework.themes);
  return out;
}

/** How much of a written theme a framework theme's name covers (0..1), in its English or French name. */
function coverage(written: string[], theme: ThemeNode): number {
  if (!written.length) return 0;
  let best = 0;
  for (const name of Object.values(theme.name)) {
    const t = new Set(tokens(name));
    const hit = written.filter((w) => t.has(w)).length;
    best = Math.max(best, hit / written.length);
  }
  return best;
}

function bestTheme(part: string, framework: FrameworkRecord): { code: string; score: number } | { ambiguous: string[] } | null {
  const written = tokens(part);
  if (!written.length) return null;
  const scored = topLevel(framework)
    .map((t) => ({ code: t.code, score: coverage(written, t) }))
    .sort((a, b) => b.score - a.score);
  const [first, second] = scored;
  if (!first || first.score < 0.75) return null;
  if (second && second.score === first.score) return { ambiguous: scored.filter((s) => s.score === first.score).map((s) => s.code) };
  return first;
}

export interface ThemeMapping {
  codes: string[];
  confidence: number;
  warnings: string[];
  framework: string | null;
}

/** Theme codes written as numbers ("Pillar 4", "Domaine 3", "Objective 5a") in a text, in a framework. */
function numberedThemes(text: string, framework: FrameworkRecord): string[] {
  const codes = new Set(allThemes(framework).map((t) => t.code));
  const out: string[] = [];
  for (const m of fold(text).matchAll(THEME_NUMBER)) {
    const word = m[1]!;
    const n = m[2]!;
    const level = /^(?:obj|obiet)/.test(word) ? ['o'] : /^(?:pil|eix)/.test(word) ? ['p', 'd'] : ['d', 'p'];
    const code = level.map((l) => `${framework.code}.${l}${n}`).find((c) => codes.has(c));
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

/**
 * Maps a themes field ("International protection", "Domaines : Protection et asile ; Retour",
 * "Pillar 4") to theme codes of the framework in force on the date. Parts that match nothing, or
 * more than one theme equally, are reported and left out.
 */
export function mapThemes(value: string, date: string | null): ThemeMapping {
  if (!date) return { codes: [], confidence: 0, warnings: [`themes: "${value}" cannot be mapped to a framework without the activity's date`], framework: null };
  const framework = frameworkInForce(date);
  if (!framework) return { codes: [], confidence: 0, warnings: [`themes: no framework was in force on ${date} for "${value}"`], framework: null };
  const warnings: string[] = [];
  const codes: string[] = numberedThemes(value, framework);
  let confidence = codes.length ? 0.9 : 0;
  // What is left once the numbered themes are taken out ("Domain 1, Domain 2" leaves only commas).
  const folded = fold(value);
  let rest = folded.length === value.length ? value : folded;
  for (const m of folded.matchAll(THEME_NUMBER)) rest = rest.slice(0, m.index) + ' '.repeat(m[0].length) + rest.slice(m.index + m[0].length);
  const leftover = rest.replace(/\p{P}|\s/gu, '');
  rest = rest.trim();
  if (leftover.length > 2) {
    // A theme's own name may hold a comma ("Irregular migration, migrant smuggling and trafficking"): try the whole value first.
    const whole = bestTheme(rest, framework);
    const parts: string[] = [];
    if (whole && 'code' in whole && (whole.score === 1 || !/[,;|/\n•]/.test(rest))) parts.push(rest);
    else parts.push(...rest.split(/[,;|/\n•]+/).map((p) => p.trim()).filter(Boolean));
    for (const part of parts) {
      const found = bestTheme(part, framework);
      if (!found || 'ambiguous' in found) {
        // "Legal migration and International protection": two themes joined by a conjunction.
        const halves = part.split(/\s+(?:and|et|y|e|ed)\s+/i);
        const mapped = halves.length > 1 ? halves.map((h) => bestTheme(h, framework)) : [];
        if (mapped.length && mapped.every((m) => m && 'code' in m)) {
          for (const m of mapped) if (m && 'code' in m && !codes.includes(m.code)) codes.push(m.code);
          confidence = Math.max(confidence, 0.75);
          continue;
        }
      }
      if (!found) {
        warnings.push(`themes: "${part}" matches no ${framework.short_name.en ?? framework.code} theme; left out`);
        continue;
      }
      if ('ambiguous' in found) {
        warnings.push(`themes: "${part}" matches several themes equally (${found.ambiguous.join(', ')}); left out`);
        continue;
      }
      if (!codes.includes(found.code)) codes.push(found.code);
      confidence = Math.max(confidence, found.score === 1 ? 0.85 : 0.7);
    }
  }
  return { codes, confidence: codes.length ? confidence : 0, warnings, framework: framework.code };
}

/** Theme numbers written in a title ("... (Domain 3)"), mapped in the framework in force. */
export function themesInText(text: string, date: string | null): string[] {
  if (!date) return [];
  const framework = frameworkInForce(date);
  return framework ? numberedThemes(text, framework) : [];
}
