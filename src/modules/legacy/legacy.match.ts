import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Db } from '../../platform/db/database.js';
import { SLUG_MAX_LENGTH, slugify } from '../../platform/text/slug.js';
import { ACTIVITY_LIMITS, ActivityInputSchema, type ActivityInput, type ActivityInputParsed, type PartyRef } from '../activities/index.js';
import { cleanTitle } from './legacy.extract.js';
import { candidatesAround, activitiesFromSource, keyTaken, loadExisting, loadReferences, slugTaken, type CandidateActivity, type References } from './legacy.repository.js';
import type { ExtractedActivity, ExtractionResult } from './legacy.schemas.js';
import { fold } from './legacy.text.js';
import { mergeChanges } from './legacy.merge.js';
import { oldAddress } from './legacy.addresses.js';

/**
 * Plans an import: for each extracted activity, create a record, merge into one that already
 * exists (same dates and place, or a close title), or skip it (a required fact is missing, the
 * match is ambiguous, or there is nothing new). Planning reads the database and writes nothing.
 */

export type PlanAction = 'create' | 'merge' | 'skip';

export type PlanTarget = { kind: 'existing'; id: number; key: string | null; title: string; slug: string | null } | { kind: 'planned'; index: number; title: string };

export interface PlanItem {
  /** Order in the run. */
  index: number;
  file: string | null;
  sourceUrl: string | null;
  layout: 'detail' | 'list';
  activity: ExtractedActivity;
  action: PlanAction;
  target: PlanTarget | null;
  /** Why the plan chose this action (match reasons, skip reasons). */
  reasons: string[];
  /** For a merge into an existing record: what it would fill or improve. */
  changes: string[];
  /** For a create: the record as the write command takes it, validated. */
  input: ActivityInputParsed | null;
  /** The extraction's warnings and the plan's own (references left out, conflicts). */
  warnings: string[];
}

export interface PlanPage {
  file: string | null;
  result: ExtractionResult;
}

const STOP = new Set(
  ('the of and on in to for a an at with between its la le les l de des du d et en au aux sur pour par el los las del y o os as do da dos das e no na em il lo gli della delle dei degli di ed nel nella alla al ' +
    'rabat process processus proceso processo region regions euro african euro-african africaine dialogue meeting').split(' '),
);

/** The words of a title that tell one activity from another: folded, framing and filler words removed. */
export function titleTokens(title: string): Set<string> {
  const clean = fold(cleanTitle(title));
  return new Set(
    (clean.match(/\p{L}[\p{L}\d]*|\d+/gu) ?? [])
      .filter((t) => !STOP.has(t) && t.length > 1)
      .map((t) => (t.length > 4 && t.endsWith('s') ? t.slice(0, -1) : t)),
  );
}

/** Dice similarity of two titles' words (0..1), and how much of the shorter one the longer contains. */
export function titleSimilarity(a: string, b: string): { dice: number; containment: number; smaller: number } {
  const x = titleTokens(a);
  const y = titleTokens(b);
  if (!x.size || !y.size) return { dice: 0, containment: 0, smaller: 0 };
  let common = 0;
  for (const t of x) if (y.has(t)) common++;
  return { dice: (2 * common) / (x.size + y.size), containment: common / Math.min(x.size, y.size), smaller: Math.min(x.size, y.size) };
}

type DateRelation = 'same' | 'overlap' | 'compatible' | 'different' | 'unknown';

function dateRelation(a: { start: string; end: string | null; precision: string }, b: { start: string; end: string | null; precision: string }): DateRelation {
  if (a.precision === 'day' && b.precision === 'day') {
    const aEnd = a.end ?? a.start;
    const bEnd = b.end ?? b.start;
    if (a.start === b.start) return 'same';
    return a.start <= bEnd && b.start <= aEnd ? 'overlap' : 'different';
  }
  const n = Math.min(a.start.length, b.start.length);
  return a.start.slice(0, n) === b.start.slice(0, n) ? 'compatible' : 'different';
}

interface Candidate {
  target: PlanTarget;
  type: string | null;
  start: string;
  end: string | null;
  precision: string;
  country: string | null;
  cities: string[];
  titles: string[];
  sourceUrls: string[];
  /** The page a planned record comes from (records of one page never merge into each other). */
  page: number | null;
}

/** How strongly an extracted activity matches a candidate (0 = not at all), and why. */
export function matchScore(x: ExtractedActivity, c: Candidate): { score: number; why: string } {
  if (!x.start_date || !x.date_precision) return { score: 0, why: '' };
  const rel = dateRelation({ start: x.start_date, end: x.end_date, precision: x.date_precision }, c);
  if (rel === 'different') return { score: 0, why: '' };
  const sameCountry = !!x.country && x.country === c.country;
  const sameCity = !!x.city && c.cities.some((city) => fold(city) === fold(x.city!));
  const placeConflict = !!x.country && !!c.country && x.country !== c.country;
  let sim = { dice: 0, containment: 0, smaller: 0 };
  for (const t of c.titles) {
    const s = titleSimilarity(x.title ?? '', t);
    if (s.dice > sim.dice || (s.dice === sim.dice && s.containment > sim.containment)) sim = s;
  }
  const typeConflict = !!x.type && !!c.type && x.type !== c.type && x.type !== 'other' && c.type !== 'other' && sim.dice < 0.5;
  // A side event shares its meeting's dates and place: only its own name can match it.
  if (x.side_event && sim.dice < 0.5) return { score: 0, why: '' };
  if ((rel === 'same' || rel === 'overlap') && (sameCountry || sameCity) && !typeConflict) return { score: 0.95, why: `same dates (${c.start}) and place` };
  if ((rel === 'same' || rel === 'overlap') && sim.dice >= 0.5 && !placeConflict) return { score: 0.85, why: `same dates (${c.start}) and a similar title` };
  if (!placeConflict && sim.dice >= 0.8) return { score: 0.8, why: `a close title (similarity ${sim.dice.toFixed(2)}) and compatible dates` };
  if (!placeConflict && sim.containment >= 0.9 && sim.smaller >= 3 && !typeConflict) return { score: 0.75, why: `one title contains the other and the dates are compatible` };
  return { score: 0, why: '' };
}

/**
 * The slug an import gives a title: its words (at most 100 characters, cut between words) and the
 * year the activity started, unless the title already ends with it.
 */
export function importSlug(title: string, start: string): string {
  const year = start.slice(0, 4);
  const base = slugify(title, SLUG_MAX_LENGTH) || 'activity';
  return base.endsWith(year) ? base : `${base}-${year}`;
}

/** A free slug for a new translation: the title's words and the year, numbered when taken. */
async function freeSlug(db: Db, title: string, start: string, reserved: Set<string>): Promise<string> {
  const base = importSlug(title, start);
  for (let n = 1; n < 1000; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (!reserved.has(slug) && !(await slugTaken(db, slug))) {
      reserved.add(slug);
      return slug;
    }
  }
  throw new Error(`no free slug for "${title}"`);
}

/** A stable key for an imported activity: import- and a hash of where it came from and what it is. */
async function importKey(db: Db, item: { sourceUrl: string | null; file: string | null; activity: ExtractedActivity }, reserved: Set<string>): Promise<string> {
  const seed = `${item.sourceUrl ?? item.file ?? ''}#${item.activity.position}|${fold(item.activity.title ?? '')}|${item.activity.start_date}`;
  const base = `import-${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`;
  for (let n = 1; ; n++) {
    const key = n === 1 ? base : `${base}-${n}`;
    if (!reserved.has(key) && !(await keyTaken(db, key))) {
      reserved.add(key);
      return key;
    }
  }
}

function status(x: ExtractedActivity, now: Date): 'held' | 'announced' {
  const today = now.toISOString().slice(0, 10);
  const last = x.end_date ?? x.start_date ?? '';
  return last && last < today.slice(0, last.length) ? 'held' : 'announced';
}

function party(code: string): PartyRef {
  return /^[A-Z]{2}$/.test(code) ? { country: code } : { organisation: code };
}

/** Keeps only the countries, organisations and themes the directory and frameworks know; reports the others. */
export function checkReferences(x: ExtractedActivity, refs: References): { activity: ExtractedActivity; warnings: string[] } {
  const warnings: string[] = [];
  const known = (code: string) => (/^[A-Z]{2}$/.test(code) ? refs.countries.has(code) : refs.organisations.has(code));
  const a: ExtractedActivity = { ...x };
  if (a.country && !refs.countries.has(a.country)) {
    warnings.push(`country: ${a.country} is not in the directory; left empty`);
    a.country = null;
  }
  if (a.host && !known(a.host)) {
    warnings.push(`host: ${a.host} is not in the directory; left empty`);
    a.host = null;
  }
  if (a.co_chairs) {
    const unknown = a.co_chairs.filter((c) => !known(c));
    if (unknown.length) warnings.push(`co_chairs: ${unknown.join(', ')} not in the directory; left out`);
    a.co_chairs = a.co_chairs.filter(known);
    if (!a.co_chairs.length) a.co_chairs = null;
  }
  if (a.themes) {
    const unknown = a.themes.filter((t) => !refs.themes.has(t));
    if (unknown.length) warnings.push(`themes: ${unknown.join(', ')} not in the frameworks; left out`);
    a.themes = a.themes.filter((t) => refs.themes.has(t));
    if (!a.themes.length) a.themes = null;
  }
  return { activity: a, warnings };
}

/** The write command's input for a new record made from an extracted activity (validated; throws a readable message when it cannot be). */
export async function buildActivityInput(
  db: Db,
  item: { sourceUrl: string | null; file: string | null; activity: ExtractedActivity },
  now: Date,
  reserved: { slugs: Set<string>; keys: Set<string> },
): Promise<{ input: ActivityInputParsed; warnings: string[] }> {
  const x = item.activity;
  const warnings: string[] = [];
  if (!x.title || !x.start_date || !x.date_precision) throw new Error('title and date are required');
  let title = x.title;
  if (title.length > ACTIVITY_LIMITS.title) {
    title = `${title.slice(0, ACTIVITY_LIMITS.title - 1).trimEnd()}…`;
    warnings.push(`title: longer than ${ACTIVITY_LIMITS.title} characters; shortened`);
  }
  const lang = x.language;
  const input: ActivityInput = {
    key: await importKey(db, item, reserved.keys),
    type: x.type ?? 'other',
    status: status(x, now),
    start_date: x.start_date,
    end_date: x.date_precision === 'day' ? (x.end_date ?? x.start_date) : null,
    date_precision: x.date_precision,
    format: x.format ?? 'in_person',
    country: x.country,
    host: x.host ? party(x.host) : null,
    co_chairs: (x.co_chairs ?? []).map(party),
    themes: x.themes ?? [],
    participants: x.participants,
    countries_count: x.countries_count,
    organisations_count: x.organisations_count,
    gallery_url: x.photos[0] ?? null,
    published: true,
    t: {
      [lang]: {
        title,
        slug: await freeSlug(db, title, x.start_date, reserved.slugs),
        summary: (x.summary ?? '').slice(0, ACTIVITY_LIMITS.summary),
        narrative_html: x.body_html,
        city: x.city && x.city.length <= ACTIVITY_LIMITS.city ? x.city : null,
        venue: x.venue && x.venue.length <= ACTIVITY_LIMITS.venue ? x.venue : null,
      },
    },
    documents: x.documents.map((d) => ({ type: d.type, lang, url: d.url, title: { [lang]: d.title.length > ACTIVITY_LIMITS.documentTitle ? `${d.title.slice(0, ACTIVITY_LIMITS.documentTitle - 1)}…` : d.title } })),
    related: [],
  };
  if (!x.type) warnings.push('type: unknown; recorded as "other"');
  if (!x.format) warnings.push('format: unknown; recorded as in person');
  const parsed = ActivityInputSchema.safeParse(input);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return { input: parsed.data, warnings };
}

/** The plan of an import: one item per extracted activity, in page order. Reads the database; writes nothing. */
export async function planImport(db: Db, pages: PlanPage[], options: { now?: Date } = {}): Promise<PlanItem[]> {
  const now = options.now ?? new Date();
  const refs = await loadReferences(db);
  const reserved = { slugs: new Set<string>(), keys: new Set<string>() };
  const plan: PlanItem[] = [];
  const planned: Candidate[] = [];
  for (const [pageIndex, page] of pages.entries()) {
    const recorded = await activitiesFromSource(db, page.result.sourceUrl ? (oldAddress(page.result.sourceUrl)?.url ?? page.result.sourceUrl) : null);
    for (const extracted of page.result.activities) {
      const checked = checkReferences(extracted, refs);
      const x = checked.activity;
      const item: PlanItem = {
        index: plan.length,
        file: page.file,
        sourceUrl: page.result.sourceUrl,
        layout: page.result.layout,
        activity: x,
        action: 'skip',
        target: null,
        reasons: [],
        changes: [],
        input: null,
        warnings: [...x.warnings, ...checked.warnings],
      };
      plan.push(item);
      if (!x.title) {
        item.reasons.push('no title: an activity cannot be recorded without its name');
        continue;
      }
      if (!x.start_date) {
        item.reasons.push('no date: an activity cannot be recorded without its date');
        continue;
      }
      // Candidates: activities already in Diwan around that date, and those this run is about to create from other pages.
      const fromDb: Candidate[] = (await candidatesAround(db, x.start_date)).map((c: CandidateActivity) => ({
        target: { kind: 'existing', id: c.id, key: c.key, title: c.titles[0]?.title ?? '', slug: c.titles.find((t) => t.lang === x.language)?.slug ?? c.titles[0]?.slug ?? null },
        type: c.type,
        start: c.start_date,
        end: c.end_date,
        precision: c.date_precision,
        country: c.country_code,
        cities: c.titles.map((t) => t.city).filter((t): t is string => !!t),
        titles: c.titles.map((t) => t.title),
        sourceUrls: c.sourceUrls,
        page: null,
      }));
      const scored = [...fromDb, ...planned.filter((p) => p.page !== pageIndex)]
        .map((c) => {
          // The same old address imported before, at the same place on the page, is the same record.
          if (c.target.kind === 'existing' && recorded.some((r) => r.activity_id === (c.target as { id: number }).id && r.position === x.position)) {
            return { c, score: 1, why: 'imported before from the same address' };
          }
          return { c, ...matchScore(x, c) };
        })
        .filter((s) => s.score > 0)
        .sort((a, b) => b.score - a.score);
      const best = scored[0];
      const second = scored[1];
      if (best && second && second.score === best.score && !sameTarget(best.c.target, second.c.target)) {
        item.reasons.push(`ambiguous: matches ${describe(best.c.target)} and ${describe(second.c.target)} equally (${best.why}); skipped so nothing is merged into the wrong record`);
        continue;
      }
      if (best) {
        item.target = best.c.target;
        item.reasons.push(`matches ${describe(best.c.target)}: ${best.why}`);
        if (best.c.target.kind === 'existing') {
          const existing = await loadExisting(db, best.c.target.id);
          if (!existing) continue;
          const merge = mergeChanges(existing, x, { sourceUrl: item.sourceUrl, file: item.file ? path.basename(item.file) : null, now, refs });
          item.changes = merge.changes;
          item.warnings.push(...merge.conflicts);
          if (!merge.changes.length) {
            item.action = 'skip';
            item.reasons.push('nothing new: the record already holds what this page says');
            continue;
          }
        } else {
          item.changes = ['(what it fills is decided once that record is created)'];
        }
        item.action = 'merge';
        continue;
      }
      try {
        const built = await buildActivityInput(db, item, now, reserved);
        item.input = built.input;
        item.warnings.push(...built.warnings);
        item.action = 'create';
        planned.push({
          target: { kind: 'planned', index: item.index, title: x.title },
          type: x.type,
          start: x.start_date,
          end: x.end_date,
          precision: x.date_precision!,
          country: x.country,
          cities: x.city ? [x.city] : [],
          titles: [x.title],
          sourceUrls: item.sourceUrl ? [item.sourceUrl] : [],
          page: pageIndex,
        });
      } catch (e) {
        item.reasons.push(`cannot be recorded: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return plan;
}

function sameTarget(a: PlanTarget, b: PlanTarget): boolean {
  return a.kind === 'existing' && b.kind === 'existing' ? a.id === b.id : a.kind === 'planned' && b.kind === 'planned' ? a.index === b.index : false;
}

/** How a plan names a target in messages. */
export function describe(t: PlanTarget): string {
  return t.kind === 'existing' ? `#${t.id} "${t.title}"` : `the record created from item ${t.index + 1} ("${t.title}")`;
}
