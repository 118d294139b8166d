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
  // ICU formatting is the costliest step of rendering a list; the same few thousand dates recur.
  const key = `${lang}|${precision}|${start}|${end ?? ''}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = formatUncached(start, end, precision, lang);
    if (formatted.size >= FORMATTED_MAX) formatted.delete(formatted.keys().next().value!);
    formatted.set(key, text);
  }
  return text;
}

const FORMATTED_MAX = 20_000;
const formatted = new Map<string, string>();

function formatUncached(start: string, end: string | null, precision: DatePrecision, lang: string): string {
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

const dayParts = new Map<string, Intl.DateTimeFormat>();
function partsIn(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  let f = dayParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    dayParts.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute), s: Number(p.second) };
}

/** The last day a date of some precision may mean: the day itself, the month's last day, the year's. */
export function lastPossibleDay(date: string, precision: string): string {
  if (precision === 'year' || /^\d{4}$/.test(date)) return `${date.slice(0, 4)}-12-31`;
  if (precision === 'month' || /^\d{4}-\d{2}$/.test(date)) {
    const [y, m] = date.split('-').map(Number);
    return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
  }
  return date.slice(0, 10);
}

/** Today's date in a time zone (the site's; UTC by default) as YYYY-MM-DD. */
export function todayIso(now = new Date(), timeZone = 'UTC'): string {
  if (timeZone === 'UTC') return now.toISOString().slice(0, 10);
  const { y, m, d } = partsIn(now, timeZone);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** How far a time zone is ahead of UTC at an instant, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const p = partsIn(at, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The next midnight after `now` in a time zone: when "today" changes for lists of upcoming meetings. */
export function nextDayBoundary(now: Date, timeZone = 'UTC'): Date {
  const p = partsIn(now, timeZone);
  const localMidnight = Date.UTC(p.y, p.m - 1, p.d + 1);
  // Two passes settle the offset when midnight falls on the other side of a clock change.
  let guess = localMidnight - offsetMs(now, timeZone);
  guess = localMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess <= now.getTime() ? now.getTime() + 60_000 : guess);
}
