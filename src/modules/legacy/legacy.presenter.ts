import type { ImportReport } from './legacy.commands.js';
import type { PlanItem } from './legacy.match.js';
import { CONFIDENCE_KEYS } from './legacy.schemas.js';

/**
 * The JSON shape of an import, the only way the importer's results leave the module (command line
 * --json, and the report stored for review). Dates are ISO at their precision, countries ISO
 * alpha-2, types and formats snake_case, unknown values null.
 */

/** One activity of the plan as JSON. */
export function toJsonActivity(item: PlanItem, options: { withBody?: boolean; activityId?: number | null } = {}) {
  const a = item.activity;
  const target = item.target;
  return {
    action: item.action,
    activity_id: options.activityId ?? (target?.kind === 'existing' ? target.id : null),
    match: target ? (target.kind === 'existing' ? { id: target.id, key: target.key, title: target.title, slug: target.slug } : { item: target.index + 1, title: target.title }) : null,
    reasons: item.reasons,
    changes: item.changes,
    file: item.file,
    source_url: item.sourceUrl,
    language: a.language,
    title: a.title,
    type: a.type,
    start_date: a.start_date,
    end_date: a.end_date,
    date_precision: a.date_precision,
    city: a.city,
    venue: a.venue,
    country: a.country,
    format: a.format,
    host: a.host,
    co_chairs: a.co_chairs,
    themes: a.themes,
    participants: a.participants,
    countries_count: a.countries_count,
    organisations_count: a.organisations_count,
    documents: a.documents.map((d) => ({ title: d.title, type: d.type, url: d.url })),
    photos: a.photos,
    side_event: a.side_event,
    entry_url: a.entry_url,
    page_kind: a.page_kind,
    summary: a.summary,
    ...(options.withBody ? { body_html: a.body_html } : {}),
    confidence: Object.fromEntries(CONFIDENCE_KEYS.map((k) => [k, a.confidence[k]])),
    warnings: item.warnings,
  };
}

/** The whole import as one JSON document: the activities in page order, and the counts. */
export function toJsonDocument(plan: PlanItem[], options: { dryRun: boolean; report?: ImportReport | null }) {
  const byIndex = new Map((options.report?.items ?? []).map((i) => [i.index, i]));
  const count = (action: string) => plan.filter((p) => p.action === action).length;
  return {
    dry_run: options.dryRun,
    activities: plan.map((item) => {
      const done = byIndex.get(item.index);
      const json = toJsonActivity(item, { activityId: done?.activityId ?? undefined });
      return done ? { ...json, result: done.action, changes: done.changes.length ? done.changes : json.changes, warnings: done.warnings } : json;
    }),
    summary: options.report
      ? { created: options.report.created, merged: options.report.merged, skipped: options.report.skipped, failed: options.report.failed, run_id: options.report.runId }
      : { create: count('create'), merge: count('merge'), skip: count('skip') },
  };
}
