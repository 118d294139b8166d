import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../platform/db/database.js';
import { applyImportPlan, type ImportReport } from './legacy.commands.js';
import { extractActivities } from './legacy.extract.js';
import { planImport, describe, type PlanItem, type PlanPage } from './legacy.match.js';
import { looksLikeHtml } from './legacy.page.js';
import { toJsonDocument } from './legacy.presenter.js';
import type { ImportOptions } from './legacy.schemas.js';

/** Saved pages larger than this are refused before they are read. */
export const MAX_PAGE_BYTES = 20 * 1024 * 1024;

export const IMPORT_LEGACY_USAGE = `Usage: npm run diwan -- import-legacy [--dry-run] [--publish] [--json] [--source-url URL] FILE...

Reads pages saved from the dialogue's old websites (plain text or HTML; English, French, Spanish,
Portuguese or Italian), extracts the activities they describe and creates them, or merges them into
the activities Diwan already has. The old address of each page is kept so that it redirects once
the activity is published. New activities are drafts for an editor to review and publish in the
back-office; changes merged into a published activity wait for review the same way.

  --dry-run          print the plan (create, merge or skip for each activity) and write nothing
  --publish          publish new activities at once, and apply merged changes to published ones
  --json             print one JSON document on standard output (messages go to standard error)
  --source-url URL   the address the page was saved from (one FILE only); otherwise the address
                     found in the saved page, if any
  -h, --help         show this help

Exit codes: 0 done, 1 some activities could not be written, 64 wrong usage, 65 a file is not a
readable saved page (nothing is imported), 66 a file cannot be read.`;

export interface ImportLegacyDeps {
  db: Db;
  out: (s: string) => void;
  err: (s: string) => void;
  /** The current time (tests fix it); decides whether an imported meeting was held or is announced. */
  now?: Date;
}

/** A file that is not a readable saved page: the message says why, the code is the exit code. */
export class SavedPageError extends Error {
  constructor(
    message: string,
    readonly exitCode: 65 | 66,
  ) {
    super(message);
  }
}

/** Parses the command's arguments (with or without the command name first). */
export function parseImportArgs(argv: string[]): ImportOptions | { error: string } | { help: true } {
  const args = argv[0] === 'import-legacy' ? argv.slice(1) : argv;
  const options: ImportOptions = { dryRun: false, publish: false, json: false, sourceUrl: null, files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      options.files.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') return { help: true };
    if (a === '--dry-run') options.dryRun = true;
    else if (a === '--publish') options.publish = true;
    else if (a === '--json') options.json = true;
    else if (a === '--source-url' || a.startsWith('--source-url=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!value) return { error: '--source-url needs an address, e.g. --source-url https://www.example.org/activities/meeting' };
      options.sourceUrl = value;
    } else if (a.startsWith('-')) return { error: `unknown option ${a}` };
    else options.files.push(a);
  }
  if (!options.files.length) return { error: 'give at least one FILE (a page saved from a browser, as text or HTML)' };
  if (options.sourceUrl) {
    if (options.files.length !== 1) return { error: '--source-url is the address of one page: give exactly one FILE with it' };
    let u: URL | null = null;
    try {
      u = new URL(options.sourceUrl);
    } catch {
      u = null;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return { error: `--source-url must be an http(s) address, not "${options.sourceUrl}"` };
    options.sourceUrl = u.toString();
  }
  return options;
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

// The signatures of binary formats are control bytes by nature.
/* eslint-disable no-control-regex */
const MAGIC: [RegExp, string][] = [
  [/^%PDF-/, 'a PDF document'],
  [/^PK\x03\x04/, 'a ZIP archive or an Office document'],
  [/^\x89PNG/, 'a PNG image'],
  [/^\xFF\xD8\xFF/, 'a JPEG image'],
  [/^GIF8[79]a/, 'a GIF image'],
  [/^\x7FELF/, 'an executable program'],
  [/^\xD0\xCF\x11\xE0/, 'an old Office document'],
  [/^\x1F\x8B/, 'a gzip archive'],
];
/* eslint-enable no-control-regex */

/** Decodes a saved page's bytes into text, refusing what is not text (binary, another encoding) with a clear reason. */
export function decodeSavedPage(bytes: Buffer, name: string): string {
  if (!bytes.length) throw new SavedPageError(`${name}: the file is empty`, 65);
  const head = bytes.subarray(0, 16).toString('latin1');
  for (const [re, what] of MAGIC) if (re.test(head)) throw new SavedPageError(`${name}: this is ${what}, not a page saved from a browser (save the page as "Web page, HTML only" or as text)`, 65);
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    if (bytes.includes(0)) throw new SavedPageError(`${name}: the file is binary (it contains NUL bytes), not a saved web page`, 65);
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      // Old pages were sometimes saved in their original Western encoding; the page says so in its <meta charset>.
      const declared = /<meta[^>]+charset\s*=\s*["']?\s*(windows-1252|iso-8859-1|iso-8859-15|latin-?1|cp1252)/i.exec(bytes.subarray(0, 4096).toString('latin1'));
      if (!declared) throw new SavedPageError(`${name}: the file is not UTF-8 text (binary, or saved in another encoding: save the page again as UTF-8)`, 65);
      text = new TextDecoder('windows-1252').decode(bytes);
    }
  }
  text = text.replace(/^\uFEFF/, '');
  if (!text.trim()) throw new SavedPageError(`${name}: the file holds only white space`, 65);
  // eslint-disable-next-line no-control-regex -- counting control bytes is the point
  const controls = (text.match(/[\x00-\x08\x0B\x0E-\x1F\x7F]/g) ?? []).length;
  if (controls > Math.max(8, text.length * 0.01)) throw new SavedPageError(`${name}: the file is binary (${controls} control characters), not a saved web page`, 65);
  return text;
}

/** Reads a saved page from disk, checking its size before reading it. */
export async function readSavedPage(file: string): Promise<string> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SavedPageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read'}`, 66);
  }
  if (!info.isFile()) throw new SavedPageError(`${file}: not a file`, 66);
  if (info.size > MAX_PAGE_BYTES) throw new SavedPageError(`${file}: ${describeSize(info.size)} is larger than the ${MAX_PAGE_BYTES / (1024 * 1024)} MB a saved page may be; it was not read`, 65);
  const handle = await open(file, 'r');
  try {
    // Read at most one byte more than the limit, in case the file grew since stat.
    const buffer = Buffer.alloc(Math.min(info.size, MAX_PAGE_BYTES) + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_PAGE_BYTES) throw new SavedPageError(`${file}: larger than ${MAX_PAGE_BYTES / (1024 * 1024)} MB; it was not read`, 65);
    return decodeSavedPage(buffer.subarray(0, bytesRead), file);
  } finally {
    await handle.close();
  }
}

function line(item: PlanItem): string[] {
  const a = item.activity;
  const out: string[] = [];
  const head = `${String(item.index + 1).padStart(3)}. ${item.action.padEnd(6)} ${a.title ?? '(no title)'}`;
  out.push(head);
  const facts = [
    a.start_date ? `${a.start_date}${a.end_date && a.end_date !== a.start_date ? `..${a.end_date}` : ''} (${a.date_precision})` : 'no date',
    [a.city, a.country].filter(Boolean).join(', ') || (a.format === 'virtual' ? 'online' : 'no place'),
    a.type ?? 'type unknown',
    a.format ?? 'format unknown',
  ];
  out.push(`        ${facts.join(' · ')}`);
  const more = [
    a.co_chairs?.length ? `co-chairs ${a.co_chairs.join(', ')}` : null,
    a.host ? `host ${a.host}` : null,
    a.themes?.length ? `themes ${a.themes.join(', ')}` : null,
    a.participants ? `participants ${a.participants.qualifier === 'exact' ? '' : `${a.participants.qualifier} `}${a.participants.value}` : null,
    a.countries_count ? `countries ${a.countries_count.qualifier === 'exact' ? '' : `${a.countries_count.qualifier} `}${a.countries_count.value}` : null,
    a.documents.length ? `${a.documents.length} document${a.documents.length > 1 ? 's' : ''}` : null,
    a.side_event ? 'side event' : null,
  ].filter(Boolean);
  if (more.length) out.push(`        ${more.join(' · ')}`);
  if (item.target) out.push(`        → ${describe(item.target)}`);
  for (const r of item.reasons) out.push(`        plan: ${r}`);
  if (item.action === 'merge' && item.changes.length) out.push(`        fills: ${item.changes.join('; ')}`);
  for (const w of item.warnings) out.push(`        ! ${w}`);
  return out;
}

function printPlan(pages: PlanPage[], plan: PlanItem[], out: (s: string) => void, report: ImportReport | null, dryRun: boolean, published: boolean): void {
  if (dryRun) out('Dry run: nothing is written.');
  for (const page of pages) {
    const items = plan.filter((p) => p.file === page.file);
    out('');
    out(`${page.file} (${page.result.language}, ${page.result.layout === 'list' ? 'list page' : 'activity page'}${page.result.sourceUrl ? `, ${page.result.sourceUrl}` : ''})`);
    for (const item of items) {
      for (const l of line(item)) out(l);
      const done = report?.items.find((i) => i.index === item.index);
      if (done) out(`        = ${done.action}${done.activityId ? ` #${done.activityId}` : ''}${done.changes.length ? `: ${done.changes.join('; ')}` : ''}`);
    }
  }
  out('');
  if (report) {
    out(`Import run #${report.runId}: ${report.created} created, ${report.merged} merged, ${report.skipped} skipped${report.failed ? `, ${report.failed} FAILED` : ''}; ${report.warnings} warnings.`);
    if (!published && report.created) out('New activities are drafts: review and publish them in the back-office (Activities), or import again with --publish.');
  } else {
    const n = (a: string) => plan.filter((p) => p.action === a).length;
    out(`Plan: ${n('create')} to create, ${n('merge')} to merge, ${n('skip')} to skip.`);
  }
}

/**
 * The import-legacy command: reads saved pages, plans the import and applies it (or, with
 * --dry-run, only prints the plan). Every file is checked and read before anything is written: one
 * unreadable file and nothing is imported. Returns the exit code.
 */
export async function runImportLegacy(argv: string[], deps: ImportLegacyDeps): Promise<number> {
  const parsed = parseImportArgs(argv);
  if ('help' in parsed) {
    deps.out(IMPORT_LEGACY_USAGE);
    return 0;
  }
  if ('error' in parsed) {
    deps.err(`import-legacy: ${parsed.error}\n\n${IMPORT_LEGACY_USAGE}`);
    return 64;
  }
  const pages: PlanPage[] = [];
  const problems: SavedPageError[] = [];
  for (const file of parsed.files) {
    try {
      const text = await readSavedPage(file);
      const result = extractActivities({ ...(looksLikeHtml(text) ? { html: text } : { text }), sourceUrl: parsed.sourceUrl, fileName: path.basename(file) });
      if (!result.activities.length) {
        throw new SavedPageError(`${file}: ${result.warnings.join('; ') || 'no activity found: the page does not read as an activity page'}`, 65);
      }
      pages.push({ file, result });
    } catch (e) {
      if (e instanceof SavedPageError) problems.push(e);
      else throw e;
    }
  }
  if (problems.length) {
    for (const p of problems) deps.err(`import-legacy: ${p.message}`);
    deps.err(`import-legacy: nothing was imported (${problems.length} of ${parsed.files.length} file${parsed.files.length > 1 ? 's' : ''} refused).`);
    return problems.some((p) => p.exitCode === 66) ? 66 : 65;
  }
  const now = deps.now ?? new Date();
  const plan = await planImport(deps.db, pages, { now });
  let report: ImportReport | null = null;
  if (!parsed.dryRun) {
    report = await applyImportPlan(deps.db, plan, { files: parsed.files.map((f) => path.basename(f)), now, publish: parsed.publish });
  }
  if (parsed.json) deps.out(JSON.stringify(toJsonDocument(plan, { dryRun: parsed.dryRun, report }), null, 2));
  else printPlan(pages, plan, deps.out, report, parsed.dryRun, parsed.publish);
  if (report?.failed) {
    deps.err(`import-legacy: ${report.failed} activit${report.failed > 1 ? 'ies' : 'y'} could not be written (see the report); the others were.`);
    return 1;
  }
  return 0;
}
