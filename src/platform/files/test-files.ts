/**
 * Sample files for tests: small but real documents of every accepted kind, and the hostile ones
 * the upload path must refuse. Every `make…` function returns the file's bytes; `writeSample`
 * puts bytes in a directory and `writeSamples` writes one of each. Used by tests of other
 * modules too (documents, search), so the names and shapes stay stable.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import sharp from 'sharp';

/** Writes `bytes` as `dir/name` (creating `dir`) and returns the path. */
export async function writeSample(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

/** A fresh directory under the system's temporary directory. */
export async function sampleDir(prefix = 'diwan-files-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Escapes text for an XML text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---------------------------------------------------------------------------------------------
// PDF

const A4 = { width: 595, height: 842 } as const;
const MARGIN = 56;
const FONT_SIZE = 11;
const LINE_HEIGHT = 14;

/**
 * A PDF in Helvetica (WinAnsi: French accents work, Arabic does not), one page per element:
 * a string is one paragraph, a string[] several. Text that overflows a page is cut, so the page
 * count is always `pages.length`.
 */
export async function makePdf(pages: string[][] | string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.setTitle('Diwan sample');
  for (const page of pages) {
    drawParagraphs(doc.addPage([A4.width, A4.height]), font, typeof page === 'string' ? [page] : page);
  }
  return Buffer.from(await doc.save());
}

function drawParagraphs(page: PDFPage, font: PDFFont, paragraphs: string[]): void {
  let y = A4.height - MARGIN;
  for (const paragraph of paragraphs) {
    for (const line of wrap(paragraph, font, A4.width - 2 * MARGIN)) {
      if (y < MARGIN) return;
      page.drawText(line, { x: MARGIN, y, size: FONT_SIZE, font });
      y -= LINE_HEIGHT;
    }
    y -= LINE_HEIGHT / 2;
  }
}

function wrap(text: string, font: PDFFont, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(candidate, FONT_SIZE) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A real PDF cut in half: no `%%EOF`, no cross-reference table. */
export async function makeTruncatedPdf(): Promise<Buffer> {
  const whole = await makePdf(['Première page du rapport.', 'Deuxième page du rapport.', 'Troisième page.']);
  return whole.subarray(0, Math.floor(whole.length / 2));
}

// ---------------------------------------------------------------------------------------------
// Office Open XML and OpenDocument

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const PKG_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function contentTypes(overrides: Record<string, string>): string {
  const parts = Object.entries(overrides)
    .map(([part, type]) => `<Override PartName="/${part}" ContentType="${type}"/>`)
    .join('');
  return `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${parts}</Types>`;
}

function rootRels(target: string): string {
  return `${XML_HEAD}<Relationships xmlns="${PKG_RELS}"><Relationship Id="rId1" Type="${OFFICE_RELS}/officeDocument" Target="${target}"/></Relationships>`;
}

function relationships(targets: { id: string; type: string; target: string }[]): string {
  const rels = targets.map((r) => `<Relationship Id="${r.id}" Type="${OFFICE_RELS}/${r.type}" Target="${r.target}"/>`).join('');
  return `${XML_HEAD}<Relationships xmlns="${PKG_RELS}">${rels}</Relationships>`;
}

/** Zips text parts (deflated) with fflate; a `[text, { level: 0 }]` value is stored. */
export function makeZip(parts: Record<string, string | Uint8Array | [string, { level: 0 }]>): Buffer {
  const files: Zippable = {};
  for (const [name, value] of Object.entries(parts)) {
    files[name] = Array.isArray(value) ? [strToU8(value[0]), value[1]] : typeof value === 'string' ? strToU8(value) : value;
  }
  return Buffer.from(zipSync(files, { level: 6 }));
}

/** A Word document with one paragraph per string; mammoth reads it. */
export function makeDocx(paragraphs: string[]): Buffer {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${escapeXml(p)}</w:t></w:r></w:p>`).join('');
  return makeZip({
    '[Content_Types].xml': contentTypes({ 'word/document.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' }),
    '_rels/.rels': rootRels('word/document.xml'),
    'word/document.xml': `${XML_HEAD}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`,
  });
}

/** A PowerPoint deck with one slide per string (one text box each). */
export function makePptx(slides: string[]): Buffer {
  const ns = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const parts: Record<string, string> = {};
  const overrides: Record<string, string> = { 'ppt/presentation.xml': 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml' };
  const ids = slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 1}"/>`).join('');
  slides.forEach((text, i) => {
    const paragraphs = text.split('\n').map((line) => `<a:p><a:r><a:rPr lang="fr-FR"/><a:t>${escapeXml(line)}</a:t></a:r></a:p>`).join('');
    parts[`ppt/slides/slide${i + 1}.xml`] = `${XML_HEAD}<p:sld ${ns}><p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>${paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`;
    overrides[`ppt/slides/slide${i + 1}.xml`] = 'application/vnd.openxmlformats-officedocument.presentationml.slide+xml';
  });
  return makeZip({
    '[Content_Types].xml': contentTypes(overrides),
    '_rels/.rels': rootRels('ppt/presentation.xml'),
    'ppt/presentation.xml': `${XML_HEAD}<p:presentation ${ns}><p:sldIdLst>${ids}</p:sldIdLst></p:presentation>`,
    'ppt/_rels/presentation.xml.rels': relationships(slides.map((_, i) => ({ id: `rId${i + 1}`, type: 'slide', target: `slides/slide${i + 1}.xml` }))),
    ...parts,
  });
}

/**
 * An Excel workbook: `cells` as shared strings down column A of the first sheet, `inline` as
 * inline strings in column B, and `sheets` sheets in all (the others empty).
 */
export function makeXlsx(cells: string[], options: { inline?: string[]; sheets?: number } = {}): Buffer {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const inline = options.inline ?? [];
  const sheetCount = Math.max(1, options.sheets ?? 1);
  const rows = Array.from({ length: Math.max(cells.length, inline.length) }, (_, i) => {
    const a = i < cells.length ? `<c r="A${i + 1}" t="s"><v>${i}</v></c>` : '';
    const b = i < inline.length ? `<c r="B${i + 1}" t="inlineStr"><is><t>${escapeXml(inline[i] ?? '')}</t></is></c>` : '';
    return `<row r="${i + 1}">${a}${b}</row>`;
  }).join('');
  const sheetXml = (data: string) => `${XML_HEAD}<worksheet ${ns}><sheetData>${data}</sheetData></worksheet>`;
  const parts: Record<string, string> = {};
  const overrides: Record<string, string> = {
    'xl/workbook.xml': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
    'xl/sharedStrings.xml': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
  };
  for (let i = 1; i <= sheetCount; i++) {
    parts[`xl/worksheets/sheet${i}.xml`] = sheetXml(i === 1 ? rows : '');
    overrides[`xl/worksheets/sheet${i}.xml`] = 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
  }
  const sheetList = Array.from({ length: sheetCount }, (_, i) => `<sheet name="Feuille${i + 1}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const strings = cells.map((c) => `<si><t xml:space="preserve">${escapeXml(c)}</t></si>`).join('');
  return makeZip({
    '[Content_Types].xml': contentTypes(overrides),
    '_rels/.rels': rootRels('xl/workbook.xml'),
    'xl/workbook.xml': `${XML_HEAD}<workbook ${ns}><sheets>${sheetList}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': relationships([
      ...Array.from({ length: sheetCount }, (_, i) => ({ id: `rId${i + 1}`, type: 'worksheet', target: `worksheets/sheet${i + 1}.xml` })),
      { id: `rId${sheetCount + 1}`, type: 'sharedStrings', target: 'sharedStrings.xml' },
    ]),
    'xl/sharedStrings.xml': `${XML_HEAD}<sst ${ns} count="${cells.length}" uniqueCount="${cells.length}">${strings}</sst>`,
    ...parts,
  });
}

/** An OpenDocument text with one paragraph per string (the `mimetype` entry first and stored). */
export function makeOdt(paragraphs: string[]): Buffer {
  const body = paragraphs.map((p) => `<text:p>${escapeXml(p)}</text:p>`).join('');
  return makeZip({
    mimetype: ['application/vnd.oasis.opendocument.text', { level: 0 }],
    'META-INF/manifest.xml': `${XML_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    'content.xml': `${XML_HEAD}<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:text>${body}</office:text></office:body></office:document-content>`,
  });
}

// ---------------------------------------------------------------------------------------------
// Images

const IMAGE = { width: 800, height: 600, channels: 3, background: { r: 20, g: 90, b: 160 } } as const;

/** An 800×600 PNG. */
export async function makePng(): Promise<Buffer> {
  return sharp({ create: IMAGE }).png().toBuffer();
}

/** An 800×600 JPEG whose EXIF says "rotate 90°", so an upright thumbnail is 360 wide by 480 high. */
export async function makeJpeg(): Promise<Buffer> {
  return sharp({ create: IMAGE }).jpeg({ quality: 80 }).withMetadata({ orientation: 6 }).toBuffer();
}

/** An 800×600 WebP. */
export async function makeWebp(): Promise<Buffer> {
  return sharp({ create: IMAGE }).webp().toBuffer();
}

// ---------------------------------------------------------------------------------------------
// Hostile files

/** An SVG carrying a script, behind an XML declaration. */
export function makeSvgWithScript(): Buffer {
  return Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>\n');
}

/** An HTML page behind a byte order mark and blank lines. */
export function makeHtml(): Buffer {
  return Buffer.from('\uFEFF\n  \n<!DOCTYPE html>\n<html><body><script>fetch("/admin")</script></body></html>\n');
}

/** The name `makeMismatched` bytes are meant to be uploaded under. */
export const MISMATCHED_NAME = 'report.pdf';

/** PNG bytes and a `.pdf` name to send them under. */
export async function makeMismatched(): Promise<{ name: string; bytes: Buffer }> {
  return { name: MISMATCHED_NAME, bytes: await makePng() };
}

/**
 * A DOCX whose word/document.xml really inflates to `inflatedBytes` (default 1.1 GB of spaces)
 * from about 1 MB. Its central directory tells the truth by default (inspection refuses it);
 * with `lie: true` it declares 4 KB, so only counting while inflating can catch it.
 */
export function makeZipBombDocx(options: { lie?: boolean; inflatedBytes?: number } = {}): Buffer {
  const block = Buffer.alloc(1024 * 1024, 0x20);
  const blocks = Math.ceil((options.inflatedBytes ?? 1100 * 1024 * 1024) / block.length);
  // Each block is compressed on its own and ends in a full flush (byte-aligned, no final bit),
  // so the same compressed bytes can be repeated and the stream closed by a final block.
  const head = Buffer.from('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>');
  const tail = Buffer.from('</w:t></w:r></w:p></w:body></w:document>');
  const flush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
  const compressedBlock = zlib.deflateRawSync(block, flush);
  const data = Buffer.concat([zlib.deflateRawSync(head, flush), ...Array<Buffer>(blocks).fill(compressedBlock), zlib.deflateRawSync(tail)]);
  let crc = zlib.crc32(head);
  for (let i = 0; i < blocks; i++) crc = zlib.crc32(block, crc);
  crc = zlib.crc32(tail, crc);
  const realSize = head.length + blocks * block.length + tail.length;
  const deflated = (text: string) => {
    const raw = Buffer.from(text);
    return { data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length };
  };
  return rawZip([
    { name: '[Content_Types].xml', ...deflated(contentTypes({ 'word/document.xml': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' })) },
    { name: '_rels/.rels', ...deflated(rootRels('word/document.xml')) },
    { name: 'word/document.xml', data, crc, size: options.lie ? 4096 : realSize },
  ]);
}

/** A zip of already-deflated entries, written by hand (fflate would need the inflated bytes). */
function rawZip(entries: { name: string; data: Buffer; crc: number; size: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc >>> 0, 14);
    local.writeUInt32LE(entry.data.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc >>> 0, 16);
    central.writeUInt32LE(entry.data.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.data);
    centrals.push(central, name);
    offset += local.length + name.length + entry.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------------------------------------
// One of each

/** French text with the accents extraction must keep. */
export const FRENCH_SAMPLE = 'La réunion a élaboré des recommandations sur la coopération régionale et la protection des réfugiés.';
/** English text for the language guess. */
export const ENGLISH_SAMPLE = 'The meeting of the working group adopted the report and the recommendations that were prepared by the co-chairs.';

/** Every sample under a stable name: valid files of each kind, then the hostile ones. */
export type SampleName = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'odt' | 'jpeg' | 'png' | 'webp' | 'svg' | 'html' | 'empty' | 'truncatedPdf' | 'mismatched' | 'text';

/** Writes one sample of each kind (and each hostile file) in `dir`; returns their paths. */
export async function writeSamples(dir: string): Promise<Record<SampleName, string>> {
  const mismatched = await makeMismatched();
  return {
    pdf: await writeSample(dir, 'sample.pdf', await makePdf([[FRENCH_SAMPLE], [ENGLISH_SAMPLE]])),
    docx: await writeSample(dir, 'sample.docx', makeDocx([FRENCH_SAMPLE, ENGLISH_SAMPLE])),
    pptx: await writeSample(dir, 'sample.pptx', makePptx([FRENCH_SAMPLE, ENGLISH_SAMPLE])),
    xlsx: await writeSample(dir, 'sample.xlsx', makeXlsx([FRENCH_SAMPLE, ENGLISH_SAMPLE])),
    odt: await writeSample(dir, 'sample.odt', makeOdt([FRENCH_SAMPLE, ENGLISH_SAMPLE])),
    jpeg: await writeSample(dir, 'sample.jpg', await makeJpeg()),
    png: await writeSample(dir, 'sample.png', await makePng()),
    webp: await writeSample(dir, 'sample.webp', await makeWebp()),
    svg: await writeSample(dir, 'logo.svg', makeSvgWithScript()),
    html: await writeSample(dir, 'page.html', makeHtml()),
    empty: await writeSample(dir, 'empty.pdf', ''),
    truncatedPdf: await writeSample(dir, 'truncated.pdf', await makeTruncatedPdf()),
    mismatched: await writeSample(dir, mismatched.name, mismatched.bytes),
    text: await writeSample(dir, 'notes.txt', 'Plain notes, not a document kind Diwan keeps.\n'),
  };
}
