/**
 * The check-in desk and badges over HTTP, on both databases: who may use the desk; a search by name
 * (accents and case aside) or by badge code; a badge's QR address leading to the desk; one arrival
 * counted however many organisers mark it at once; undo; and badges printed by Chromium whose QR
 * code, read back from the PDF's pixels, is the address that checks that person in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { csrfToken, TestClient } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { firstQrValue } from '../../../test/helpers/qr.js';
import { canPrint } from '../../platform/pdf/print.js';
import { createUser } from '../auth/index.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';
import { decide, register, saveRegistrationSettings } from './registration.commands.js';
import type { RegistrationInput } from './registration.schemas.js';

const PASSWORD = 'correct horse battery staple';
const printable = await canPrint(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');

for (const dialect of await dialectsUnderTest()) {
  describe(`check-in and badges (${dialect})`, () => {
    let t: TestApp;
    let organiser: TestClient;
    let second: TestClient;
    let editor: TestClient;
    let meetingId: number;
    const ids: Record<string, number> = {};
    const year = new Date().getUTCFullYear() + 1;
    const desk = () => `/admin/activities/${meetingId}/check-in`;
    const person = (given: string, family: string, email: string): RegistrationInput & { lang: string } => ({
      title: 'mr',
      givenName: given,
      familyName: family,
      gender: 'man',
      function: 'Head of the migration unit',
      institution: 'Ministry of Foreign Affairs',
      represents: { country: 'ML', organisation: null },
      email,
      phone: '',
      languages: ['fr'],
      dietary: '',
      accessibility: '',
      travelSupport: false,
      visaLetter: false,
      passport: null,
      consentPublic: true,
      consentData: true,
      lang: 'fr',
    });

    before(async () => {
      t = await createTestApp(dialect, { demo: true, config: { publicUrl: 'https://rabat.example' } });
      const orgId = await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'desk@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      organiser = new TestClient(t.app);
      second = new TestClient(t.app);
      editor = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await second.login('desk@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      const row = await t.db.selectFrom('activities').select('id').where('workflow', '=', 'published').where('key', '!=', DEMO_MEETING_KEY).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      meetingId = row.id;
      await t.db.updateTable('activities').set({ start_date: `${year}-02-03`, end_date: `${year}-02-04`, date_precision: 'day', status: 'announced' }).where('id', '=', meetingId).execute();
      const ctx = t.app.diwan;
      await saveRegistrationSettings(ctx, { id: meetingId, workflow: 'published' }, { open: true, form: 'public', closesOn: null, capacity: null, approval: 'manual' }, orgId);
      for (const [key, given, family] of [['traore', 'Ibrahim', 'Traoré'], ['keita', 'Salif', 'Keïta'], ['pending', 'Oumar', 'Coulibaly']] as const) {
        const outcome = await register(ctx, meetingId, person(given, family, `${key}@example.ml`), () => true);
        assert.equal(outcome.kind, 'registered');
        ids[key] = outcome.kind === 'registered' ? outcome.id : 0;
      }
      for (const key of ['traore', 'keita']) assert.equal(await decide(ctx, meetingId, ids[key]!, 'approved', orgId), 'done');
    });
    after(async () => t?.close());

    test('the desk is for organisers; a search finds people by name without accents or by badge code', async () => {
      assert.equal((await editor.get(desk())).statusCode, 403);
      assert.equal((await t.app.inject(desk())).statusCode, 303, 'signed out: to the login page');
      const page = await organiser.get(desk());
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /0 of 2 approved participants checked in/);
      const byName = await organiser.get(`${desk()}?q=${encodeURIComponent('  TRAORE ')}`);
      assert.equal((byName.body.match(/data-testid="checkin-person"/g) ?? []).length, 1);
      assert.match(byName.body, /Ibrahim Traoré/);
      const code = (await t.db.selectFrom('registrations').select('badge_code').where('id', '=', ids.keita!).executeTakeFirstOrThrow()).badge_code!;
      assert.match(code, /^[0-9A-HJKMNP-TV-Z]{10}$/);
      const typed = `${code.slice(0, 5).toLowerCase()}-${code.slice(5)}`;
      const byCode = await organiser.get(`${desk()}?q=${encodeURIComponent(typed)}`);
      assert.match(byCode.body, /Salif Keïta/);
      assert.doesNotMatch(byCode.body, /Traoré/);
      assert.match((await organiser.get(`${desk()}?q=nobody`)).body, /data-testid="checkin-none"/);

      const qr = await organiser.get(`/admin/check-in/${code}`);
      assert.equal(qr.statusCode, 303);
      assert.equal(qr.headers.location, `${desk()}?q=${code}`);
      assert.equal((await organiser.get('/admin/check-in/ZZZZZZZZZZ')).statusCode, 404);
      assert.equal((await editor.get(`/admin/check-in/${code}`)).statusCode, 403);
      assert.match(String((await t.app.inject(`/admin/check-in/${code}`)).headers.location), /^\/admin\/login\?next=/, 'the camera opens it; the organiser signs in first');
    });

    test('an arrival is counted once however many organisers mark it at once; undo; only approved registrants', async () => {
      const page = await organiser.get(desk());
      const token = csrfToken(page.body);
      const secondToken = csrfToken((await second.get(desk())).body);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? second.post(`${desk()}/${ids.traore}`, { _csrf: secondToken, action: 'attend' }) : organiser.post(`${desk()}/${ids.traore}`, { _csrf: token, action: 'attend' }))));
      assert.equal(results.filter((r) => r.statusCode === 303).length, 1, results.map((r) => r.statusCode).join(','));
      const refused = results.find((r) => r.statusCode === 409)!;
      assert.match(refused.body, /Already checked in, at \d{1,2}:\d{2}/);
      const audits = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'registration.attended').where('entity_id', '=', String(ids.traore)).execute();
      assert.equal(audits.length, 1);
      assert.match((await organiser.get(desk())).body, /1 of 2 approved participants checked in/);
      assert.match((await organiser.get(desk())).body, /Last checked in/);

      const pending = await organiser.post(`${desk()}/${ids.pending}`, { _csrf: token, action: 'attend' });
      assert.equal(pending.statusCode, 409);
      assert.match(pending.body, /Only approved registrants can be checked in/);
      assert.equal((await organiser.post(`${desk()}/${ids.traore}`, { _csrf: token, action: 'dance' })).statusCode, 400);
      assert.equal((await organiser.post(`${desk()}/999999`, { _csrf: token, action: 'attend' })).statusCode, 404);
      assert.equal((await organiser.post(`${desk()}/${ids.traore}`, { action: 'attend' })).statusCode, 403, 'no CSRF token');

      const undo = await organiser.post(`${desk()}/${ids.traore}`, { _csrf: token, action: 'undo', q: 'traore' });
      assert.equal(undo.statusCode, 303);
      assert.match(String(undo.headers.location), /q=traore&done=undone/);
      const row = await t.db.selectFrom('registrations').select(['attended_at', 'attended_by']).where('id', '=', ids.traore!).executeTakeFirstOrThrow();
      assert.deepEqual(row, { attended_at: null, attended_by: null });
      assert.equal((await organiser.post(`${desk()}/${ids.traore}`, { _csrf: token, action: 'undo' })).statusCode, 409);
      assert.equal((await organiser.post(`${desk()}/${ids.traore}`, { _csrf: token, action: 'attend' })).statusCode, 303);
    });

    test('badges: printed by a job; the QR code read from the PDF is the address that checks the person in', { skip: !printable && !process.env.CI ? 'no Chromium here' : false }, async () => {
      const url = `/admin/activities/${meetingId}/prints/badges?registration=${ids.keita}&lang=fr`;
      assert.equal((await editor.get(url)).statusCode, 403);
      const first = await organiser.get(url);
      assert.equal(first.statusCode, 202);
      assert.equal(first.headers.refresh, undefined, 'no automatic reload: the page offers to check again');
      assert.match(first.body, /data-testid="print-again"/);
      assert.match(first.body, /data-testid="print-status"/);
      await t.app.diwan.jobs.drain({ timeoutMs: 120_000 });
      const done = await organiser.get(url);
      assert.equal(done.statusCode, 200, done.body.slice(0, 300));
      assert.equal(done.headers['content-type'], 'application/pdf');
      const pdf = done.rawPayload;
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
      assert.match(text, /Salif/);
      assert.match(text, /Keïta/);
      assert.match(text, /Mali/);
      const code = (await t.db.selectFrom('registrations').select('badge_code').where('id', '=', ids.keita!).executeTakeFirstOrThrow()).badge_code!;
      // Letter-spaced and in capitals on the badge.
      assert.ok(text.replace(/\s/g, '').includes('PARTICIPANT·E'));
      assert.ok(text.replace(/\s/g, '').includes(code), 'the code under the QR code, for typing at a desk');
      assert.equal(await firstQrValue(pdf), `https://rabat.example/admin/check-in/${code}`);
      // A change of what the badge shows prints it again.
      await t.db.updateTable('registrations').set({ function: 'Ambassador' }).where('id', '=', ids.keita!).execute();
      assert.equal((await organiser.get(url)).statusCode, 202);
      const all = await organiser.get(`/admin/activities/${meetingId}/prints/badges?lang=en`);
      assert.equal(all.statusCode, 202);
      await t.app.diwan.jobs.drain({ timeoutMs: 120_000 });
      const sheet = await organiser.get(`/admin/activities/${meetingId}/prints/badges?lang=en`);
      assert.equal(sheet.statusCode, 200);
      const sheetText = (await extractText(await getDocumentProxy(new Uint8Array(sheet.rawPayload)), { mergePages: true })).text;
      assert.match(sheetText, /Traoré/);
      assert.doesNotMatch(sheetText, /Coulibaly/, 'only approved participants get badges');
    });

    test('without Chromium the page says so and the rest works', async () => {
      const config = t.app.diwan.config as { chromiumPath: string };
      const before = config.chromiumPath;
      config.chromiumPath = '/nonexistent/chromium';
      try {
        const res = await organiser.get(`/admin/activities/${meetingId}/prints/badges?lang=en&registration=${ids.traore}`);
        assert.equal(res.statusCode, 503);
        assert.match(res.body, /No Chromium is installed on this server/);
        assert.equal((await organiser.get(desk())).statusCode, 200);
      } finally {
        config.chromiumPath = before;
      }
    });
  });
}
