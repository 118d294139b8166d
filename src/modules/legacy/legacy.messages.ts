import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { legacyEn } from './legacy.catalogue.en.js';

/**
 * The importer's warnings, plan reasons and merge changes as structured messages: a code (a key
 * of the legacy catalogue under "legacy.msg.") and its values. The importer still hands out, prints
 * and stores the English text (the command line, its JSON output and the legacy_import_items rows
 * are unchanged); the English text is the catalogue's English message with its values put in, so a
 * stored line reads back into its code and values (parseLegacyMessage) and is shown in the
 * reader's language (translateLegacyMessage). Rows written before, and any line the catalogue does
 * not know, are shown as they are, in English.
 */

/** The language the importer writes its warnings in (and stores them in). */
export const IMPORTER_LANGUAGE = 'en';

export type LegacyMessageCode = Extract<keyof typeof legacyEn, `legacy.msg.${string}`>;
export interface LegacyMessage {
  code: LegacyMessageCode;
  values: Record<string, string>;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The English text of a message, exactly as the importer prints and stores it. */
export function legacyMessageEn(code: LegacyMessageCode, values: Record<string, string | number> = {}): string {
  return legacyEn[code].replace(PLACEHOLDER, (all, name: string) => (name in values ? String(values[name]) : all));
}

/** Values that are a word from a closed list, so a bare "{label}" does not read every line. */
const CLOSED: Partial<Record<LegacyMessageCode, Record<string, string>>> = {
  'legacy.msg.change.field': { label: 'type|dates|format|country|host|participants|countries_count|organisations_count|co-chairs|themes' },
  'legacy.msg.figure.both': { kind: 'participants|countries_count|organisations_count' },
  'legacy.msg.figure.another': { kind: 'participants|countries_count|organisations_count' },
};

/** Values that are themselves messages (a date note, a plan reason, why a match was made, a target). */
const NESTED = new Set(['note', 'reason', 'why', 'a', 'b', 'target']);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Pattern {
  code: LegacyMessageCode;
  re: RegExp;
  names: string[];
  literal: number;
}

const PATTERNS: Pattern[] = (Object.keys(legacyEn) as (keyof typeof legacyEn)[])
  .filter((k): k is LegacyMessageCode => k.startsWith('legacy.msg.'))
  .map((code) => {
    const template = legacyEn[code];
    const names: string[] = [];
    let source = '';
    let literal = 0;
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      const text = template.slice(last, m.index);
      source += escape(text);
      literal += text.length;
      names.push(m[1]!);
      source += `(${CLOSED[code]?.[m[1]!] ?? '[^]*?'})`;
      last = m.index + m[0].length;
    }
    source += escape(template.slice(last));
    literal += template.length - last;
    return { code, re: new RegExp(`^${source}$`), names, literal };
  })
  // The most specific first: "date: {note}" is tried after every "date: ..." that says more.
  .sort((a, b) => b.literal - a.literal);

/** The code and values of an English line the importer wrote, or null when the catalogue does not know it. */
export function parseLegacyMessage(text: string): LegacyMessage | null {
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const values: Record<string, string> = {};
    p.names.forEach((name, i) => (values[name] = m[i + 1]!));
    return { code: p.code, values };
  }
  return null;
}

/** A line in the reader's language; `translated` is false when it is shown as written, in English. */
export function translateLegacyMessage(tr: Translator, text: string): { text: string; translated: boolean } {
  const msg = parseLegacyMessage(text);
  if (!msg) return { text, translated: false };
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(msg.values)) values[name] = NESTED.has(name) ? translateLegacyMessage(tr, value).text : value;
  // An ICU select keyword cannot hold a hyphen: the other catalogues name the co-chairs field co_chairs.
  if (tr.lang !== IMPORTER_LANGUAGE && values.label === 'co-chairs') values.label = 'co_chairs';
  return { text: tr.t(msg.code as MessageKey, values), translated: true };
}
