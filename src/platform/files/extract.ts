/**
 * The words inside an accepted file, for search and for the "language" shown beside a download,
 * and a small WebP preview of images. Call `inspectFile` first: extraction trusts the kind it is
 * given, but still refuses corrupt input and zips that inflate beyond the limits. The readers
 * (unpdf, mammoth, sharp) are loaded when first needed, so that a worker reading one file (see
 * extractTextIsolated) loads only its own.
 */
import { execFile } from 'node:child_process';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { extname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Parser } from 'htmlparser2';
import {
  checkZipLimits,
  DEFAULT_INSPECT_LIMITS,
  FileRejected,
  inflateZipEntry,
  MAX_IMAGE_PIXELS,
  readZipDirectory,
  readZipEntry,
  type FileKind,
  type InspectLimits,
  type ZipDirectory,
  type ZipEntry,
} from './inspect.js';
import type { ExtractionReply, ExtractionRequest } from './extract-worker.js';

/** Text found in a file: `pages` is pages, slides or sheets when the format has them. */
export interface Extracted {
  text: string;
  pages: number | null;
  language: string | null;
}

/** Largest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 480;

/** pdf.js options for untrusted files: no eval, no fonts loaded, no system fonts looked up. */
const PDF_OPTIONS = { disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 } as const;

/** How PDFs are read. */
export interface PdfReaderOptions {
  /**
   * Poppler's `pdftotext` to run for PDFs: a command looked up on the PATH (the default,
   * 'pdftotext') or a path; false reads every PDF with unpdf in process. When the command is not
   * there, or refuses a file for a reason unpdf does not share, unpdf reads it.
   */
  pdftotext?: string | false;
  /** Longest `pdftotext` may run before it is killed (ExtractionTimeout); 2 minutes by default. */
  timeoutMs?: number;
}

/**
 * Extracts the text of a file of a known kind (images give ''), normalised to NFC with collapsed
 * blank space. Throws FileRejected('corrupt') for unreadable input and FileRejected('zip_bomb')
 * when a container inflates beyond `limits`, whatever its directory declares. PDFs are read by
 * `pdftotext` when it is installed (over twice as fast as unpdf), by unpdf otherwise.
 */
export async function extractText(path: string, kind: FileKind, limits: InspectLimits = DEFAULT_INSPECT_LIMITS, pdf: PdfReaderOptions = {}): Promise<Extracted> {
  return finish(await extractRaw(path, kind, limits, pdf));
}

function finish({ text, pages }: { text: string; pages: number | null }): Extracted {
  const clean = normaliseText(text);
  return { text: clean, pages, language: guessLanguage(clean) };
}

/** An extraction stopped because it ran longer than it was allowed. */
export class ExtractionTimeout extends Error {
  constructor(readonly ms: number) {
    super(`text extraction stopped after ${Number((ms / 1000).toFixed(1))} s`);
    this.name = 'ExtractionTimeout';
  }
}

/** The heap a worker reading one file may use; past it the worker, not the server, stops. */
const WORKER_HEAP_MB = 1024;
/** The worker's module beside this one (.ts when run from the sources, .js once built). */
const EXTRACT_WORKER = new URL(`./extract-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

export interface IsolatedExtractionOptions {
  /** Longest the extraction may run before it is stopped with ExtractionTimeout. */
  timeoutMs: number;
  limits?: InspectLimits;
  /** As for extractText. */
  pdftotext?: string | false;
  /** The worker module to run (tests give one that hangs). */
  worker?: URL;
}

/**
 * extractText run where it can be stopped. A PDF goes to `pdftotext`, a child process killed
 * after `timeoutMs`; every other reader (unpdf too, when pdftotext is not there or gives way) runs
 * in a worker thread with its own heap limit, terminated (even in the middle of a synchronous loop)
 * when the time is up. Either way a timeout is an ExtractionTimeout, and a reader that runs out of
 * memory ends its own process or thread, not the server. Images are not parsed for text, so they
 * need neither. Refusals arrive as FileRejected, as from extractText.
 */
export async function extractTextIsolated(path: string, kind: FileKind, options: IsolatedExtractionOptions): Promise<Extracted> {
  if (kind === 'jpeg' || kind === 'png' || kind === 'webp') return { text: '', pages: null, language: null };
  const started = performance.now();
  if (kind === 'pdf') {
    await checkPdfEnd(path);
    const read = await popplerText(path, options.pdftotext ?? PDFTOTEXT, options.timeoutMs);
    if (read) return finish(read);
  }
  const left = Math.max(1, options.timeoutMs - (performance.now() - started));
  return inWorker({ path, kind, limits: options.limits ?? DEFAULT_INSPECT_LIMITS }, left, options.worker ?? EXTRACT_WORKER);
}

function inWorker(request: ExtractionRequest, timeoutMs: number, module: URL): Promise<Extracted> {
  return new Promise<Extracted>((resolve, reject) => {
    const worker = new Worker(module, { workerData: request, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    let settled = false;
    // The worker is terminated before the outcome is given, whatever it is: none outlives its call.
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate().then(outcome, outcome);
    };
    const timer = setTimeout(() => settle(() => reject(new ExtractionTimeout(timeoutMs))), timeoutMs);
    worker.once('message', (reply: ExtractionReply) =>
      settle(() => {
        if (reply.ok) resolve({ text: reply.text, pages: reply.pages, language: reply.language });
        else if ('rejected' in reply) reject(new FileRejected(reply.rejected.reason, reply.rejected.detail));
        else reject(new Error(reply.error));
      }),
    );
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(`the text reader ran out of memory (${WORKER_HEAP_MB} MB)`) : error)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the text reader stopped (exit code ${code})`))));
  });
}

async function extractRaw(path: string, kind: FileKind, limits: InspectLimits, pdf: PdfReaderOptions): Promise<{ text: string; pages: number | null }> {
  switch (kind) {
    case 'pdf': {
      await checkPdfEnd(path);
      return (await popplerText(path, pdf.pdftotext ?? PDFTOTEXT, pdf.timeoutMs ?? PDFTOTEXT_TIMEOUT_MS)) ?? extractPdf(path);
    }
    case 'docx':
      return extractDocx(path, limits);
    case 'pptx':
      return withZip(path, limits, extractPptx);
    case 'xlsx':
      return withZip(path, limits, extractXlsx);
    case 'odt':
      return withZip(path, limits, extractOdt);
    case 'jpeg':
    case 'png':
    case 'webp':
      return { text: '', pages: null };
  }
}

/**
 * A WebP preview (at most 480 px a side, turned upright by its EXIF orientation) of an image, or
 * null for other kinds and for any image sharp cannot decode within its pixel limit.
 */
export async function makeThumbnail(path: string, kind: FileKind): Promise<Buffer | null> {
  if (kind !== 'jpeg' && kind !== 'png' && kind !== 'webp') return null;
  const { default: sharp } = await import('sharp');
  try {
    return await sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS })
      .rotate()
      .resize({ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// PDF

/** The command run for PDFs when it is on the PATH. */
const PDFTOTEXT = 'pdftotext';
const PDFTOTEXT_TIMEOUT_MS = 2 * 60 * 1000;
/** The most text `pdftotext` may write for one file (as UTF-8) before the file is refused as too large. */
export const MAX_PDF_TEXT_BYTES = 256 * 1024 * 1024;

/** Refuses a PDF without %%EOF in its last kilobyte (cut short), reading only that kilobyte. */
async function checkPdfEnd(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - 1024);
    const tail = Buffer.alloc(size - start);
    await handle.read(tail, 0, tail.length, start);
    if (!tail.includes('%%EOF', 0, 'latin1')) throw new FileRejected('corrupt', 'PDF has no %%EOF at its end');
  } finally {
    await handle.close();
  }
}

const available = new Map<string, Promise<boolean>>();

/** Whether a pdftotext command runs here (asked once per command: `pdftotext -v`). */
function popplerAvailable(command: string): Promise<boolean> {
  let known = available.get(command);
  if (!known) {
    known = new Promise<boolean>((resolve) => execFile(command, ['-v'], { timeout: 10_000 }, (error) => resolve(!error)));
    available.set(command, known);
  }
  return known;
}

type ExecFailure = Error & { code?: string | number | null; killed?: boolean; signal?: NodeJS.Signals | null };

/**
 * A PDF's text and page count from `pdftotext -enc UTF-8` (pages end with a form feed), killed
 * after `timeoutMs`. Null when unpdf should read it instead: no such command, or a refusal of its
 * own (copying forbidden by the document, a structure pdftotext cannot open). A password-protected
 * PDF is refused as unpdf refuses it.
 */
async function popplerText(path: string, command: string | false, timeoutMs: number): Promise<{ text: string; pages: number } | null> {
  if (command === false || !(await popplerAvailable(command))) return null;
  // Always absolute, so a file name can never read as an option.
  const file = resolvePath(path);
  const run = await new Promise<{ error: ExecFailure | null; stdout: Buffer; stderr: Buffer }>((resolve) =>
    execFile(command, ['-enc', 'UTF-8', file, '-'], { encoding: 'buffer', timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_PDF_TEXT_BYTES, windowsHide: true }, (error, stdout, stderr) =>
      resolve({ error: error as ExecFailure | null, stdout, stderr }),
    ),
  );
  const { error, stdout, stderr } = run;
  if (error) {
    if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') throw new FileRejected('too_large', `more than ${MAX_PDF_TEXT_BYTES} bytes of text`);
    // Killed by us: only the timeout is left (the size was checked above).
    if (error.killed) throw new ExtractionTimeout(timeoutMs);
    if (/incorrect password/i.test(stderr.toString('utf8'))) throw new FileRejected('unsupported', 'password-protected PDF');
    // Any other exit status (copying forbidden, a structure it cannot open), a crash on a signal or
    // a command gone since: unpdf decides, as it did before pdftotext was used.
    if (typeof error.code === 'number' || error.signal || error.code === 'ENOENT') return null;
    throw error;
  }
  const text = stdout.toString('utf8');
  let pages = 0;
  for (let i = text.indexOf('\f'); i !== -1; i = text.indexOf('\f', i + 1)) pages++;
  return { text, pages };
}

async function extractPdf(path: string): Promise<{ text: string; pages: number }> {
  const bytes = await readFile(path);
  const { extractText: pdfText, getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), PDF_OPTIONS);
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') throw new FileRejected('unsupported', 'password-protected PDF');
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'PDF structure');
  }
  try {
    const { text } = await pdfText(pdf, { mergePages: true });
    return { text, pages: pdf.numPages };
  } catch (error) {
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'PDF content');
  } finally {
    await pdf.loadingTask?.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Zip containers

/** An open zip with a budget of inflated bytes shared by every entry read from it. */
interface ZipContext {
  handle: FileHandle;
  zip: ZipDirectory;
  entries: Map<string, ZipEntry>;
  budget: { remaining: number };
}

async function openZip(path: string, limits: InspectLimits): Promise<ZipContext> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const zip = await readZipDirectory(handle, size);
    checkZipLimits(zip, size, limits);
    return { handle, zip, entries: new Map(zip.entries.map((e) => [e.name, e])), budget: { remaining: limits.maxUnzippedBytes } };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function withZip<T>(path: string, limits: InspectLimits, work: (zip: ZipContext) => Promise<T>): Promise<T> {
  const zip = await openZip(path, limits);
  try {
    return await work(zip);
  } finally {
    await zip.handle.close();
  }
}

/** An entry's text (UTF-8), or null when the archive has no such entry. */
async function entryText(zip: ZipContext, name: string): Promise<string | null> {
  const entry = zip.entries.get(name);
  if (!entry) return null;
  const bytes = await readZipEntry(zip.handle, entry, zip.budget.remaining);
  zip.budget.remaining -= bytes.length;
  return bytes.toString('utf8');
}

/** Entries named `prefix<N>.xml`, in the order of N. */
function numberedEntries(zip: ZipContext, prefix: string): string[] {
  const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(\\d+)\\.xml$`);
  return [...zip.entries.keys()]
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? NaN) }))
    .filter((e) => !Number.isNaN(e.n))
    .sort((a, b) => a.n - b.n)
    .map((e) => e.name);
}

/**
 * DOCX goes to mammoth, which inflates the whole archive in memory: so every entry is first
 * inflated here as a stream and only counted, refusing the file as soon as the real total passes
 * the limit.
 */
async function extractDocx(path: string, limits: InspectLimits): Promise<{ text: string; pages: number | null }> {
  const pages = await withZip(path, limits, async (zip) => {
    for (const entry of zip.zip.entries) {
      zip.budget.remaining -= await inflateZipEntry(zip.handle, entry, zip.budget.remaining, () => undefined);
    }
    zip.budget.remaining = limits.maxUnzippedBytes;
    return declaredPages(await entryText(zip, 'docProps/app.xml'));
  });
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.extractRawText({ path });
    return { text: result.value, pages };
  } catch (error) {
    throw new FileRejected('corrupt', error instanceof Error ? error.message : 'DOCX structure');
  }
}

/** The page count Word stores in docProps/app.xml, when it did. */
function declaredPages(appXml: string | null): number | null {
  const match = appXml ? /<Pages>\s*(\d+)\s*<\/Pages>/.exec(appXml) : null;
  return match?.[1] ? Number(match[1]) : null;
}

async function extractPptx(zip: ZipContext): Promise<{ text: string; pages: number }> {
  const slides = numberedEntries(zip, 'ppt/slides/slide');
  const texts: string[] = [];
  for (const name of slides) {
    texts.push(xmlText((await entryText(zip, name)) ?? '', { within: ['a:t'], breaks: ['a:p'], inline: { 'a:br': '\n' } }));
  }
  return { text: texts.join('\n\n'), pages: slides.length };
}

async function extractXlsx(zip: ZipContext): Promise<{ text: string; pages: number }> {
  const workbook = await entryText(zip, 'xl/workbook.xml');
  if (workbook === null) throw new FileRejected('corrupt', 'xlsx without workbook');
  const sheetCount = (workbook.match(/<(?:\w+:)?sheet\b/g) ?? []).length;
  const shared = (await entryText(zip, 'xl/sharedStrings.xml')) ?? '';
  const parts = [xmlText(shared, { within: ['t'], skip: ['rPh'], breaks: ['si'] })];
  for (const name of numberedEntries(zip, 'xl/worksheets/sheet')) {
    const sheet = (await entryText(zip, name)) ?? '';
    if (sheet.includes('inlineStr')) parts.push(xmlText(sheet, { within: ['is'], skip: ['rPh'], breaks: ['is'] }));
  }
  return { text: parts.join('\n'), pages: sheetCount };
}

async function extractOdt(zip: ZipContext): Promise<{ text: string; pages: null }> {
  const content = await entryText(zip, 'content.xml');
  if (content === null) throw new FileRejected('corrupt', 'odt without content.xml');
  const text = xmlText(content, {
    within: ['office:text'],
    breaks: ['text:p', 'text:h'],
    inline: { 'text:tab': '\t', 'text:line-break': '\n', 'text:s': ' ' },
  });
  return { text, pages: null };
}

interface XmlTextOptions {
  /** Text is kept only inside these elements. */
  within: string[];
  /** Elements whose text is dropped (phonetic readings). */
  skip?: string[];
  /** Elements ending a paragraph. */
  breaks?: string[];
  /** Empty elements standing for a character. */
  inline?: Record<string, string>;
}

/** The text nodes of an XML part, entities (named and numeric) decoded by htmlparser2. */
function xmlText(xml: string, options: XmlTextOptions): string {
  const within = new Set(options.within);
  const skip = new Set(options.skip ?? []);
  const breaks = new Set(options.breaks ?? []);
  const inline = options.inline ?? {};
  const out: string[] = [];
  let depth = 0;
  let skipping = 0;
  let failed = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (within.has(name)) depth++;
        if (skip.has(name)) skipping++;
        const char = inline[name];
        if (char !== undefined && depth > 0 && skipping === 0) {
          const count = name === 'text:s' ? Math.min(Number(attributes['text:c'] ?? 1) || 1, 100) : 1;
          out.push(char.repeat(count));
        }
      },
      ontext(text) {
        if (depth > 0 && skipping === 0) out.push(text);
      },
      onclosetag(name) {
        if (breaks.has(name)) out.push('\n');
        if (within.has(name)) depth--;
        if (skip.has(name)) skipping--;
      },
      onerror() {
        failed = true;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(xml);
  if (failed) throw new FileRejected('corrupt', 'unreadable XML');
  return out.join('');
}

// ---------------------------------------------------------------------------------------------
// Text

/** NFC, no control characters, single spaces, at most one blank line between paragraphs. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?|[\u2028\u2029\f\v]/g, '\n')
    .replace(/[^\P{Cc}\n]/gu, '')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const STOP_WORDS = {
  en: new Set(['the', 'and', 'of', 'to', 'is', 'that', 'for', 'with', 'are', 'this', 'was', 'were', 'be', 'by', 'it', 'which', 'from', 'have', 'has', 'not', 'will', 'its']),
  fr: new Set(['le', 'la', 'les', 'des', 'et', 'est', 'une', 'du', 'pour', 'dans', 'que', 'qui', 'sur', 'au', 'aux', 'avec', 'pas', 'ne', 'ce', 'sont', 'été', 'par', 'leur', 'ont']),
};
/** Words read for the guess: enough for a verdict, cheap on a long report. */
const LANGUAGE_SAMPLE_CHARS = 50_000;

/**
 * 'en' or 'fr' when one language's common words clearly outnumber the other's, null when the
 * text is too short or too mixed to say.
 */
export function guessLanguage(text: string): 'en' | 'fr' | null {
  let en = 0;
  let fr = 0;
  for (const [word] of text.slice(0, LANGUAGE_SAMPLE_CHARS).toLowerCase().matchAll(/\p{L}+/gu)) {
    if (STOP_WORDS.en.has(word)) en++;
    else if (STOP_WORDS.fr.has(word)) fr++;
  }
  if (en + fr < 3) return null;
  if (en >= fr * 1.5) return 'en';
  if (fr >= en * 1.5) return 'fr';
  return null;
}
