/**
 * A synthetic record for the scale benchmark: N published activities with their English and French
 * texts, co-chairs, themes of the framework in force at their date, and documents, spread over the
 * years 2006-2030 and the directory's countries. Written straight into the tables in batches (this
 * is test data for measuring reads, not a path for real records, which go through the commands).
 * Deterministic: the same N gives the same record.
 */
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.js';
import { ACTIVITY_FORMATS, ACTIVITY_STATUSES, ACTIVITY_TYPES, DOCUMENT_TYPES, refreshFacetIndex } from '../src/modules/activities/index.js';

/** A small deterministic generator (mulberry32), so two runs measure the same record. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['migration', 'mobility', 'protection', 'return', 'reintegration', 'diaspora', 'labour', 'border', 'asylum', 'trafficking', 'smuggling', 'development', 'youth', 'data', 'legal', 'pathways', 'dialogue', 'cooperation', 'partnership', 'capacity'];
const KINDS_EN = ['Workshop on', 'Meeting on', 'Consultation on', 'Training on', 'Roundtable on', 'Conference on'];
const KINDS_FR = ['Atelier sur', 'Réunion sur', 'Consultation sur', 'Formation sur', 'Table ronde sur', 'Conférence sur'];

/** Inserts rows in batches that stay under both databases' limits on bound parameters. */
async function insertBatches<T extends Record<string, unknown>>(db: Db, table: string, rows: T[]): Promise<void> {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(30_000 / perRow));
  for (let i = 0; i < rows.length; i += size) {
    await (db as unknown as { insertInto(t: string): { values(v: T[]): { execute(): Promise<unknown> } } }).insertInto(table).values(rows.slice(i, i + size)).execute();
  }
}

/** Adds `count` published activities (ids after the existing ones); returns how long it took. */
export async function generateActivities(db: Db, count: number, seed = 20_000): Promise<{ ms: number }> {
  const started = performance.now();
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const countries = (await db.selectFrom('countries').select('code').execute()).map((c) => c.code);
  const frameworks = await db.selectFrom('frameworks').select(['id', 'period_start', 'period_end']).execute();
  const themes = await db.selectFrom('themes').select(['id', 'framework_id']).execute();
  const { max } = await db.selectFrom('activities').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
  const firstId = Number(max ?? 0) + 1;
  const now = new Date().toISOString();
  const past = new Date(Date.now() - 86_400_000).toISOString();

  const activities: Record<string, unknown>[] = [];
  const translations: Record<string, unknown>[] = [];
  const chairs: Record<string, unknown>[] = [];
  const links: Record<string, unknown>[] = [];
  const documents: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const id = firstId + n;
    const year = 2006 + Math.floor(rnd() * 25);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const start = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const country = pick(countries);
    activities.push({
      id,
      key: `synthetic-${id}`,
      type: pick(ACTIVITY_TYPES),
      status: year < 2026 ? 'held' : pick(ACTIVITY_STATUSES),
      start_date: start,
      end_date: start,
      date_precision: 'day',
      format: pick(ACTIVITY_FORMATS),
      country_code: country,
      host_country_code: rnd() < 0.5 ? country : pick(countries),
      host_organisation_id: null,
      participants: Math.floor(rnd() * 200),
      participants_qualifier: 'around',
      countries_count: null,
      countries_qualifier: null,
      organisations_count: null,
      organisations_qualifier: null,
      gallery_url: null,
      published_at: past,
      created_at: now,
      updated_at: now,
      edited_at: null,
      workflow: 'published',
      updated_by: null,
    });
    const subject = `${pick(WORDS)} ${pick(WORDS)}`;
    const k = Math.floor(rnd() * KINDS_EN.length);
    for (const [lang, title] of [
      ['en', `${KINDS_EN[k]} ${subject} ${id}`],
      ['fr', `${KINDS_FR[k]} ${subject} ${id}`],
    ] as const) {
      translations.push({ activity_id: id, lang, title, slug: `${title.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-')}-${year}`, summary: `${title}: a synthetic record for measuring lists.`, narrative_html: `<p>${title}.</p>`, city: null, venue: null, updated_at: now });
    }
    const chairCount = 1 + Math.floor(rnd() * 2);
    for (let p = 0; p < chairCount; p++) chairs.push({ activity_id: id, position: p, country_code: pick(countries), organisation_id: null });
    const framework = frameworks.find((f) => (f.period_start === null || f.period_start <= year) && (f.period_end === null || f.period_end >= year)) ?? pick(frameworks);
    const own = themes.filter((t) => t.framework_id === framework.id);
    const chosen = new Set<number>();
    for (let i = 0, m = 1 + Math.floor(rnd() * 3); i < m && own.length; i++) chosen.add(pick(own).id);
    for (const theme_id of chosen) links.push({ activity_id: id, theme_id });
    for (let p = 0, m = Math.floor(rnd() * 4); p < m; p++) documents.push({ activity_id: id, position: p, type: pick(DOCUMENT_TYPES), url: `https://example.org/documents/${id}-${p}.pdf`, lang: 'en', size_bytes: null, mime: 'application/pdf' });
  }
  await db.transaction().execute(async (trx) => {
    const t = trx as unknown as Db;
    await insertBatches(t, 'activities', activities);
    await insertBatches(t, 'activity_translations', translations);
    await insertBatches(t, 'activity_co_chairs', chairs);
    await insertBatches(t, 'activity_themes', links);
    await insertBatches(t, 'activity_documents', documents);
    await refreshFacetIndex(t, null);
  });
  // PostgreSQL's sequence must move past the ids given explicitly.
  if (db.getExecutor().adapter.constructor.name === 'PostgresAdapter') {
    await sql`select setval(pg_get_serial_sequence('activities', 'id'), (select max(id) from activities))`.execute(db);
    // What autovacuum does on a live database within minutes: statistics and the visibility map
    // (without which PostgreSQL cannot answer from an index alone).
    await sql`vacuum analyze`.execute(db);
  } else {
    await sql`analyze`.execute(db);
  }
  return { ms: performance.now() - started };
}
