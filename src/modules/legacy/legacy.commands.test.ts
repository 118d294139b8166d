import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { changeActivityWorkflow, loadEditableActivity, saveActivity } from '../activities/index.js';
import type { Db } from '../../platform/db/database.js';
import { applyImportPlan } from './legacy.commands.js';
import { extractActivities } from './legacy.extract.js';
import { planImport, titleSimilarity, type PlanPage } from './legacy.match.js';
import { looksLikeHtml } from './legacy.page.js';
import { legacyDb } from './legacy.tables.js';
import { countRows, createLegacyTestDb, type LegacyTestDb } from './legacy.test-support.js';

const FIXTURES = new URL('./fixtures/', import.meta.url);
const SEED = new URL('../../../../shared/seed/000_472fee1804bae5bb.txt', import.meta.url);
const NOW = new Date('2025-06-01T12:00:00Z');

function page(name: string, sourceUrl?: string): PlanPage {
  const text = readFileSync(new URL(name, FIXTURES), 'utf8');
  return { file: name, result: extractActivities({ ...(looksLikeHtml(text) ? { html: text } : { text }), sourceUrl }) };
}

async function importPages(db: Db, pages: PlanPage[]) {
  const plan = await planImport(db, pages, { now: NOW });
  const report = await applyImportPlan(db, plan, { files: pages.map((p) => p.file ?? ''), now: NOW });
  return { plan, report };
}

async function activityByTitle(db: Db, title: string) {
  const t = await db.selectFrom('activity_translations').select(['activity_id', 'lang', 'slug', 'narrative_html', 'summary', 'city']).where('title', '=', title).executeTakeFirstOrThrow();
  const a = await db.selectFrom('activities').selectAll().where('id', '=', t.activity_id).executeTakeFirstOrThrow();
  const docs = await db.selectFrom('activity_documents').select(['type', 'url']).where('activity_id', '=', a.id).orderBy('position').execute();
  const chairs = await db.selectFrom('activity_co_chairs').select('country_code').where('activity_id', '=', a.id).orderBy('position').execute();
  const themes = await db.selectFrom('activity_themes').innerJoin('themes', 'themes.id', 'activity_themes.theme_id').select('themes.code').where('activity_id', '=', a.id).execute();
  const sources = await legacyDb(db).selectFrom('legacy_sources').select(['source_url', 'host', 'path', 'lang', 'file_name', 'page_layout']).where('activity_id', '=', a.id).orderBy('id').execute();
  return { a, t, docs, chairs: chairs.map((c) => c.country_code), themes: themes.map((x) => x.code), sources };
}

test('title similarity ignores framing, case and accents', () => {
  assert.equal(titleSimilarity('Look back at the Thematic Meeting on Labour Mobility', 'Thematic meeting on labour mobility to be held in Dakar').dice, 1);
  assert.ok(titleSimilarity('Réunion thématique sur la migration légale', 'Reunion thematique sur la migration legale').dice === 1);
  assert.ok(titleSimilarity('Thematic meeting on legal migration', 'Thematic meeting on irregular migration').dice < 0.8);
});

for (const dialect of await dialectsUnderTest()) {
  describe(`legacy import: plans and writes (${dialect})`, () => {
    let t: LegacyTestDb;
    let db: Db;
    before(async () => {
      t = await createLegacyTestDb(dialect);
      db = t.db;
    });
    after(async () => {
      await t.close();
    });

    test("a meeting's announcement and its look-back end as one record", async () => {
      const before = await countRows(db, 'activities');
      const first = await importPages(db, [page('en-announcement-dakar.html')]);
      assert.deepEqual(first.plan.map((p) => p.action), ['create']);
      assert.equal(first.report.created, 1);
      const created = await activityByTitle(db, 'Thematic meeting on labour mobility');
      assert.match(created.t.narrative_html, /will hold a thematic meeting/);
      assert.equal(created.a.status, 'held', 'the meeting date has passed');
      assert.match(created.a.key ?? '', /^import-[0-9a-f]{12}$/);
      assert.equal(created.t.slug, 'thematic-meeting-on-labour-mobility-2019');

      const second = await importPages(db, [page('en-lookback-dakar.txt')]);
      assert.deepEqual(second.plan.map((p) => p.action), ['merge']);
      assert.equal(second.plan[0]!.target?.kind === 'existing' && second.plan[0]!.target.id, created.a.id);
      assert.deepEqual([second.report.created, second.report.merged], [0, 1]);
      assert.equal(await countRows(db, 'activities'), before + 1, 'one record, not two');

      const merged = await activityByTitle(db, 'Thematic meeting on labour mobility');
      assert.deepEqual(merged.themes, ['marrakesh-2018.d2'], 'the empty themes were filled');
      assert.deepEqual([merged.a.participants, merged.a.participants_qualifier, merged.a.countries_count, merged.a.countries_qualifier], [90, 'over', 35, 'around']);
      assert.deepEqual(merged.chairs, ['SN', 'FR']);
      assert.deepEqual(
        merged.docs.map((d) => d.type),
        ['concept_note', 'agenda', 'final_report', 'list_of_participants', 'presentations'],
        "the look-back's documents are added after the announcement's, the agenda once",
      );
      assert.match(merged.t.narrative_html, /More than 90 participants/, "the look-back's narrative is more reliable than the announcement's");
      assert.equal(merged.a.gallery_url, 'https://www.flickr.com/photos/rabat-process-example/albums/72157700000000001');
      assert.deepEqual(
        merged.sources.map((s) => [s.source_url, s.host, s.path, s.lang, s.file_name]),
        [
          ['https://www.rabat-process.example/en/news/thematic-meeting-labour-mobility-dakar', 'www.rabat-process.example', '/en/news/thematic-meeting-labour-mobility-dakar', 'en', 'en-announcement-dakar.html'],
          [null, null, null, null, 'en-lookback-dakar.txt'],
        ],
      );
      // The editorial history: version 1 as imported, version 2 as merged, each an audited revision without author.
      assert.equal(merged.a.version, 2);
      const revisions = await db.selectFrom('revisions').select(['version', 'saved_by']).where('entity_type', '=', 'activity').where('entity_id', '=', created.a.id).orderBy('version').execute();
      assert.deepEqual(revisions, [{ version: 1, saved_by: null }, { version: 2, saved_by: null }]);
      const audits = await db.selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'activity').where('entity_id', '=', String(created.a.id)).orderBy('id').execute();
      assert.deepEqual(audits, [{ action: 'activity.import', actor_user_id: null }, { action: 'activity.import_merge', actor_user_id: null }]);
      assert.equal(merged.a.workflow, 'draft', 'an imported record waits for an editor to publish it');
      assert.equal(merged.a.edited_at, null, 'an import is not an editor');
      const items = await legacyDb(db).selectFrom('legacy_import_items').select(['action', 'changes']).where('activity_id', '=', created.a.id).orderBy('id').execute();
      assert.deepEqual(items.map((i) => i.action), ['created', 'merged']);
      assert.match(items[1]!.changes, /themes/);
    });

    test('importing the same page again changes nothing', async () => {
      const before = await countRows(db, 'activity_documents');
      const again = await importPages(db, [page('en-announcement-dakar.html')]);
      assert.deepEqual(again.plan.map((p) => p.action), ['skip']);
      assert.match(again.plan[0]!.reasons.join(), /imported before from the same address/);
      assert.match(again.plan[0]!.reasons.join(), /nothing new/);
      assert.equal(await countRows(db, 'activity_documents'), before);
    });

    test('announcement and look-back in one run: the second merges into the record the first creates', async () => {
      const before = await countRows(db, 'activities');
      const { plan, report } = await importPages(db, [page('fr-annonce-publication.txt'), page('fr-retour-atelier.txt'), page('it-riunione.txt')]);
      assert.deepEqual(plan.map((p) => p.action), ['create', 'create', 'create']);
      assert.equal(report.created, 3);
      assert.equal(await countRows(db, 'activities'), before + 3);
      // A French look-back of the Yaoundé meeting, written differently: same date and place.
      const lookBack: PlanPage = {
        file: 'inline-lookback.txt',
        result: extractActivities({ text: 'Retour sur la réunion de Yaoundé\n\nDate : 20 octobre 2022\nLieu : Yaoundé, Cameroun\n\nUne cinquantaine de participants ont pris part à la réunion thématique.\n' }),
      };
      const announcement = page('fr-annonce-publication.txt', 'https://old.rabat-process.example/fr/actualites/reunion-retour');
      const run = await importPages(db, [announcement, lookBack]);
      assert.deepEqual(run.plan.map((p) => p.action), ['merge', 'merge']);
      assert.equal(await countRows(db, 'activities'), before + 3);
      const yaounde = await activityByTitle(db, 'Réunion thématique sur la migration de retour');
      assert.deepEqual([yaounde.a.participants, yaounde.a.participants_qualifier], [50, 'around']);
    });

    test('a list page creates one record per entry, a page with a side event two', async () => {
      const before = await countRows(db, 'activities');
      const { report } = await importPages(db, [page('en-list-activities.txt', 'https://www.rabat-process.example/en/activities?page=2'), page('en-side-event.html')]);
      assert.deepEqual([report.created, report.merged, report.skipped], [6, 0, 0]);
      assert.equal(await countRows(db, 'activities'), before + 6);
      const side = await activityByTitle(db, 'Roundtable on youth and innovation');
      assert.deepEqual([side.a.type, side.a.start_date, side.a.country_code], ['roundtable', '2024-01-31', 'NG']);
      const main = await activityByTitle(db, "Senior Officials' Meeting in Abuja");
      assert.deepEqual(main.docs.map((d) => d.type), ['agenda', 'conclusions']);
      assert.equal(main.a.host_country_code, 'NG');
      const list = await activityByTitle(db, 'Roundtable on diaspora investment');
      assert.deepEqual([list.a.format, list.a.country_code], ['virtual', null]);
      assert.deepEqual(list.sources.map((s) => [s.path, s.page_layout]), [['/en/activities?page=2', 'list']]);
    });

    test('a page without a date or a title is skipped with a warning, never half-written', async () => {
      const before = { activities: await countRows(db, 'activities'), translations: await countRows(db, 'activity_translations'), sources: await countRows(db, 'legacy_sources') };
      const { plan, report } = await importPages(db, [page('en-missing-fields.txt'), page('en-no-year.txt')]);
      assert.deepEqual(plan.map((p) => p.action), ['skip', 'skip']);
      assert.match(plan[0]!.reasons.join(), /no date/);
      assert.deepEqual([report.created, report.merged, report.skipped], [0, 0, 2]);
      assert.deepEqual(
        { activities: await countRows(db, 'activities'), translations: await countRows(db, 'activity_translations'), sources: await countRows(db, 'legacy_sources') },
        before,
      );
      const items = await legacyDb(db).selectFrom('legacy_import_items').select(['action', 'warnings']).where('run_id', '=', report.runId).execute();
      assert.deepEqual(items.map((i) => i.action), ['skipped', 'skipped']);
      assert.match(items[0]!.warnings, /no date/);
      const run = await legacyDb(db).selectFrom('legacy_import_runs').selectAll().where('id', '=', report.runId).executeTakeFirstOrThrow();
      assert.deepEqual([run.created, run.merged, run.skipped, run.failed], [0, 0, 2, 0]);
      assert.ok(run.finished_at);
    });

    test('a merge fills what an editor left empty and never overwrites what an editor wrote', async () => {
      await saveActivity(db, {
        key: 'editor-owned-2017',
        type: 'technical_workshop',
        status: 'held',
        start_date: '2017-11-08',
        end_date: '2017-11-09',
        date_precision: 'day',
        format: 'in_person',
        country: 'CV',
        participants: { value: 64, qualifier: 'exact' },
        t: { pt: { title: 'Oficina sobre registo civil', slug: 'oficina-registo-civil-2017', summary: 'Resumo escrito pela equipa.', city: 'Praia' } },
      });
      const { plan, report } = await importPages(db, [page('pt-oficina.txt')]);
      assert.equal(plan[0]!.action, 'merge');
      assert.equal(report.merged, 1);
      // The record is published: like an editor's save, the merge waits for review and the public record stays as it was.
      const live = await activityByTitle(db, 'Oficina sobre registo civil');
      assert.equal(live.a.countries_count, null);
      assert.ok(report.items[0]!.warnings.some((w) => /wait for review/.test(w)));
      const editable = await loadEditableActivity(db, live.a.id);
      assert.ok(editable && editable.pendingVersion !== null, 'changes waiting for review');
      assert.deepEqual(editable.input.countries_count, { value: 20, qualifier: 'around' });
      await changeActivityWorkflow(db, live.a.id, 'publish', null);
      const r = await activityByTitle(db, 'Oficina sobre registo civil');
      assert.deepEqual([r.a.participants, r.a.participants_qualifier], [64, 'exact'], "the editor's figure stays");
      assert.deepEqual([r.a.countries_count, r.a.countries_qualifier], [20, 'around'], 'an empty figure is filled');
      assert.deepEqual(r.chairs, ['CV', 'PT']);
      assert.equal(r.t.summary, 'Resumo escrito pela equipa.');
      assert.match(r.t.narrative_html, /Mais de 60 participantes/, 'an empty narrative is filled');
      assert.ok(plan[0]!.warnings.some((w) => /conflict: the page says participants over 60, the record keeps exact 64/.test(w)), plan[0]!.warnings.join('\n'));
    });

    test('a write that fails leaves nothing of that activity and is reported', async () => {
      const plan = await planImport(db, [page('en-mangled.txt')], { now: NOW });
      assert.equal(plan[0]!.action, 'create');
      // Another writer takes the planned key before the plan is applied.
      await saveActivity(db, { key: plan[0]!.input!.key!, type: 'other', status: 'held', start_date: '2001', date_precision: 'year', format: 'in_person', t: { en: { title: 'Squatter', slug: 'squatter-2001' } } });
      const before = { activities: await countRows(db, 'activities'), sources: await countRows(db, 'legacy_sources'), translations: await countRows(db, 'activity_translations') };
      const report = await applyImportPlan(db, plan, { files: ['en-mangled.txt'], now: NOW });
      assert.equal(report.failed, 1);
      assert.match(report.items[0]!.warnings.join(), /write failed, nothing written/);
      assert.deepEqual({ activities: await countRows(db, 'activities'), sources: await countRows(db, 'legacy_sources'), translations: await countRows(db, 'activity_translations') }, before);
    });
  });

  describe(`legacy import over the demo data (${dialect})`, () => {
    let t: LegacyTestDb;
    before(async () => {
      t = await createLegacyTestDb(dialect, { demo: true });
    });
    after(async () => {
      await t.close();
    });

    test('the founding page merges into the founding meeting already in Diwan, never duplicating it', { skip: existsSync(SEED) || process.env.CI === 'true' ? false : 'the shared seed folder is absent here (CI requires it)' }, async () => {
      const db = t.db;
      const before = { activities: await countRows(db, 'activities'), documents: await countRows(db, 'activity_documents'), chairs: await countRows(db, 'activity_co_chairs') };
      const seed: PlanPage = { file: '000_472fee1804bae5bb.txt', result: extractActivities({ text: readFileSync(SEED, 'utf8'), sourceUrl: 'http://www.rabat-process.example/en/activities/thematic-meetings/asylum-and-international-protection.html' }) };
      const { plan, report } = await importPages(db, [seed]);
      assert.equal(plan[0]!.action, 'merge');
      assert.equal(plan[0]!.target?.kind === 'existing' && plan[0]!.target.key, '2015-06-rabat-asylum-protection');
      assert.match(plan[0]!.reasons.join(), /same dates \(2015-06-15\) and place/);
      assert.equal(report.merged, 1);
      assert.deepEqual(
        { activities: await countRows(db, 'activities'), documents: await countRows(db, 'activity_documents'), chairs: await countRows(db, 'activity_co_chairs') },
        before,
        'the six documents and two co-chairs were already there',
      );
      const founding = await db.selectFrom('activities').select('id').where('key', '=', '2015-06-rabat-asylum-protection').executeTakeFirstOrThrow();
      const title = await db.selectFrom('activity_translations').select('title').where('activity_id', '=', founding.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(title.title, 'Thematic meeting on asylum and international protection', 'the existing title is kept');
      const sources = await legacyDb(db).selectFrom('legacy_sources').select(['path']).where('activity_id', '=', founding.id).execute();
      assert.deepEqual(sources.map((s) => s.path), ['/en/activities/thematic-meetings/asylum-and-international-protection.html']);
    });
  });
}
