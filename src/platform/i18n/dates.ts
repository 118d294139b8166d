import { localeOf } from './languages.js';

export type DatePrecision = 'day' | 'month' | 'year';

const formats = new Map<string, Intl.DateTimeFormat>();

function fmt(lang: string, precision: DatePrecision): Intl.DateTimeFormat {
  const key = `${lang}:${precision}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      precision === 'day'
        ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
        : precision === 'month'
          ? { month: 'long', year: 'numeric', timeZone: 'UTC' }
          : { year: 'numeric', timeZone: 'UTC' };
    f = new Intl.DateTimeFormat(localeOf(lang), options);
    formats.set(key, f);
  }
  return f;
}

function toDate(iso: string): Date {
  const [y, m = '01', d = '01'] = iso.split('-');
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

/**
 * Formats a start and end date at the precision they are known, the way each language writes a
 * range: "15–16 June 2015", "15–16 juin 2015", "March 2008", "2012".
 */
export function formatDateRange(start: string, end: string | null, precision: DatePrecision, lang: string): string {
  const f = fmt(lang, precision);
  const s = toDate(start);
  if (!end || end === start || precision !== 'day') return f.format(s);
  // en-GB spaces a range of bare days ("15 – 16 June"); write it tight, as the dialogue's documents do.
  return f.formatRange(s, toDate(end)).replace(/^(\d{1,2})\s–\s(\d{1,2})\s/u, '$1–$2 ');
}

/** The ISO form of a date at its precision, for <time datetime> and schema.org. */
export function isoAtPrecision(date: string, precision: DatePrecision): string {
  return precision === 'day' ? date.slice(0, 10) : precision === 'month' ? date.slice(0, 7) : date.slice(0, 4);
}

/** Today's date in UTC as YYYY-MM-DD. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
