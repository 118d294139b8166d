import { fold, normaliseSameLength } from './legacy.text.js';

/**
 * Dates as people write them on the old pages, in English, French, Spanish, Portuguese and Italian:
 * "15 and 16 June 2015", "30 November - 1 December 2016", "Monday, 10 June 2019 - Tuesday, 11 June
 * 2019", "les 13 et 14 décembre 2022", "del 13 al 14 de diciembre de 2022", "15/06/2015", "June 2015".
 * The parser never invents: a day it cannot read lowers the precision (with a warning), a missing
 * year stays missing until the caller finds it in the page's context.
 */

export type DatePrecision = 'day' | 'month' | 'year';

/** A calendar point known to some precision; missing parts are null. */
export interface DatePoint {
  y: number | null;
  m: number | null;
  d: number | null;
}

/** One date phrase found in a text. */
export interface DateMatch {
  /** The phrase as written. */
  raw: string;
  /** Offsets of the phrase in the scanned text. */
  index: number;
  end: number;
  from: DatePoint;
  to: DatePoint;
  precision: DatePrecision;
  /** True when no year was written (the caller may complete it from context). */
  yearless: boolean;
  /** True when part of the phrase could not be read and the precision was lowered. */
  mangled: boolean;
  /** Written as digits (15/06/2015), the way page headers write dates. */
  numeric: boolean;
  warnings: string[];
}

const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAY_NAMES_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Month words of the five languages, folded (lower case, no diacritics). */
const MONTHS = new Map<string, { m: number; abbr: boolean }>();
function months(names: string, abbr = false) {
  names.split(' ').forEach((n, i) => {
    if (n !== '-') for (const v of n.split('|')) MONTHS.set(v, { m: i + 1, abbr });
  });
}
months('january february march april may june july august september october november december');
months('jan feb mar apr - jun jul aug sep|sept oct nov dec', true);
months('janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre');
months('janv fevr|fev - avr - - juil - - - - -', true);
months('enero febrero marzo abril mayo junio julio agosto septiembre|setiembre octubre noviembre diciembre');
months('ene - - - - - - ago - - - dic', true);
months('janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro');
months('gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre');

/** Weekday words, folded; values follow Date.getUTCDay (Sunday = 0). */
const WEEKDAYS = new Map<string, number>();
function weekdays(names: string) {
  names.split(' ').forEach((n, i) => {
    for (const v of n.split('|')) WEEKDAYS.set(v, i);
  });
}
weekdays('sunday monday tuesday wednesday thursday friday saturday');
weekdays('dimanche lundi mardi mercredi jeudi vendredi samedi');
weekdays('domingo lunes martes miercoles jueves viernes sabado');
weekdays('domingo segunda-feira|segunda terca-feira|terca quarta-feira|quarta quinta-feira|quinta sexta-feira|sexta sabado');
weekdays('domenica lunedi martedi mercoledi giovedi venerdi sabato');

/** Words that join two days or two dates into a range, or list days. */
const RANGE_WORDS = new Set(['to', 'till', 'until', 'through', 'thru', 'au', "jusqu'au", 'al', 'a', 'ao', 'hasta', 'ate', 'fino', 'bis']);
const AND_WORDS = new Set(['and', 'et', 'y', 'e']);
/** Words that may sit between a day, its month and its year ("15 de junio de 2015", "the 15th of June"). */
const DAY_MONTH_FILLERS = new Set(['de', 'of', 'the']);
const MONTH_YEAR_FILLERS = new Set(['de', 'del', 'of']);

type Tok =
  | { k: 'num'; v: number; digits: number; s: number; e: number }
  | { k: 'numdate'; d: number; m: number; y: number | null; s: number; e: number }
  | { k: 'month'; m: number; weak: boolean; s: number; e: number }
  | { k: 'weekday'; w: number; s: number; e: number }
  | { k: 'word'; w: string; s: number; e: number }
  | { k: 'punct'; c: string; s: number; e: number };

const TOKEN =
  /(\s+)|(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)|(\d{1,2})([/.])(\d{1,2})(?:\6(\d{4}|\d{2}))?(?![\d/])|(\d{1,4})(?:\.º|º|°|ª|st|nd|rd|th|er|re|ère|ème|e)?(?![\p{L}\d])|(\d+)|(\p{L}+(?:['-]\p{L}+)*)(\.)?|([-/,&.:;|()])|([\s\S])/uy;

function tokenize(text: string): Tok[] {
  const src = normaliseSameLength(text);
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while (TOKEN.lastIndex < src.length && (m = TOKEN.exec(src))) {
    const s = m.index;
    const e = s + m[0].length;
    if (m[1]) continue;
    if (m[2]) {
      out.push({ k: 'numdate', y: Number(m[2]), m: Number(m[3]), d: Number(m[4]), s, e });
    } else if (m[5]) {
      const sep = m[6];
      const yRaw = m[8];
      // "1.5" is a number, not a date: a dotted date needs its year.
      if (sep === '.' && !yRaw) {
        out.push({ k: 'num', v: Number(m[5]), digits: m[5].length, s, e: s + m[5].length });
        TOKEN.lastIndex = s + m[5].length;
        continue;
      }
      let y: number | null = null;
      if (yRaw) y = yRaw.length === 2 ? (Number(yRaw) < 50 ? 2000 : 1900) + Number(yRaw) : Number(yRaw);
      out.push({ k: 'numdate', d: Number(m[5]), m: Number(m[7]), y, s, e });
    } else if (m[9]) {
      out.push({ k: 'num', v: Number(m[9]), digits: m[9].length, s, e });
    } else if (m[10]) {
      out.push({ k: 'word', w: m[10], s, e });
    } else if (m[11]) {
      const word = m[11];
      const f = fold(word);
      const month = MONTHS.get(f);
      const weekday = WEEKDAYS.get(f);
      const dot = !!m[12];
      if (month && (!month.abbr || dot || /^\p{Lu}/u.test(word))) {
        // English "may" and "mar" are ordinary words unless capitalised.
        const weak = (f === 'may' || f === 'mar') && !/^\p{Lu}/u.test(word);
        out.push({ k: 'month', m: month.m, weak, s, e: month.abbr && dot ? e : s + word.length });
        if (!(month.abbr && dot) && dot) out.push({ k: 'punct', c: '.', s: e - 1, e });
      } else if (weekday !== undefined) {
        out.push({ k: 'weekday', w: weekday, s, e: s + word.length });
        if (dot) out.push({ k: 'punct', c: '.', s: e - 1, e });
      } else {
        out.push({ k: 'word', w: f, s, e: s + word.length });
        if (dot) out.push({ k: 'punct', c: '.', s: e - 1, e });
      }
    } else if (m[13]) {
      out.push({ k: 'punct', c: m[13], s, e });
    } else {
      out.push({ k: 'punct', c: m[0], s, e });
    }
  }
  return out;
}

const isYearTok = (t: Tok | undefined): boolean => !!t && t.k === 'num' && t.digits === 4 && t.v >= 1900 && t.v <= 2100;

interface Day {
  d: number | null;
  /** The digits of a day that cannot be a day ("1112"). */
  mangled: string | null;
  weekday: number | null;
  s: number;
  e: number;
}

interface Point extends DatePoint {
  weekday: number | null;
  mangled: string | null;
}

interface Part {
  points: Point[];
  /** How the days inside the part were joined ("15 and 16": and; "15-16": range). */
  joins: ('and' | 'range')[];
  s: number;
  e: number;
  next: number;
  numeric: boolean;
  notes?: string[];
}

class Parser {
  constructor(
    private readonly t: Tok[],
    private readonly text: string,
  ) {}

  private word(i: number, set: Set<string>): boolean {
    const tok = this.t[i];
    return !!tok && tok.k === 'word' && set.has(tok.w);
  }

  private skip(i: number, set: Set<string>): number {
    while (this.word(i, set)) i++;
    return i;
  }

  /** A connector between days or dates at i: its kind and the index after it. */
  connector(i: number): { type: 'and' | 'range'; next: number } | null {
    const tok = this.t[i];
    if (!tok) return null;
    if (tok.k === 'punct') {
      if (tok.c === '-') return { type: 'range', next: i + 1 };
      if (tok.c === '&') return { type: 'and', next: i + 1 };
      if (tok.c === ',') return this.word(i + 1, AND_WORDS) ? { type: 'and', next: i + 2 } : { type: 'and', next: i + 1 };
      return null;
    }
    if (tok.k === 'word') {
      if (RANGE_WORDS.has(tok.w)) return { type: 'range', next: i + 1 };
      if (AND_WORDS.has(tok.w)) return { type: 'and', next: i + 1 };
    }
    return null;
  }

  day(i: number, allowMangled: boolean): (Day & { next: number }) | null {
    let j = i;
    let weekday: number | null = null;
    const first = this.t[j];
    if (first?.k === 'weekday') {
      weekday = first.w;
      j++;
      const comma = this.t[j];
      if (comma?.k === 'punct' && comma.c === ',') j++;
    }
    const tok = this.t[j];
    if (!tok || tok.k !== 'num') return null;
    const s = first?.s ?? tok.s;
    if (tok.digits <= 2 && tok.v >= 1 && tok.v <= 31) return { d: tok.v, mangled: null, weekday, s, e: tok.e, next: j + 1 };
    if (allowMangled && !isYearTok(tok) && tok.digits >= 3 && tok.v > 31) {
      return { d: null, mangled: this.text.slice(tok.s, tok.e), weekday, s, e: tok.e, next: j + 1 };
    }
    // A one- or two-digit number above 31 ("32 June") is a day nobody can have meant.
    if (allowMangled && tok.digits <= 2 && (tok.v > 31 || tok.v === 0)) return { d: null, mangled: this.text.slice(tok.s, tok.e), weekday, s, e: tok.e, next: j + 1 };
    return null;
  }

  dayList(i: number): { days: Day[]; joins: ('and' | 'range')[]; next: number } | null {
    const first = this.day(i, true);
    if (!first) return null;
    const days: Day[] = [first];
    const joins: ('and' | 'range')[] = [];
    let j = first.next;
    // No meeting lists more than a fortnight of days; a longer chain of numbers is not a date (and must not cost quadratic time).
    while (days.length < 15) {
      if (days[days.length - 1]!.mangled) break;
      const c = this.connector(j);
      if (!c) break;
      const d = this.day(c.next, true);
      if (!d) break;
      days.push(d);
      joins.push(c.type);
      j = d.next;
    }
    return { days, joins, next: j };
  }

  /** A year at i, after an optional comma or "de"; returns it and the index after it. */
  year(i: number): { y: number; e: number; next: number } | null {
    let j = i;
    const comma = this.t[j];
    if (comma?.k === 'punct' && comma.c === ',') j++;
    j = this.skip(j, MONTH_YEAR_FILLERS);
    const tok = this.t[j];
    if (tok?.k === 'num' && isYearTok(tok)) return { y: tok.v, e: tok.e, next: j + 1 };
    return null;
  }

  part(i: number): Part | null {
    const tok = this.t[i];
    if (!tok) return null;
    if (tok.k === 'numdate') {
      const raw = this.text.slice(tok.s, tok.e);
      // These sites write day/month; a "month" above 12 next to a day of 12 or less is the American order.
      if (tok.m > 12 && tok.d <= 12 && tok.d >= 1) {
        const notes = [`"${raw}" read as month/day (${tok.m} cannot be a month)`];
        return { points: [{ d: tok.m, m: tok.d, y: tok.y, weekday: null, mangled: null }], joins: [], s: tok.s, e: tok.e, next: i + 1, numeric: true, notes };
      }
      return { points: [{ d: tok.d, m: tok.m, y: tok.y, weekday: null, mangled: null }], joins: [], s: tok.s, e: tok.e, next: i + 1, numeric: true };
    }
    // "15 and 16 June 2015", "15 de junio de 2015", "30 November", "15-16/06/2015"
    const list = this.dayList(i);
    if (list) {
      const j = this.skip(list.next, DAY_MONTH_FILLERS);
      const month = this.t[j];
      if (month?.k === 'month') {
        const y = this.year(j + 1);
        const points = list.days.map((d) => ({ d: d.d, m: month.m, y: null as number | null, weekday: d.weekday, mangled: d.mangled }));
        if (y) points[points.length - 1]!.y = y.y;
        return { points, joins: list.joins, s: list.days[0]!.s, e: y ? y.e : month.e, next: y ? y.next : j + 1, numeric: false };
      }
      const c = this.connector(list.next);
      const nd = c ? this.t[c.next] : undefined;
      if (c && nd?.k === 'numdate' && !list.days.some((d) => d.mangled)) {
        const points: Point[] = list.days.map((d) => ({ d: d.d, m: null, y: null, weekday: d.weekday, mangled: null }));
        points.push({ d: nd.d, m: nd.m, y: nd.y, weekday: null, mangled: null });
        return { points, joins: [...list.joins, c.type], s: list.days[0]!.s, e: nd.e, next: c.next + 1, numeric: true };
      }
      return null;
    }
    // "June 15-16, 2015", "Monday, June 10, 2019"
    let j = i;
    let weekday: number | null = null;
    if (tok.k === 'weekday') {
      weekday = tok.w;
      j++;
      const comma = this.t[j];
      if (comma?.k === 'punct' && comma.c === ',') j++;
    }
    const month = this.t[j];
    if (month?.k !== 'month' || month.weak) return null;
    const days = this.dayListAfterMonth(j + 1);
    if (days) {
      const y = this.year(days.next);
      const points = days.days.map((d, n) => ({ d: d.d, m: month.m, y: null as number | null, weekday: n === 0 ? weekday : d.weekday, mangled: d.mangled }));
      if (y) points[points.length - 1]!.y = y.y;
      return { points, joins: days.joins, s: this.t[i]!.s, e: y ? y.e : days.days[days.days.length - 1]!.e, next: y ? y.next : days.next, numeric: false };
    }
    if (weekday !== null) return null;
    // "June 2015", "junio de 2015"
    const y = this.year(j + 1);
    if (y) return { points: [{ d: null, m: month.m, y: y.y, weekday: null, mangled: null }], joins: [], s: month.s, e: y.e, next: y.next, numeric: false };
    // "June - July 2015": a bare month starts a range of months
    const c = this.connector(j + 1);
    if (c?.type === 'range') {
      const after = this.t[c.next];
      if (after?.k === 'month') return { points: [{ d: null, m: month.m, y: null, weekday: null, mangled: null }], joins: [], s: month.s, e: month.e, next: j + 1, numeric: false };
    }
    return null;
  }

  private dayListAfterMonth(i: number) {
    const tok = this.t[i];
    if (!tok || tok.k !== 'num' || tok.digits > 2) return null;
    const list = this.dayList(i);
    if (!list || list.days.some((d) => d.mangled)) return null;
    return list;
  }

  phrase(i: number): { parts: Part[]; joins: ('and' | 'range')[] } | null {
    const first = this.part(i);
    if (!first) return null;
    const parts = [first];
    const joins: ('and' | 'range')[] = [];
    let j = first.next;
    while (parts.length < 8) {
      const c = this.connector(j);
      if (!c) break;
      const p = this.part(c.next);
      if (!p) break;
      parts.push(p);
      joins.push(c.type);
      j = p.next;
    }
    return { parts, joins };
  }
}

function daysInMonth(y: number | null, m: number): number {
  return new Date(Date.UTC(y ?? 2000, m, 0)).getUTCDate();
}

function ordinal(p: DatePoint): number {
  return (p.y ?? 0) * 10000 + (p.m ?? 0) * 100 + (p.d ?? 0);
}

function dayNumber(p: DatePoint): number {
  return Date.UTC(p.y ?? 2000, (p.m ?? 1) - 1, p.d ?? 1) / 86_400_000;
}

/** Describes a point in English for warnings ("15 June 2015", "June", "15 June"). */
export function describePoint(p: DatePoint): string {
  return [p.d, p.m ? MONTH_NAMES_EN[p.m - 1] : null, p.y].filter((x) => x !== null).join(' ');
}

/** Fills missing months and years from the later points of a phrase ("15 and 16 June 2015"), across a new year when needed. */
function propagate(points: Point[]): void {
  let m: number | null = null;
  let y: number | null = null;
  let yMonth: number | null = null;
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    if (p.m === null) p.m = m;
    else m = p.m;
    if (p.y === null && y !== null) {
      // "28 December - 2 January 2016": December belongs to the year before.
      p.y = p.m !== null && yMonth !== null && p.m > yMonth ? y - 1 : y;
    }
    if (p.y !== null) {
      y = p.y;
      yMonth = p.m;
    }
  }
  // "15 June 2015 and 16 June": a later point without a year takes the earlier one's.
  let carry: number | null = null;
  for (const p of points) {
    if (p.y === null && carry !== null) p.y = carry;
    if (p.y !== null) carry = p.y;
  }
}

/** Two readable consecutive days hidden in glued digits ("1112" → 11 and 12), if there is exactly one reading. */
function gluedDays(digits: string, m: number | null, y: number | null): [number, number] | null {
  const readings: [number, number][] = [];
  for (let cut = 1; cut < digits.length; cut++) {
    const a = Number(digits.slice(0, cut));
    const b = Number(digits.slice(cut));
    if (digits[cut] === '0' && digits.length - cut > 1) continue;
    if (a >= 1 && b === a + 1 && b <= (m ? daysInMonth(y, m) : 31)) readings.push([a, b]);
  }
  return readings.length === 1 ? readings[0]! : null;
}

function build(text: string, parts: Part[]): DateMatch {
  const points: Point[] = parts.flatMap((p) => p.points.map((x) => ({ ...x })));
  propagate(points);
  const warnings: string[] = parts.flatMap((p) => p.notes ?? []);
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const raw = text.slice(first.s, last.e);
  let mangled = false;

  for (const p of points) {
    if (p.m !== null && (p.m < 1 || p.m > 12)) {
      mangled = true;
      warnings.push(`"${raw}": ${p.m} is not a month; the date cannot be read`);
      p.m = null;
      p.d = null;
    }
  }
  for (const p of points) {
    if (p.mangled) {
      mangled = true;
      const glued = gluedDays(p.mangled, p.m, p.y);
      const month = describePoint({ y: p.y, m: p.m, d: null });
      warnings.push(
        `"${raw}": the days "${p.mangled}" cannot be read` +
          (glued ? ` (perhaps ${glued[0]}–${glued[1]} ${MONTH_NAMES_EN[(p.m ?? 1) - 1]}, with the separator lost)` : '') +
          `; kept ${month} at month precision — check the source`,
      );
    } else if (p.d !== null && p.m !== null && p.d > daysInMonth(p.y, p.m)) {
      mangled = true;
      warnings.push(`"${raw}": ${p.d} ${MONTH_NAMES_EN[p.m - 1]} does not exist; kept the month only`);
      p.d = null;
    }
  }
  const dayKnown = points.every((p) => p.d !== null && p.m !== null && !p.mangled);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if (a.m !== null && b.m !== null && a.y !== null && b.y !== null && ordinal({ ...a, d: dayKnown ? a.d : 0 }) > ordinal({ ...b, d: dayKnown ? b.d : 0 })) {
      mangled = true;
      warnings.push(`"${raw}": the range ends before it starts; kept the start only at month precision — check the source`);
      points.splice(i);
      break;
    }
  }
  // Non-consecutive days listed with "and" are recorded as the span they cover, and said so.
  let k = 0;
  for (const part of parts) {
    for (let n = 0; n < part.joins.length; n++) {
      const a = points[k + n];
      const b = points[k + n + 1];
      if (part.joins[n] === 'and' && a?.d && b?.d && a.m === b.m && b.d - a.d > 1) {
        warnings.push(`"${raw}": ${describePoint({ ...a, y: null })} and ${describePoint({ ...b, y: null })} are not consecutive; recorded as the span between them`);
      }
    }
    k += part.points.length;
  }
  const from = points[0]!;
  const to = points[points.length - 1]!;
  let precision: DatePrecision = 'day';
  if (points.some((p) => p.m === null)) precision = 'year';
  else if (mangled || points.some((p) => p.d === null)) precision = 'month';
  for (const p of points) {
    if (precision === 'day' && p.weekday !== null && p.y !== null && p.m !== null && p.d !== null) {
      const actual = new Date(Date.UTC(p.y, p.m - 1, p.d)).getUTCDay();
      if (actual !== p.weekday) warnings.push(`"${raw}": ${describePoint(p)} was a ${WEEKDAY_NAMES_EN[actual]}, not a ${WEEKDAY_NAMES_EN[p.weekday]}; kept the date`);
    }
  }
  if (precision === 'day' && points.length > 1 && from.y !== null && to.y !== null && dayNumber(to) - dayNumber(from) > 31) {
    warnings.push(`"${raw}": an unusually long span (${Math.round(dayNumber(to) - dayNumber(from)) + 1} days)`);
  }
  const strip = (p: DatePoint): DatePoint =>
    precision === 'day' ? { y: p.y, m: p.m, d: p.d } : precision === 'month' ? { y: p.y, m: p.m, d: null } : { y: p.y, m: null, d: null };
  // At month precision a range that stays inside one month has nothing left to say about its end.
  const fromOut = strip(from);
  const toOut = strip(to);
  return {
    raw,
    index: first.s,
    end: last.e,
    from: fromOut,
    to: toOut,
    precision,
    yearless: fromOut.y === null || toOut.y === null,
    mangled,
    numeric: parts.every((p) => p.numeric),
    warnings,
  };
}

/** Every date phrase in a text, in order of appearance. */
export function findDates(text: string): DateMatch[] {
  const tokens = tokenize(text);
  const parser = new Parser(tokens, text);
  const out: DateMatch[] = [];
  for (let i = 0; i < tokens.length; ) {
    const tok = tokens[i]!;
    if (tok.k !== 'num' && tok.k !== 'numdate' && tok.k !== 'month' && tok.k !== 'weekday') {
      i++;
      continue;
    }
    const phrase = parser.phrase(i);
    if (!phrase) {
      i++;
      continue;
    }
    let { parts, joins } = phrase;
    // "on 15 June 2015 and 3 July 2015": two dates joined by "and" far apart are two dates, not a range.
    for (let n = 1; n < parts.length; n++) {
      if (joins[n - 1] !== 'and') continue;
      const trial = build(text, parts.slice(0, n + 1));
      if (trial.precision === 'day' && trial.from.y !== null && trial.to.y !== null && dayNumber(trial.to) - dayNumber(trial.from) > 14) {
        parts = parts.slice(0, n);
        joins = joins.slice(0, n - 1);
        break;
      }
    }
    out.push(build(text, parts));
    const lastPart = parts[parts.length - 1]!;
    i = lastPart.next;
  }
  return out;
}

/**
 * The date written in a labelled field ("Date: 15 and 16 June 2015", "Fecha: junio de 2015",
 * "Date: 2012"): the first date phrase, or a bare year.
 */
export function parseDateField(value: string): DateMatch | null {
  const found = findDates(value)[0];
  if (found) return found;
  const year = /(?<![\d])(19\d{2}|20\d{2})(?![\d])/.exec(value);
  if (year && value.replace(year[0], '').replace(/[\s.,:;()-]/g, '').length === 0) {
    const y = Number(year[1]);
    return {
      raw: year[0],
      index: year.index,
      end: year.index + year[0].length,
      from: { y, m: null, d: null },
      to: { y, m: null, d: null },
      precision: 'year',
      yearless: false,
      mangled: false,
      numeric: true,
      warnings: [],
    };
  }
  return null;
}

/** Completes a phrase written without a year, with a year found elsewhere (across a new year when the range needs it). */
export function withYear(match: DateMatch, year: number): DateMatch {
  const from = { ...match.from, y: match.from.y ?? year };
  const to = { ...match.to, y: match.to.y ?? year };
  if (match.from.y === null && match.to.y === null && from.m !== null && to.m !== null && from.m > to.m) to.y = year + 1;
  if (match.from.y === null && match.to.y !== null && from.m !== null && to.m !== null && from.m > to.m) from.y = to.y - 1;
  return { ...match, from, to, yearless: false };
}

/** The ISO text of a point at a precision: 2015-06-15, 2015-06 or 2015 (null when the point lacks what the precision needs). */
export function isoDate(p: DatePoint, precision: DatePrecision): string | null {
  if (p.y === null) return null;
  const y = String(p.y).padStart(4, '0');
  if (precision === 'year') return y;
  if (p.m === null) return null;
  const m = String(p.m).padStart(2, '0');
  if (precision === 'month') return `${y}-${m}`;
  if (p.d === null) return null;
  return `${y}-${m}-${String(p.d).padStart(2, '0')}`;
}
