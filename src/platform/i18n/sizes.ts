/**
 * A file's size as a reader of each language writes it, in decimal units with the symbols CLDR
 * gives the language ("1.4 MB", "1,4 Mo", "12 kB"), so that no catalogue has to name the units.
 */
import { localeOf } from './languages.js';

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
const formats = new Map<string, Intl.NumberFormat>();

/** A size in bytes in a language: one decimal from a kilobyte up; below, whole bytes in words ("999 bytes", not "999 byte"). */
export function formatFileSize(bytes: number, lang: string): string {
  let i = 0;
  let v = bytes;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  const key = `${lang}:${i}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(localeOf(lang), { style: 'unit', unit: UNITS[i], unitDisplay: i === 0 ? 'long' : 'short', maximumFractionDigits: i === 0 ? 0 : 1 });
    formats.set(key, f);
  }
  return f.format(v);
}
