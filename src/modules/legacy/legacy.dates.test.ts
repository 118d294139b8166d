import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findDates, isoDate, parseDateField, withYear, type DateMatch } from './legacy.dates.js';

/** start..end at the match's precision, the way the importer writes them. */
function iso(m: DateMatch | null | undefined): string | null {
  if (!m) return null;
  return `${isoDate(m.from, m.precision) ?? `?-${m.from.m ?? '?'}-${m.from.d ?? '?'}`}..${isoDate(m.to, m.precision) ?? `?-${m.to.m ?? '?'}-${m.to.d ?? '?'}`} ${m.precision}`;
}

// [text, expected "start..end precision" of the first date found, expected warning (regex) or null]
const CASES: [string, string | null, RegExp | null][] = [
  // The forms the issue lists
  ['15 and 16 June 2015', '2015-06-15..2015-06-16 day', null],
  ['1-2 July 2019', '2019-07-01..2019-07-02 day', null],
  ['8 - 9 November 2017', '2017-11-08..2017-11-09 day', null],
  ['30 November - 1 December 2016', '2016-11-30..2016-12-01 day', null],
  ['31 January and 1 February 2024', '2024-01-31..2024-02-01 day', null],
  ['17th and 18th November 2021', '2021-11-17..2021-11-18 day', null],
  ['Monday, 10 June 2019 - Tuesday, 11 June 2019', '2019-06-10..2019-06-11 day', null],
  ['le 20 octobre 2022', '2022-10-20..2022-10-20 day', null],
  ['les 13 et 14 décembre 2022', '2022-12-13..2022-12-14 day', null],
  // More English
  ['15 June 2015', '2015-06-15..2015-06-15 day', null],
  ['15th of June 2015', '2015-06-15..2015-06-15 day', null],
  ['the 1st and 2nd of March 2018', '2018-03-01..2018-03-02 day', null],
  ['15, 16 and 17 June 2015', '2015-06-15..2015-06-17 day', null],
  ['2-3-4 May 2016', '2016-05-02..2016-05-04 day', null],
  ['from 15 to 17 June 2015', '2015-06-15..2015-06-17 day', null],
  ['15 – 16 June 2015', '2015-06-15..2015-06-16 day', null],
  ['15—16 June 2015', '2015-06-15..2015-06-16 day', null],
  ['June 15-16, 2015', '2015-06-15..2015-06-16 day', null],
  ['June 15 and 16, 2015', '2015-06-15..2015-06-16 day', null],
  ['Monday, June 10, 2019', '2019-06-10..2019-06-10 day', null],
  ['28 December 2015 - 2 January 2016', '2015-12-28..2016-01-02 day', null],
  ['28 December - 2 January 2016', '2015-12-28..2016-01-02 day', null],
  ['15 Sept. 2015', '2015-09-15..2015-09-15 day', null],
  ['June 2015', '2015-06..2015-06 month', null],
  ['June - July 2015', '2015-06..2015-07 month', null],
  ['in November 2014', '2014-11..2014-11 month', null],
  // French
  ['du 15 au 17 juin 2015', '2015-06-15..2015-06-17 day', null],
  ['le 1er juillet 2019', '2019-07-01..2019-07-01 day', null],
  ['lundi 10 juin 2019', '2019-06-10..2019-06-10 day', null],
  ['30 novembre - 1er décembre 2016', '2016-11-30..2016-12-01 day', null],
  ['les 31 janvier et 1er février 2024', '2024-01-31..2024-02-01 day', null],
  ['en juin 2015', '2015-06..2015-06 month', null],
  ['15 fevrier 2016', '2016-02-15..2016-02-15 day', null],
  ['3 août 2017', '2017-08-03..2017-08-03 day', null],
  // Spanish
  ['16 y 17 de marzo de 2021', '2021-03-16..2021-03-17 day', null],
  ['los días 13 y 14 de diciembre de 2022', '2022-12-13..2022-12-14 day', null],
  ['del 13 al 14 de diciembre de 2022', '2022-12-13..2022-12-14 day', null],
  ['el 1º de julio de 2019', '2019-07-01..2019-07-01 day', null],
  ['lunes 10 de junio de 2019', '2019-06-10..2019-06-10 day', null],
  ['junio de 2015', '2015-06..2015-06 month', null],
  ['30 de setiembre de 2016', '2016-09-30..2016-09-30 day', null],
  // Portuguese
  ['8 - 9 de novembro de 2017', '2017-11-08..2017-11-09 day', null],
  ['nos dias 13 e 14 de dezembro de 2022', '2022-12-13..2022-12-14 day', null],
  ['1.º de julho de 2019', '2019-07-01..2019-07-01 day', null],
  ['de 3 a 5 de março de 2020', '2020-03-03..2020-03-05 day', null],
  ['segunda-feira, 10 de junho de 2019', '2019-06-10..2019-06-10 day', null],
  ['fevereiro de 2018', '2018-02..2018-02 month', null],
  // Italian
  ['il 17 e 18 novembre 2021', '2021-11-17..2021-11-18 day', null],
  ['dal 13 al 14 dicembre 2022', '2022-12-13..2022-12-14 day', null],
  ['1° luglio 2019', '2019-07-01..2019-07-01 day', null],
  ['lunedì 10 giugno 2019', '2019-06-10..2019-06-10 day', null],
  ['settembre 2020', '2020-09..2020-09 month', null],
  ['24 gennaio 2023', '2023-01-24..2023-01-24 day', null],
  // Digits, as page headers write them
  ['15/06/2015', '2015-06-15..2015-06-15 day', null],
  ['15.06.2015', '2015-06-15..2015-06-15 day', null],
  ['15/06/15', '2015-06-15..2015-06-15 day', null],
  ['2015-06-15', '2015-06-15..2015-06-15 day', null],
  ['15-16/06/2015', '2015-06-15..2015-06-16 day', null],
  ['15/06/2015 - 16/06/2015', '2015-06-15..2015-06-16 day', null],
  ['du 15/06/2015 au 16/06/2015', '2015-06-15..2015-06-16 day', null],
  ['06/15/2015', '2015-06-15..2015-06-15 day', /read as month\/day/],
  // Mangled: a lower precision and a warning, never an invented day
  ['1112 December 2014', '2014-12..2014-12 month', /days "1112" cannot be read \(perhaps 11–12 December/],
  ['3031 May 2016', '2016-05..2016-05 month', /perhaps 30–31 May/],
  ['123 June 2015', '2015-06..2015-06 month', /"123" cannot be read; kept June 2015 at month precision/],
  ['31 June 2015', '2015-06..2015-06 month', /31 June does not exist/],
  ['16-15 June 2015', '2015-06..2015-06 month', /ends before it starts/],
  ['29 February 2015', '2015-02..2015-02 month', /29 February does not exist/],
  ['29 February 2016', '2016-02-29..2016-02-29 day', null],
  // Checks that keep the date but say something
  ['Monday, 11 June 2019', '2019-06-11..2019-06-11 day', /was a Tuesday, not a Monday/],
  ['3 and 10 June 2015', '2015-06-03..2015-06-10 day', /not consecutive/],
  ['1 March - 30 June 2015', '2015-03-01..2015-06-30 day', /unusually long span/],
];

describe('date phrases in five languages', () => {
  for (const [text, expected, warning] of CASES) {
    test(text, () => {
      const found = findDates(text);
      assert.equal(iso(found[0]), expected);
      if (warning) assert.ok(found[0]!.warnings.some((w) => warning.test(w)), `warnings: ${JSON.stringify(found[0]!.warnings)}`);
      else assert.deepEqual(found[0]!.warnings, []);
    });
  }
});

describe('dates without a year stay open', () => {
  for (const [text, m, d1, d2] of [
    ['15 and 16 June', 6, 15, 16],
    ['les 13 et 14 décembre', 12, 13, 14],
    ['31 January', 1, 31, 31],
    ['June 15-16', 6, 15, 16],
  ] as const) {
    test(text, () => {
      const [found] = findDates(text);
      assert.ok(found);
      assert.equal(found.yearless, true);
      assert.equal(found.from.y, null);
      assert.deepEqual([found.from.m, found.from.d, found.to.d], [m, d1, d2]);
      assert.equal(isoDate(found.from, found.precision), null, 'no ISO date without a year');
    });
  }
  test('a year from context completes it, across a new year when the range needs it', () => {
    assert.equal(iso(withYear(findDates('15 and 16 June')[0]!, 2015)), '2015-06-15..2015-06-16 day');
    assert.equal(iso(withYear(findDates('28 December - 2 January')[0]!, 2015)), '2015-12-28..2016-01-02 day');
  });
});

describe('what is not a date', () => {
  for (const text of [
    'Over 120 representatives and experts from nearly 50 countries',
    'Working Group 1: Regional guidelines',
    'the Post-2015 Development Agenda',
    'in 2015',
    'a 1.5 million budget',
    'It may rain. We may 2 go',
    'sept pays ont participé',
    'Marco Rossi opened the session',
    'Two years ago, 10 partners met',
    'at 10.30 and 14:00',
  ]) {
    test(text, () => assert.deepEqual(findDates(text).map((d) => d.raw), []));
  }
});

describe('several dates in one text', () => {
  test('two dates joined by "and" far apart are two dates, not a range', () => {
    assert.deepEqual(
      findDates('on 15 June 2015 and 3 July 2015').map((d) => iso(d)),
      ['2015-06-15..2015-06-15 day', '2015-07-03..2015-07-03 day'],
    );
  });
  test('offsets point into the text', () => {
    const text = 'Published on 03/05/2019. The meeting will take place on 1-2 July 2019 in Dakar.';
    const found = findDates(text);
    assert.deepEqual(
      found.map((d) => text.slice(d.index, d.end)),
      ['03/05/2019', '1-2 July 2019'],
    );
  });
  test('a sentence with a date and figures', () => {
    const found = findDates('Over 120 representatives participated in the meeting on 15 and 16 June 2015 in Rabat.');
    assert.deepEqual(found.map((d) => d.raw), ['15 and 16 June 2015']);
  });
});

describe('date fields', () => {
  test('a bare year', () => assert.equal(iso(parseDateField('2012')), '2012..2012 year'));
  test('a month', () => assert.equal(iso(parseDateField('March 2008')), '2008-03..2008-03 month'));
  test('a full range with a place after it', () => assert.equal(iso(parseDateField('15-16 June 2015, Rabat')), '2015-06-15..2015-06-16 day'));
  test('text that is no date', () => assert.equal(parseDateField('to be confirmed'), null));
  test('a year inside other words is not a date', () => assert.equal(parseDateField('spring 2016'), null));
});
