/**
 * The organiser's own questions on a registration form, over HTTP on both databases: adding them
 * in every language (bad input refused and kept), asking them in the registrant's language,
 * required answers checked with the standard fields (nothing written when anything is wrong),
 * answers shown to the organiser, corrected through the personal link, exported, and questions
 * removed (deleted while unanswered, retired with their answers kept otherwise).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { createUser } from '../auth/index.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';

const PASSWORD = 'correct horse battery staple';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

for (const dialect of await dialectsUnderTest()) {
  describe(`questions of the registration form (${dialect})`, () => {
    let t: TestApp;
    let organiser: TestClient;
    let editor: TestClient;
    let meeting: { id: number; en: string; fr: string };
    const year = new Date().getUTCFullYear() + 1;
    const base = () => `/admin/activities/${meeting.id}/registrations/questions`;
    const qid = async (label: string) => (await t.db.selectFrom('registration_fields').select(['id', 'labels']).where('activity_id', '=', meeting.id).execute()).find((r) => r.labels.includes(label))!.id;
    const post = (url: string, fields: Record<string, string>) => t.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { ...FORM, 'x-forwarded-for': '198.51.100.7' }, remoteAddress: '198.51.100.7' });

    before(async () => {
      t = await createTestApp(dialect, { demo: true, config: { publicUrl: 'https://rabat.example' } });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      organiser = new TestClient(t.app);
      editor = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      const row = await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await t.db.updateTable('activities').set({ start_date: `${year}-04-14`, end_date: `${year}-04-15`, date_precision: 'day', status: 'announced', published_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', row.id).execute();
      const slugs = await t.db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', row.id).execute();
      meeting = { id: row.id, en: slugs.find((s) => s.lang === 'en')!.slug, fr: slugs.find((s) => s.lang === 'fr')!.slug };
      const settings = await organiser.submit(`/admin/activities/${row.id}/registrations`, `/admin/activities/${row.id}/registrations/settings`, { open: '1', capacity: '', closes_on: '', approval: 'manual' });
      assert.equal(settings.statusCode, 303);
    });
    after(async () => t?.close());

    test('the organiser adds questions in every language; bad ones are refused with the input kept', async () => {
      assert.equal((await editor.get(base())).statusCode, 403);
      const bad = await organiser.submit(base(), base(), { kind: 'choice', required: '1', label_en: 'Which working group?', label_fr: '', options_en: 'Labour mobility\nReturn', options_fr: 'Mobilité' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Enter the question in French/);
      assert.match(bad.body, /value="Which working group\?"/);
      const mismatch = await organiser.submit(base(), base(), { kind: 'choice', label_en: 'Which working group?', label_fr: 'Quel groupe de travail ?', options_en: 'Labour mobility\nReturn', options_fr: 'Mobilité' });
      assert.match(mismatch.body, /Give the same number of options in every language/);
      assert.equal((await t.db.selectFrom('registration_fields').select('id').where('activity_id', '=', meeting.id).execute()).length, 0, 'nothing written');

      for (const fields of <Record<string, string>[]>[
        { kind: 'choice', required: '1', label_en: 'Which working group?', label_fr: 'Quel groupe de travail ?', options_en: 'Labour mobility\nReturn and reintegration', options_fr: 'Mobilité de la main-d’œuvre\nRetour et réintégration' },
        { kind: 'yes_no', label_en: 'Will you attend the reception?', label_fr: 'Assisterez-vous à la réception ?' },
        { kind: 'date', label_en: 'Arrival date', label_fr: 'Date d’arrivée' },
        { kind: 'text', label_en: 'Unused question', label_fr: 'Question inutilisée' },
      ]) {
        assert.equal((await organiser.submit(base(), base(), fields)).statusCode, 303);
      }
      assert.equal(((await organiser.get(base())).body.match(/data-testid="question-row"/g) ?? []).length, 4);
    });

    test('the form asks them in the registrant’s language; a required one unanswered keeps everything typed and writes nothing', async () => {
      const form = await t.app.inject(`/fr/activities/${meeting.fr}/register`);
      assert.match(form.body, /Questions des organisateurs/);
      assert.match(form.body, /Quel groupe de travail \? \(obligatoire\)/);
      assert.match(form.body, /Retour et réintégration/);
      const group = await qid('Which working group?');
      const reception = await qid('reception');
      const arrival = await qid('Arrival date');
      const person = { given_name: 'Aïcha', family_name: 'Koné', represents: 'c:CI', email: 'aicha.kone@example.ci', consent_data: '1' };
      const missing = await post(`/fr/activities/${meeting.fr}/register`, { ...person, [`q_${reception}`]: 'yes', [`q_${arrival}`]: '13/04' });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Choisissez le champ « quel groupe de travail \? » dans la liste/);
      assert.match(missing.body, /Saisissez le champ « date d’arrivée » sous forme de date réelle/);
      assert.doesNotMatch(missing.body, /\{field\}|\{max\}/, 'every message names its question');
      assert.match(missing.body, /value="Aïcha"/);
      assert.equal(await t.db.selectFrom('registrations').select('id').where('email_key', '=', 'aicha.kone@example.ci').executeTakeFirst(), undefined);
      const ok = await post(`/fr/activities/${meeting.fr}/register`, { ...person, [`q_${group}`]: '1', [`q_${reception}`]: 'yes', [`q_${arrival}`]: `${year}-04-13` });
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
      const r = await t.db.selectFrom('registrations').select(['id', 'token']).where('email_key', '=', 'aicha.kone@example.ci').executeTakeFirstOrThrow();
      const answers = await t.db.selectFrom('registration_answers').select(['field_id', 'value']).where('registration_id', '=', r.id).orderBy('field_id').execute();
      assert.deepEqual(answers.map((a) => a.value), ['1', 'yes', `${year}-04-13`]);

      const page = await organiser.get(`/admin/activities/${meeting.id}/registrations/${r.id}`);
      assert.match(page.body, /Which working group\?<\/dt><dd>Return and reintegration/);
      assert.match(page.body, /Arrival date<\/dt><dd>13 April \d{4}/);

      // Corrected through the personal link.
      const own = await t.app.inject(`/fr/registrations/${r.token}`);
      assert.match(own.body, new RegExp(`<option value="1" selected>Retour et réintégration`));
      const corrected = await post(`/fr/registrations/${r.token}`, { ...person, [`q_${group}`]: '0', [`q_${reception}`]: 'no', [`q_${arrival}`]: `${year}-04-14` });
      assert.equal(corrected.statusCode, 303);
      const data = JSON.parse((await t.app.inject(`/en/registrations/${r.token}/data.json`)).body);
      assert.deepEqual(data.answers.map((a: { answer: string }) => a.answer), ['Labour mobility', 'No', `14 April ${year}`]);
      const csv = parse((await organiser.get(`/admin/activities/${meeting.id}/participants.csv`)).rawPayload, { bom: true }) as string[][];
      const header = csv[0]!;
      const row = csv.find((x) => x[0] === 'Koné')!;
      assert.equal(row[header.indexOf('Which working group?')], 'Labour mobility');
      assert.equal(row[header.indexOf('Will you attend the reception?')], 'No');
    });

    test('removing: an unanswered question is deleted, an answered one retired with its answers kept', async () => {
      const unused = await qid('Unused question');
      const group = await qid('Which working group?');
      const page = await organiser.get(base());
      const token = page.body.match(/name="_csrf" value="([^"]+)"/)![1]!;
      const deleted = await organiser.post(`${base()}/${unused}/remove`, { _csrf: token });
      assert.match(String(deleted.headers.location), /done=deleted/);
      assert.equal(await t.db.selectFrom('registration_fields').select('id').where('id', '=', unused).executeTakeFirst(), undefined);
      const retired = await organiser.post(`${base()}/${group}/remove`, { _csrf: token });
      assert.match(String(retired.headers.location), /done=retired/);
      assert.doesNotMatch((await t.app.inject(`/en/activities/${meeting.en}/register`)).body, /Which working group/, 'no longer asked');
      const csv = parse((await organiser.get(`/admin/activities/${meeting.id}/participants.csv`)).rawPayload, { bom: true }) as string[][];
      assert.ok(csv[0]!.includes('Which working group?'), 'its answers stay in the list');
      assert.equal((await organiser.post(`${base()}/${group}/remove`, { _csrf: token })).statusCode, 404);
    });
  });
}
