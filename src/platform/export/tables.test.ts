import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { strFromU8, unzipSync } from 'fflate';
import { Parser } from 'htmlparser2';
import { extractText, normaliseText } from '../files/extract.js';
import { inspectFile } from '../files/inspect.js';
import { neutralise, sheetName, toCsv, toXlsx, type Cell, type Table } from './tables.js';

const LONG_NAME = `Ñ${'x'.repeat(9_998)}é`;
const FORMULAS = ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', ' =1+1', '\n@x', '＝1+1', '－1', '=cmd|\'/c calc\'!A1'];

/** Names as the public types them, hostile ones included. */
const PARTICIPANTS: Table = {
  columns: ['Name', 'Country', 'Seats', 'Note'],
  rows: [
    ['Zoë Ångström-Müller', 'Côte d’Ivoire', 2, 'Ève, déléguée'],
    ['👩🏽‍💼 Ana 🇧🇷', 'Brasil', 1, null],
    ['محمد بن عبد الله', 'المغرب', 3, '\u200Fفاطمة الزهراء'],
    ['Doe, John', 'She said "hi"', -2, 'line one\nline two'],
    ['CR\r\nLF', 'a;=1+1', 3.5, ''],
    ...FORMULAS.map((f, i): Cell[] => [f, 'X', i, null]),
    ['a\u0000b\u0007c\u001Fd', '\u0000=1', 0, '\uD800lone'],
    ['<>&"\'', '_x0041_ stays', 1e21, 'O\'Brien'],
    [LONG_NAME, 'Genève', null],
  ],
};

/** What every cell should read back as, from either format: text neutralised, numbers as text, nothing as ''. */
function expectedGrid(table: Table): string[][] {
  const width = table.columns.length;
  return [table.columns, ...table.rows].map((row) =>
    Array.from({ length: width }, (_, i) => {
      const cell = row[i] ?? null;
      return cell === null ? '' : typeof cell === 'number' ? String(cell) : neutralise(cell);
    }),
  );
}

test('neutralise prefixes what a spreadsheet would run, and strips control characters first', () => {
  for (const f of FORMULAS) assert.equal(neutralise(f), `'${f}`, JSON.stringify(f));
  assert.equal(neutralise('\u0000=1'), "'=1", 'a NUL cannot hide a formula');
  assert.equal(neutralise('a\u0000b\u0001\u0008\u000B\u000C\u000E\u001Fc'), 'abc');
  assert.equal(neutralise('tab\there\nline\r\nend'), 'tab\there\nline\r\nend', 'tab, LF and CR inside a cell stay');
  assert.equal(neutralise('\uD800a\uDC00b\uFFFEc'), 'abc', 'lone surrogates and non-characters go');
  assert.equal(neutralise('👩🏽‍💼'), '👩🏽‍💼', 'surrogate pairs stay');
  for (const harmless of ['', 'Jean-Pierre', "O'Brien", 'a=b', 'x@example.org', '1+1', ' Ana', '(+41) 22']) {
    assert.equal(neutralise(harmless), harmless, JSON.stringify(harmless));
  }
  for (const f of [...FORMULAS, "'=1"]) assert.equal(neutralise(neutralise(f)), neutralise(f), 'idempotent');
});

test("neutralise covers every cell csv-stringify's escape_formulas escapes, so the two never both apply", () => {
  const samples = [...FORMULAS, '-', '=', '@', '+', '\t', '\r', '\uFF20a', '\uFF0Ba', 'plain', ' =x', '\u00A0=x'];
  for (const s of samples) {
    const raw = stringify([[s]], { escape_formulas: true });
    if (raw !== stringify([[s]])) assert.notEqual(neutralise(s), s, `csv-stringify escapes ${JSON.stringify(s)}, neutralise must too`);
    const once = neutralise(s);
    assert.equal(stringify([[once]], { escape_formulas: true }), stringify([[once]]), `no second apostrophe on ${JSON.stringify(s)}`);
  }
});

test('CSV: UTF-8 with a BOM and CRLF, every cell survives a round trip, formulas come back neutralised', () => {
  const csv = toCsv(PARTICIPANTS);
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = csv.toString('utf8');
  assert.ok(text.startsWith('\uFEFF"Name","Country","Seats","Note"\r\n'), 'quoted header, CRLF');
  assert.ok(text.endsWith('\r\n'));
  assert.ok(!text.includes('\u0000'), 'no NUL');
  assert.ok(text.includes('"a;=1+1"'), 'text is quoted, so a semicolon cannot open a cell');

  const records = parse(csv, { bom: true, relax_column_count: true }) as string[][];
  const expected = expectedGrid(PARTICIPANTS);
  // csv-parse gives short rows as they are; pad them like the expectation.
  assert.deepEqual(records.map((r) => [...r, ...Array<string>(4 - r.length).fill('')]), expected);

  const byName = new Map(records.map((r) => [r[0], r]));
  assert.ok(byName.has("'=HYPERLINK(\"http://x\")"));
  for (const f of ['+1', '-2+3', '@SUM(A1)', '\t=1']) assert.ok(byName.has(`'${f}`), f);
  assert.ok(byName.has('Zoë Ångström-Müller') && byName.has('👩🏽‍💼 Ana 🇧🇷') && byName.has('محمد بن عبد الله'));
  assert.deepEqual(byName.get('abcd')?.slice(0, 2), ['abcd', "'=1"], 'NULs gone, before the formula check');
  assert.equal(byName.get('Doe, John')?.[3], 'line one\nline two');
  assert.ok(byName.has('CR\r\nLF'));
  assert.equal(byName.get(LONG_NAME)?.[0]?.length, 10_000);
  assert.equal(byName.get('Doe, John')?.[2], '-2', 'a negative number is a number, not neutralised');
});

test('CSV refuses a number that is not finite', () => {
  assert.throws(() => toCsv({ columns: ['n'], rows: [[Number.NaN]] }), RangeError);
  assert.throws(() => toXlsx({ columns: ['n'], rows: [[Infinity]] }, 'x'), RangeError);
});

interface ReadCell {
  ref: string;
  type: string | undefined;
  style: string | undefined;
  text: string;
}

/** Reads a worksheet's cells with htmlparser2, decoding `_xHHHH_` as Excel does; notes any formula element. */
function readSheet(xml: string): { cells: ReadCell[]; formulas: number; errors: number } {
  const cells: ReadCell[] = [];
  let current: ReadCell | null = null;
  let inText = false;
  let formulas = 0;
  let errors = 0;
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name === 'f') formulas++;
        if (name === 'c') current = { ref: attrs.r ?? '', type: attrs.t, style: attrs.s, text: '' };
        if (name === 't' || name === 'v') inText = true;
      },
      ontext(text) {
        if (inText && current) current.text += text;
      },
      onclosetag(name) {
        if (name === 't' || name === 'v') inText = false;
        if (name === 'c' && current) {
          current.text = current.text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
          cells.push(current);
          current = null;
        }
      },
      onerror() {
        errors++;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  return { cells, formulas, errors };
}

/** Cells placed by their references (A1, B3...) into a grid `width` wide. */
function gridOf(cells: ReadCell[], width: number): string[][] {
  const grid: string[][] = [];
  for (const cell of cells) {
    const m = /^([A-Z]+)(\d+)$/.exec(cell.ref);
    assert.ok(m?.[1] && m[2], `cell reference ${cell.ref}`);
    const column = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const row = Number(m[2]) - 1;
    while (grid.length <= row) grid.push(Array<string>(width).fill(''));
    (grid[row] as string[])[column] = cell.text;
  }
  return grid;
}

test('XLSX: a minimal workbook whose cells are inline strings or numbers, never formulas', () => {
  const xlsx = toXlsx(PARTICIPANTS, 'Participants: <Genève> [2026]/?');
  assert.deepEqual([...xlsx.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip');
  const files = unzipSync(xlsx);
  for (const part of ['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/worksheets/sheet1.xml']) {
    assert.ok(files[part], `${part} exists`);
  }
  const types = strFromU8(files['[Content_Types].xml'] as Uint8Array);
  assert.match(types, /PartName="\/xl\/workbook.xml" ContentType="application\/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main\+xml"/);
  assert.match(types, /PartName="\/xl\/worksheets\/sheet1.xml"/);
  assert.ok(!Object.keys(files).some((name) => /sharedStrings|vbaProject|calcChain/.test(name)));

  const workbook = strFromU8(files['xl/workbook.xml'] as Uint8Array);
  let name: string | undefined;
  new Parser({ onopentag: (tag, attrs) => tag === 'sheet' && (name = attrs.name) }, { xmlMode: true, decodeEntities: true }).end(workbook);
  assert.equal(name, 'Participants <Genève> 2026');
  assert.ok(workbook.includes('name="Participants &lt;Genève&gt; 2026"'));

  const sheetXml = strFromU8(files['xl/worksheets/sheet1.xml'] as Uint8Array);
  const { cells, formulas, errors } = readSheet(sheetXml);
  assert.equal(errors, 0, 'well-formed XML');
  assert.equal(formulas, 0, 'no <f> element');
  assert.ok(!/<f[\s>/]/.test(sheetXml));
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(sheetXml), 'no character XML 1.0 forbids');
  for (const cell of cells) assert.ok(cell.type === 'inlineStr' || cell.type === 'n', `${cell.ref} is ${cell.type}`);
  assert.deepEqual(cells.filter((c) => c.style === '1').map((c) => c.text), ['Name', 'Country', 'Seats', 'Note'], 'the header row is bold');

  const grid = gridOf(cells, 4);
  assert.deepEqual(grid, expectedGrid(PARTICIPANTS), 'every cell reads back as its neutralised input');
  const byName = new Map(grid.map((r) => [r[0], r]));
  assert.ok(byName.has("'=HYPERLINK(\"http://x\")") && byName.has("'\t=1") && byName.has("'@SUM(A1)"));
  assert.equal(byName.get(LONG_NAME)?.[0]?.length, 10_000, 'a 10,000-character name survives');
  assert.equal(byName.get('CR\r\nLF')?.[0], 'CR\r\nLF', 'a carriage return survives XML line-end handling');
  // XML 1.0 (2.11) turns a raw CR into LF on reading, and htmlparser2 does not: so look at the bytes.
  assert.ok(!sheetXml.includes('\r') && sheetXml.includes('CR&#13;\nLF'), 'a carriage return is written as a reference');
  assert.equal(byName.get('<>&"\'')?.[1], '_x0041_ stays', "a literal _xHHHH_ is not read as Excel's escape");
  assert.ok(sheetXml.includes('&lt;&gt;&amp;&quot;&apos;'), 'XML specials are escaped');
  assert.match(sheetXml, /<c r="C\d+" t="n"><v>1e\+21<\/v><\/c>/, 'numbers are number cells');

  assert.deepEqual(parse(toCsv(PARTICIPANTS), { bom: true, relax_column_count: true }).map((r: string[]) => [...r, ...Array<string>(4 - r.length).fill('')]), grid, 'CSV and XLSX agree');
  assert.ok(toXlsx(PARTICIPANTS, 'Participants').equals(toXlsx(PARTICIPANTS, 'Participants')), 'the same table gives the same bytes');
});

test("XLSX: Diwan's own file inspector and text extractor read it back", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'diwan-export-'));
  try {
    const path = join(dir, 'participants.xlsx');
    await writeFile(path, toXlsx(PARTICIPANTS, 'Participants'));
    assert.equal((await inspectFile(path, { declaredName: 'participants.xlsx' })).kind, 'xlsx');
    const extracted = await extractText(path, 'xlsx');
    assert.equal(extracted.pages, 1);
    // The extractor reads text cells only (numbers are not words) and stores `_xHHHH_` undecoded.
    const texts = [PARTICIPANTS.columns, ...PARTICIPANTS.rows].flatMap((row) => row.filter((c): c is string => typeof c === 'string').map(neutralise).filter((c) => c !== ''));
    const expected = normaliseText(texts.map((t) => `${t.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')}\n`).join(''));
    assert.equal(extracted.text, expected);
    assert.ok(extracted.text.includes("'=HYPERLINK(\"http://x\")") && extracted.text.includes('<>&"\''));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('XLSX cells stop at Excel’s 32,767 characters without splitting an emoji', () => {
  const long = `${'a'.repeat(32_766)}😀tail`;
  const { cells } = readSheet(strFromU8(unzipSync(toXlsx({ columns: ['n'], rows: [[long]] }, 's'))['xl/worksheets/sheet1.xml'] as Uint8Array));
  assert.equal(cells[1]?.text, 'a'.repeat(32_766));
});

test('sheet names are ones Excel accepts', () => {
  assert.equal(sheetName('Participants'), 'Participants');
  assert.equal(sheetName('a[b]c:d*e?f/g\\h'), 'a b c d e f g h');
  assert.equal(sheetName("'quoted'"), 'quoted');
  assert.equal(sheetName(''), 'Sheet1');
  assert.equal(sheetName(' /?* '), 'Sheet1');
  assert.equal(sheetName('History'), 'History 1');
  assert.equal(sheetName('x'.repeat(40)).length, 31);
  assert.equal(sheetName(`${'x'.repeat(30)}😀`), 'x'.repeat(30), 'no half emoji');
  assert.equal(sheetName('a\u0000b\tc'), 'ab c');
  assert.equal(sheetName('مشاركون – Genève'), 'مشاركون – Genève');
});
