import path from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import { activityColumns, writeActivityDetails, type Trx as ActivitiesTrx } from '../activities/index.js';
import { readActivityContent } from '../activities/index.js';
import type { ActivityInputParsed } from '../activities/index.js';
import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { announceChanges } from '../../platform/events/changes.js';
import { sanitizeRichText } from '../../platform/html/sanitize.js';
import { oldAddress } from './legacy.addresses.js';
import { buildActivityInput, checkReferences, importSlug, type PlanItem } from './legacy.match.js';
import { mergeChanges } from './legacy.merge.js';
import { toJsonActivity } from './legacy.presenter.js';
import { loadExisting, loadReferences, slugTaken, type References } from './legacy.repository.js';
import { legacyDb, type LegacyDatabase } from './legacy.tables.js';

/**
 * Applies an import plan: each activity is created or merged in its own transaction together with
 * its source address, provenance and report line, so a failure leaves nothing half-written. The
 * run and its report are recorded in legacy_import_runs and legacy_import_items.
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

/** Inserts a new, published activity with everything that hangs off it, through the activities module's own writers. */
async function insertActivity(trx: Trx, input: ActivityInputParsed, now: string): Promise<number> {
  const t = trx as unknown as ActivitiesTrx;
  const cols = await activityColumns(t, input, now);
  const { id } = await t
    .insertInto('activities')
    .values({ ...cols, key: input.key ?? null, workflow: 'published', published_at: now, created_at: now, edited_at: null, updated_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeActivityDetails(t, id, input, now);
  return id;
}

/** Keeps the editorial history whole: the record as the import left it becomes a revision, with no author. */
async function saveImportRevision(trx: Trx, activityId: number, version: number, now: string): Promise<void> {
  const t = trx as unknown as ActivitiesTrx;
  const snapshot = await readActivityContent(t, activityId);
  await t.insertInto('revisions').values({ entity_type: 'activity', entity_id: activityId, version, state: 'saved', action: 'import', saved_at: now, saved_by: null, snapshot: JSON.stringify(snapshot) }).execute();
}

async function insertCoChairs(trx: Trx, activityId: number, codes: string[], refs: References): Promise<void> {
  let position = 0;
  for (const code of codes) {
    const isCountry = /^[A-Z]{2}$/.test(code);
    await trx
      .insertInto('activity_co_chairs')
      .values({ activity_id: activityId, position: position++, country_code: isCountry ? code : null, organisation_id: isCountry ? null : (refs.organisations.get(code) ?? null) })
      .execute();
  }
}

async function insertThemes(trx: Trx, activityId: number, codes: string[]): Promise<void> {
  if (!codes.length) return;
  const themes = await trx.selectFrom('themes').select(['id', 'code']).where('code', 'in', codes).execute();
  if (themes.length) await trx.insertInto('activity_themes').values(themes.map((t) => ({ activity_id: activityId, theme_id: t.id }))).execute();
}

async function appendDocuments(trx: Trx, activityId: number, docs: { type: string; url: string | null; lang: string; titles: Record<string, string> }[]): Promise<void> {
  if (!docs.length) return;
  const last = await trx.selectFrom('activity_documents').select((eb) => eb.fn.max('position').as('max')).where('activity_id', '=', activityId).executeTakeFirst();
  let position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
  for (const doc of docs) {
    const { id } = await trx
      .insertInto('activity_documents')
      .values({ activity_id: activityId, position: position++, type: doc.type, url: doc.url, lang: doc.lang, size_bytes: null, mime: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const [lang, title] of Object.entries(doc.titles)) await trx.insertInto('activity_document_titles').values({ document_id: id, lang, title }).execute();
  }
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

async function freeSlugIn(trx: Trx, title: string, start: string): Promise<string> {
  const stem = importSlug(title, start);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? stem : `${stem}-${n}`;
    if (!(await slugTaken(trx as unknown as Kysely<LegacyDatabase>, slug))) return slug;
  }
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

async function merge(trx: Trx, activityId: number, item: PlanItem, refs: References, runId: number, now: Date, actorUserId: number | null = null): Promise<string[]> {
  const existing = await loadExisting(trx as unknown as Kysely<LegacyDatabase>, activityId);
  if (!existing) throw new Error(`activity #${activityId} no longer exists`);
  const m = mergeChanges(existing, item.activity, { sourceUrl: item.sourceUrl, file: item.file ? path.basename(item.file) : null, now, refs });
  item.warnings.push(...m.conflicts.filter((c) => !item.warnings.includes(c)));
  const stamp = now.toISOString();
  const content = Object.keys(m.activity).length > 0 || !!m.newTranslation || !!m.translationUpdate || !!m.coChairs || !!m.themes || m.documents.length > 0;
  // A content change moves the edit version, so an editor with the record open gets a conflict, not a silent overwrite.
  const version = content ? (await trx.selectFrom('activities').select('version').where('id', '=', activityId).executeTakeFirstOrThrow()).version + 1 : null;
  if (content) await trx.updateTable('activities').set({ ...m.activity, version: version!, updated_at: stamp }).where('id', '=', activityId).execute();
  if (m.newTranslation) {
    const tr = m.newTranslation;
    await trx
      .insertInto('activity_translations')
      .values({
        activity_id: activityId,
        lang: tr.lang,
        title: tr.title.slice(0, 300),
        slug: await freeSlugIn(trx, tr.title, existing.row.start_date),
        summary: tr.summary,
        narrative_html: tr.narrative_html ? sanitizeRichText(tr.narrative_html) : '',
        city: tr.city && tr.city.length <= 120 ? tr.city : null,
        venue: tr.venue && tr.venue.length <= 200 ? tr.venue : null,
        updated_at: stamp,
      })
      .execute();
  }
  if (m.translationUpdate) {
    const set = { ...m.translationUpdate.set, updated_at: stamp };
    if (set.narrative_html) set.narrative_html = sanitizeRichText(set.narrative_html);
    await trx.updateTable('activity_translations').set(set).where('activity_id', '=', activityId).where('lang', '=', m.translationUpdate.lang).execute();
  }
  if (m.coChairs) {
    await trx.deleteFrom('activity_co_chairs').where('activity_id', '=', activityId).execute();
    await insertCoChairs(trx, activityId, m.coChairs, refs);
  }
  if (m.themes) {
    await trx.deleteFrom('activity_themes').where('activity_id', '=', activityId).execute();
    await insertThemes(trx, activityId, m.themes);
  }
  const lang = item.activity.language;
  await appendDocuments(trx, activityId, m.documents.map((d) => ({ type: d.type, url: d.url, lang, titles: { [lang]: d.title.slice(0, 300) } })));
  await recordSource(trx, activityId, item, runId, stamp);
  await saveProvenance(trx, activityId, m.provenance, stamp);
  if (version !== null) await saveImportRevision(trx, activityId, version, stamp);
  await audit(trx as unknown as ActivitiesTrx, { actorUserId, action: 'activity.import_merge', entityType: 'activity', entityId: activityId, summary: importSummary(item, runId), after: { changes: m.changes } });
  return m.changes;
}

/**
 * Writes an import plan (see planImport): creates and merges activities one transaction each,
 * records their old addresses, and stores the run's report. Skipped items are reported, not written.
 */
export async function applyImportPlan(db: Db, plan: PlanItem[], options: { files: string[]; now?: Date; /** The back-office user who accepted the import (the audit names them); none for the command line. */ actorUserId?: number | null }): Promise<ImportReport> {
  const now = options.now ?? new Date();
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
        const input = item.input;
        const id = await ldb.transaction().execute(async (trx) => {
          // The slug was free when planned; take the next one if another writer took it since.
          for (const tr of Object.values(input.t)) if (await slugTaken(trx as unknown as Kysely<LegacyDatabase>, tr.slug)) tr.slug = await freeSlugIn(trx, tr.title, input.start_date);
          const stamp = now.toISOString();
          const newId = await insertActivity(trx, input, stamp);
          await saveImportRevision(trx, newId, 1, stamp);
          await recordSource(trx, newId, item, runId, stamp);
          await saveProvenance(trx, newId, creationProvenance(item), stamp);
          await audit(trx as unknown as ActivitiesTrx, { actorUserId: options.actorUserId ?? null, action: 'activity.import', entityType: 'activity', entityId: newId, summary: importSummary(item, runId), after: input });
          await writeItem(trx, runId, item, 'created', newId, []);
          return newId;
        });
        created.set(item.index, id);
        report = { ...base, action: 'created', activityId: id, changes: [], warnings: item.warnings };
      } else if (action === 'merge' && targetId !== null) {
        const id = targetId;
        const changes = await ldb.transaction().execute(async (trx) => {
          const c = await merge(trx, id, item, refs, runId, now, options.actorUserId ?? null);
          await writeItem(trx, runId, item, 'merged', id, c);
          return c;
        });
        report = { ...base, action: 'merged', activityId: id, changes, warnings: item.warnings };
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
  await announceChanges(
    db,
    items.filter((i) => i.activityId !== null && (i.action === 'created' || i.action === 'merged')).map((i) => ({ entity: 'activity', id: i.activityId!, action: i.action === 'created' ? 'imported' : 'import_merged', public: true, visibleFrom: null })),
  );
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
