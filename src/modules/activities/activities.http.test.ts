import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient } from '../../../test/helpers/client.js';
import { createUser } from '../auth/index.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { saveActivity } from './activities.commands.js';

const EN_SLUG = 'thematic-meeting-asylum-international-protection-2015';
const FR_SLUG = 'reunion-thematique-asile-protection-internationale-2015';

/** Text content of an HTML fragment, for assertions that should not depend on markup. */
function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
}

for (const dialect of await dialectsUnderTest()) {
  describe(`public activity pages (${dialect})`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(dialect);
    });
    after(async () => {
      await t.close();
    });
    const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

    test('the founding meeting shows every part of the seed page in English', async () => {
      const res = await get(`/en/activities/${EN_SLUG}`);
      assert.equal(res.statusCode, 200);
      const body = text(res.body);
      assert.match(body, /Thematic meeting on asylum and international protection/i);
      assert.match(body, /15–16 June 2015/);
      assert.match(body, /Rabat, Morocco/);
      assert.match(body, /Co-chairs Morocco, Spain/);
      assert.match(body, /Pillar 4: Promoting international protection \(Rome Programme/);
      assert.match(body, /Over 120 participants, nearly 50 countries/);
      const docs = [...res.body.matchAll(/data-testid="document"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1] ?? '').trim());
      // The agenda and the information note are in the library (demo documents): they are listed
      // with their files, and their entries that were not online give way to them.
      assert.equal(docs.length, 4);
      assert.match(docs[0] ?? '', /^Final report/);
      assert.match(docs[1] ?? '', /^List of participants/);
      assert.match(docs[3] ?? '', /^More documents/);
      const library = [...res.body.matchAll(/data-testid="library-document"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1] ?? '').trim());
      assert.equal(library.length, 2, 'the partners-only note is not listed');
      assert.match(library[0] ?? '', /^Agenda of the thematic meeting/);
      assert.match(res.body, /PDF · English · [\d.]+ kB · 2 pages/);
      assert.match(res.body, /<ol class="documents"/);
      assert.match(body, /Peter Sutherland/);
      assert.match(res.body, /data-testid="back-link"/);
      assert.match(res.body, /<link rel="alternate" hreflang="fr" href="http:\/\/diwan.test\/fr\/activities\/reunion-thematique/);
      assert.match(res.body, /<meta property="og:title" content="Thematic meeting on asylum/);
      assert.match(res.body, /<link rel="stylesheet" href="\/assets\/site-[0-9a-f]{12}\.css"/);
    });

    test('the same meeting in French, with French dates and figures', async () => {
      const res = await get(`/fr/activities/${FR_SLUG}`);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /<html lang="fr"/);
      const body = text(res.body);
      assert.match(body, /15–16 juin 2015/);
      assert.match(body, /Rabat, Maroc/);
      assert.match(body, /Maroc, Espagne/);
      assert.match(body, /Plus de 120 participants, près de 50 pays/);
      assert.match(body, /Rapport final/);
      assert.match(body, /Retour à la liste des activités/);
    });

    test('the activity page carries schema.org Event JSON-LD that parses', async () => {
      const res = await get(`/en/activities/${EN_SLUG}`);
      const m = res.body.match(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/);
      assert.ok(m, 'JSON-LD present');
      const data = JSON.parse(m[1] ?? '') as Record<string, unknown> & { location: { address: { addressCountry: string } } };
      assert.equal(data['@type'], 'Event');
      assert.equal(data.startDate, '2015-06-15');
      assert.equal(data.endDate, '2015-06-16');
      assert.equal(data.location.address.addressCountry, 'MA');
      assert.equal(data.eventAttendanceMode, 'https://schema.org/OfflineEventAttendanceMode');
      assert.equal(data.url, `http://diwan.test/en/activities/${EN_SLUG}`);
    });

    test('a slug of the other language redirects to this language’s slug, keeping the list state', async () => {
      const res = await get(`/fr/activities/${EN_SLUG}?back=type%3Dthematic_meeting`);
      assert.equal(res.statusCode, 301);
      assert.equal(res.headers.location, `/fr/activities/${FR_SLUG}?back=type%3Dthematic_meeting`);
    });

    test('the back link returns to the list exactly as it was filtered', async () => {
      const list = await get('/en/activities?type=thematic_meeting&year=2015');
      const href = list.body.match(new RegExp(`href="(/en/activities/${EN_SLUG}[^"]*)"`))?.[1];
      assert.ok(href, 'card links to the activity');
      const page = await get(href.replace(/&amp;/g, '&'));
      const back = page.body.match(/data-testid="back-link"[^>]*|href="([^"]+)"[^>]*data-testid="back-link"/);
      assert.ok(back);
      assert.match(page.body, /<a class="back" href="\/en\/activities\?type=thematic_meeting&(amp;)?year=2015"/);
    });

    test('the list filters by type, theme (with sub-themes), year, country and format, combined', async () => {
      const all = await get('/en/activities');
      assert.equal(all.statusCode, 200);
      const total = Number(text(all.body).match(/(\d+) activities found/)?.[1]);
      assert.ok(total >= 41, `at least 41 demo activities, got ${total}`);

      const thematic2015 = await get('/en/activities?type=thematic_meeting&year=2015');
      assert.match(text(thematic2015.body), /2 activities found/);

      const rome = await get('/en/activities?theme=rome-2014.p4');
      assert.match(rome.body, new RegExp(EN_SLUG));

      const marrakeshDomain = await get('/en/activities?theme=marrakesh-2018.d5');
      const webinar = await get('/en/activities?theme=marrakesh-2018.o10');
      const n = (html: string) => Number(text(html).match(/(\d+) activit(y|ies) found/)?.[1] ?? 0);
      assert.ok(n(webinar.body) >= 1, 'an activity carries objective 10');
      assert.ok(n(marrakeshDomain.body) >= n(webinar.body), 'a domain includes its objectives');

      const morocco = await get('/en/activities?country=MA&format=in_person');
      assert.match(morocco.body, new RegExp(EN_SLUG));
      const virtual = await get('/en/activities?format=virtual');
      assert.doesNotMatch(virtual.body, new RegExp(EN_SLUG));
      assert.ok(n(virtual.body) >= 3);

      // Each choice says how many activities it gives with the other filters; empty choices are left out.
      const y2015 = await get('/en/activities?year=2015');
      assert.match(y2015.body, /<option value="thematic_meeting">Thematic meeting \(2\)<\/option>/);
      assert.doesNotMatch(y2015.body, /<option value="training"/);
      assert.match(y2015.body, /<option value="2015" selected>2015 \(2\)<\/option>/);
      assert.match(y2015.body, /<option value="2019">2019 \(6\)<\/option>/, 'the year facet ignores the year filter itself');
      assert.match(y2015.body, /Promoting international protection \(1\)/);
      const fr = await get('/fr/activities?type=thematic_meeting');
      assert.match(fr.body, /<option value="MA">Maroc \(\d+\)<\/option>/);

      const combined = await get('/en/activities?type=thematic_meeting&country=MA&year=2015&format=in_person&theme=rome-2014.p4');
      assert.match(text(combined.body), /1 activity found/);
      assert.match(combined.body, /<option value="thematic_meeting" selected>/);
    });

    test('newest first, 20 per page, with pagination and a result count', async () => {
      const p1 = await get('/en/activities');
      const dates = [...p1.body.matchAll(/<time datetime="([\d-]+)"/g)].map((m) => m[1] ?? '');
      assert.equal(dates.length, 20);
      assert.deepEqual([...dates].sort().reverse(), dates);
      assert.match(p1.body, /rel="next"/);
      const p2 = await get('/en/activities?page=2');
      assert.equal(p2.statusCode, 200);
      assert.match(p2.body, /rel="prev"/);
      const dates2 = [...p2.body.matchAll(/<time datetime="([\d-]+)"/g)].map((m) => m[1] ?? '');
      assert.ok((dates2[0] ?? '') <= (dates.at(-1) ?? ''));
    });

    test('filters that match nothing give an empty state with a way out', async () => {
      const res = await get('/en/activities?type=training&year=2006');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /data-testid="empty-state"/);
      assert.match(text(res.body), /No activity found/);
      const fr = await get('/fr/activities?type=training&year=2006');
      assert.match(text(fr.body), /Aucune activité trouvée/);
    });

    test('invalid filter values show the list with a message, never a 500', async () => {
      const res = await get('/en/activities?type=banquet&year=20x5&country=ZZ&format=telepathy&theme=nope&page=-3');
      assert.equal(res.statusCode, 400);
      const body = text(res.body);
      assert.match(body, /Some filters were not understood/);
      for (const v of ['banquet', '20x5', 'ZZ', 'telepathy', 'nope', '-3']) assert.match(body, new RegExp(`“${v}”`));
      assert.match(res.body, /data-testid="activity-card"/, 'the unfiltered list is still shown');
      const fr = await get('/fr/activities?type=banquet');
      assert.match(text(fr.body), /le type « banquet » n’existe pas/);
      const xss = await get('/en/activities?type=%3Cscript%3Ealert(1)%3C/script%3E');
      assert.doesNotMatch(xss.body, /<script>alert/);
      assert.match(xss.body, /“&lt;script>alert\(1\)&lt;\/script>”/);
      const arr = await get('/en/activities?type=thematic_meeting&type=training');
      assert.equal(arr.statusCode, 200);
    });

    test('absurd page numbers give an empty page with a way back', async () => {
      for (const page of ['9999', '999999999']) {
        const res = await get(`/en/activities?type=thematic_meeting&page=${page}`);
        assert.equal(res.statusCode, 200);
        assert.match(res.body, /data-testid="page-empty"/);
        assert.match(res.body, /href="\/en\/activities\?type=thematic_meeting"/);
      }
      const huge = await get('/en/activities?page=99999999999999999999');
      assert.equal(huge.statusCode, 400);
    });

    test('unknown slug, unknown language and unknown paths give the 404 page in the right language', async () => {
      const a = await get('/en/activities/no-such-meeting');
      assert.equal(a.statusCode, 404);
      assert.match(text(a.body), /Page not found/);
      assert.equal(a.headers['cache-control'], 'private, no-store');
      const b = await get('/fr/activities/pas-de-reunion');
      assert.equal(b.statusCode, 404);
      assert.match(text(b.body), /Page introuvable/);
      const bad = await get('/fr/activities/%E0%A4%A');
      assert.equal(bad.statusCode, 400);
      assert.match(text(bad.body), /Requête incomprise/);
      for (const url of ['/de/activities', '/xx/', '/en/nothing-here', `/en/activities/${'a'.repeat(1000)}`, '/en/activities/UPPER_case!']) {
        const r = await get(url);
        assert.equal(r.statusCode, 404, url);
        assert.doesNotMatch(r.body, /at .*\.ts:\d+|Error:/);
      }
    });

    test('over-long query strings are refused cleanly', async () => {
      const res = await get(`/fr/activities?type=${'x'.repeat(5000)}`);
      assert.equal(res.statusCode, 414);
      assert.match(text(res.body), /Adresse trop longue/);
    });

    test('home shows latest activities, key figures and the upcoming state', async () => {
      const res = await get('/en/');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /data-testid="latest"/);
      assert.equal((res.body.match(/data-testid="activity-card"/g) ?? []).length >= 6, true);
      assert.match(text(res.body), /\d+ activities on record/);
      assert.match(text(res.body), /\d+ ministerial conferences/);
      const fr = await get('/fr/');
      assert.match(text(fr.body), /conférences ministérielles/);
      const root = await get('/', { 'accept-language': 'fr-FR,fr;q=0.9' });
      assert.equal(root.statusCode, 302);
      assert.equal(root.headers.location, '/fr/');
      const bare = await get('/en');
      assert.equal(bare.statusCode, 301);
    });

    test('an upcoming activity appears on the home page, and an edit shows at once', async () => {
      const before = await get('/en/');
      assert.match(before.body, /Thematic meeting on labour mobility and skills partnerships/, "the demo's upcoming meeting");
      assert.doesNotMatch(before.body, /Senior Officials’ Meeting in Abuja/);
      const year = new Date().getUTCFullYear() + 1;
      await saveActivity(t.db, {
        key: 'test-upcoming',
        type: 'senior_officials_meeting',
        status: 'announced',
        start_date: `${year}-03-10`,
        end_date: `${year}-03-11`,
        date_precision: 'day',
        format: 'hybrid',
        country: 'NG',
        t: {
          en: { title: 'Senior Officials’ Meeting in Abuja', slug: `som-abuja-${year}`, summary: 'A test meeting.', city: 'Abuja' },
          fr: { title: 'Réunion des hauts fonctionnaires à Abuja', slug: `rhf-abuja-${year}`, summary: 'Une réunion de test.', city: 'Abuja' },
        },
      });
      const after = await get('/en/');
      assert.match(after.body, /Senior Officials’ Meeting in Abuja/);
      await saveActivity(t.db, {
        key: 'test-upcoming',
        type: 'senior_officials_meeting',
        status: 'postponed',
        start_date: `${year}-03-10`,
        date_precision: 'day',
        format: 'hybrid',
        country: 'NG',
        t: { en: { title: 'Senior Officials’ Meeting in Abuja (new date to follow)', slug: `som-abuja-${year}`, summary: 'A test meeting.' } },
      });
      const page = await get(`/en/activities/som-abuja-${year}`);
      assert.match(page.body, /new date to follow/);
      const fr = await get(`/fr/activities/som-abuja-${year}`);
      assert.equal(fr.statusCode, 200, 'an untranslated activity is shown in the language it exists in');
      assert.match(text(fr.body), /n’a pas encore été traduite en français/);
    });

    test('anonymous pages set no cookie, carry Cache-Control and ETag, answer 304 and gzip', async () => {
      for (const url of ['/en/', '/fr/activities', `/en/activities/${EN_SLUG}`]) {
        const res = await get(url, { 'accept-encoding': 'gzip' });
        assert.equal(res.statusCode, 200, url);
        assert.equal(res.headers['set-cookie'], undefined);
        assert.equal(res.headers['cache-control'], 'public, max-age=0, must-revalidate');
        assert.equal(res.headers['content-encoding'], 'gzip');
        assert.match(String(res.headers.etag), /^"[\w-]+"$/);
        assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
        assert.match(gunzipSync(res.rawPayload).toString('utf8'), /^<!doctype html>/);
        const again = await get(url, { 'if-none-match': String(res.headers.etag) });
        assert.equal(again.statusCode, 304, url);
      }
      const br = await get('/en/activities', { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(br.headers['content-encoding'], 'br');
      const raw = await get('/en/activities');
      assert.equal(raw.headers['content-encoding'], undefined);
    });

    test('every page weighs at most 100 KB compressed with its assets, and loads nothing from elsewhere', async () => {
      for (const url of ['/en/', '/fr/activities', `/en/activities/${EN_SLUG}`, `/fr/activities/${FR_SLUG}`]) {
        const page = await get(url, { 'accept-encoding': 'gzip' });
        const html = gunzipSync(page.rawPayload).toString('utf8');
        const assets = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
        assert.ok(assets.length >= 1);
        let total = page.rawPayload.length;
        for (const a of assets) total += (await get(a, { 'accept-encoding': 'gzip' })).rawPayload.length;
        assert.ok(total <= 100 * 1024, `${url} weighs ${total} bytes`);
        assert.ok(html.length <= 100 * 1024, `${url} HTML ${html.length} bytes uncompressed`);
        assert.doesNotMatch(html, /(?:src|href)="(?:https?:)?\/\/(?!diwan\.test)[^"]*\.(?:css|js|woff2?)/);
        assert.doesNotMatch(html, /<script(?! type="application\/ld\+json")/);
      }
      const css = await get('/assets/site-000000000000.css');
      assert.equal(css.statusCode, 404);
    });

    test('stylesheet is served compressed and immutable', async () => {
      const page = await get('/en/');
      const href = page.body.match(/href="(\/assets\/site-[0-9a-f]+\.css)"/)?.[1] ?? '';
      const css = await get(href, { 'accept-encoding': 'gzip' });
      assert.equal(css.statusCode, 200);
      assert.equal(css.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(String(css.headers['content-type']), /text\/css/);
      assert.match(gunzipSync(css.rawPayload).toString(), /@media print/);
    });

    test('/healthz reports the database', async () => {
      const res = await get('/healthz');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), { status: 'ok', database: 'ok', dialect });
    });

    test('a meeting still marked announced after its dates is shown as held, in the list and on its page, and the dashboard asks the editors to correct it', async () => {
      const row = await t.db.selectFrom('activities as a').innerJoin('activity_translations as tr', 'tr.activity_id', 'a.id').select(['a.id', 'a.status', 'a.start_date', 'a.end_date', 'a.date_precision', 'tr.slug', 'tr.title']).where('tr.lang', '=', 'en').where('a.workflow', '=', 'published').where('a.start_date', 'like', '2021-%').executeTakeFirstOrThrow();
      await t.db.updateTable('activities').set({ status: 'announced' }).where('id', '=', row.id).execute();
      t.app.diwan.cache.clear();
      try {
        const page = await get(`/en/activities/${row.slug}`);
        assert.equal(page.statusCode, 200);
        assert.match(text(page.body), /Status Held/);
        assert.doesNotMatch(text(page.body), /Announced/);
        const fr = await get(`/fr/activities?year=2021`);
        assert.doesNotMatch(fr.body, /status-announced/);
        await createUser(t.db, { email: 'stale.editor@example.org', password: 'editor window stale 1', role: 'editor', displayName: 'Eda' });
        const editor = new TestClient(t.app);
        await editor.login('stale.editor@example.org', 'editor window stale 1');
        const dash = await editor.get('/admin/');
        assert.match(dash.body, /data-testid="stale-status"/);
        assert.ok(dash.body.includes(`/admin/activities/${row.id}`), 'the record is listed for correction');
      } finally {
        await t.db.updateTable('activities').set({ status: row.status }).where('id', '=', row.id).execute();
        t.app.diwan.cache.clear();
      }
    });
  });
}
