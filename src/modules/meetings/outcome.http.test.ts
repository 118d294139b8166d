/**
 * After the meeting, over HTTP on both databases: the public page's figures counted from who was
 * checked in (countries, organisations, African and European delegations, women and men) and the
 * list of those who agreed to be named; the internal lists as CSV and XLSX with formulas
 * neutralised and without passport details; a person's data as JSON (passport details only with
 * the permission, or for the person themself); erasure on request that keeps the figures right;
 * the list of participants by delegation and a certificate, printed by Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unzipSync, strFromU8 } from 'fflate';
import { parse } from 'csv-parse/sync';
import { extractText, getDocumentProxy } from 'unpdf';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfToken, TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { canPrint } from '../../platform/pdf/print.js';
import { createUser } from '../auth/index.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';
import { checkIn } from './attendance.commands.js';
import { purgePassports } from './registration.jobs.js';
import { decide, register, saveRegistrationSettings } from './registration.commands.js';
import type { RegistrationInput } from './registration.schemas.js';

const PASSWORD = 'correct horse battery staple';
const printable = await canPrint(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

for (const dialect of await dialectsUnderTest()) {
  describe(`after the meeting (${dialect})`, () => {
    let t: TestApp;
    let organiser: TestClient;
    let admin: TestClient;
    let editor: TestClient;
    let meeting: { id: number; en: string; fr: string };
    const ids: Record<string, number> = {};
    const tokens: Record<string, string> = {};
    const lastYear = new Date().getUTCFullYear() - 1;
    const person = (given: string, family: string, email: string, extra: Partial<RegistrationInput>): RegistrationInput & { lang: string } => ({
      title: '',
      givenName: given,
      familyName: family,
      gender: '',
      function: 'Adviser',
      institution: 'Ministry',
      represents: { country: 'SN', organisation: null },
      email,
      phone: '',
      languages: ['en'],
      dietary: '',
      accessibility: '',
      travelSupport: false,
      visaLetter: false,
      passport: null,
      consentPublic: true,
      consentData: true,
      lang: 'en',
      ...extra,
    });

    before(async () => {
      t = await createTestApp(dialect, { demo: true, config: { publicUrl: 'https://rabat.example' } });
      const orgId = await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      organiser = new TestClient(t.app);
      admin = new TestClient(t.app);
      editor = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await admin.login('admin@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      const row = await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      await t.db.updateTable('activities').set({ start_date: `${lastYear}-11-04`, end_date: `${lastYear}-11-05`, date_precision: 'day', status: 'held', participants: 120, participants_qualifier: 'over' }).where('id', '=', row.id).execute();
      const slugs = await t.db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', row.id).execute();
      meeting = { id: row.id, en: slugs.find((s) => s.lang === 'en')!.slug, fr: slugs.find((s) => s.lang === 'fr')!.slug };
      const iom = (await t.db.selectFrom('organisations').select('id').where('code', '=', 'iom').executeTakeFirstOrThrow()).id;
      const ctx = t.app.diwan;
      await saveRegistrationSettings(ctx, { id: row.id, workflow: 'published' }, { open: true, form: 'public', closesOn: null, capacity: null, approval: 'auto' }, orgId);
      const people: [string, RegistrationInput & { lang: string }, boolean][] = [
        ['awa', person('Awa', 'Ndiaye', 'awa@example.sn', { gender: 'woman' }), true],
        ['pablo', person('Pablo', 'Ruiz', 'pablo@example.es', { gender: 'man', consentPublic: false, represents: { country: 'ES', organisation: null } }), true],
        ['iom', person('Chen', 'Li', 'li@example.int', { represents: { country: null, organisation: iom } }), true],
        ['mali', person('Oumar', 'Sy', 'oumar@example.ml', { gender: 'man', represents: { country: 'ML', organisation: null } }), false],
        ['formula', person('=HYPERLINK("http://evil.example")', 'Alaoui', 'formula@example.ma', { gender: 'man', represents: { country: 'MA', organisation: null } }), true],
        ['amira', person('أميرة 🌍', 'Ben Salah', 'amira@example.tn', { gender: 'woman', represents: { country: 'TN', organisation: null }, visaLetter: true, passport: { nationality: 'TN', number: 'X1234567', expiry: `${lastYear + 5}-01-01` } }), true],
      ];
      for (const [key, input, came] of people) {
        const outcome = await register(ctx, row.id, input, () => true);
        assert.equal(outcome.kind, 'registered');
        ids[key] = outcome.kind === 'registered' ? outcome.id : 0;
        if (came) assert.equal((await checkIn(t.db, row.id, ids[key]!, orgId)).kind, 'done');
      }
      for (const r of await t.db.selectFrom('registrations').select(['id', 'token']).where('activity_id', '=', row.id).execute()) {
        const key = Object.entries(ids).find(([, id]) => id === r.id)?.[0];
        if (key) tokens[key] = r.token;
      }
      // A registration declined after the meeting changes nothing counted.
      assert.equal(await decide(ctx, row.id, ids.mali!, 'declined', orgId), 'done');
    });
    after(async () => t?.close());

    test('the public page counts who came and names only those who agreed', async () => {
      const page = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /data-testid="computed-figures">5 participants from 4 countries and 1 organisation</);
      assert.match(page.body, /3 African delegations and 1 European delegation/);
      assert.match(page.body, /2 women and 2 men/);
      assert.doesNotMatch(page.body, /Over 120 participants/, 'the counted figures replace the typed ones');
      const listed = [...page.body.matchAll(/<tr data-testid="public-participant"><td>([^<]*)<\/td>/g)].map((m) => m[1]);
      assert.equal(listed.length, 4);
      assert.ok(listed.includes('Awa Ndiaye'));
      assert.ok(!listed.some((n) => n!.includes('Ruiz')), 'Pablo did not agree to be named');
      assert.ok(!page.body.includes('Oumar'), 'Oumar did not come');
      const escaped = page.body.match(/<td>([^<]*Alaoui)<\/td>/)?.[1];
      assert.equal(escaped, '=HYPERLINK(&#34;http://evil.example&#34;) Alaoui', 'escaped on the page');
      const fr = await t.app.inject(`/fr/activities/${meeting.fr}`);
      assert.match(fr.body, /5 participants venant de 4 pays et de 1 organisation/);
    });

    test('internal lists as CSV and XLSX: formulas neutralised, passports absent, for organisers only', async () => {
      assert.equal((await editor.get(`/admin/activities/${meeting.id}/participants.csv`)).statusCode, 403);
      const csv = await organiser.get(`/admin/activities/${meeting.id}/participants.csv`);
      assert.equal(csv.statusCode, 200);
      assert.match(String(csv.headers['content-type']), /^text\/csv/);
      assert.match(String(csv.headers['content-disposition']), /^attachment; filename="participants-\d+\.csv"/);
      const rows = parse(csv.rawPayload, { bom: true }) as string[][];
      assert.equal(rows.length, 7, 'a header and six registrations');
      const formula = rows.find((r) => r[0] === 'Alaoui')!;
      assert.equal(formula[1], `'=HYPERLINK("http://evil.example")`);
      assert.ok(rows.some((r) => r[1] === 'أميرة 🌍'), 'right-to-left and emoji kept');
      assert.ok(!csv.body.includes('X1234567'), 'no passport number');
      const xlsx = await organiser.get(`/admin/activities/${meeting.id}/participants.xlsx`);
      assert.equal(xlsx.statusCode, 200);
      const files = unzipSync(new Uint8Array(xlsx.rawPayload));
      const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
      assert.ok(!/<f[ >]/.test(sheet), 'no formula anywhere');
      assert.ok(sheet.includes('&apos;=HYPERLINK(&quot;http://evil.example&quot;)'), 'a text cell, neutralised');
      assert.ok(!sheet.includes('X1234567'));
      const audits = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'registration.exported').execute();
      assert.equal(audits.length, 2);
    });

    test('a person’s data as JSON: passport details with the permission or for the person themself', async () => {
      const one = `/admin/activities/${meeting.id}/registrations/${ids.amira}`;
      const byOrganiser = JSON.parse((await organiser.get(`${one}/data.json`)).body);
      assert.equal(byOrganiser.registration.familyName, 'Ben Salah');
      assert.equal(byOrganiser.passport, null, 'an organiser without registration.read_passport');
      assert.ok(!JSON.stringify(byOrganiser).includes(tokens.amira!), 'no personal link token');
      const byAdmin = JSON.parse((await admin.get(`${one}/data.json`)).body);
      assert.equal(byAdmin.passport.number, 'X1234567');
      assert.ok(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'registration.data_exported_with_passport').executeTakeFirst());
      const own = await t.app.inject(`/en/registrations/${tokens.amira}/data.json`);
      assert.equal(own.statusCode, 200);
      assert.match(String(own.headers['cache-control']), /no-store/);
      assert.equal(JSON.parse(own.body).passport.number, 'X1234567');
      assert.equal((await t.app.inject(`/en/registrations/${'x'.repeat(43)}/data.json`)).statusCode, 404);
    });

    test('erasure on request: the details go, the figures stay', async () => {
      const one = `/admin/activities/${meeting.id}/registrations/${ids.pablo}`;
      const page = await organiser.get(one);
      const missing = await organiser.post(`${one}/erase`, { _csrf: csrfToken(page.body) });
      assert.equal(missing.statusCode, 400, 'the confirmation is needed');
      assert.equal((await organiser.post(`${one}/erase`, { _csrf: csrfToken(page.body), confirm: '1' })).statusCode, 303);
      const row = await t.db.selectFrom('registrations').selectAll().where('id', '=', ids.pablo!).executeTakeFirstOrThrow();
      assert.equal(row.given_name, '');
      assert.equal(row.family_name, '');
      assert.equal(row.email, `erased-${ids.pablo}@invalid`);
      assert.equal(row.country_code, 'ES');
      assert.ok(row.attended_at);
      assert.equal((await t.db.selectFrom('outbox').select('id').where('to_address', '=', 'pablo@example.es').execute()).length, 0, 'the mails kept for him are gone');
      assert.equal((await t.app.inject(`/en/registrations/${tokens.pablo}`)).statusCode, 404, 'the old personal link opens nothing');
      const after = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.match(after.body, /5 participants from 4 countries and 1 organisation/);
      assert.match(after.body, /2 women and 2 men/);
      const csv = parse((await organiser.get(`/admin/activities/${meeting.id}/participants.csv`)).rawPayload, { bom: true }) as string[][];
      assert.ok(csv.some((r) => r[0] === '(details erased on request)'));
      assert.ok(!csv.flat().some((c) => c.includes('Pablo')));
      assert.match((await organiser.get(one)).body, /data-testid="erased"/);
    });

    test('the list by delegation and a certificate, printed', { skip: !printable && !process.env.CI ? 'no Chromium here' : false }, async () => {
      const list = `/admin/activities/${meeting.id}/prints/participants?lang=en`;
      assert.equal((await organiser.get(list)).statusCode, 202);
      const certificate = `/admin/activities/${meeting.id}/prints/certificates?lang=fr&registration=${ids.awa}`;
      assert.equal((await organiser.get(certificate)).statusCode, 202);
      assert.equal((await organiser.get(`/admin/activities/${meeting.id}/prints/certificates?lang=fr&registration=${ids.mali}`)).statusCode, 404, 'no certificate for one who did not come');
      assert.equal((await editor.get(list)).statusCode, 403);
      await t.app.diwan.jobs.drain({ timeoutMs: 120_000 });
      const pdf = await organiser.get(list);
      assert.equal(pdf.statusCode, 200);
      const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true })).text;
      for (const heading of ['Senegal (1)', 'Spain (1)', 'Morocco (1)', 'Tunisia (1)']) assert.ok(text.includes(heading), heading);
      assert.ok(!text.includes('Oumar'), 'a declined registration is not on the list');
      assert.ok(text.includes('(details erased on request)'));
      assert.ok(!text.includes('X1234567'));
      const cert = await organiser.get(certificate);
      assert.equal(cert.statusCode, 200);
      const certText = (await extractText(await getDocumentProxy(new Uint8Array(cert.rawPayload)), { mergePages: true })).text;
      assert.match(certText, /Attestation de\s+participation/);
      assert.match(certText, /Awa Ndiaye/);
    });

    test('visa support letters carry passport details: for readers of them only, on record, gone with the passports', { skip: !printable && !process.env.CI ? 'no Chromium here' : false }, async () => {
      const letter = `/admin/activities/${meeting.id}/prints/visa_letters?lang=en&registration=${ids.amira}`;
      assert.equal((await organiser.get(letter)).statusCode, 403, 'an organiser without registration.read_passport');
      assert.equal((await admin.get(letter)).statusCode, 202);
      const handedOut = () => t.db.selectFrom('audit_log').select('id').where('action', '=', 'registration.visa_letters').execute();
      assert.equal((await handedOut()).length, 0, 'nothing handed out yet, nothing on record');
      await t.app.diwan.jobs.drain({ timeoutMs: 120_000 });
      const pdf = await admin.get(letter);
      assert.equal(pdf.statusCode, 200);
      const text = (await extractText(await getDocumentProxy(new Uint8Array(pdf.rawPayload)), { mergePages: true })).text;
      assert.match(text, /Visa support letter/);
      assert.match(text, /X1234567/);
      assert.match(text, /Tunisia/);
      assert.match(text, /Rabat Process/, 'on the letterhead');
      assert.equal((await handedOut()).length, 1, 'the letter handed out is on record');
      assert.equal((await admin.get(`/admin/activities/${meeting.id}/prints/visa_letters?lang=en&registration=${ids.awa}`)).statusCode, 404, 'no letter for one who did not ask');
      await purgePassports(t.db, 30, 'UTC');
      assert.equal((await t.db.selectFrom('meeting_prints').select('kind').where('activity_id', '=', meeting.id).where('kind', '=', 'visa_letters').execute()).length, 0, 'the printed letters went with the passports');
      assert.equal((await admin.get(letter)).statusCode, 404);
    });
  });
}
