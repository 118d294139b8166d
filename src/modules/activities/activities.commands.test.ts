import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { migrateDiwan } from '../../app/index.js';
import { openDatabase, type Db } from '../../platform/db/database.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { saveActivity, UnknownReferenceError } from './activities.commands.js';
import type { ActivityInput } from './activities.schemas.js';
import { readDemoActivities, seedDemoActivities } from './demo/demo-seeder.js';

const quiet = { info: () => undefined };

function draft(overrides: Partial<ActivityInput> = {}): ActivityInput {
  return {
    key: 'workshop-test',
    type: 'technical_workshop',
    status: 'held',
    start_date: '2019-11-05',
    end_date: '2019-11-06',
    date_precision: 'day',
    format: 'in_person',
    country: 'NG',
    t: { en: { title: 'Test workshop', slug: 'test-workshop-2019', summary: 'Summary.', city: 'Abuja' } },
    ...overrides,
  };
}

async function counts(db: Db) {
  const n = async (table: 'activities' | 'activity_translations' | 'activity_documents' | 'activity_co_chairs' | 'activity_themes') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { activities: await n('activities'), translations: await n('activity_translations'), documents: await n('activity_documents'), coChairs: await n('activity_co_chairs'), themes: await n('activity_themes') };
}

for (const dialect of await dialectsUnderTest()) {
  describe(`activity commands, reference and demo data (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    before(async () => {
      tdb = await createTestDatabase(dialect);
      db = openDatabase(tdb.config);
      await migrateDiwan(db, quiet);
    });
    after(async () => {
      await db.destroy();
      await tdb.drop();
    });

    test('reference data: countries with ISO codes and two names, organisations, frameworks with their hierarchy', async () => {
      const morocco = await db.selectFrom('country_names').select(['lang', 'name']).where('country_code', '=', 'MA').orderBy('lang').execute();
      assert.deepEqual(morocco, [
        { lang: 'en', name: 'Morocco' },
        { lang: 'fr', name: 'Maroc' },
      ]);
      const partners = await db.selectFrom('countries').select('code').where('status', '=', 'partner').execute();
      assert.ok(partners.length >= 55, `${partners.length} partners`);
      assert.ok(await db.selectFrom('countries').select('code').where('status', '=', 'observer').where('code', '=', 'DZ').executeTakeFirst());
      for (const code of ['ec', 'ecowas', 'iom', 'unhcr', 'icmpd', 'fiiapp', 'frontex']) {
        assert.ok(await db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst(), code);
      }
      const pillar4 = await db
        .selectFrom('themes')
        .innerJoin('frameworks', 'frameworks.id', 'themes.framework_id')
        .innerJoin('theme_names', 'theme_names.theme_id', 'themes.id')
        .select(['themes.level', 'themes.number', 'frameworks.code as framework', 'theme_names.name'])
        .where('themes.code', '=', 'rome-2014.p4')
        .where('theme_names.lang', '=', 'en')
        .executeTakeFirstOrThrow();
      assert.deepEqual(pillar4, { level: 'pillar', number: '4', framework: 'rome-2014', name: 'Promoting international protection' });
      const objective = await db.selectFrom('themes').select(['parent_id', 'level']).where('code', '=', 'marrakesh-2018.o10').executeTakeFirstOrThrow();
      const domain = await db.selectFrom('themes').select(['id', 'level']).where('code', '=', 'marrakesh-2018.d5').executeTakeFirstOrThrow();
      assert.equal(objective.parent_id, domain.id);
      assert.equal(objective.level, 'objective');
      const frameworks = await db.selectFrom('frameworks').select('code').orderBy('position').execute();
      assert.deepEqual(
        frameworks.map((f) => f.code),
        ['rabat-2006', 'paris-2008', 'dakar-2011', 'rome-2014', 'marrakesh-2018', 'cadiz-2022'],
      );
    });

    test('reference data loads idempotently and keeps what an editor changed', async () => {
      const before = await db.selectFrom('themes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      await db.updateTable('countries').set({ edited_at: new Date().toISOString() }).where('code', '=', 'CV').execute();
      await db.updateTable('country_names').set({ name: 'Cape Verde (edited)' }).where('country_code', '=', 'CV').where('lang', '=', 'en').execute();
      await db.updateTable('country_names').set({ name: 'Senegal (stale)' }).where('country_code', '=', 'SN').where('lang', '=', 'en').execute();
      await migrateDiwan(db, quiet);
      const afterCount = await db.selectFrom('themes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterCount.n), Number(before.n));
      const cv = await db.selectFrom('country_names').select('name').where('country_code', '=', 'CV').where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(cv.name, 'Cape Verde (edited)');
      const sn = await db.selectFrom('country_names').select('name').where('country_code', '=', 'SN').where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(sn.name, 'Senegal');
    });

    test('the narrative is sanitised against the allow-list before it is stored', async () => {
      await saveActivity(
        db,
        draft({
          key: 'sanitise',
          t: {
            en: {
              title: 'Sanitise',
              slug: 'sanitise-2019',
              summary: '',
              narrative_html: '<p onclick="x()">Hello <script>alert(1)</script><a href="javascript:alert(1)">bad</a> <a href="https://example.org/r">good</a><img src=x onerror=alert(1)><style>p{}</style></p><h1>Title</h1>',
            },
          },
        }),
      );
      const row = await db.selectFrom('activity_translations').select('narrative_html').where('slug', '=', 'sanitise-2019').executeTakeFirstOrThrow();
      assert.equal(row.narrative_html, '<p>Hello <a rel="noopener noreferrer">bad</a> <a href="https://example.org/r" rel="noopener noreferrer">good</a></p>Title');
    });

    test('a write that refers to something unknown, or breaks a rule, leaves nothing half-written', async () => {
      const start = await counts(db);
      await assert.rejects(saveActivity(db, draft({ key: 'bad-country', country: 'ZZ' })), UnknownReferenceError);
      await assert.rejects(saveActivity(db, draft({ key: 'bad-theme', themes: ['rome-2014.p4', 'nope.p9'] })), /unknown theme nope.p9/);
      await assert.rejects(
        saveActivity(
          db,
          draft({
            key: 'bad-chair',
            co_chairs: [{ country: 'MA' }, { organisation: 'no-such-org' }],
            documents: [{ type: 'agenda', lang: 'en', title: { en: 'Agenda' } }],
          }),
        ),
        /unknown organisation no-such-org/,
      );
      await assert.rejects(saveActivity(db, draft({ key: 'bad-date', date_precision: 'month' })), /start_date must be written at month precision/);
      await assert.rejects(saveActivity(db, draft({ key: 'bad-order', end_date: '2019-11-01' })), /end_date is before start_date/);
      await saveActivity(db, draft({ key: 'first' }));
      const mid = await counts(db);
      await assert.rejects(saveActivity(db, draft({ key: 'same-slug', documents: [{ type: 'agenda', lang: 'en', title: { en: 'Agenda' } }] })));
      assert.deepEqual(await counts(db), mid, 'a duplicate slug rolls back the whole activity');
      assert.equal(mid.activities, start.activities + 1);
    });

    test('the demo data holds the founding meeting with every fact of its page, and 40 more meetings in both languages', async () => {
      const demo = readDemoActivities();
      assert.ok(demo.length >= 41, `${demo.length} demo activities`);
      for (const a of demo) {
        assert.ok(a.t.en?.summary && a.t.fr?.summary, `${a.key} has English and French summaries`);
      }
      const result = await seedDemoActivities(db);
      assert.equal(result.created, demo.length);
      const founding = await db.selectFrom('activities').selectAll().where('key', '=', '2015-06-rabat-asylum-protection').executeTakeFirstOrThrow();
      assert.equal(founding.type, 'thematic_meeting');
      assert.equal(founding.start_date, '2015-06-15');
      assert.equal(founding.end_date, '2015-06-16');
      assert.equal(founding.country_code, 'MA');
      assert.deepEqual([founding.participants, founding.participants_qualifier, founding.countries_count, founding.countries_qualifier], [120, 'over', 50, 'nearly']);
      const chairs = await db.selectFrom('activity_co_chairs').select('country_code').where('activity_id', '=', founding.id).orderBy('position').execute();
      assert.deepEqual(chairs.map((c) => c.country_code), ['MA', 'ES']);
      const docs = await db.selectFrom('activity_documents').select('type').where('activity_id', '=', founding.id).orderBy('position').execute();
      assert.deepEqual(docs.map((d) => d.type), ['final_report', 'list_of_participants', 'agenda', 'information_note', 'presentations', 'other']);
      const themes = await db.selectFrom('activity_themes').innerJoin('themes', 'themes.id', 'activity_themes.theme_id').select('themes.code').where('activity_id', '=', founding.id).execute();
      assert.deepEqual(themes.map((x) => x.code), ['rome-2014.p4']);
    });

    test('seeding again refreshes untouched demo rows and never overwrites an edited one', async () => {
      const founding = await db.selectFrom('activities').select('id').where('key', '=', '2015-06-rabat-asylum-protection').executeTakeFirstOrThrow();
      await db.updateTable('activity_translations').set({ title: 'Edited by the secretariat' }).where('activity_id', '=', founding.id).where('lang', '=', 'en').execute();
      await db.updateTable('activities').set({ edited_at: new Date().toISOString() }).where('id', '=', founding.id).execute();
      const other = await db.selectFrom('activities').select('id').where('key', '=', '2006-07-rabat-first-ministerial-conference').executeTakeFirst();
      assert.ok(other);
      await db.updateTable('activity_translations').set({ title: 'Stale' }).where('activity_id', '=', other.id).where('lang', '=', 'en').execute();
      const before = await counts(db);
      const result = await seedDemoActivities(db);
      assert.equal(result.created, 0);
      assert.equal(result.kept, 1);
      assert.deepEqual(await counts(db), before);
      const title = await db.selectFrom('activity_translations').select('title').where('activity_id', '=', founding.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.equal(title.title, 'Edited by the secretariat');
      const t2 = await db.selectFrom('activity_translations').select('title').where('activity_id', '=', other.id).where('lang', '=', 'en').executeTakeFirstOrThrow();
      assert.notEqual(t2.title, 'Stale');
    });
  });
}
