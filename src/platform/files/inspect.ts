/**
 * What an uploaded file really is, decided by its content and never by its name or the browser's
 * word. A file is accepted only as one of the kinds the secretariat publishes (PDF, Office and
 * OpenDocument text, three image formats); everything else is refused with a reason the upload
 * form can explain. Zip containers are judged by their central directory, read from the tail of
 * the file, so a zip bomb is refused before a single byte is inflated; what is inflated later is
 * held to what the directory declared. Images are decoded once, small, so a truncated one is
 * refused like a PDF without its end.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { Inflate } from 'fflate';
import sharp from 'sharp';

/** The kinds of file Diwan accepts. */
export type FileKind = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'odt' | 'jpeg' | 'png' | 'webp';

/** Every accepted kind, in a stable order (for forms and help texts). */
export const FILE_KINDS: readonly FileKind[] = ['pdf', 'docx', 'pptx', 'xlsx', 'odt', 'jpeg', 'png', 'webp'];

/** What `inspectFile` found: the kind, its MIME type and its canonical extension (no dot). */
export interface InspectedFile {
  kind: FileKind;
  mime: string;
  extension: string;
}

/** Why a file was refused; each reason maps to one message on the upload form. */
export type FileRefusal = 'empty' | 'unsupported' | 'html' | 'svg' | 'mismatch' | 'zip_bomb' | 'corrupt' | 'too_large';

/** A file refused by inspection or extraction; `detail` is for logs, never for the user. */
export class FileRejected extends Error {
  constructor(
    readonly reason: FileRefusal,
    readonly detail?: string,
  ) {
    super(detail ? `file rejected (${reason}): ${detail}` : `file rejected (${reason})`);
    this.name = 'FileRejected';
  }
}

/** Bounds on what a zip container may expand to. */
export interface InspectLimits {
  /** Total uncompressed bytes of all entries, declared or really inflated. */
  maxUnzippedBytes: number;
  /** Entries in the central directory. */
  maxZipEntries: number;
  /** Uncompressed bytes per compressed byte, over the whole archive. */
  maxZipRatio: number;
}

/** Limits generous enough for any real document and far below what would hurt the server. */
export const DEFAULT_INSPECT_LIMITS: InspectLimits = {
  maxUnzippedBytes: 500 * 1024 * 1024,
  maxZipEntries: 10_000,
  maxZipRatio: 200,
};

/** Pixels an image may have (width × height); also the limit sharp is given when decoding. */
export const MAX_IMAGE_PIXELS = 100_000_000;

const MIME: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

const EXTENSION: Record<FileKind, string> = {
  pdf: 'pdf',
  docx: 'docx',
  pptx: 'pptx',
  xlsx: 'xlsx',
  odt: 'odt',
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
};

/** Extensions a user may give each kind (lower case). */
const ALIASES: Record<FileKind, readonly string[]> = {
  pdf: ['pdf'],
  docx: ['docx'],
  pptx: ['pptx'],
  xlsx: ['xlsx'],
  odt: ['odt'],
  jpeg: ['jpg', 'jpeg', 'jpe', 'jfif'],
  png: ['png'],
  webp: ['webp'],
};

/** The canonical extension (no dot) of a kind: `jpg` for JPEG. */
export function extensionOf(kind: FileKind): string {
  return EXTENSION[kind];
}

/** The MIME type Diwan serves a kind with. */
export function mimeOf(kind: FileKind): string {
  return MIME[kind];
}

/** Ratios are only judged above this size: a tiny file of repeated XML is no threat. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** Bytes sniffed for HTML and SVG. */
const SNIFF_BYTES = 4096;
/** Where a PDF's last `%%EOF` must be. */
const PDF_TAIL_BYTES = 1024;

/**
 * Decides what a file is by its content and checks it is safe to keep: refuses empty files, HTML
 * and SVG (script carriers), unknown types, zip bombs, truncated PDFs, oversized images, and a
 * declared name whose extension says another kind. Reads only the head and tail of the file.
 */
export async function inspectFile(path: string, options: { declaredName?: string; limits?: InspectLimits } = {}): Promise<InspectedFile> {
  const limits = options.limits ?? DEFAULT_INSPECT_LIMITS;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new FileRejected('empty');
    const head = await readAt(handle, 0, Math.min(size, SNIFF_BYTES));
    const markup = sniffMarkup(head);
    if (markup) throw new FileRejected(markup);

    const kind = await detectKind(path, handle, size, limits);
    checkDeclaredName(kind, options.declaredName);
    if (kind === 'pdf') await checkPdfTail(handle, size);
    if (kind === 'jpeg' || kind === 'png' || kind === 'webp') await checkImage(path);
    return { kind, mime: MIME[kind], extension: EXTENSION[kind] };
  } finally {
    await handle.close();
  }
}

async function detectKind(path: string, handle: FileHandle, size: number, limits: InspectLimits): Promise<FileKind> {
  const detected = await fileTypeFromFile(path, { maxBufferSize: 16 * 1024 * 1024 }).catch(() => undefined);
  if (detected?.mime === 'application/pdf') return 'pdf';
  if (detected?.mime === 'image/jpeg') return 'jpeg';
  if (detected?.mime === 'image/png' || detected?.mime === 'image/apng') return 'png';
  if (detected?.mime === 'image/webp') return 'webp';
  // Whatever file-type called it (zip, docx, epub, jar...), a zip is judged by its own directory.
  const head = await readAt(handle, 0, Math.min(size, 4));
  if (head.length === 4 && head.readUInt32LE(0) === LOCAL_HEADER_SIG) {
    const zip = await readZipDirectory(handle, size, limits);
    checkZipLimits(zip, size, limits);
    return zipKind(handle, zip);
  }
  throw new FileRejected('unsupported', detected ? detected.mime : 'unknown type');
}

/** `html` or `svg` when the file starts (after a BOM and blank space) like one of them. */
function sniffMarkup(head: Buffer): 'html' | 'svg' | null {
  const text = decodeHead(head).replace(/^[\s\uFEFF]+/, '').toLowerCase();
  if (!text.startsWith('<')) return null;
  const prologue = /^<(\?xml|!doctype|!--)/.test(text);
  if (/^<svg[\s>/]/.test(text) || (prologue && /<svg[\s>/]/.test(text))) return 'svg';
  if (/^<(!doctype html|html|script|body|head|iframe)[\s>/]/.test(text)) return 'html';
  if (prologue && /<(!doctype html|html|script|body)[\s>/]/.test(text)) return 'html';
  return null;
}

/** Text of the first bytes, honouring a UTF-16 byte order mark (browsers do). */
function decodeHead(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return head.subarray(2).toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return Buffer.from(head.subarray(2)).swap16().toString('utf16le');
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return head.subarray(3).toString('latin1');
  return head.toString('latin1');
}

function checkDeclaredName(kind: FileKind, declaredName: string | undefined): void {
  const extension = declaredExtension(declaredName);
  if (extension && !ALIASES[kind].includes(extension)) {
    throw new FileRejected('mismatch', `.${extension} is a ${kind}`);
  }
}

/** The extension of a user's file name, lower case, or null when it has none. */
export function declaredExtension(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const match = /\.([a-z][a-z0-9]{0,4})\s*$/i.exec(base);
  return match?.[1] ? match[1].toLowerCase() : null;
}

async function checkPdfTail(handle: FileHandle, size: number): Promise<void> {
  const start = Math.max(0, size - PDF_TAIL_BYTES);
  const tail = await readAt(handle, start, size - start);
  if (!tail.includes('%%EOF', 0, 'latin1')) throw new FileRejected('corrupt', 'PDF has no %%EOF at its end');
}

/** Edge of the image an upload's check decodes to: enough to read every byte, too small to cost memory. */
const IMAGE_CHECK_SIZE = 32;

/**
 * Refuses pixel bombs by the header alone, before any pixel is decoded; then decodes the image,
 * streamed and shrunk, so that a truncated file or one whose data does not fill its declared size
 * (which a header-only look accepts) is refused as damaged.
 */
async function checkImage(path: string): Promise<void> {
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(path, { limitInputPixels: false }).metadata());
  } catch (error) {
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'image header');
  }
  if (!width || !height) throw new FileRejected('corrupt', 'image without dimensions');
  if (width * height > MAX_IMAGE_PIXELS) throw new FileRejected('too_large', `${width}×${height} pixels`);
  try {
    await sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'truncated', sequentialRead: true }).resize(IMAGE_CHECK_SIZE, IMAGE_CHECK_SIZE, { fit: 'inside' }).raw().toBuffer();
  } catch (error) {
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'image data');
  }
}

// ---------------------------------------------------------------------------------------------
// Zip containers: the central directory, read from the file's tail.

const LOCAL_HEADER_SIG = 0x04034b50;
/** A local file header without its name and extra field. */
const LOCAL_HEADER_BYTES = 30;
const CENTRAL_SIG = 0x02014b50;
const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
/** End of central directory record (22 bytes) plus the longest comment. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
/** A central directory larger than this is refused without reading it. */
const MAX_CENTRAL_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Compressed bytes read from disk at a time while inflating. */
const INFLATE_CHUNK_BYTES = 4 * 1024;

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else cannot be read. */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  encrypted: boolean;
}

/** A zip's central directory. */
export interface ZipDirectory {
  entries: ZipEntry[];
  /** Sum of the declared uncompressed sizes. */
  declaredBytes: number;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  // An offset a zip declares (zip64: up to 2^64) may be past what the file system can address:
  // nothing is there, as past the end of the file.
  if (!Number.isSafeInteger(position) || position < 0) return Buffer.alloc(0);
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

/**
 * Reads the central directory of the zip open in `handle` (zip64 included), touching only the
 * file's tail. Throws FileRejected('corrupt') when there is none, and FileRejected('zip_bomb')
 * when it declares more entries than `limits` allow (before reading them).
 */
export async function readZipDirectory(handle: FileHandle, size: number, limits: Pick<InspectLimits, 'maxZipEntries'> = DEFAULT_INSPECT_LIMITS): Promise<ZipDirectory> {
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = await readAt(handle, tailStart, size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new FileRejected('corrupt', 'zip without end of central directory');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    ({ count, cdSize, cdOffset } = await readZip64End(handle, tail, eocd, tailStart));
  }
  if (count > limits.maxZipEntries) throw new FileRejected('zip_bomb', `${count} entries declared`);
  if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES) throw new FileRejected('zip_bomb', `central directory of ${cdSize} bytes`);
  if (cdOffset + cdSize > size) throw new FileRejected('corrupt', 'central directory beyond the end of the file');
  const cd = await readAt(handle, cdOffset, cdSize);
  return parseCentralDirectory(cd, count);
}

async function readZip64End(handle: FileHandle, tail: Buffer, eocd: number, tailStart: number): Promise<{ count: number; cdSize: number; cdOffset: number }> {
  const locator = eocd - 20;
  if (locator < 0 || tail.readUInt32LE(locator) !== ZIP64_LOCATOR_SIG) throw new FileRejected('corrupt', 'zip64 locator missing');
  const recordOffset = Number(tail.readBigUInt64LE(locator + 8));
  const record = recordOffset >= tailStart ? tail.subarray(recordOffset - tailStart, recordOffset - tailStart + 56) : await readAt(handle, recordOffset, 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw new FileRejected('corrupt', 'zip64 end record missing');
  return {
    count: Number(record.readBigUInt64LE(32)),
    cdSize: Number(record.readBigUInt64LE(40)),
    cdOffset: Number(record.readBigUInt64LE(48)),
  };
}

function parseCentralDirectory(cd: Buffer, expected: number): ZipDirectory {
  const entries: ZipEntry[] = [];
  let declaredBytes = 0;
  let at = 0;
  // One entry more than the end record announced is enough to know it lies: the rest is not parsed.
  while (entries.length <= expected && at + 46 <= cd.length && cd.readUInt32LE(at) === CENTRAL_SIG) {
    const flags = cd.readUInt16LE(at + 8);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    const entry: ZipEntry = {
      name: nameBytes.toString(flags & 0x800 ? 'utf8' : 'latin1'),
      method: cd.readUInt16LE(at + 10),
      compressedSize: cd.readUInt32LE(at + 20),
      uncompressedSize: cd.readUInt32LE(at + 24),
      localHeaderOffset: cd.readUInt32LE(at + 42),
      encrypted: (flags & 1) === 1,
    };
    applyZip64Extra(entry, cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push(entry);
    declaredBytes += entry.uncompressedSize;
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== expected) throw new FileRejected('corrupt', `central directory lists ${entries.length} of ${expected} entries`);
  return { entries, declaredBytes };
}

/** Zip64 stores the real sizes in an extra field when the 32-bit ones are saturated. */
function applyZip64Extra(entry: ZipEntry, extra: Buffer): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const next = (): number => {
        const value = field + 8 <= at + 4 + length && field + 8 <= extra.length ? Number(extra.readBigUInt64LE(field)) : NaN;
        field += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      if ([entry.uncompressedSize, entry.compressedSize, entry.localHeaderOffset].some(Number.isNaN)) {
        throw new FileRejected('corrupt', 'truncated zip64 extra field');
      }
      return;
    }
    at += 4 + length;
  }
}

/**
 * Refuses an archive whose directory declares too many entries, bytes or too high a ratio, an
 * entry whose data would lie past the end of the file, or entries that share bytes: overlapping
 * entries make a small file read (and inflate) its same data once per entry, and no zip writer
 * produces them.
 */
export function checkZipLimits(zip: ZipDirectory, fileSize: number, limits: InspectLimits): void {
  if (zip.entries.length > limits.maxZipEntries) throw new FileRejected('zip_bomb', `${zip.entries.length} entries`);
  if (zip.declaredBytes > limits.maxUnzippedBytes) throw new FileRejected('zip_bomb', `${zip.declaredBytes} bytes declared`);
  if (zip.declaredBytes > RATIO_FLOOR_BYTES && zip.declaredBytes / fileSize > limits.maxZipRatio) {
    throw new FileRejected('zip_bomb', `ratio ${Math.round(zip.declaredBytes / fileSize)}`);
  }
  // Each entry takes at least its local header and its compressed bytes, one after the other.
  const spans = zip.entries.map((e) => ({ name: e.name, start: e.localHeaderOffset, end: e.localHeaderOffset + LOCAL_HEADER_BYTES + e.compressedSize })).sort((a, b) => a.start - b.start);
  let previous: { name: string; end: number } | null = null;
  for (const span of spans) {
    if (!(span.end <= fileSize)) throw new FileRejected('corrupt', `${span.name} ends past the end of the file`);
    if (previous && span.start < previous.end) throw new FileRejected('zip_bomb', `${span.name} overlaps ${previous.name}`);
    previous = span;
  }
}

async function zipKind(handle: FileHandle, zip: ZipDirectory): Promise<FileKind> {
  const names = new Set(zip.entries.map((e) => e.name));
  // Word's macros (vbaProject.bin), and OpenDocument's (Basic and script libraries).
  if (zip.entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name) || /^(Basic|Scripts)\//.test(e.name))) throw new FileRejected('unsupported', 'document with macros');
  const mimetype = zip.entries.find((e) => e.name === 'mimetype');
  if (mimetype) {
    const declared = mimetype.uncompressedSize <= 200 ? (await readZipEntry(handle, mimetype, 200)).toString('latin1').trim() : '';
    if (declared === MIME.odt) return 'odt';
    throw new FileRejected('unsupported', declared || 'OpenDocument of unknown type');
  }
  if (names.has('[Content_Types].xml')) {
    const parts = (['docx', 'pptx', 'xlsx'] as const).filter((kind) => names.has(OOXML_MAIN_PART[kind]));
    if (parts.length === 1 && parts[0]) return parts[0];
  }
  throw new FileRejected('unsupported', 'zip archive');
}

const OOXML_MAIN_PART = { docx: 'word/document.xml', pptx: 'ppt/presentation.xml', xlsx: 'xl/workbook.xml' } as const;

/** Where an entry's compressed bytes start (after its local header). */
async function entryDataOffset(handle: FileHandle, entry: ZipEntry): Promise<number> {
  const header = await readAt(handle, entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_HEADER_SIG) throw new FileRejected('corrupt', `bad local header for ${entry.name}`);
  return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

/**
 * Inflates one entry chunk by chunk, handing each piece of output to `onData`, and stops with
 * FileRejected('zip_bomb') as soon as more than `budget` bytes came out, or more than the
 * directory declared for the entry (a real zip's entry inflates to exactly its declared size, so
 * the limits checked on the directory also bound what is inflated). Memory stays bounded by the
 * chunk size times deflate's maximum ratio.
 */
export async function inflateZipEntry(handle: FileHandle, entry: ZipEntry, budget: number, onData: (chunk: Uint8Array) => void): Promise<number> {
  if (entry.encrypted) throw new FileRejected('unsupported', `encrypted entry ${entry.name}`);
  if (entry.method !== 0 && entry.method !== 8) throw new FileRejected('unsupported', `compression method ${entry.method}`);
  const start = await entryDataOffset(handle, entry);
  let produced = 0;
  let ended = entry.method === 0;
  const accept = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > budget) throw new FileRejected('zip_bomb', `${entry.name} inflates beyond ${budget} bytes`);
    if (produced > entry.uncompressedSize) throw new FileRejected('zip_bomb', `${entry.name} inflates beyond the ${entry.uncompressedSize} bytes it declares`);
    onData(chunk);
  };
  const inflater = new Inflate((chunk, final) => {
    if (final) ended = true;
    accept(chunk);
  });
  const buffer = Buffer.alloc(INFLATE_CHUNK_BYTES);
  for (let done = 0; done < entry.compressedSize; ) {
    const want = Math.min(INFLATE_CHUNK_BYTES, entry.compressedSize - done);
    const { bytesRead } = await handle.read(buffer, 0, want, start + done);
    if (bytesRead === 0) throw new FileRejected('corrupt', `${entry.name} is truncated`);
    done += bytesRead;
    const piece = buffer.subarray(0, bytesRead);
    if (entry.method === 0) accept(Uint8Array.from(piece));
    else pushInflate(inflater, piece, done === entry.compressedSize);
  }
  if (entry.method === 8 && entry.compressedSize === 0) pushInflate(inflater, new Uint8Array(0), true);
  if (!ended) throw new FileRejected('corrupt', `${entry.name} ends before its deflate stream`);
  return produced;
}

function pushInflate(inflater: Inflate, piece: Uint8Array, final: boolean): void {
  try {
    inflater.push(piece, final);
  } catch (error) {
    if (error instanceof FileRejected) throw error;
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'invalid deflate data');
  }
}

/** The whole content of one entry, refused beyond `budget` bytes. */
export async function readZipEntry(handle: FileHandle, entry: ZipEntry, budget: number): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await inflateZipEntry(handle, entry, budget, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks);
}
