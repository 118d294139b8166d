/**
 * `import-documents`: the secretariat's archive brought into the library from a folder of files and
 * a CSV manifest describing them. Every file passes the checks of an upload (size while streaming,
 * content inspection, a cleaned name); every row is checked before anything is written, and one
 * refused row means nothing is imported. What is already in the library (the same bytes, or the
 * same document) is skipped, so the same manifest can be run again safely.
 */
import './documents.catalogue.js';
import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { FileRejected, inspectFile, type FileRefusal, type InspectedFile } from '../../platform/files/inspect.js';
import { cleanFileName } from '../../platform/files/names.js';
import { translator, type MessageKey } from '../../platform/i18n/i18n.js';
import { createJobQueue, type JobLog } from '../../platform/jobs/jobs.js';
import { FileTooLarge, openFileStore, type FileStore, type StagedFile } from '../../platform/storage/storage.js';
import { slugify } from '../../platform/text/slug.js';
import { addDocumentFiles, createDocument, removeImportedDocuments, type IncomingFile } from './documents.commands.js';
import { EXTRACT_JOB, extractionJob } from './documents.jobs.js';
import { DOCUMENT_LIMITS, DOCUMENT_SLUG_MAX_LENGTH, DOCUMENT_TYPES, type DocumentInput, type DocumentType } from './documents.schemas.js';

/** Manifests larger than this are not read (a million-row archive is not one command's work). */
export const MAX_MANIFEST_BYTES = 10 * 1024 * 1024;
/** Rows one run may import: every file is staged before anything is written, so a run is bounded. */
export const MAX_MANIFEST_ROWS = 10_000;
const MAX_MANIFEST_ROWS_TEXT = MAX_MANIFEST_ROWS.toLocaleString('en');

export const IMPORT_DOCUMENTS_USAGE = `Usage: npm run diwan -- import-documents [--dry-run] [--json] MANIFEST.csv

Imports an archive of documents into the library. MANIFEST.csv has a header row and one row per
file; the files are named by paths relative to the manifest's folder (and must stay inside it).

Columns:
  file           the file, relative to the manifest's folder (required)
  title_en, title_fr, ...
                 the document's title in each language (at least one)
  type           ${DOCUMENT_TYPES.join(', ')}
  date           the document's date, YYYY-MM-DD (optional)
  language       the language of this file: one of the site's languages (en, fr, ...)
  access         public, partners, restricted or inherit (inherit follows the activity)
  activity       the address (slug, in any language) of the activity it belongs to (optional)
  position       its number in that activity's list of documents (optional)
  key            an identifier of your own (a-z, 0-9, -): rows with the same key are one
                 document; without it, rows with the same titles, type and date are one document

Each document gets at most one file per language. Files pass the checks of an upload (size limit,
accepted types, content matching the name). A file already in the library, or a document already
there (same key, or same titles, type and date), is skipped. If any row is refused, nothing is
imported. New documents are published at once; their text is read before the command ends, so
that the site search finds them.

  --dry-run   check everything and print what would be added, skipped or refused; write nothing
  --json      print one JSON document on standard output
  -h, --help  show this help

Exit codes: 0 done (or nothing to do), 1 some rows were refused (nothing was imported), 64 wrong
usage, 65 the manifest is not a readable CSV with the expected columns (or has more than
${MAX_MANIFEST_ROWS_TEXT} rows), 66 it cannot be read, 74 writing failed part way (what the run had
written is removed again: nothing was imported).`;

/** Access tiers a manifest may give (participants need a meeting's participant list, set in the back-office). */
const MANIFEST_ACCESS = ['public', 'partners', 'restricted', 'inherit'] as const;
type ManifestAccess = (typeof MANIFEST_ACCESS)[number];
const KEY = /^[a-z0-9-]{1,100}$/;
const CLI_LANGUAGE = 'en';

const REFUSALS: Record<FileRefusal, MessageKey> = {
  empty: 'documents.refused.empty',
  unsupported: 'documents.refused.unsupported',
  html: 'documents.refused.html',
  svg: 'documents.refused.svg',
  mismatch: 'documents.refused.mismatch',
  zip_bomb: 'documents.refused.zipBomb',
  corrupt: 'documents.refused.corrupt',
  too_large: 'documents.refused.tooLarge',
};

export interface ImportDocumentsOptions {
  dryRun: boolean;
  json: boolean;
  manifest: string;
}

export interface ImportDocumentsDeps {
  db: Db;
  config: Config;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where the job queue logs (silent by default). */
  log?: JobLog;
  /** Longest wait for the text extraction of the new files (default: 2 minutes plus 30 s per file). */
  extractionTimeoutMs?: number;
}

/** What happened to one row of the manifest. */
export interface RowOutcome {
  /** The row number as a spreadsheet shows it (the header is row 1). */
  row: number;
  file: string;
  outcome: 'add' | 'skip' | 'refuse';
  reason?: string;
}

/** The report the command prints (as text, or as JSON with --json). */
export interface ImportDocumentsReport {
  manifest: string;
  dryRun: boolean;
  /** False when a refused row stopped the import. */
  imported: boolean;
  documents: { title: string; id: number | null; files: number }[];
  added: { documents: number; files: number };
  skipped: number;
  refused: number;
  rows: RowOutcome[];
  /** The text extraction of the new files: read, failed (the reason is in the back-office), still waiting. */
  extraction: { done: number; failed: number; pending: number } | null;
}

/** A usage or manifest error: the message says why, the code is the exit code. */
export class ManifestError extends Error {
  constructor(
    message: string,
    readonly exitCode: 64 | 65 | 66,
  ) {
    super(message);
  }
}

/** Parses the command's arguments (with or without the command name first). */
export function parseImportDocumentsArgs(argv: string[]): ImportDocumentsOptions | { error: string } | { help: true } {
  const args = argv[0] === 'import-documents' ? argv.slice(1) : argv;
  let dryRun = false;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') return { help: true };
    if (a === '--dry-run') dryRun = true;
    else if (a === '--json') json = true;
    else if (a.startsWith('-')) return { error: `unknown option ${a}` };
    else files.push(a);
  }
  if (files.length !== 1) return { error: files.length ? 'give exactly one MANIFEST.csv' : 'give the MANIFEST.csv that describes the files' };
  return { dryRun, json, manifest: files[0]! };
}

/** One row of the manifest as read, before any check. */
interface ManifestRow {
  row: number;
  values: Record<string, string>;
}

/** The columns a manifest may have in a site with these languages. */
function knownColumns(languages: readonly string[]): string[] {
  return ['file', 'key', 'type', 'date', 'language', 'access', 'activity', 'position', ...languages.map((l) => `title_${l}`)];
}

/** Reads and parses the manifest; the header is checked, the rows are not. */
export async function readManifest(file: string, languages: readonly string[]): Promise<ManifestRow[]> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ManifestError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'cannot be read'}`, 66);
  }
  if (!info.isFile()) throw new ManifestError(`${file}: not a file`, 66);
  if (info.size > MAX_MANIFEST_BYTES) throw new ManifestError(`${file}: larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB; it was not read`, 65);
  const bytes = await readFile(file);
  // It may have grown since it was measured.
  if (bytes.length > MAX_MANIFEST_BYTES) throw new ManifestError(`${file}: larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB; it was not read`, 65);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ManifestError(`${file}: not UTF-8 text (save the spreadsheet as "CSV UTF-8")`, 65);
  }
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { records: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      columns: (h: string[]) => (header = h.map((c) => String(c).trim().toLowerCase())),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (e) {
    throw new ManifestError(`${file}: not a readable CSV file (${e instanceof Error ? e.message : String(e)})`, 65);
  }
  if (!header.length) throw new ManifestError(`${file}: the manifest is empty (it needs a header row)`, 65);
  const known = knownColumns(languages);
  const unknown = header.filter((c) => !known.includes(c));
  if (unknown.length) throw new ManifestError(`${file}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => `"${c}"`).join(', ')} (the columns are: ${known.join(', ')})`, 65);
  const doubled = header.filter((c, i) => header.indexOf(c) !== i);
  if (doubled.length) throw new ManifestError(`${file}: column "${doubled[0]}" appears twice`, 65);
  const missing = ['file', 'type', 'language', 'access'].filter((c) => !header.includes(c));
  if (missing.length) throw new ManifestError(`${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, 65);
  if (!languages.some((l) => header.includes(`title_${l}`))) throw new ManifestError(`${file}: no title column (${languages.map((l) => `title_${l}`).join(', ')})`, 65);
  if (!records.length) throw new ManifestError(`${file}: the manifest has no rows below its header`, 65);
  if (records.length > MAX_MANIFEST_ROWS) throw new ManifestError(`${file}: ${records.length.toLocaleString('en')} rows, more than the ${MAX_MANIFEST_ROWS_TEXT} one run imports; split the manifest`, 65);
  return records.map((r) => ({ row: r.info.records + 1 + r.info.empty_lines, values: r.record }));
}

/** A real calendar date written YYYY-MM-DD. */
function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** A row whose fields are valid, with its file found inside the folder. */
interface CheckedRow {
  row: number;
  file: string;
  /** The file's real path (symlinks resolved). */
  realPath: string;
  key: string | null;
  titles: Record<string, string>;
  type: DocumentType;
  date: string | null;
  lang: string;
  access: ManifestAccess;
  activity: { id: number; slug: string } | null;
  position: number | null;
}

/** A row whose file is staged and inspected, ready to join its document. */
interface StagedRow extends CheckedRow {
  staged: StagedFile;
  inspected: InspectedFile;
  fileName: string;
}

/** Whether `target` is below `folder` (a name that merely starts with two dots, "..notes.pdf", is). */
const isInside = (folder: string, target: string) => {
  const rel = path.relative(folder, target);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
};

/** Control characters, never part of a title (its line breaks and tabs have become spaces before this is asked). */
const CONTROL = /\p{Cc}/u;

/**
 * Text safe to print on a terminal: control characters (an escape sequence could rewrite the
 * screen; a line break, forge a line of the report), line separators and the characters that
 * reorder text are shown as \u escapes.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON whose strings escape the same characters as `printable` (JSON.stringify leaves C1 and bidi controls as they are). */
function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Checks a row's fields and finds its file; returns the reason when refused. */
async function checkRow(db: Db, r: ManifestRow, folder: string, languages: readonly string[], activities: Map<string, number | null>): Promise<CheckedRow | { reason: string }> {
  const v = (k: string) => r.values[k] ?? '';
  const reasons: string[] = [];
  const file = v('file');
  let realPath = '';
  if (!file) reasons.push('no file given');
  else if (path.isAbsolute(file) || path.win32.isAbsolute(file) || /^[a-z]:/i.test(file)) reasons.push('the file must be given relative to the manifest\'s folder, not as an absolute path');
  else if (!isInside(folder, path.resolve(folder, file.replace(/\\/g, '/')))) reasons.push('the file is outside the manifest\'s folder');
  else {
    try {
      realPath = await realpath(path.resolve(folder, file.replace(/\\/g, '/')));
      if (!isInside(folder, realPath)) reasons.push('the file is outside the manifest\'s folder (through a symbolic link)');
      else if (!(await stat(realPath)).isFile()) reasons.push('not a file');
    } catch (e) {
      reasons.push((e as NodeJS.ErrnoException).code === 'EACCES' ? 'the file cannot be read (permission denied)' : 'file not found');
    }
  }
  const key = v('key') || null;
  if (key && !KEY.test(key)) reasons.push(`bad key "${key.slice(0, 100)}" (use a-z, 0-9 and -, at most 100 characters)`);
  const titles: Record<string, string> = {};
  for (const l of languages) {
    // A line break inside a spreadsheet cell (a quoted newline in the CSV) is a space in a title.
    const t = v(`title_${l}`).replace(/\s+/g, ' ').trim();
    if (!t) continue;
    if (CONTROL.test(t)) reasons.push(`title_${l} contains control characters`);
    else if (t.length > DOCUMENT_LIMITS.title) reasons.push(`title_${l} is longer than ${DOCUMENT_LIMITS.title} characters`);
    else if (!slugify(t, DOCUMENT_SLUG_MAX_LENGTH)) reasons.push(`title_${l} has no letter or digit`);
    titles[l] = t;
  }
  if (!Object.keys(titles).length) reasons.push(`no title (give ${languages.map((l) => `title_${l}`).join(' or ')})`);
  const type = v('type');
  if (!(DOCUMENT_TYPES as readonly string[]).includes(type)) reasons.push(type ? `unknown type "${type.slice(0, 50)}" (one of: ${DOCUMENT_TYPES.join(', ')})` : 'no type');
  const date = v('date') || null;
  if (date && !isDate(date)) reasons.push(`bad date "${date.slice(0, 50)}" (write YYYY-MM-DD)`);
  const lang = v('language').toLowerCase();
  if (!languages.includes(lang)) reasons.push(lang ? `unknown language "${lang.slice(0, 20)}" (one of: ${languages.join(', ')})` : 'no language');
  const access = v('access').toLowerCase();
  if (!(MANIFEST_ACCESS as readonly string[]).includes(access)) reasons.push(access ? `unknown access "${access.slice(0, 50)}" (one of: ${MANIFEST_ACCESS.join(', ')})` : 'no access');
  const slug = v('activity');
  let activity: CheckedRow['activity'] = null;
  if (slug) {
    if (!activities.has(slug)) {
      const found = await db.selectFrom('activity_translations').select('activity_id').where('slug', '=', slug).executeTakeFirst();
      activities.set(slug, found?.activity_id ?? null);
    }
    const id = activities.get(slug);
    if (id) activity = { id, slug };
    else reasons.push(`unknown activity "${slug.slice(0, 100)}"`);
  } else if (access === 'inherit') reasons.push('access inherit needs an activity');
  const positionText = v('position');
  let position: number | null = null;
  if (positionText) {
    if (!/^\d{1,6}$/.test(positionText) || Number(positionText) < 1) reasons.push(`bad position "${positionText.slice(0, 20)}" (a whole number from 1)`);
    else if (!slug) reasons.push('a position needs an activity');
    else position = Number(positionText);
  }
  if (reasons.length) return { reason: reasons.join('; ') };
  return { row: r.row, file, realPath, key, titles, type: type as DocumentType, date, lang, access: access as ManifestAccess, activity, position };
}

/** The rows that make one document: same key, or same titles, type and date. */
const groupKey = (r: CheckedRow) => (r.key ? `key:${r.key}` : JSON.stringify([Object.entries(r.titles).sort(), r.type, r.date]));

/** Where a row of a group disagrees with the group's first row on what describes the document. */
function disagreement(first: CheckedRow, r: CheckedRow): string | null {
  const fields: [string, unknown, unknown][] = [
    ['titles', JSON.stringify(Object.entries(first.titles).sort()), JSON.stringify(Object.entries(r.titles).sort())],
    ['type', first.type, r.type],
    ['date', first.date, r.date],
    ['access', first.access, r.access],
    ['activity', first.activity?.id ?? null, r.activity?.id ?? null],
    ['position', first.position, r.position],
  ];
  const differ = fields.filter(([, a, b]) => a !== b).map(([f]) => f);
  return differ.length ? `describes the same document as row ${first.row} but its ${differ.join(', ')} differ` : null;
}

/** An existing document that is this one: the same key, or the same titles, type and date. */
async function existingDocument(db: Db, r: CheckedRow): Promise<number | null> {
  if (r.key) return (await db.selectFrom('documents').select('id').where('key', '=', r.key).executeTakeFirst())?.id ?? null;
  const [lang, title] = Object.entries(r.titles)[0]!;
  let q = db.selectFrom('documents as d').innerJoin('document_translations as t', 't.document_id', 'd.id').select('d.id').where('d.type', '=', r.type).where('t.lang', '=', lang).where('t.title', '=', title);
  q = r.date ? q.where('d.doc_date', '=', r.date) : q.where('d.doc_date', 'is', null);
  for (const c of await q.execute()) {
    const tr = await db.selectFrom('document_translations').select(['lang', 'title']).where('document_id', '=', c.id).execute();
    if (Object.entries(r.titles).every(([l, t]) => tr.some((x) => x.lang === l && x.title === t))) return c.id;
  }
  return null;
}

/** A free slug for a title in a language: its own, or with -2, -3... when taken here or in the library. */
async function freeSlug(db: Db, lang: string, title: string, reserved: Set<string>): Promise<string> {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : `-${n}`;
    const slug = slugify(title, DOCUMENT_SLUG_MAX_LENGTH - suffix.length) + suffix;
    if (reserved.has(`${lang}:${slug}`)) continue;
    if (await db.selectFrom('document_translations').select('document_id').where('lang', '=', lang).where('slug', '=', slug).executeTakeFirst()) continue;
    reserved.add(`${lang}:${slug}`);
    return slug;
  }
}

/** One document the import would create, with its files. */
interface PlannedDocument {
  first: StagedRow;
  files: StagedRow[];
}

/** Checks every row, stages and inspects every file, and decides what to add and what to skip; writes nothing. */
async function planImport(deps: ImportDocumentsDeps, store: FileStore, rows: ManifestRow[], folder: string, staged: StagedFile[]): Promise<{ outcomes: RowOutcome[]; plan: PlannedDocument[] }> {
  const { db, config } = deps;
  const tr = translator(CLI_LANGUAGE);
  const maxMb = Math.round(config.maxUploadBytes / 1024 / 1024);
  const outcomes = new Map<number, RowOutcome>();
  const activities = new Map<string, number | null>();
  const checked: CheckedRow[] = [];
  for (const r of rows) {
    const c = await checkRow(db, r, folder, config.languages, activities);
    if ('reason' in c) outcomes.set(r.row, { row: r.row, file: r.values.file ?? '', outcome: 'refuse', reason: c.reason });
    else checked.push(c);
  }
  // Each file goes through an upload's checks; a failure is reported for its row.
  const ready: StagedRow[] = [];
  const bySha = new Map<string, number>();
  for (const c of checked) {
    const refuse = (reason: string) => outcomes.set(c.row, { row: c.row, file: c.file, outcome: 'refuse', reason });
    let file: StagedFile;
    try {
      file = await store.stage(createReadStream(c.realPath), { maxBytes: config.maxUploadBytes });
    } catch (e) {
      if (e instanceof FileTooLarge) refuse(tr.t('documents.refused.tooLarge', { max: maxMb }));
      else refuse(`the file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    staged.push(file);
    try {
      const inspected = await inspectFile(file.path, { declaredName: path.basename(c.file) });
      const twin = bySha.get(file.sha256);
      if (twin !== undefined) {
        refuse(`the same file as row ${twin}`);
        continue;
      }
      bySha.set(file.sha256, c.row);
      ready.push({ ...c, staged: file, inspected, fileName: cleanFileName(path.basename(c.file), inspected.extension) });
    } catch (e) {
      if (!(e instanceof FileRejected)) throw e;
      refuse(`refused content: ${tr.t(REFUSALS[e.reason] ?? 'documents.refused.unsupported', { max: maxMb, name: path.basename(c.file).slice(0, 120) })}`);
    }
  }
  // Rows of one document, in the manifest's order.
  const groups = new Map<string, StagedRow[]>();
  for (const r of ready) groups.set(groupKey(r), [...(groups.get(groupKey(r)) ?? []), r]);
  const plan: PlannedDocument[] = [];
  for (const group of groups.values()) {
    const first = group[0]!;
    const files: StagedRow[] = [];
    let refused = false;
    for (const r of group) {
      const differ = r === first ? null : disagreement(first, r);
      const sameLang = files.find((f) => f.lang === r.lang);
      if (differ) outcomes.set(r.row, { row: r.row, file: r.file, outcome: 'refuse', reason: differ });
      else if (sameLang) outcomes.set(r.row, { row: r.row, file: r.file, outcome: 'refuse', reason: `a second ${r.lang} file for the document of row ${sameLang.row} (one file per language)` });
      else {
        files.push(r);
        continue;
      }
      refused = true;
    }
    if (refused) continue;
    const existing = await existingDocument(db, first);
    if (existing !== null) {
      for (const r of files) outcomes.set(r.row, { row: r.row, file: r.file, outcome: 'skip', reason: `already there (document #${existing}${first.key ? `, key ${first.key}` : ''})` });
      continue;
    }
    const fresh: StagedRow[] = [];
    for (const r of files) {
      const known = await db.selectFrom('document_files').select('document_id').where('sha256', '=', r.staged.sha256).executeTakeFirst();
      if (known) outcomes.set(r.row, { row: r.row, file: r.file, outcome: 'skip', reason: `already there (the same file is in document #${known.document_id})` });
      else fresh.push(r);
    }
    if (!fresh.length) continue;
    for (const r of fresh) outcomes.set(r.row, { row: r.row, file: r.file, outcome: 'add' });
    plan.push({ first, files: fresh });
  }
  return { outcomes: [...outcomes.values()].sort((a, b) => a.row - b.row), plan };
}

const titleOf = (d: PlannedDocument, languages: readonly string[]) => languages.map((l) => d.first.titles[l]).find(Boolean) ?? '';

/** Writing stopped part way; what the run had written was removed again. */
class ImportWriteError extends Error {
  constructor(
    cause: unknown,
    /** The documents written before the failure that could not be removed (empty when all were). */
    readonly left: number[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * Creates the planned documents and their files; returns each document's id and its new files'
 * ids. Each document commits on its own, so when one fails every document this run created is
 * removed again (its translations, links, files and revisions with it; stored bytes that no row
 * names any more are collected later): a run imports all it planned or nothing.
 */
async function writePlan(deps: ImportDocumentsDeps, store: FileStore, plan: PlannedDocument[]): Promise<{ id: number; fileIds: number[] }[]> {
  const created: number[] = [];
  try {
    return await writeDocuments(deps, store, plan, created);
  } catch (e) {
    try {
      await removeImportedDocuments(deps.db, created, `import failed part way: ${e instanceof Error ? e.message : String(e)}`);
    } catch {
      throw new ImportWriteError(e, created);
    }
    throw new ImportWriteError(e, []);
  }
}

async function writeDocuments(deps: ImportDocumentsDeps, store: FileStore, plan: PlannedDocument[], created: number[]): Promise<{ id: number; fileIds: number[] }[]> {
  const { db } = deps;
  const reserved = new Set<string>();
  const written: { id: number; fileIds: number[] }[] = [];
  for (const d of plan) {
    const f = d.first;
    const t: Record<string, { title: string; slug: string; description: string }> = {};
    for (const [lang, title] of Object.entries(f.titles)) t[lang] = { title, slug: await freeSlug(db, lang, title, reserved), description: '' };
    const input: DocumentInput = {
      key: f.key,
      type: f.type,
      doc_date: f.date,
      access: f.access,
      access_roles: [],
      access_activity_id: f.access === 'inherit' ? f.activity!.id : null,
      activities: f.activity ? [f.activity.id] : [],
      published: true,
      t,
    };
    const activity = f.activity;
    const position = f.position;
    const id = await createDocument(db, input, { id: null, canPublish: true }, {
      action: 'import',
      countsAsEdit: false,
      // The number in the activity's list, with the document in the same transaction.
      within: activity && position !== null ? (trx, docId) => trx.updateTable('document_activities').set({ position }).where('document_id', '=', docId).where('activity_id', '=', activity.id).execute().then(() => undefined) : undefined,
    });
    created.push(id);
    const incoming: IncomingFile[] = d.files.map((r) => ({ lang: r.lang, status: 'adopted', staged: r.staged, inspected: r.inspected, fileName: r.fileName }));
    written.push({ id, fileIds: await addDocumentFiles(db, store, id, incoming, null) });
  }
  return written;
}

/** Reads the text of the new files in this process, so that the search index is complete when the command ends. */
async function extractTexts(deps: ImportDocumentsDeps, store: FileStore, fileIds: number[]): Promise<ImportDocumentsReport['extraction']> {
  const { db, config } = deps;
  const log = deps.log ?? { info: () => undefined, warn: () => undefined };
  const jobs = await createJobQueue({ db, config, log });
  try {
    jobs.register(extractionJob({ db, files: store, config }));
    for (const id of fileIds) await jobs.send(EXTRACT_JOB, { fileId: id }, { singletonKey: `file:${id}` });
    try {
      await jobs.drain({ names: [EXTRACT_JOB], timeoutMs: deps.extractionTimeoutMs ?? 120_000 + 30_000 * fileIds.length });
    } catch (e) {
      // What is not read yet stays pending: the server sends it again at its next start.
      deps.err(`text extraction not finished: ${e instanceof Error ? e.message : String(e)}; the server reads the rest at its next start`);
    }
  } finally {
    await jobs.stop();
  }
  const states = fileIds.length ? await db.selectFrom('document_files').select('text_state').where('id', 'in', fileIds).execute() : [];
  return { done: states.filter((s) => s.text_state === 'done').length, failed: states.filter((s) => s.text_state === 'failed').length, pending: states.filter((s) => s.text_state === 'pending').length };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report as lines of text: one line per skipped or refused row, one per document added, then the totals. */
export function formatReport(r: ImportDocumentsReport): string {
  const lines: string[] = [];
  // What the manifest said is shown escaped: one line per row, and nothing a terminal would obey.
  for (const o of r.rows) if (o.outcome !== 'add') lines.push(`${o.outcome === 'skip' ? 'skipped' : 'refused'}  row ${o.row}  ${printable(o.file) || '(no file)'}: ${printable(o.reason ?? '')}`);
  const files = r.documents.reduce((n, d) => n + d.files, 0);
  if (r.refused) {
    lines.push(`refused ${plural(r.refused, 'row')}, so nothing was imported (${plural(r.documents.length, 'document')} with ${plural(files, 'file')} would have been added, ${r.skipped} skipped). Correct the manifest and run it again.`);
    return lines.join('\n');
  }
  for (const d of r.documents) lines.push(`${r.dryRun ? 'would add' : 'added'}  ${d.id ? `#${d.id} ` : ''}${printable(d.title)} (${plural(d.files, 'file')})`);
  lines.push(`${r.dryRun ? 'would add' : 'added'} ${plural(r.documents.length, 'document')} (${plural(files, 'file')}), skipped ${r.skipped} (already there), refused 0${r.dryRun ? ' (dry run: nothing was written)' : ''}`);
  if (r.extraction) lines.push(`text read: ${plural(r.extraction.done, 'file')}${r.extraction.failed ? `, ${r.extraction.failed} could not be read (see the document in the back-office)` : ''}${r.extraction.pending ? `, ${r.extraction.pending} still waiting (read by the server at its next start)` : ''}`);
  return lines.join('\n');
}

/** Runs `import-documents`; returns the process exit code. The caller rebuilds the search index afterwards (syncDiwan). */
export async function runImportDocuments(argv: string[], deps: ImportDocumentsDeps): Promise<number> {
  const options = parseImportDocumentsArgs(argv);
  if ('help' in options) {
    deps.out(IMPORT_DOCUMENTS_USAGE);
    return 0;
  }
  if ('error' in options) {
    deps.err(`import-documents: ${printable(options.error)}\n\n${IMPORT_DOCUMENTS_USAGE}`);
    return 64;
  }
  let rows: ManifestRow[];
  let folder: string;
  try {
    rows = await readManifest(options.manifest, deps.config.languages);
    folder = await realpath(path.dirname(path.resolve(options.manifest)));
  } catch (e) {
    if (e instanceof ManifestError) {
      deps.err(`import-documents: ${printable(e.message)}`);
      return e.exitCode;
    }
    throw e;
  }
  const store = await openFileStore({ url: deps.config.storageUrl, dataDir: deps.config.dataDir });
  // Every temporary staged here is removed at the end; those committed into the store are gone already.
  const staged: StagedFile[] = [];
  try {
    const { outcomes, plan } = await planImport(deps, store, rows, folder, staged);
    const refused = outcomes.filter((o) => o.outcome === 'refuse').length;
    const report: ImportDocumentsReport = {
      manifest: options.manifest,
      dryRun: options.dryRun,
      imported: false,
      documents: plan.map((d) => ({ title: titleOf(d, deps.config.languages), id: null, files: d.files.length })),
      added: { documents: 0, files: 0 },
      skipped: outcomes.filter((o) => o.outcome === 'skip').length,
      refused,
      rows: outcomes,
      extraction: null,
    };
    if (!refused && !options.dryRun && plan.length) {
      let written: Awaited<ReturnType<typeof writePlan>>;
      try {
        written = await writePlan(deps, store, plan);
      } catch (e) {
        if (!(e instanceof ImportWriteError)) throw e;
        const left = e.left.length ? ` Documents ${e.left.map((id) => `#${id}`).join(', ')} could not be removed: remove them in the back-office before running the manifest again.` : ' What had been written is removed again: nothing was imported.';
        deps.err(`import-documents: writing failed (${printable(e.message)}).${left}`);
        return 74;
      }
      written.forEach((w, i) => (report.documents[i]!.id = w.id));
      const fileIds = written.flatMap((w) => w.fileIds);
      report.added = { documents: written.length, files: fileIds.length };
      report.imported = true;
      report.extraction = await extractTexts(deps, store, fileIds);
    } else if (!refused && !options.dryRun) report.imported = true;
    deps.out(options.json ? printableJson(report) : formatReport(report));
    return refused ? 1 : 0;
  } finally {
    for (const s of staged) await s.discard().catch(() => undefined);
    await store.close();
  }
}
