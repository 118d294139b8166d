import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import {
  changeWorkflow,
  createRecord,
  listRevisions,
  loadEditable,
  loadRevision,
  registerEditorialKind,
  restoreRevision,
  saveRecord,
  slugsTakenIn,
  type EditableRecord,
  type CreateOptions,
  type EditorialActor,
  type EditorialKind,
  type Executor,
  type SaveResult,
  type WorkflowAction,
  type WorkflowState,
} from '../../platform/editorial/editorial.js';
import type { Choice } from '../../platform/editorial/merge.js';
import { announceChange, announceChanges } from '../../platform/events/changes.js';
import { indexRecord } from '../search/index.js';
import { documentSearchSource } from './documents.search.js';
import { audit } from '../../platform/audit/audit.js';
import type { InspectedFile } from '../../platform/files/inspect.js';
import type { FileStore, StagedFile, StoredFile } from '../../platform/storage/storage.js';
import { claimStoredFiles, type ClaimedFile } from './documents.collect.js';
import { DocumentInputSchema, type DocumentInputParsed, type FileStatus } from './documents.schemas.js';

async function readDocumentContent(db: Executor, id: number): Promise<DocumentInputParsed | null> {
  const d = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!d) return null;
  const [tr, acts, themes, countries] = await Promise.all([
    db.selectFrom('document_translations').selectAll().where('document_id', '=', id).orderBy('lang').execute(),
    db.selectFrom('document_activities').select('activity_id').where('document_id', '=', id).orderBy('position').execute(),
    db.selectFrom('document_themes').select('theme_id').where('document_id', '=', id).orderBy('theme_id').execute(),
    db.selectFrom('document_countries').select('country_code').where('document_id', '=', id).orderBy('country_code').execute(),
  ]);
  return DocumentInputSchema.parse({
    key: d.key,
    type: d.type,
    doc_date: d.doc_date,
    reference: d.reference,
    access: d.access,
    access_roles: d.access_roles ? d.access_roles.split(',') : [],
    access_activity_id: d.access_activity_id,
    activities: acts.map((a) => a.activity_id),
    themes: themes.map((t) => t.theme_id),
    countries: countries.map((c) => c.country_code),
    published: false,
    t: Object.fromEntries(tr.map((x) => [x.lang, { title: x.title, slug: x.slug, description: x.description }])),
  });
}

function columns(input: DocumentInputParsed) {
  return {
    type: input.type,
    doc_date: input.doc_date ?? null,
    reference: input.reference || null,
    access: input.access,
    access_roles: input.access_roles.join(','),
    access_activity_id: input.access_activity_id ?? null,
  };
}

async function writeLinks(trx: Executor, id: number, input: DocumentInputParsed, now: string): Promise<void> {
  await trx.deleteFrom('document_translations').where('document_id', '=', id).execute();
  for (const [lang, t] of Object.entries(input.t)) {
    await trx.insertInto('document_translations').values({ document_id: id, lang, title: t.title, slug: t.slug, description: t.description, updated_at: now }).execute();
  }
  // A link's position is the document's place in that activity's list: kept for the links that
  // stay, the end of the activity's list for a new one.
  const acts = [...new Set(input.activities)];
  const kept = new Map((await trx.selectFrom('document_activities').select(['activity_id', 'position']).where('document_id', '=', id).execute()).map((r) => [r.activity_id, r.position]));
  await trx.deleteFrom('document_activities').where('document_id', '=', id).execute();
  for (const activity_id of acts) {
    let position = kept.get(activity_id);
    if (position === undefined) {
      const last = await trx.selectFrom('document_activities').select((eb) => eb.fn.max('position').as('p')).where('activity_id', '=', activity_id).executeTakeFirst();
      position = Number(last?.p ?? 0) + 1;
    }
    await trx.insertInto('document_activities').values({ document_id: id, activity_id, position }).execute();
  }
  await trx.deleteFrom('document_themes').where('document_id', '=', id).execute();
  const themes = [...new Set(input.themes)];
  if (themes.length) await trx.insertInto('document_themes').values(themes.map((theme_id) => ({ document_id: id, theme_id }))).execute();
  await trx.deleteFrom('document_countries').where('document_id', '=', id).execute();
  const countries = [...new Set(input.countries)];
  if (countries.length) await trx.insertInto('document_countries').values(countries.map((country_code) => ({ document_id: id, country_code }))).execute();
}

/** Documents as the editorial core knows them: workflow, revisions, slugs, merge of concurrent edits. */
export const documentKind: EditorialKind<DocumentInputParsed> = registerEditorialKind({
  entityType: 'document',
  table: 'documents',
  parse: (raw) => DocumentInputSchema.parse(raw),
  read: readDocumentContent,
  async insert(trx, input, now) {
    const { id } = await trx
      .insertInto('documents')
      .values({ key: input.key ?? null, ...columns(input), workflow: 'draft', published_at: null, created_at: now, updated_at: now, updated_by: null, edited_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeLinks(trx, id, input, now);
    return id;
  },
  async write(trx, id, input, now) {
    await trx.updateTable('documents').set({ ...columns(input), updated_at: now }).where('id', '=', id).execute();
    await writeLinks(trx, id, input, now);
  },
  takenSlugs: (db, id, input) => slugsTakenIn(db, 'document_translations', 'document_id', id, input),
  mergeIgnore: ['published', 'key'],
  normalize: (input) => ({
    ...input,
    published: false,
    doc_date: input.doc_date ?? null,
    reference: input.reference || null,
    access_activity_id: input.access_activity_id ?? null,
    access_roles: [...new Set(input.access_roles)].sort(),
    activities: [...new Set(input.activities)],
    themes: [...new Set(input.themes)].sort((a, b) => a - b),
    countries: [...new Set(input.countries)].sort(),
  }),
});

export type EditableDocument = EditableRecord<DocumentInputParsed>;

export function loadEditableDocument(db: Executor, id: number): Promise<EditableDocument | null> {
  return loadEditable(db, documentKind, id);
}

/** Creates a document as a draft (or published at once for seeders and importers), with its first revision. */
export function createDocument(db: Db, raw: unknown, actor: EditorialActor, options: Pick<CreateOptions, 'action' | 'within' | 'countsAsEdit'> = {}): Promise<number> {
  const input = DocumentInputSchema.parse(raw);
  return createRecord(db, documentKind, input, actor, { publish: input.published, ...options });
}

export function updateDocument(db: Db, id: number, baseVersion: number, raw: unknown, actor: EditorialActor, choices?: Record<string, Choice>): Promise<SaveResult<DocumentInputParsed>> {
  return saveRecord(db, documentKind, id, { baseVersion, input: raw, actor, choices });
}

export function changeDocumentWorkflow(db: Db, id: number, action: WorkflowAction, actorId: number | null, publishAt?: Date): Promise<WorkflowState> {
  return changeWorkflow(db, documentKind, id, action, actorId, publishAt);
}

export function listDocumentRevisions(db: Executor, id: number) {
  return listRevisions(db, documentKind, id);
}

export function loadDocumentRevision(db: Executor, id: number, version: number): Promise<DocumentInputParsed | null> {
  return loadRevision(db, documentKind, id, version);
}

export function restoreDocumentRevision(db: Db, id: number, version: number, actor: EditorialActor): Promise<SaveResult<DocumentInputParsed> | null> {
  return restoreRevision(db, documentKind, id, version, actor);
}

/** A checked file ready to join a document: its bytes staged, its type known by content. */
export interface IncomingFile {
  lang: string;
  status: FileStatus;
  staged: StagedFile;
  inspected: InspectedFile;
  /** The cleaned name it is downloaded under. */
  fileName: string;
}

/**
 * Adds files to a document: each is put into the store (stored once by its hash), then all rows
 * are written in one transaction, each as the new current version of its language. The staged
 * copies are kept until that transaction ends: it first takes the files back from the collector
 * of unnamed files, storing again any it removed meanwhile (the same bytes, unnamed since an
 * earlier removal, may be collected at any moment before the rows commit). A failure leaves no
 * row; a file already in the store and named by no row is removed by that collector later.
 * Returns the new files' ids, whose text the extraction job reads next.
 */
export async function addDocumentFiles(db: Db, store: FileStore, documentId: number, files: IncomingFile[], actorId: number | null): Promise<number[]> {
  const stored: StoredFile[] = [];
  let ids: { ids: number[]; isPublic: boolean } | null;
  try {
    for (const f of files) stored.push(await store.commit(f.staged, { keepStaged: true }));
    ids = await writeFileRows(db, store, documentId, files, stored, actorId);
  } finally {
    for (const f of files) await f.staged.discard().catch(() => undefined);
  }
  if (!ids) throw new Error(`document ${documentId} not found`);
  await announceChange(db, { entity: 'document', id: documentId, action: 'files_added', public: ids.isPublic, visibleFrom: null });
  return ids.ids;
}

/** The rows of files just stored, in one transaction that first claims their keys from the collector; null when the document is gone. */
function writeFileRows(db: Db, store: FileStore, documentId: number, files: IncomingFile[], stored: StoredFile[], actorId: number | null): Promise<{ ids: number[]; isPublic: boolean } | null> {
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    await claimStoredFiles(trx, store, files.map((f, i) => ({ key: stored[i]!.key, staged: f.staged })));
    const doc = await trx.selectFrom('documents').select(['id', 'workflow', 'published_at']).where('id', '=', documentId).executeTakeFirst();
    if (!doc) return null;
    const ids: number[] = [];
    for (const [i, f] of files.entries()) {
      const s = stored[i]!;
      const last = await trx.selectFrom('document_files').select((eb) => eb.fn.max('version').as('v')).where('document_id', '=', documentId).where('lang', '=', f.lang).executeTakeFirst();
      const { id } = await trx
        .insertInto('document_files')
        .values({
          document_id: documentId,
          lang: f.lang,
          version: Number(last?.v ?? 0) + 1,
          status: f.status,
          storage_key: s.key,
          sha256: s.sha256,
          size_bytes: s.size,
          kind: f.inspected.kind,
          mime: f.inspected.mime,
          file_name: f.fileName,
          pages: null,
          text_state: 'pending',
          uploaded_at: now,
          uploaded_by: actorId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(id);
    }
    await trx.updateTable('documents').set({ updated_at: now }).where('id', '=', documentId).execute();
    await audit(trx, { actorUserId: actorId, action: 'document.files_added', entityType: 'document', entityId: documentId, after: files.map((f, i) => ({ lang: f.lang, status: f.status, name: f.fileName, sha256: stored[i]!.sha256 })) });
    return { ids, isPublic: doc.workflow === 'published' };
  });
}

/** Removes one file version from a document (its bytes stay while another row names them). */
export async function removeDocumentFile(db: Db, documentId: number, fileId: number, actorId: number | null): Promise<boolean> {
  const done = await db.transaction().execute(async (trx) => {
    const f = await trx.selectFrom('document_files').select(['id', 'lang', 'version', 'file_name']).where('id', '=', fileId).where('document_id', '=', documentId).executeTakeFirst();
    if (!f) return null;
    await trx.deleteFrom('document_files').where('id', '=', fileId).execute();
    await trx.updateTable('documents').set({ updated_at: nowIso() }).where('id', '=', documentId).execute();
    await audit(trx, { actorUserId: actorId, action: 'document.file_removed', entityType: 'document', entityId: documentId, before: f });
    const doc = await trx.selectFrom('documents').select('workflow').where('id', '=', documentId).executeTakeFirst();
    return { isPublic: doc?.workflow === 'published' };
  });
  if (!done) return false;
  await announceChange(db, { entity: 'document', id: documentId, action: 'file_removed', public: done.isPublic, visibleFrom: null });
  return true;
}

/** What the extraction job read of a file, or why it could not. */
export type ExtractionOutcome =
  /** `thumbnail`: an image's preview, already in the store, with the staged copy it was committed from (see claimStoredFiles). */
  | { ok: true; text: string; pages: number | null; language: string | null; thumbnail: ClaimedFile | null }
  | { ok: false; error: string };

/**
 * Records what the extraction job read of a file (or why it could not), and announces it so the
 * search index takes the text. A thumbnail is claimed from the collector in the same transaction,
 * and stored again if it was collected meanwhile (the same preview, unnamed since its image was
 * removed from another document).
 */
export async function recordExtraction(db: Db, store: FileStore, fileId: number, result: ExtractionOutcome): Promise<void> {
  const doc = await db.transaction().execute(async (trx) => {
    if (result.ok && result.thumbnail) await claimStoredFiles(trx, store, [result.thumbnail]);
    const f = await trx.selectFrom('document_files').select(['document_id']).where('id', '=', fileId).executeTakeFirst();
    if (!f) return null;
    if (result.ok) {
      await trx.updateTable('document_files').set({ text_state: 'done', text_error: null, pages: result.pages, text_lang: result.language, thumbnail_key: result.thumbnail?.key ?? null }).where('id', '=', fileId).execute();
      await trx.deleteFrom('document_texts').where('file_id', '=', fileId).execute();
      await trx.insertInto('document_texts').values({ file_id: fileId, text: result.text }).execute();
    } else {
      await trx.updateTable('document_files').set({ text_state: 'failed', text_error: result.error.slice(0, 500) }).where('id', '=', fileId).execute();
    }
    await trx.updateTable('documents').set({ updated_at: nowIso() }).where('id', '=', f.document_id).execute();
    return trx.selectFrom('documents').select(['id', 'workflow']).where('id', '=', f.document_id).executeTakeFirst();
  });
  if (doc) await announceChange(db, { entity: 'document', id: doc.id, action: 'text_read', public: doc.workflow === 'published', visibleFrom: null });
}

/**
 * Removes documents an import created before it failed, with their translations, links, files and
 * revisions: the audit log keeps what was created and says it was removed, and the search index and
 * every instance's caches forget them (they were public for a moment). Stored bytes no row names
 * any more are collected later.
 */
export async function removeImportedDocuments(db: Db, ids: readonly number[], reason: string): Promise<void> {
  if (!ids.length) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('documents').where('id', 'in', [...ids]).execute();
    await trx.deleteFrom('revisions').where('entity_type', '=', 'document').where('entity_id', 'in', [...ids]).execute();
    for (const id of ids) await audit(trx, { actorUserId: null, action: 'document.import_removed', entityType: 'document', entityId: id, summary: reason.slice(0, 500) });
  });
  await announceChanges(db, ids.map((id) => ({ entity: 'document', id, action: 'import_removed', public: true, visibleFrom: null })));
  for (const id of ids) await indexRecord(db, documentSearchSource, id);
}
