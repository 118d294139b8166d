import type { Kysely, Transaction } from 'kysely';
import { audit } from '../audit/audit.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { announceChanges, type ChangeEvent } from '../events/changes.js';
import { threeWayMerge, type Choice, type FieldConflict } from './merge.js';

/**
 * The editorial core: workflow (draft → in review → published → unpublished, scheduled
 * publication), revisions with restore, pending revisions of published records, old slugs,
 * optimistic locking with a three-way merge, audit entries and change events. A module declares an
 * {@link EditorialKind} (how to read and write its content) and gets all of this; it never keeps
 * its own copy of the machinery.
 */

export const WORKFLOW_STATES = ['draft', 'in_review', 'published', 'unpublished'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];
/** submit, publish, unpublish and return move the record; publish and return also settle pending changes. */
export type WorkflowAction = 'submit' | 'publish' | 'unpublish' | 'return';

export type Executor = Kysely<Database>;
/** The tables of editable records (each has the workflow columns). */
export type EditorialTable = 'activities' | 'pages' | 'documents';
type Trx = Transaction<Database>;

/** Content of an editable record: fields, and texts per language with a slug each. */
export interface EditableContent {
  t: Record<string, { slug: string }>;
}

/** What a module tells the core about one kind of record. */
export interface EditorialKind<I extends EditableContent> {
  /** The name in audit entries, revisions, old slugs and events: 'activity', 'page'. */
  entityType: string;
  /** Its table, which has the workflow columns (workflow, version, published_at, pending_version, updated_at, updated_by, edited_at). */
  table: EditorialTable;
  /** Validates and normalises content (the module's zod schema). */
  parse(raw: unknown): I;
  /** Reads the live content (what the public sees once published). */
  read(db: Executor, id: number): Promise<I | null>;
  /** Inserts a new record's row and content; the row's workflow is 'draft' (the core sets the rest). */
  insert(trx: Executor, input: I, now: string): Promise<number>;
  /** Writes content over the live record. */
  write(trx: Executor, id: number, input: I, now: string): Promise<void>;
  /** Languages whose slug another record already uses. */
  takenSlugs(db: Executor, id: number | null, input: I): Promise<string[]>;
  /** Fields the merge leaves to this person (bookkeeping such as a `published` flag). */
  mergeIgnore?: readonly string[];
  /**
   * Writes content the way the record stores it (defaults filled, HTML sanitised, lists ordered),
   * so that a form, a revision and the live record compare equal when they say the same thing.
   */
  normalize?(input: I): I;
}

function normalized<I extends EditableContent>(kind: EditorialKind<I>, raw: unknown): I {
  const input = kind.parse(raw);
  return kind.normalize ? kind.normalize(input) : input;
}

/** Who acts, and whether the policy lets them publish this record. */
export interface EditorialActor {
  id: number | null;
  canPublish: boolean;
}

/** An editable record as the back-office shows it. */
export interface EditableRecord<I> {
  id: number;
  version: number;
  workflow: WorkflowState;
  publishedAt: string | null;
  /** The revision waiting for review, when a published record has one. */
  pendingVersion: number | null;
  /** The newest content: the pending revision when there is one, else the live record. */
  input: I;
  /** What the public sees (differs from `input` while changes wait for review). */
  live: I;
  /** The revision that holds the live content. */
  liveVersion: number;
}

export type SaveResult<I> =
  | { ok: true; version: number; pending: boolean; fromTheirs: string[] }
  | { ok: false; reason: 'conflict'; conflicts: FieldConflict[]; current: EditableRecord<I>; mine: I }
  | { ok: false; reason: 'slug_taken'; langs: string[] }
  | { ok: false; reason: 'missing' };

interface WorkflowRow {
  id: number;
  workflow: string;
  version: number;
  published_at: string | null;
  pending_version: number | null;
}

async function workflowRow(db: Executor, table: EditorialTable, id: number): Promise<WorkflowRow | undefined> {
  const t = db as unknown as Kysely<{ [k in typeof table]: WorkflowRow }>;
  return t.selectFrom(table).select(['id', 'workflow', 'version', 'published_at', 'pending_version']).where('id', '=', id).executeTakeFirst();
}

async function setWorkflowColumns(db: Executor, table: EditorialTable, id: number, set: Record<string, unknown>, expectedVersion?: number): Promise<boolean> {
  const t = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let q = t.updateTable(table).set(set).where('id', '=', id);
  if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function revisionSnapshot(db: Executor, entityType: string, id: number, version: number): Promise<unknown | null> {
  const row = await db.selectFrom('revisions').select('snapshot').where('entity_type', '=', entityType).where('entity_id', '=', id).where('version', '=', version).executeTakeFirst();
  return row ? (JSON.parse(row.snapshot) as unknown) : null;
}

async function addRevision(db: Executor, entityType: string, id: number, version: number, state: string, action: string, actorId: number | null, snapshot: unknown, now: string): Promise<void> {
  await db.insertInto('revisions').values({ entity_type: entityType, entity_id: id, version, state, action, saved_at: now, saved_by: actorId, snapshot: JSON.stringify(snapshot) }).execute();
}

/** Records seeded or imported before the core kept revisions get their current state stored once, so a later merge has its base. */
async function ensureRevision<I extends EditableContent>(db: Executor, kind: EditorialKind<I>, row: WorkflowRow, content: I, now: string): Promise<void> {
  const exists = await db.selectFrom('revisions').select('id').where('entity_type', '=', kind.entityType).where('entity_id', '=', row.id).where('version', '=', row.version).executeTakeFirst();
  if (!exists) await addRevision(db, kind.entityType, row.id, row.version, row.pending_version === row.version ? 'pending' : 'saved', 'save', null, content, now);
}

async function recordOldSlugs(db: Executor, entityType: string, id: number, before: EditableContent | null, after: EditableContent): Promise<void> {
  if (!before) return;
  for (const [lang, t] of Object.entries(before.t)) {
    const next = after.t[lang]?.slug;
    if (t.slug && next !== t.slug) {
      await db.deleteFrom('slug_redirects').where('entity_type', '=', entityType).where('lang', '=', lang).where('old_slug', '=', t.slug).execute();
      await db.insertInto('slug_redirects').values({ entity_type: entityType, lang, old_slug: t.slug, entity_id: id }).execute();
    }
  }
  // A slug given back to the record it once left no longer redirects.
  for (const [lang, t] of Object.entries(after.t)) {
    await db.deleteFrom('slug_redirects').where('entity_type', '=', entityType).where('lang', '=', lang).where('old_slug', '=', t.slug).where('entity_id', '=', id).execute();
  }
}

function isPublic(row: Pick<WorkflowRow, 'workflow' | 'published_at'>): boolean {
  return row.workflow === 'published' && row.published_at !== null;
}

function visibleFrom(publishedAt: string | null, now: string): string | null {
  return publishedAt && publishedAt > now ? publishedAt : null;
}

/** Loads a record with its newest content and its live content. */
export async function loadEditable<I extends EditableContent>(db: Executor, kind: EditorialKind<I>, id: number): Promise<EditableRecord<I> | null> {
  const row = await workflowRow(db, kind.table, id);
  if (!row) return null;
  const live = await kind.read(db, id);
  if (!live) return null;
  const pending = row.pending_version !== null ? await revisionSnapshot(db, kind.entityType, id, row.pending_version) : null;
  const lastLive = pending
    ? await db
        .selectFrom('revisions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('entity_type', '=', kind.entityType)
        .where('entity_id', '=', id)
        .where('state', 'in', ['saved', 'published'])
        .where('version', '<', row.pending_version!)
        .executeTakeFirst()
    : undefined;
  return {
    liveVersion: pending ? Number(lastLive?.v ?? row.version) : row.version,
    id,
    version: row.version,
    workflow: row.workflow as WorkflowState,
    publishedAt: row.published_at,
    pendingVersion: pending ? row.pending_version : null,
    input: pending ? kind.parse(pending) : live,
    live,
  };
}

/** How a record is created: as a draft unless `publish` (and the actor may), by which action, with what else in the same transaction. */
export interface CreateOptions {
  publish?: boolean;
  publishAt?: Date;
  /** The action in revisions, audit and events ('create', 'import'). */
  action?: string;
  summary?: string;
  /** False for writers whose changes are not an editor's (seeders, importers): a later import may still refresh the record. Default: the actor is a person. */
  countsAsEdit?: boolean;
  /** More writes that must commit or fail with the record (an importer's source addresses and report). */
  within?: (trx: Trx, id: number) => Promise<void>;
}

/** Creates a record as a draft (or published at once, or at `publishAt`, for seeders and importers), with its first revision. */
export async function createRecord<I extends EditableContent>(
  db: Db,
  kind: EditorialKind<I>,
  raw: unknown,
  actor: EditorialActor,
  options: CreateOptions = {},
): Promise<number> {
  const input = normalized(kind, raw);
  const now = nowIso();
  const publish = options.publish === true && actor.canPublish;
  const publishedAt = publish ? (options.publishAt?.toISOString() ?? now) : null;
  const id = await db.transaction().execute(async (trx) => {
    const taken = await kind.takenSlugs(trx, null, input);
    if (taken.length) throw new SlugTakenError(taken);
    const id = await kind.insert(trx, input, now);
    const edited = options.countsAsEdit ?? actor.id !== null;
    await setWorkflowColumns(trx, kind.table, id, { workflow: publish ? 'published' : 'draft', published_at: publishedAt, version: 1, pending_version: null, updated_by: actor.id, edited_at: edited ? now : null });
    await addRevision(trx, kind.entityType, id, 1, 'saved', options.action ?? 'create', actor.id, input, now);
    await audit(trx, { actorUserId: actor.id, action: `${kind.entityType}.${options.action ?? 'create'}`, entityType: kind.entityType, entityId: id, summary: options.summary, after: input });
    await options.within?.(trx, id);
    return id;
  });
  await announceChanges(db, [{ entity: kind.entityType, id, action: options.action === undefined || options.action === 'create' ? 'created' : options.action, public: publish, visibleFrom: visibleFrom(publishedAt, now) }]);
  return id;
}

/** Raised when a slug is used by another record (a create or restore that cannot take it). */
export class SlugTakenError extends Error {
  constructor(readonly langs: string[]) {
    super(`slug already used in ${langs.join(', ')}`);
  }
}

/**
 * Saves an edit made on the form opened at `baseVersion`. When someone saved in between, their
 * changes and this person's are merged field by field; fields both changed are returned as
 * conflicts and nothing is written. A published record edited by someone who may not publish it
 * keeps serving its published content: the edit becomes a revision waiting for review.
 */
export async function saveRecord<I extends EditableContent>(
  db: Db,
  kind: EditorialKind<I>,
  id: number,
  args: { baseVersion: number; input: unknown; actor: EditorialActor; action?: string; choices?: Record<string, Choice>; summary?: string; countsAsEdit?: boolean; within?: (trx: Trx) => Promise<void> },
  attempt = 1,
): Promise<SaveResult<I>> {
  let mine = normalized(kind, args.input);
  const now = nowIso();
  const action = args.action ?? 'save';
  const outcome = await db.transaction().execute(async (trx): Promise<(SaveResult<I> & { event?: ChangeEvent }) | null> => {
    const row = await workflowRow(trx, kind.table, id);
    if (!row) return { ok: false, reason: 'missing' };
    const current = await loadEditable(trx, kind, id);
    if (!current) return { ok: false, reason: 'missing' };
    await ensureRevision(trx, kind, row, current.input, now);
    let fromTheirs: string[] = [];
    if (row.version !== args.baseVersion) {
      const base = args.baseVersion > 0 ? await revisionSnapshot(trx, kind.entityType, id, args.baseVersion) : null;
      const m = threeWayMerge<unknown>(base === null ? null : normalized(kind, base), normalized(kind, current.input), mine, { ignore: kind.mergeIgnore, choices: args.choices });
      if (m.conflicts.length) return { ok: false, reason: 'conflict', conflicts: m.conflicts, current, mine };
      mine = normalized(kind, m.merged);
      fromTheirs = m.fromTheirs;
    }
    const taken = await kind.takenSlugs(trx, id, mine);
    if (taken.length) return { ok: false, reason: 'slug_taken', langs: taken };
    const version = row.version + 1;
    const pending = row.workflow === 'published' && !args.actor.canPublish;
    // Seeders and importers (no actor) do not count as edits: a record they wrote may still be refreshed.
    const edited = (args.countsAsEdit ?? args.actor.id !== null) ? { edited_at: now } : {};
    if (pending) {
      if (!(await setWorkflowColumns(trx, kind.table, id, { version, pending_version: version, updated_at: now, updated_by: args.actor.id, ...edited }, row.version))) return null;
      await addRevision(trx, kind.entityType, id, version, 'pending', action, args.actor.id, mine, now);
      await audit(trx, { actorUserId: args.actor.id, action: `${kind.entityType}.${action}_pending`, entityType: kind.entityType, entityId: id, summary: args.summary, before: current.input, after: mine });
    } else {
      if (!(await setWorkflowColumns(trx, kind.table, id, { version, pending_version: null, updated_at: now, updated_by: args.actor.id, ...edited }, row.version))) return null;
      await kind.write(trx, id, mine, now);
      await recordOldSlugs(trx, kind.entityType, id, current.live, mine);
      // A direct save by someone who may publish takes the pending changes with it (they were merged above).
      if (row.pending_version !== null) await trx.updateTable('revisions').set({ state: 'published' }).where('entity_type', '=', kind.entityType).where('entity_id', '=', id).where('version', '=', row.pending_version).execute();
      await addRevision(trx, kind.entityType, id, version, 'saved', action, args.actor.id, mine, now);
      await audit(trx, { actorUserId: args.actor.id, action: `${kind.entityType}.${action}`, entityType: kind.entityType, entityId: id, summary: args.summary, before: current.live, after: mine });
    }
    await args.within?.(trx);
    const event: ChangeEvent = { entity: kind.entityType, id, action: pending ? 'pending' : action === 'save' ? 'saved' : action, public: !pending && isPublic(row), visibleFrom: pending ? null : visibleFrom(row.published_at, now) };
    return { ok: true, version, pending, fromTheirs, event };
  });
  // Someone saved between our read and our write: read again and merge against their save.
  if (outcome === null) {
    if (attempt >= 5) throw new Error(`${kind.entityType} ${id}: could not save after ${attempt} attempts (concurrent saves)`);
    return saveRecord(db, kind, id, args, attempt + 1);
  }
  if (outcome.ok && outcome.event) {
    const { event, ...result } = outcome;
    await announceChanges(db, [event]);
    return result;
  }
  return outcome;
}

/** Raised when a workflow action does not apply to the record's state. */
export class WorkflowStateError extends Error {}

/**
 * Moves a record through the workflow. On a published record with changes waiting for review,
 * `publish` publishes them and `return` discards them (both kept in the history). Publication may
 * be scheduled for a later time.
 */
export async function changeWorkflow<I extends EditableContent>(db: Db, kind: EditorialKind<I>, id: number, action: WorkflowAction, actorId: number | null, publishAt?: Date): Promise<WorkflowState> {
  const now = nowIso();
  const { state, event } = await db.transaction().execute(async (trx) => {
    const row = await workflowRow(trx, kind.table, id);
    if (!row) throw new WorkflowStateError(`${kind.entityType} ${id} not found`);
    const before = { workflow: row.workflow, published_at: row.published_at, pending_version: row.pending_version };
    const pendingOnPublished = row.workflow === 'published' && row.pending_version !== null;
    let set: Record<string, unknown>;
    let label: string = action;
    if (pendingOnPublished && (action === 'publish' || action === 'return' || action === 'unpublish')) {
      const snapshot = await revisionSnapshot(trx, kind.entityType, id, row.pending_version!);
      if (action === 'return') {
        // The pending changes are set aside; the live content becomes the newest revision again.
        const live = await kind.read(trx, id);
        const version = row.version + 1;
        await trx.updateTable('revisions').set({ state: 'discarded' }).where('entity_type', '=', kind.entityType).where('entity_id', '=', id).where('version', '=', row.pending_version!).execute();
        await addRevision(trx, kind.entityType, id, version, 'saved', 'discard', actorId, live, now);
        set = { pending_version: null, version };
        label = 'discard';
      } else {
        const live = await kind.read(trx, id);
        const input = kind.parse(snapshot);
        await kind.write(trx, id, input, now);
        await recordOldSlugs(trx, kind.entityType, id, live, input);
        await trx.updateTable('revisions').set({ state: 'published' }).where('entity_type', '=', kind.entityType).where('entity_id', '=', id).where('version', '=', row.pending_version!).execute();
        set = action === 'publish' ? { pending_version: null } : { pending_version: null, workflow: 'unpublished', published_at: null };
        label = action === 'publish' ? 'publish_changes' : 'unpublish';
      }
    } else {
      const allowed: Record<WorkflowAction, string[]> = { submit: ['draft', 'unpublished'], publish: ['draft', 'in_review', 'unpublished', 'published'], unpublish: ['published'], return: ['in_review'] };
      if (!allowed[action].includes(row.workflow)) throw new WorkflowStateError(`cannot ${action} a ${kind.entityType} that is ${row.workflow}`);
      const next: WorkflowState = action === 'submit' ? 'in_review' : action === 'publish' ? 'published' : action === 'unpublish' ? 'unpublished' : 'draft';
      const publishedAt = action === 'publish' ? (publishAt ?? new Date(now)).toISOString() : action === 'unpublish' ? null : row.published_at;
      set = { workflow: next, published_at: publishedAt };
    }
    await setWorkflowColumns(trx, kind.table, id, { ...set, updated_at: now, updated_by: actorId });
    const after = await workflowRow(trx, kind.table, id);
    await audit(trx, { actorUserId: actorId, action: `${kind.entityType}.${label}`, entityType: kind.entityType, entityId: id, before, after: { workflow: after?.workflow, published_at: after?.published_at, pending_version: after?.pending_version } });
    const wasPublic = isPublic(row);
    const nowPublic = !!after && isPublic(after);
    const event: ChangeEvent = { entity: kind.entityType, id, action: label, public: wasPublic || nowPublic, visibleFrom: after ? visibleFrom(after.published_at, now) : null };
    return { state: (after?.workflow ?? row.workflow) as WorkflowState, event };
  });
  await announceChanges(db, [event]);
  return state;
}

/** The revisions of a record, newest first, with who saved each. */
export async function listRevisions(db: Executor, kind: { entityType: string }, id: number) {
  return db
    .selectFrom('revisions')
    .leftJoin('users', 'users.id', 'revisions.saved_by')
    .select(['revisions.version', 'revisions.saved_at', 'revisions.state', 'revisions.action', 'users.display_name'])
    .where('revisions.entity_type', '=', kind.entityType)
    .where('revisions.entity_id', '=', id)
    .orderBy('revisions.version', 'desc')
    .execute();
}

/** One revision's content. */
export async function loadRevision<I extends EditableContent>(db: Executor, kind: EditorialKind<I>, id: number, version: number): Promise<I | null> {
  const snapshot = await revisionSnapshot(db, kind.entityType, id, version);
  return snapshot === null ? null : kind.parse(snapshot);
}

/**
 * Restores an earlier revision as a new save, so the restore itself can be undone; like any save
 * of a published record by someone who may not publish it, it waits for review.
 */
export async function restoreRevision<I extends EditableContent>(db: Db, kind: EditorialKind<I>, id: number, version: number, actor: EditorialActor): Promise<SaveResult<I> | null> {
  const snapshot = await loadRevision(db, kind, id, version);
  if (!snapshot) return null;
  // Restoring means taking the whole revision: every field is this person's choice.
  const current = await loadEditable(db, kind, id);
  if (!current) return { ok: false, reason: 'missing' };
  return saveRecord(db, kind, id, { baseVersion: current.version, input: snapshot, actor, action: 'restore', summary: `restored version ${version}` });
}

/** Each language's state: missing, outdated (another language changed after it), or done. */
export function translationStates(languages: string[], updatedAt: Record<string, string>): Record<string, 'missing' | 'outdated' | 'done'> {
  const latest = Object.values(updatedAt).sort().at(-1);
  return Object.fromEntries(languages.map((l) => [l, !updatedAt[l] ? 'missing' : latest && updatedAt[l] < latest ? 'outdated' : 'done']));
}

const registered = new Map<string, EditorialKind<EditableContent>>();

/** Declares a kind of record to the core, so that cross-cutting readers (the page cache's clock) know its table. */
export function registerEditorialKind<I extends EditableContent>(kind: EditorialKind<I>): EditorialKind<I> {
  registered.set(kind.entityType, kind as unknown as EditorialKind<EditableContent>);
  return kind;
}

/** The next time a scheduled publication makes a record public, over every registered kind. */
export async function nextScheduledPublication(db: Executor, now: Date): Promise<Date | null> {
  let next: string | null = null;
  for (const table of new Set([...registered.values()].map((k) => k.table))) {
    const t = db as unknown as Kysely<Record<string, { workflow: string; published_at: string | null }>>;
    const row = await t
      .selectFrom(table)
      .select((eb) => eb.fn.min('published_at').as('at'))
      .where('workflow', '=', 'published')
      .where('published_at', '>', now.toISOString())
      .executeTakeFirst();
    const at = (row as { at?: string | null } | undefined)?.at ?? null;
    if (at && (next === null || at < next)) next = at;
  }
  return next ? new Date(next) : null;
}

/** The languages whose slug another record of a translations table already uses (a kind's `takenSlugs`). */
export async function slugsTakenIn(db: Executor, table: 'activity_translations' | 'page_translations' | 'document_translations', owner: 'activity_id' | 'page_id' | 'document_id', id: number | null, input: EditableContent): Promise<string[]> {
  const t = db as unknown as Kysely<Record<string, { lang: string; slug: string; activity_id: number; page_id: number; document_id: number }>>;
  const taken: string[] = [];
  for (const [lang, tr] of Object.entries(input.t)) {
    let q = t.selectFrom(table).select(owner).where('lang', '=', lang).where('slug', '=', tr.slug);
    if (id !== null) q = q.where(owner, '!=', id);
    if (await q.executeTakeFirst()) taken.push(lang);
  }
  return taken;
}
