import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Executor } from '../../platform/editorial/editorial.js';
import { matchingEntries, readingMatches, type ParsedQuery } from '../search/index.js';
import type { DocumentAccessRecord } from './documents.policy.js';

type DocQuery = SelectQueryBuilder<Database & { d: Database['documents'] }, 'd', object>;

/**
 * The documents anyone may open, as SQL: published, publication time come, and public, or
 * following a meeting the public sees. The same rule as `isPublicDocument` in the policy, which
 * decides on each loaded record; this one keeps lists, counts and facets to what it allows.
 */
export function publicDocuments(eb: ExpressionBuilder<Database & { d: Database['documents'] }, 'd'>, now: string) {
  return eb.and([
    eb('d.workflow', '=', 'published'),
    eb('d.published_at', 'is not', null),
    eb('d.published_at', '<=', now),
    eb.or([
      eb('d.access', '=', 'public'),
      eb.and([
        eb('d.access', '=', 'inherit'),
        eb.exists(
          eb
            .selectFrom('activities as pa')
            .select('pa.id')
            .whereRef('pa.id', '=', 'd.access_activity_id')
            .where('pa.workflow', '=', 'published')
            .where('pa.published_at', 'is not', null)
            .where('pa.published_at', '<=', now),
        ),
      ]),
    ]),
  ]);
}

/** One file as lists and pages show it. */
export interface FileSummary {
  id: number;
  documentId: number;
  lang: string;
  version: number;
  status: string;
  kind: string;
  mime: string;
  fileName: string;
  size: number;
  pages: number | null;
  textState: string;
  textError: string | null;
  sha256: string;
  storageKey: string;
  thumbnailKey: string | null;
  uploadedAt: string;
}

const FILE_COLUMNS = ['f.id', 'f.document_id', 'f.lang', 'f.version', 'f.status', 'f.kind', 'f.mime', 'f.file_name', 'f.size_bytes', 'f.pages', 'f.text_state', 'f.text_error', 'f.sha256', 'f.storage_key', 'f.thumbnail_key', 'f.uploaded_at'] as const;

function toFile(r: {
  id: number;
  document_id: number;
  lang: string;
  version: number;
  status: string;
  kind: string;
  mime: string;
  file_name: string;
  size_bytes: number | string;
  pages: number | null;
  text_state: string;
  text_error: string | null;
  sha256: string;
  storage_key: string;
  thumbnail_key: string | null;
  uploaded_at: string;
}): FileSummary {
  return {
    id: r.id,
    documentId: r.document_id,
    lang: r.lang,
    version: r.version,
    status: r.status,
    kind: r.kind,
    mime: r.mime,
    fileName: r.file_name,
    size: Number(r.size_bytes),
    pages: r.pages,
    textState: r.text_state,
    textError: r.text_error,
    sha256: r.sha256,
    storageKey: r.storage_key,
    thumbnailKey: r.thumbnail_key,
    uploadedAt: r.uploaded_at,
  };
}

/** Every file of some documents, newest version first within each language. */
export async function filesOf(db: Executor, documentIds: readonly number[]): Promise<FileSummary[]> {
  if (!documentIds.length) return [];
  const rows = await db
    .selectFrom('document_files as f')
    .select(FILE_COLUMNS)
    .where('f.document_id', 'in', [...documentIds])
    .orderBy('f.document_id')
    .orderBy('f.lang')
    .orderBy('f.version', 'desc')
    .execute();
  return rows.map(toFile);
}

/** The current file of each language (the highest version), from a list ordered as `filesOf` gives it. */
export function currentFiles(files: readonly FileSummary[]): FileSummary[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const k = `${f.documentId}:${f.lang}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A document with what its access decision needs, by id. */
export async function loadDocumentAccess(db: Executor, id: number, now: string): Promise<(DocumentAccessRecord & { id: number }) | null> {
  const d = await db
    .selectFrom('documents as d')
    .leftJoin('activities as pa', 'pa.id', 'd.access_activity_id')
    .select(['d.id', 'd.workflow', 'd.published_at', 'd.access', 'd.access_roles', 'd.access_activity_id', 'pa.workflow as parent_workflow', 'pa.published_at as parent_published_at'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!d) return null;
  return {
    id: d.id,
    workflow: d.workflow,
    publishedAt: d.published_at,
    access: d.access,
    accessRoles: d.access_roles ? d.access_roles.split(',') : [],
    parent: d.access_activity_id === null ? null : { id: d.access_activity_id, visible: d.parent_workflow === 'published' && !!d.parent_published_at && d.parent_published_at <= now },
  };
}

/** One file of a document, for a download. */
export async function findFile(db: Executor, fileId: number): Promise<FileSummary | null> {
  const r = await db.selectFrom('document_files as f').select(FILE_COLUMNS).where('f.id', '=', fileId).executeTakeFirst();
  return r ? toFile(r) : null;
}

/** The id of the document that has a slug in a language. */
export async function documentIdBySlug(db: Db, lang: string, slug: string): Promise<number | null> {
  const r = await db.selectFrom('document_translations').select('document_id').where('lang', '=', lang).where('slug', '=', slug).executeTakeFirst();
  return r?.document_id ?? null;
}

/** Where an old document slug points now, if an editor changed it. */
export async function movedDocumentSlug(db: Db, lang: string, slug: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('slug_redirects')
    .innerJoin('document_translations as t', (j) => j.onRef('t.document_id', '=', 'slug_redirects.entity_id').onRef('t.lang', '=', 'slug_redirects.lang'))
    .select('t.slug')
    .where('slug_redirects.entity_type', '=', 'document')
    .where('slug_redirects.lang', '=', lang)
    .where('slug_redirects.old_slug', '=', slug)
    .executeTakeFirst();
  return row?.slug;
}

/** A document as its public page shows it, in a language (titles fall back to another language). */
export async function documentPage(db: Db, id: number, lang: string, now: string) {
  const d = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) return null;
  const [translations, files, activities, themes, countries] = await Promise.all([
    db.selectFrom('document_translations').selectAll().where('document_id', '=', id).orderBy('lang').execute(),
    filesOf(db, [id]),
    db
      .selectFrom('document_activities as da')
      .innerJoin('activities as a', 'a.id', 'da.activity_id')
      .innerJoin('activity_translations as t', 't.activity_id', 'a.id')
      .select(['a.id', 'a.start_date', 'a.end_date', 'a.date_precision', 't.lang', 't.title', 't.slug', 'da.position'])
      .where('da.document_id', '=', id)
      .where('a.workflow', '=', 'published')
      .where('a.published_at', '<=', now)
      .orderBy('da.position')
      .execute(),
    db
      .selectFrom('document_themes as dt')
      .innerJoin('theme_names as n', 'n.theme_id', 'dt.theme_id')
      .select(['dt.theme_id as id', 'n.name'])
      .where('dt.document_id', '=', id)
      .where('n.lang', '=', lang)
      .orderBy('n.name')
      .execute(),
    db
      .selectFrom('document_countries as dc')
      .innerJoin('country_names as n', 'n.country_code', 'dc.country_code')
      .select(['dc.country_code as code', 'n.name'])
      .where('dc.document_id', '=', id)
      .where('n.lang', '=', lang)
      .orderBy('n.name')
      .execute(),
  ]);
  const own = translations.find((t) => t.lang === lang) ?? translations[0];
  if (!own) return null;
  const byActivity = new Map<number, (typeof activities)[number]>();
  for (const a of activities) if (a.lang === lang || !byActivity.has(a.id)) byActivity.set(a.id, a);
  return {
    id: d.id,
    type: d.type,
    date: d.doc_date,
    reference: d.reference,
    access: d.access,
    publishedAt: d.published_at,
    lang: own.lang,
    title: own.title,
    description: own.description,
    slugs: Object.fromEntries(translations.map((t) => [t.lang, t.slug])),
    files,
    activities: [...byActivity.values()],
    themes,
    countries,
  };
}

/** The filters of the library; each one narrows the list and the other facets' counts. */
export interface LibraryFilters {
  type?: string;
  lang?: string;
  year?: string;
  theme?: number;
  country?: string;
  activity?: number;
}
export const FACETS = ['type', 'lang', 'year', 'theme', 'country', 'activity'] as const;
export type Facet = (typeof FACETS)[number];

type DocEb = ExpressionBuilder<Database & { d: Database['documents'] }, 'd'>;

/** Each filter that is set, as its condition on the document `d`. */
function filterConditions(f: LibraryFilters): [Facet, (eb: DocEb) => Expression<SqlBool>][] {
  const out: [Facet, (eb: DocEb) => Expression<SqlBool>][] = [];
  if (f.type) out.push(['type', (eb) => eb('d.type', '=', f.type!)]);
  if (f.year) out.push(['year', (eb) => eb.and([eb('d.doc_date', '>=', `${f.year}-01-01`), eb('d.doc_date', '<=', `${f.year}-12-31`)])]);
  if (f.lang) out.push(['lang', (eb) => eb.exists(eb.selectFrom('document_files as lf').select('lf.id').whereRef('lf.document_id', '=', 'd.id').where('lf.lang', '=', f.lang!))]);
  if (f.theme) out.push(['theme', (eb) => eb.exists(eb.selectFrom('document_themes as tf').select('tf.theme_id').whereRef('tf.document_id', '=', 'd.id').where('tf.theme_id', '=', f.theme!))]);
  if (f.country) out.push(['country', (eb) => eb.exists(eb.selectFrom('document_countries as cf').select('cf.country_code').whereRef('cf.document_id', '=', 'd.id').where('cf.country_code', '=', f.country!))]);
  if (f.activity) out.push(['activity', (eb) => eb.exists(eb.selectFrom('document_activities as af').select('af.activity_id').whereRef('af.document_id', '=', 'd.id').where('af.activity_id', '=', f.activity!))]);
  return out;
}

type FilterArgs = { now: string; filters: LibraryFilters; match: ReturnType<typeof matchingEntries> | null; publishedAfter?: string };

/** The public documents that match the query (when there is one) and pass every filter set. */
function filtered(db: Db, args: FilterArgs): DocQuery {
  let q = db.selectFrom('documents as d').where((eb) => publicDocuments(eb as never, args.now)) as unknown as DocQuery;
  if (args.publishedAfter) q = q.where('d.published_at', '>', args.publishedAfter);
  if (args.match) q = q.where('d.id', 'in', sql<number>`(SELECT m.entity_id FROM (${args.match}) m)`);
  for (const [, condition] of filterConditions(args.filters)) q = q.where(condition);
  return q;
}

export interface FacetValue {
  value: string;
  label: string;
  count: number;
}

export interface LibraryItem {
  id: number;
  type: string;
  date: string | null;
  reference: string | null;
  title: string;
  slug: string;
  description: string;
  files: FileSummary[];
}

/**
 * The public documents that pass the filters and match the query and became public after
 * `after` (until `until`), newest first: what an alert's digest lists. At most `limit` of them, and
 * how many there are.
 */
export async function documentsPublishedBetween(
  db: Db,
  args: { lang: string; filters: LibraryFilters; query: ParsedQuery | null; after: string; until: string; limit: number },
): Promise<{ total: number; items: LibraryItem[] }> {
  const match = args.query ? matchingEntries(db, { source: 'document', lang: args.lang, query: args.query, now: args.until }) : null;
  const base = { now: args.until, filters: args.filters, match, publishedAfter: args.after };
  const read = (db: Db) =>
    Promise.all([
      filtered(db, base).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
      filtered(db, base).select(['d.id', 'd.type', 'd.doc_date', 'd.reference']).orderBy('d.published_at', 'desc').orderBy('d.id', 'desc').limit(args.limit).execute(),
    ]);
  const [count, rows] = await (match ? readingMatches(db, read) : read(db));
  const ids = rows.map((r) => r.id);
  const [translations, files] = await Promise.all([
    ids.length ? db.selectFrom('document_translations').select(['document_id', 'lang', 'title', 'slug', 'description']).where('document_id', 'in', ids).execute() : Promise.resolve([]),
    filesOf(db, ids),
  ]);
  return { total: Number(count?.n ?? 0), items: toItems(rows, translations, files, args.lang) };
}

export type ItemRow = { id: number; type: string; doc_date: string | null; reference: string | null };
export type TranslationRow = { document_id: number; lang: string; title: string; slug: string; description: string };

/** List rows with their title and slug in the language asked for (or another one), and their current files. */
export function toItems(rows: readonly ItemRow[], translations: readonly TranslationRow[], files: readonly FileSummary[], lang: string): LibraryItem[] {
  return rows.flatMap((r): LibraryItem[] => {
    const own = translations.filter((t) => t.document_id === r.id);
    const t = own.find((x) => x.lang === lang) ?? own[0];
    if (!t) return [];
    return [{ id: r.id, type: r.type, date: r.doc_date, reference: r.reference, title: t.title, slug: t.slug, description: t.description, files: currentFiles(files.filter((f) => f.documentId === r.id)) }];
  });
}

/** The library documents linked to activities, for the activity pages: the public ones, in each activity's order. */
export async function publicDocumentsOfActivity(db: Db, activityId: number, lang: string, now: string): Promise<LibraryItem[]> {
  const rows = await db
    .selectFrom('documents as d')
    .innerJoin('document_activities as da', 'da.document_id', 'd.id')
    .select(['d.id', 'd.type', 'd.doc_date', 'd.reference', 'da.position'])
    .where('da.activity_id', '=', activityId)
    .where((eb) => publicDocuments(eb as never, now))
    .orderBy('da.position')
    .orderBy('d.id')
    .execute();
  const ids = rows.map((r) => r.id);
  if (!ids.length) return [];
  const [translations, files] = await Promise.all([db.selectFrom('document_translations').select(['document_id', 'lang', 'title', 'slug', 'description']).where('document_id', 'in', ids).execute(), filesOf(db, ids)]);
  return rows.flatMap((r) => {
    const own = translations.filter((t) => t.document_id === r.id);
    const t = own.find((x) => x.lang === lang) ?? own[0];
    return t ? [{ id: r.id, type: r.type, date: r.doc_date, reference: r.reference, title: t.title, slug: t.slug, description: t.description, files: currentFiles(files.filter((f) => f.documentId === r.id)) }] : [];
  });
}
