import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { ACTIVITY_LIMITS, createActivity, loadEditableActivity, updateActivity, type ActivityInputParsed, type PartyRef } from '../activities/index.js';
import type { Db } from '../../platform/db/database.js';
import { SlugTakenError, type EditorialActor } from '../../platform/editorial/editorial.js';
import { oldAddress } from './legacy.addresses.js';
import { buildActivityInput, checkReferences, importSlug, type PlanItem } from './legacy.match.js';
import { mergeChanges, type MergeResult } from './legacy.merge.js';
import { toJsonActivity } from './legacy.presenter.js';
import { loadExisting, loadReferences, slugTaken, type References } from './legacy.repository.js';
import { legacyDb, type LegacyDatabase } from './legacy.tables.js';

/**
 * Applies an import plan through the activities module's commands: each activity is created or
 * merged in one transaction of the editorial core together with its source address, provenance
 * and report line, so a failure leaves nothing half-written. New records are drafts for review
 * unless the import publishes; a merge into a published record waits for review the same way.
 * The run and its report are recorded in legacy_import_runs and legacy_import_items.
 */

type Trx = Transaction<LegacyDatabase>;

export interface ImportReportItem {
  index: number;
  action: 'created' | 'merged' | 'skipped' | 'failed';
  activityId: number | null;
  title: string | null;
  file: string | null;
  sourceUrl: string | null;
  changes: string[];
  reasons: string[];
  warnings: string[];
}

export interface ImportReport {
  runId: number;
  created: number;
  merged: number;
  skipped: number;
  failed: number;
  warnings: number;
  items: ImportReportItem[];
}

async function recordSource(trx: Trx, activityId: number, item: PlanItem, runId: number, now: string): Promise<void> {
  await recordAddress(trx, activityId, item, item.sourceUrl, item.layout, runId, now);
  // An entry of a list page links to the activity's own old page: that address redirects too.
  const entry = item.activity.entry_url ? oldAddress(item.activity.entry_url) : null;
  if (entry) await recordAddress(trx, activityId, { ...item, file: null }, entry.url, 'detail', runId, now);
}

async function recordAddress(trx: Trx, activityId: number, item: PlanItem, sourceUrl: string | null, layout: string, runId: number, now: string): Promise<void> {
  const address = sourceUrl ? oldAddress(sourceUrl) : null;
  if (!address && !item.file) return;
  const existing = await trx
    .selectFrom('legacy_sources')
    .select('id')
    .where('activity_id', '=', activityId)
    .where((eb) =>
      address
        ? eb.or([eb('source_url', '=', address.url), eb.and([eb('host', '=', address.host), eb('path', '=', address.path)])])
        : eb.and([eb('source_url', 'is', null), eb('file_name', '=', item.file ? path.basename(item.file) : '')]),
    )
    .executeTakeFirst();
  if (existing) return;
  await trx
    .insertInto('legacy_sources')
    .values({
      activity_id: activityId,
      source_url: address?.url ?? sourceUrl,
      host: address?.host ?? null,
      path: address?.path ?? null,
      lang: address?.lang ?? null,
      page_layout: layout,
      position: layout === 'detail' && item.layout === 'list' ? 0 : item.activity.position,
      file_name: item.file ? path.basename(item.file) : null,
      run_id: runId,
      created_at: now,
    })
    .execute();
}

async function saveProvenance(trx: Trx, activityId: number, confidence: Record<string, number>, now: string): Promise<void> {
  const value = JSON.stringify(confidence);
  const done = await trx.updateTable('legacy_provenance').set({ confidence: value, updated_at: now }).where('activity_id', '=', activityId).executeTakeFirst();
  if (!Number(done.numUpdatedRows)) await trx.insertInto('legacy_provenance').values({ activity_id: activityId, confidence: value, updated_at: now }).execute();
}

async function freeSlugIn(db: Db | Kysely<LegacyDatabase>, title: string, start: string, avoid: ReadonlySet<string> = new Set()): Promise<string> {
  const stem = importSlug(title, start);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? stem : `${stem}-${n}`;
    if (!avoid.has(slug) && !(await slugTaken(db as unknown as Kysely<LegacyDatabase>, slug))) return slug;
  }
}

/**
 * The record's newest content with a merge's changes applied: what the activities module's save
 * command writes (or keeps waiting for review). Codes the directory does not know are left out.
 */
async function mergedContent(db: Db, content: ActivityInputParsed, m: MergeResult, lang: string, refs: References): Promise<ActivityInputParsed> {
  const next: ActivityInputParsed = structuredClone(content);
  const a = m.activity;
  if (a.type) next.type = a.type as ActivityInputParsed['type'];
  if (a.status) next.status = a.status as ActivityInputParsed['status'];
  if (a.start_date) {
    next.start_date = a.start_date;
    next.end_date = a.end_date ?? null;
    next.date_precision = a.date_precision as ActivityInputParsed['date_precision'];
  }
  if (a.format) next.format = a.format as ActivityInputParsed['format'];
  if (a.country_code !== undefined) next.country = a.country_code;
  if (a.host_country_code !== undefined || a.host_organisation_id !== undefined) {
    const orgCode = a.host_organisation_id ? [...refs.organisations].find(([, id]) => id === a.host_organisation_id)?.[0] : undefined;
    next.host = a.host_country_code ? { country: a.host_country_code } : orgCode ? { organisation: orgCode } : null;
  }
  for (const [field, value, qualifier] of [
    ['participants', a.participants, a.participants_qualifier],
    ['countries_count', a.countries_count, a.countries_qualifier],
    ['organisations_count', a.organisations_count, a.organisations_qualifier],
  ] as const) {
    if (value !== undefined && value !== null) next[field] = { value, qualifier: (qualifier ?? 'exact') as 'exact' };
  }
  if (a.gallery_url) next.gallery_url = a.gallery_url;
  const known = (code: string): PartyRef | null => (/^[A-Z]{2}$/.test(code) ? (refs.countries.has(code) ? { country: code } : null) : refs.organisations.has(code) ? { organisation: code } : null);
  if (m.coChairs) next.co_chairs = m.coChairs.map(known).filter((p): p is PartyRef => p !== null);
  if (m.themes) next.themes = m.themes.filter((code) => refs.themes.has(code));
  const text = (s: string | null | undefined, max: number) => (s && s.length <= max ? s : null);
  if (m.newTranslation) {
    const tr = m.newTranslation;
    const taken = new Set(Object.values(next.t).map((t) => t.slug));
    next.t[tr.lang] = {
      title: tr.title.slice(0, ACTIVITY_LIMITS.title),
      slug: await freeSlugIn(db, tr.title, next.start_date, taken),
      summary: tr.summary.slice(0, ACTIVITY_LIMITS.summary),
      narrative_html: tr.narrative_html,
      city: text(tr.city, ACTIVITY_LIMITS.city),
      venue: text(tr.venue, ACTIVITY_LIMITS.venue),
    };
  }
  if (m.translationUpdate && next.t[m.translationUpdate.lang]) {
    const target = next.t[m.translationUpdate.lang]!;
    const set = m.translationUpdate.set;
    if (set.title) target.title = set.title.slice(0, ACTIVITY_LIMITS.title);
    if (set.summary !== undefined) target.summary = set.summary.slice(0, ACTIVITY_LIMITS.summary);
    if (set.narrative_html !== undefined) target.narrative_html = set.narrative_html;
    if (set.city !== undefined) target.city = text(set.city, ACTIVITY_LIMITS.city);
    if (set.venue !== undefined) target.venue = text(set.venue, ACTIVITY_LIMITS.venue);
  }
  for (const d of m.documents) {
    next.documents.push({ type: d.type, url: d.url, lang, title: { [lang]: d.title.slice(0, ACTIVITY_LIMITS.documentTitle) }, size_bytes: null, mime: null });
  }
  return next;
}

/** The confidence of what an import wrote into a new record, by field (0 for defaults it had to choose). */
function creationProvenance(item: PlanItem): Record<string, number> {
  const c = item.activity.confidence;
  const lang = item.activity.language;
  return {
    type: item.activity.type ? c.type : 0,
    dates: c.dates,
    format: item.activity.format ? c.format : 0,
    place: c.place,
    host: c.host,
    co_chairs: c.co_chairs,
    themes: c.themes,
    participants: c.participants,
    countries_count: c.countries_count,
    organisations_count: c.organisations_count,
    [`title:${lang}`]: c.title,
    [`body:${lang}`]: c.body,
  };
}

/**
 * Merges a page into an existing record through the activities module's save command (a three-way
 * merge against the version read here, so an editor's save in between is kept). Only the import's
 * own bookkeeping is written here, inside the same transaction.
 */
async function merge(db: Db, activityId: number, item: PlanItem, refs: References, runId: number, now: Date, actor: EditorialActor): Promise<string[]> {
  const ldb = legacyDb(db);
  const existing = await loadExisting(db, activityId);
  const record = await loadEditableActivity(db, activityId);
  if (!existing || !record) throw new Error(`activity #${activityId} no longer exists`);
  const m = mergeChanges(existing, item.activity, { sourceUrl: item.sourceUrl, file: item.file ? path.basename(item.file) : null, now, refs });
  item.warnings.push(...m.conflicts.filter((c) => !item.warnings.includes(c)));
  const stamp = now.toISOString();
  const bookkeeping = async (trx: Trx) => {
    await recordSource(trx, activityId, item, runId, stamp);
    await saveProvenance(trx, activityId, m.provenance, stamp);
    await writeItem(trx, runId, item, 'merged', activityId, m.changes);
  };
  const content = Object.keys(m.activity).length > 0 || !!m.newTranslation || !!m.translationUpdate || !!m.coChairs || !!m.themes || m.documents.length > 0;
  if (!content) {
    await ldb.transaction().execute(bookkeeping);
    return m.changes;
  }
  // The same rule as an editor's save: a published record keeps serving what was published.
  const pending = record.workflow === 'published' && !actor.canPublish;
  if (pending) item.warnings.push('the record is published: the merged changes wait for review');
  for (let attempt = 1; ; attempt++) {
    const next = await mergedContent(db, record.input, m, item.activity.language, refs);
    const saved = await updateActivity(db, activityId, record.version, next, actor, undefined, {
      action: 'import_merge',
      summary: importSummary(item, runId),
      countsAsEdit: false,
      within: (trx) => bookkeeping(trx as unknown as Trx),
    });
    if (saved.ok) return m.changes;
    // Another record took the new translation's slug meanwhile: choose again, once.
    if (saved.reason === 'slug_taken' && attempt < 2) continue;
    if (saved.reason === 'conflict') throw new Error(`an editor changed ${saved.conflicts.map((c) => c.key).join(', ')} meanwhile; nothing merged`);
    throw new Error(saved.reason === 'slug_taken' ? 'its address is taken by another record' : 'the record no longer exists');
  }
}

/** Creates an activity through the activities module's command: a draft, or published when the import publishes. */
async function create(db: Db, input: ActivityInputParsed, item: PlanItem, runId: number, now: Date, actor: EditorialActor, publish: boolean): Promise<number> {
  const ldb = legacyDb(db);
  const stamp = now.toISOString();
  for (let attempt = 1; ; attempt++) {
    // The slug was free when planned; take the next one if another writer took it since.
    for (const tr of Object.values(input.t)) if (await slugTaken(ldb, tr.slug)) tr.slug = await freeSlugIn(db, tr.title, input.start_date);
    try {
      return await createActivity(db, input, actor, {
        publish,
        action: 'import',
        summary: importSummary(item, runId),
        countsAsEdit: false,
        within: async (t, id) => {
          const trx = t as unknown as Trx;
          await recordSource(trx, id, item, runId, stamp);
          await saveProvenance(trx, id, creationProvenance(item), stamp);
          await writeItem(trx, runId, item, 'created', id, []);
        },
      });
    } catch (e) {
      if (!(e instanceof SlugTakenError) || attempt >= 2) throw e;
    }
  }
}

/**
 * Writes an import plan (see planImport): creates and merges activities one transaction each,
 * records their old addresses, and stores the run's report. Skipped items are reported, not written.
 */
export async function applyImportPlan(
  db: Db,
  plan: PlanItem[],
  options: {
    files: string[];
    now?: Date;
    /** The back-office user who accepted the import (the audit names them); none for the command line. */
    actorUserId?: number | null;
    /** Publish new records (and merged changes to published ones) at once instead of leaving them for review. Only for someone who may publish. */
    publish?: boolean;
  },
): Promise<ImportReport> {
  const now = options.now ?? new Date();
  const publish = options.publish === true;
  const actor: EditorialActor = { id: options.actorUserId ?? null, canPublish: publish };
  const ldb = legacyDb(db);
  const refs = await loadReferences(db);
  const { id: runId } = await ldb.insertInto('legacy_import_runs').values({ started_at: now.toISOString(), finished_at: null, files: JSON.stringify(options.files) }).returning('id').executeTakeFirstOrThrow();
  const created = new Map<number, number>();
  const items: ImportReportItem[] = [];
  const reserved = { slugs: new Set<string>(), keys: new Set<string>() };

  for (const item of plan) {
    const base = { index: item.index, title: item.activity.title, file: item.file, sourceUrl: item.sourceUrl, reasons: [...item.reasons] };
    let report: ImportReportItem;
    try {
      let targetId: number | null = null;
      let action = item.action;
      if (action === 'merge' && item.target) {
        targetId = item.target.kind === 'existing' ? item.target.id : (created.get(item.target.index) ?? null);
        if (targetId === null) {
          // The record this page was to merge into could not be created: create this one instead.
          const checked = checkReferences(item.activity, refs);
          const built = await buildActivityInput(db, { ...item, activity: checked.activity }, now, reserved);
          item.input = built.input;
          action = 'create';
          base.reasons.push('the record it was to merge into was not created; created instead');
        }
      }
      if (action === 'skip') {
        report = { ...base, action: 'skipped', activityId: item.target?.kind === 'existing' ? item.target.id : null, changes: [], warnings: item.warnings };
      } else if (action === 'create' && item.input) {
        const id = await create(db, item.input, item, runId, now, actor, publish);
        created.set(item.index, id);
        report = { ...base, action: 'created', activityId: id, changes: [], warnings: item.warnings };
      } else if (action === 'merge' && targetId !== null) {
        const changes = await merge(db, targetId, item, refs, runId, now, actor);
        report = { ...base, action: 'merged', activityId: targetId, changes, warnings: item.warnings };
      } else {
        report = { ...base, action: 'skipped', activityId: null, changes: [], warnings: item.warnings };
      }
    } catch (e) {
      report = { ...base, action: 'failed', activityId: null, changes: [], warnings: [...item.warnings, `write failed, nothing written for this activity: ${e instanceof Error ? e.message : String(e)}`] };
    }
    if (report.action === 'skipped' || report.action === 'failed') {
      await ldb.transaction().execute((trx) => writeItem(trx, runId, item, report.action, report.activityId, [], report.warnings, report.reasons));
    }
    items.push(report);
  }

  const count = (a: ImportReportItem['action']) => items.filter((i) => i.action === a).length;
  const summary = { created: count('created'), merged: count('merged'), skipped: count('skipped'), failed: count('failed'), warnings: items.reduce((n, i) => n + i.warnings.length, 0) };
  await ldb.updateTable('legacy_import_runs').set({ ...summary, finished_at: new Date().toISOString() }).where('id', '=', runId).execute();
  // Each create and merge announced its own change when it committed (the activities module's commands).
  return { runId, ...summary, items };
}

function importSummary(item: PlanItem, runId: number): string {
  return `legacy import run #${runId} from ${item.sourceUrl ?? (item.file ? path.basename(item.file) : 'a saved page')}`;
}

async function writeItem(trx: Trx, runId: number, item: PlanItem, action: ImportReportItem['action'], activityId: number | null, changes: string[], warnings = item.warnings, reasons = item.reasons): Promise<void> {
  await trx
    .insertInto('legacy_import_items')
    .values({
      run_id: runId,
      position: item.index,
      action,
      activity_id: activityId,
      title: item.activity.title,
      file_name: item.file,
      source_url: item.sourceUrl,
      changes: JSON.stringify(changes),
      warnings: JSON.stringify([...reasons.map((r) => `plan: ${r}`), ...warnings]),
      extracted: JSON.stringify(toJsonActivity(item, { withBody: true })),
    })
    .execute();
}
