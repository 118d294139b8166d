/**
 * Tables (participant lists and the like) exported as CSV and XLSX for the secretariat's own use.
 * The cells hold what the public typed, so both formats go through one rule, `neutralise`: a cell
 * a spreadsheet could read as a formula gets a leading apostrophe, and control characters go.
 * CSV and XLSX therefore carry the same text, and a sheet saved from the XLSX as CSV stays safe.
 *
 * CSV is written by csv-stringify (every text cell quoted, so a `;` in a name cannot start a cell
 * in a spreadsheet that splits on semicolons, as French Excel does). XLSX is written here by hand
 * and zipped with fflate: a library was considered (write-excel-file), but ~100 lines give full
 * control over what matters for hostile input — every cell is an inline string or a number, no
 * formula element is ever written, no shared-string table — at no new dependency.
 */
import { stringify } from 'csv-stringify/sync';
import { strToU8, zipSync } from 'fflate';

/** One cell: text, a number, or nothing. */
export type Cell = string | number | null;

/** A table with a header row. Rows may be shorter than the header (missing cells are empty). */
export interface Table {
  columns: readonly string[];
  rows: readonly (readonly Cell[])[];
}

/**
 * C0 controls other than tab, line feed and carriage return, lone surrogates, and U+FFFE/U+FFFF:
 * none may appear in XML 1.0, and none belongs in a name.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this strips
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * What a spreadsheet may take for a formula (OWASP, CSV Injection): a cell starting with = + - @
 * (or their full-width forms, which Apple Numbers folds), a tab or a carriage return. Blank space
 * before = + - @ is included too, since some spreadsheets trim it before they look.
 */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * A cell's text made safe for a spreadsheet: control characters stripped, then an apostrophe put
 * before text a spreadsheet could read as a formula. Idempotent.
 */
export function neutralise(value: string): string {
  const clean = value.replace(FORBIDDEN_CHARS, '');
  return FORMULA_START.test(clean) ? `'${clean}` : clean;
}

function cellText(cell: Cell): string | number | null {
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) throw new RangeError(`a table cell must be a finite number, not ${cell}`);
    return cell;
  }
  return cell === null ? null : neutralise(cell);
}

/** The table as CSV: UTF-8 with a byte order mark (so Excel reads accents), CRLF line ends. */
export function toCsv(table: Table): Buffer {
  const records = [table.columns.map(neutralise), ...table.rows.map((row) => row.map(cellText))];
  // escape_formulas cannot fire on neutralised text; it stays on as a second lock.
  return Buffer.from(stringify(records, { bom: true, record_delimiter: 'windows', quoted_string: true, escape_formulas: true }), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// XLSX (Office Open XML, SpreadsheetML): the fewest parts Excel, LibreOffice and Numbers open.

/** Excel's limits. */
const MAX_ROWS = 1_048_576;
const MAX_COLUMNS = 16_384;
const MAX_CELL_CHARS = 32_767;
const MAX_SHEET_NAME_CHARS = 31;

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
/** Fixed, so that the same table gives the same bytes. */
const ZIP_MTIME = new Date(2000, 0, 1);

const CONTENT_TYPES = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;
const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;
/** Style 0 is plain, style 1 bold (the header row); Excel wants both default fills. */
const STYLES = `${XML_HEAD}<styleSheet xmlns="${MAIN_NS}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Text for XML content or attributes; a carriage return as a reference, or parsers turn it into a line feed. */
function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c] ?? c);
}

/**
 * Cell text as SpreadsheetML stores it: Excel reads `_xHHHH_` in a string as the character HHHH,
 * so a literal one has its underscore escaped (`_x005F_`), as Excel itself writes it.
 */
function cellXml(text: string): string {
  return xmlEscape(text.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_'));
}

/** At most `max` UTF-16 units (Excel's measure), without splitting a surrogate pair. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/**
 * A name Excel accepts for a sheet: no control characters or `[]:*?/\`, no apostrophe at either
 * end, at most 31 characters, not empty and not the reserved `History`.
 */
export function sheetName(name: string): string {
  const clean = name
    .replace(FORBIDDEN_CHARS, '')
    .replace(/[\t\n\r[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const clipped = clip(clean, MAX_SHEET_NAME_CHARS)
    .replace(/^'+|'+$/g, '')
    .trim();
  if (clipped === '') return 'Sheet1';
  return clipped.toLowerCase() === 'history' ? 'History 1' : clipped;
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function rowXml(cells: readonly Cell[], rowIndex: number, style: number): string {
  const row = rowIndex + 1;
  const parts: string[] = [];
  cells.forEach((cell, column) => {
    const value = cellText(cell);
    if (value === null || value === '') return;
    const ref = `${columnName(column)}${row}`;
    const s = style ? ` s="${style}"` : '';
    if (typeof value === 'number') parts.push(`<c r="${ref}"${s} t="n"><v>${Object.is(value, -0) ? 0 : value}</v></c>`);
    else parts.push(`<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${cellXml(clip(value, MAX_CELL_CHARS))}</t></is></c>`);
  });
  return `<row r="${row}">${parts.join('')}</row>`;
}

/**
 * The table as a one-sheet XLSX workbook, the header row in bold. Text cells are neutralised as
 * in `toCsv` and cut at Excel's 32,767 characters; `name` is made a valid sheet name (`sheetName`).
 */
export function toXlsx(table: Table, name: string): Buffer {
  if (table.rows.length + 1 > MAX_ROWS) throw new RangeError(`a sheet holds at most ${MAX_ROWS} rows`);
  if (table.rows.reduce((widest, r) => Math.max(widest, r.length), table.columns.length) > MAX_COLUMNS) throw new RangeError(`a sheet holds at most ${MAX_COLUMNS} columns`);
  const rows = [rowXml(table.columns, 0, 1), ...table.rows.map((cells, i) => rowXml(cells, i + 1, 0))];
  const sheet = `${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetData>${rows.join('')}</sheetData></worksheet>`;
  const workbook = `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="${xmlEscape(sheetName(name))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const zip = zipSync(
    {
      '[Content_Types].xml': strToU8(CONTENT_TYPES),
      '_rels/.rels': strToU8(ROOT_RELS),
      'xl/workbook.xml': strToU8(workbook),
      'xl/_rels/workbook.xml.rels': strToU8(WORKBOOK_RELS),
      'xl/styles.xml': strToU8(STYLES),
      'xl/worksheets/sheet1.xml': strToU8(sheet),
    },
    { level: 6, mtime: ZIP_MTIME },
  );
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}
