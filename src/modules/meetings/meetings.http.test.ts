/**
 * A meeting's agenda end to end over HTTP, on both databases: the back-office (time zone, sessions
 * in parallel groups, people, documents; every form's bad input; who may do what), the public
 * agenda page in both languages, and the calendar files read back by a real iCalendar parser.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { extractText, getDocumentProxy } from 'unpdf';
import { createUser } from '../auth/index.js';
import { AGENDA_PDF_JOB } from './meetings.print.js';
import { savePractical } from './meetings.commands.js';
import { DEMO_MEETING_KEY } from './demo/demo-seeder.js';

const PASSWORD = 'correct horse battery staple';

/** The events of a calendar file, as a parser reads them. */
function events(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, summary: e.summary, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), allDay: e.startDate.isDate, location: e.location };
  });
}

for (const dialect of await dialectsUnderTest()) {
  describe(`meeting agenda (${dialect})`, () => {
    let t: TestApp;
    let organiser: TestClient;
    let editor: TestClient;
    let focal: TestClient;
    let meeting: { id: number; en: string; fr: string };
    let draft: number;

    /** A demo activity made a meeting on 10-11 March of next year (published or not). */
    async function makeMeeting(published: boolean, offset: number): Promise<{ id: number; en: string; fr: string }> {
      const row = await t.db
        .selectFrom('activities')
        .select('id')
        .where('workflow', '=', 'published')
        .where('key', '!=', DEMO_MEETING_KEY)
        .orderBy('id', 'desc')
        .limit(1)
        .offset(offset)
        .executeTakeFirstOrThrow();
      const year = new Date().getUTCFullYear() + 1;
      await t.db
        .updateTable('activities')
        .set({ start_date: `${year}-03-10`, end_date: `${year}-03-11`, date_precision: 'day', status: 'announced', workflow: published ? 'published' : 'draft', published_at: published ? new Date(Date.now() - 60_000).toISOString() : null })
        .where('id', '=', row.id)
        .execute();
      const slugs = await t.db.selectFrom('activity_translations').select(['lang', 'slug']).where('activity_id', '=', row.id).execute();
      return { id: row.id, en: slugs.find((s) => s.lang === 'en')!.slug, fr: slugs.find((s) => s.lang === 'fr')!.slug };
    }
    const year = new Date().getUTCFullYear() + 1;
    const day1 = `${year}-03-10`;
    const day2 = `${year}-03-11`;
    const base = (id: number) => `/admin/activities/${id}/agenda`;
    const session = (fields: Record<string, string | string[]>) => ({ day: day1, starts: '09:00', ends: '10:30', kind: 'plenary', track: '0', room: '', t_en_title: '', t_fr_title: '', ...fields });

    before(async () => {
      t = await createTestApp(dialect, { demo: true });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'SN' });
      organiser = new TestClient(t.app);
      editor = new TestClient(t.app);
      focal = new TestClient(t.app);
      await organiser.login('org@example.org', PASSWORD);
      await editor.login('editor@example.org', PASSWORD);
      await focal.login('fp@example.org', PASSWORD);
      meeting = await makeMeeting(true, 0);
      draft = (await makeMeeting(false, 1)).id;
    });
    after(async () => t?.close());

    test('an organiser builds a two-day agenda with parallel groups; the public reads it and adds it to a calendar', async () => {
      const page = await organiser.get(base(meeting.id));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Set the venue(&#39;|')s time zone first/);
      const zone = await organiser.post(`${base(meeting.id)}/time-zone`, { _csrf: csrfToken(page.body), time_zone: 'Europe/Madrid' });
      assert.equal(zone.statusCode, 303);
      const add = async (fields: Record<string, string | string[]>) => {
        const r = await organiser.submit(`${base(meeting.id)}/sessions/new`, `${base(meeting.id)}/sessions/new`, session(fields));
        assert.equal(r.statusCode, 303, r.body.slice(0, 2000));
      };
      await add({ kind: 'opening', t_en_title: 'Opening plenary', t_fr_title: 'Séance plénière d’ouverture', room: 'Hall A', person_0_role: 'chair', person_0_name: 'Awa Diop', person_0_affiliation: 'Ministry of Foreign Affairs, Senegal' });
      await add({ starts: '11:00', ends: '12:30', kind: 'working_group', track: '1', t_en_title: 'Working group on legal pathways', t_fr_title: 'Groupe de travail sur les voies légales', room: 'Room 1' });
      await add({ starts: '11:00', ends: '12:30', kind: 'working_group', track: '2', t_en_title: 'Working group on return and reintegration', room: 'Room 2' });
      await add({ day: day2, starts: '14:00', ends: '17:00', kind: 'closing', t_en_title: 'Closing session', t_fr_title: 'Séance de clôture' });

      const admin = await organiser.get(base(meeting.id));
      assert.equal((admin.body.match(/\/sessions\/\d+"/g) ?? []).length, 4, 'four sessions listed in the back-office');

      const en = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      assert.equal(en.statusCode, 200);
      assert.match(en.body, /Opening plenary/);
      assert.match(en.body, /Chair<\/span>: <strong>Awa Diop<\/strong>/);
      assert.match(en.body, /aria-label="Parallel sessions"/);
      assert.match(en.body, /Times are local to the venue \(Europe\/Madrid, (GMT\+1|CET)\)/);
      assert.equal((en.body.match(/data-testid="agenda-session"/g) ?? []).length, 4);
      const fr = await t.app.inject(`/fr/activities/${meeting.fr}/agenda`);
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /Ordre du jour/);
      assert.match(fr.body, /Séance plénière d’ouverture/);
      // A session without French text shows its English title, marked as English.
      assert.match(fr.body, /<h3 lang="en">Working group on return and reintegration<\/h3>/);
      assert.match(fr.body, /mardi 10 mars|mercredi 10 mars|jeudi 10 mars|vendredi 10 mars|samedi 10 mars|dimanche 10 mars|lundi 10 mars/);

      const activity = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.match(activity.body, new RegExp(`href="/en/activities/${meeting.en}/agenda"`));
      assert.match(activity.body, new RegExp(`href="/en/activities/${meeting.en}/calendar.ics"`));

      const ics = await t.app.inject(`/en/activities/${meeting.en}/calendar.ics`);
      assert.equal(ics.statusCode, 200);
      assert.match(String(ics.headers['content-type']), /^text\/calendar/);
      const all = events(ics.body);
      assert.equal(all.length, 5, 'the meeting and its four sessions');
      const opening = all.find((e) => /^Opening plenary/.test(e.summary))!;
      assert.equal(opening.start, `${day1}T08:00:00.000Z`, '09:00 in Madrid in March is 08:00 UTC');
      assert.equal(opening.end, `${day1}T09:30:00.000Z`);
      assert.match(opening.location, /^Hall A/);
      const whole = all.find((e) => e.uid === `activity-${meeting.id}@${new URL(t.app.diwan.baseUrl).host}`)!;
      assert.equal(whole.start, `${day1}T08:00:00.000Z`);
      assert.equal(whole.end, `${day2}T16:00:00.000Z`);

      const id = Number(/sessions\/(\d+)"[^>]*>Closing session/.exec(admin.body)?.[1]);
      const one = events((await t.app.inject(`/en/activities/${meeting.en}/calendar.ics?session=${id}`)).body);
      assert.deepEqual(one.map((e) => e.start), [`${day2}T13:00:00.000Z`]);
      for (const bad of ['0x1', '1e0', '%201', '999999', '-1']) assert.equal((await t.app.inject(`/en/activities/${meeting.en}/calendar.ics?session=${bad}`)).statusCode, 404, `session=${bad}`);
    });

    test('an edit is on the public agenda at once, though the page was cached', async () => {
      const before = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      assert.match(before.body, /Closing session/);
      await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      const admin = await organiser.get(base(meeting.id));
      const id = Number(/sessions\/(\d+)"[^>]*>Closing session/.exec(admin.body)?.[1]);
      const r = await organiser.submit(`${base(meeting.id)}/sessions/${id}`, `${base(meeting.id)}/sessions/${id}`, session({ day: day2, starts: '14:00', ends: '17:30', kind: 'closing', t_en_title: 'Closing session and adoption of conclusions' }));
      assert.equal(r.statusCode, 303);
      const after = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      assert.match(after.body, /Closing session and adoption of conclusions/);
      assert.match(after.body, /14:00–17:30/);
    });

    test('a session left outside the meeting’s days when they change is not public, and the back-office says so', async () => {
      const row = await t.db.selectFrom('activities').select('end_date').where('id', '=', meeting.id).executeTakeFirstOrThrow();
      await t.db.updateTable('activities').set({ end_date: null }).where('id', '=', meeting.id).execute();
      t.app.diwan.cache.clear();
      try {
        const agenda = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
        assert.doesNotMatch(agenda.body, /Closing session/, 'the second day is no longer the meeting’s');
        const ics = await t.app.inject(`/en/activities/${meeting.en}/calendar.ics`);
        assert.doesNotMatch(ics.body, /Closing session/);
        assert.match((await organiser.get(base(meeting.id))).body, /data-testid="sessions-outside"[^>]*>One session is outside the meeting’s days/);
      } finally {
        await t.db.updateTable('activities').set({ end_date: row.end_date }).where('id', '=', meeting.id).execute();
        t.app.diwan.cache.clear();
      }
    });

    test('the printed agenda: made by a job once per version, then downloaded; a server without Chromium says so', async () => {
      const pdfUrl = `/en/activities/${meeting.en}/agenda.pdf`;
      const agenda = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      assert.match(agenda.body, new RegExp(`href="${pdfUrl.replace(/[.]/g, '\\.')}"`));
      const first = await t.app.inject(pdfUrl);
      assert.equal(first.statusCode, 202);
      assert.equal(first.headers.refresh, undefined, 'no automatic reload');
      assert.match(first.body, /data-testid="agenda-pdf-again"/);
      assert.match(first.body, /The printed agenda is being prepared/);
      await t.app.inject(pdfUrl); // asked twice: still one job
      await t.app.diwan.jobs.drain({ names: [AGENDA_PDF_JOB], timeoutMs: 120_000 });
      const ready = await t.app.inject(pdfUrl);
      assert.equal(ready.statusCode, 200, ready.body.slice(0, 500));
      assert.equal(ready.headers['content-type'], 'application/pdf');
      assert.equal(ready.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const { text } = await extractText(await getDocumentProxy(new Uint8Array(ready.rawPayload)), { mergePages: true });
      assert.match(text, /Opening plenary/);
      assert.match(text, /Awa Diop/);
      assert.match(text, /Working group on legal pathways/);
      // An edit makes the printed copy stale: the next request prepares it again.
      const admin = await organiser.get(base(meeting.id));
      const id = Number(/sessions\/(\d+)"[^>]*>Opening plenary/.exec(admin.body)?.[1]);
      await organiser.submit(`${base(meeting.id)}/sessions/${id}`, `${base(meeting.id)}/sessions/${id}`, session({ kind: 'opening', t_en_title: 'Opening plenary (moved)', starts: '09:15', ends: '10:30' }));
      assert.equal((await t.app.inject(pdfUrl)).statusCode, 202);
      const config = t.app.diwan.config as { chromiumPath: string };
      const chromium = config.chromiumPath;
      config.chromiumPath = '';
      try {
        const none = await t.app.inject(pdfUrl);
        assert.equal(none.statusCode, 503);
        assert.match(none.body, /This server cannot make PDFs at the moment/);
        assert.doesNotMatch((await t.app.inject(`/fr/activities/${meeting.fr}/agenda`)).body, /agenda\.pdf/, 'no link to a PDF that cannot be made');
      } finally {
        config.chromiumPath = chromium;
      }
    });

    test('practical information: saved per language, shown on the upcoming meeting’s page with its local time, long notes refused with the rest kept', async () => {
      const saved = await organiser.submit(base(meeting.id), `${base(meeting.id)}/practical`, {
        p_en_address: 'Palacio de Congresos, Paseo de la Castellana 99, Madrid',
        p_en_contact: 'Secretariat: secretariat@example.org',
        p_en_notes: 'Take the metro to Santiago Bernabéu.\n\nDelegates who need a visa <b>should</b> write early.',
        p_fr_address: 'Palais des congrès, Paseo de la Castellana 99, Madrid',
        p_fr_contact: '',
        p_fr_notes: 'Métro Santiago Bernabéu.',
      });
      assert.equal(saved.statusCode, 303);
      const en = await t.app.inject(`/en/activities/${meeting.en}`);
      assert.match(en.body, /data-testid="practical"/);
      assert.match(en.body, /Palacio de Congresos, Paseo de la Castellana 99, Madrid/);
      assert.match(en.body, /<dd>Europe\/Madrid<\/dd>/);
      assert.match(en.body, /<p>Take the metro to Santiago Bernabéu.<\/p><p>Delegates who need a visa &lt;b>should&lt;\/b> write early.<\/p>/);
      const fr = await t.app.inject(`/fr/activities/${meeting.fr}`);
      assert.match(fr.body, /Informations pratiques/);
      assert.match(fr.body, /Palais des congrès/);
      const tooLong = await organiser.submit(base(meeting.id), `${base(meeting.id)}/practical`, { p_en_address: 'Kept address', p_en_notes: 'x'.repeat(4001) });
      assert.equal(tooLong.statusCode, 400);
      assert.match(tooLong.body, /Notes for participants \(English\) must be at most 4,000 characters long|notes for participants \(English\) must be at most 4,000 characters long/);
      assert.match(tooLong.body, /value="Kept address"/);
      assert.match((await t.app.inject(`/en/activities/${meeting.en}`)).body, /Palacio de Congresos/, 'nothing was changed by the refused form');
      assert.equal((await editor.submit(base(meeting.id), `${base(meeting.id)}/practical`, { p_en_address: 'Editor' })).statusCode, 403);
    });

    test('bad input is refused field by field, in the reader’s language, with the rest kept, and nothing saved', async () => {
      const count = async () => Number((await t.db.selectFrom('agenda_sessions').select((eb) => eb.fn.countAll().as('n')).where('activity_id', '=', meeting.id).executeTakeFirstOrThrow()).n);
      const before = await count();
      const cases: [Record<string, string | string[]>, RegExp][] = [
        [{ day: `${year}-03-12`, t_en_title: 'Kept title' }, /Choose a day of the meeting, between/],
        [{ day: `${year}-02-30`, t_en_title: 'Kept title' }, /Enter the day as YYYY-MM-DD, a real date/],
        [{ starts: '25:00', t_en_title: 'Kept title' }, /Enter the start time as HH:MM on the 24-hour clock/],
        [{ starts: '10:00', ends: '09:00', t_en_title: 'Kept title' }, /The session must end after it starts/],
        [{ t_en_title: '' }, /Give it a title in at least one language/],
        [{ kind: 'banquet', t_en_title: 'Kept title' }, /Choose the kind of session from the list/],
        [{ track: '12', t_en_title: 'Kept title' }, /Choose the parallel group from the list/],
        [{ t_en_title: 'x'.repeat(301) }, /must be at most 300 characters long/],
        [{ t_en_title: 'Kept title', person_0_name: 'Someone' }, /Choose the role of person 1 from the list/],
        [{ t_en_title: 'Kept title', person_2_affiliation: 'An institution' }, /Enter the name of person 3/],
        [{ t_en_title: 'Kept title', documents: ['999999'] }, /Choose documents from the meeting(&#39;|')s list/],
        [{ t_en_title: 'Kept title', documents: ['0x1'] }, /Choose documents from the meeting(&#39;|')s list/],
      ];
      for (const [fields, message] of cases) {
        const r = await organiser.submit(`${base(meeting.id)}/sessions/new`, `${base(meeting.id)}/sessions/new`, session(fields));
        assert.equal(r.statusCode, 400, JSON.stringify(fields).slice(0, 100));
        assert.match(r.body, message);
        if (fields.t_en_title === 'Kept title') assert.match(r.body, /value="Kept title"/, 'what was typed is kept');
      }
      const frPage = await organiser.get(`${base(meeting.id)}/sessions/new?lang=fr`, { 'accept-language': 'fr' });
      const frResult = await organiser.post(`${base(meeting.id)}/sessions/new?lang=fr`, { _csrf: csrfToken(frPage.body), ...session({ starts: '10:00', ends: '09:00', t_fr_title: 'Titre gardé' }) }, { 'accept-language': 'fr' });
      assert.equal(frResult.statusCode, 400);
      assert.match(frResult.body, /La séance doit finir après son début/);
      assert.match(frResult.body, /value="Titre gardé"/);
      const zone = await organiser.submit(base(meeting.id), `${base(meeting.id)}/time-zone`, { time_zone: 'Mars/Olympus_Mons' });
      assert.equal(zone.statusCode, 400);
      assert.match(zone.body, /Enter a time zone the calendar knows/);
      assert.match(zone.body, /value="Mars\/Olympus_Mons"/);
      // Right-to-left, emoji and a formula are text like any other, shown escaped.
      const odd = await organiser.submit(`${base(meeting.id)}/sessions/new`, `${base(meeting.id)}/sessions/new`, session({ day: day2, starts: '08:00', ends: '08:45', kind: 'side_event', t_en_title: '<script>alert(1)</script> الهجرة 🙂 =HYPERLINK("x")' }));
      assert.equal(odd.statusCode, 303);
      const pub = await t.app.inject(`/en/activities/${meeting.en}/agenda`);
      assert.ok(!pub.body.includes('<script>alert(1)</script>'));
      assert.match(pub.body, /<h3>&lt;script>alert\(1\)&lt;\/script> الهجرة 🙂 =HYPERLINK\(&#34;x&#34;\)<\/h3>/, 'shown as text, escaped');
      assert.equal(await count(), before + 1, 'only the valid session was saved');
    });

    test('who may do what: the organiser builds, an editor only before publication, a focal point and anonymous visitors never; a draft meeting has no public agenda', async () => {
      assert.equal((await t.app.inject(base(meeting.id))).statusCode, 303, 'anonymous: to the sign-in page');
      assert.equal((await focal.get(base(meeting.id))).statusCode, 403);
      assert.equal((await editor.get(base(meeting.id))).statusCode, 200, 'an editor sees the agenda');
      const denied = await editor.submit(base(meeting.id), `${base(meeting.id)}/sessions/new`, session({ t_en_title: 'Not allowed' }));
      assert.equal(denied.statusCode, 403, 'but may not change a published meeting’s agenda without the right to publish');
      const noCsrf = await organiser.post(`${base(meeting.id)}/sessions/new`, session({ t_en_title: 'No token' }));
      assert.equal(noCsrf.statusCode, 403, 'a form without its CSRF token is refused');
      // The draft meeting: editors build its agenda; the public sees nothing of it.
      const zone = await editor.submit(base(draft), `${base(draft)}/time-zone`, { time_zone: 'Africa/Dakar' });
      assert.equal(zone.statusCode, 303);
      const added = await editor.submit(`${base(draft)}/sessions/new`, `${base(draft)}/sessions/new`, session({ t_en_title: 'Draft session' }));
      assert.equal(added.statusCode, 303);
      const slug = (await t.db.selectFrom('activity_translations').select('slug').where('activity_id', '=', draft).where('lang', '=', 'en').executeTakeFirstOrThrow()).slug;
      assert.equal((await t.app.inject(`/en/activities/${slug}/agenda`)).statusCode, 404);
      assert.equal((await t.app.inject(`/en/activities/${slug}/calendar.ics`)).statusCode, 404);
      // A session of one meeting is not reachable through another's address.
      const other = Number(/sessions\/(\d+)"/.exec((await editor.get(base(draft))).body)?.[1]);
      assert.equal((await organiser.get(`${base(meeting.id)}/sessions/${other}`)).statusCode, 404);
      const moved = await organiser.submit(base(meeting.id), `${base(meeting.id)}/sessions/${other}`, session({ t_en_title: 'Hijack' }));
      assert.equal(moved.statusCode, 404);
      for (const bad of ['0x1', '1e0', '01', 'abc']) assert.equal((await organiser.get(`/admin/activities/${bad}/agenda`)).statusCode, 404, bad);
      const removed = await organiser.submit(base(meeting.id), `${base(meeting.id)}/sessions/${other}/delete`, {});
      assert.equal(removed.statusCode, 404);
      assert.ok(await t.db.selectFrom('agenda_sessions').select('id').where('id', '=', other).executeTakeFirst(), 'still there');
    });
    test('two saves of the practical information at once (a double click) both succeed, the last one kept', async () => {
      const info = (n: number) => ({ en: { address: `Hall ${n}`, contact: '', notes: '' }, fr: { address: `Salle ${n}`, contact: '', notes: '' } });
      await Promise.all([1, 2, 3, 4].map((n) => savePractical(t.db, { id: draft, workflow: 'draft' }, info(n), null)));
      const rows = await t.db.selectFrom('meeting_practical').select(['lang', 'address']).where('activity_id', '=', draft).orderBy('lang').execute();
      assert.equal(rows.length, 2);
      await savePractical(t.db, { id: draft, workflow: 'draft' }, { en: { address: 'Hall 9', contact: '', notes: '' }, fr: { address: '', contact: '', notes: '' } }, null);
      assert.deepEqual(await t.db.selectFrom('meeting_practical').select(['lang', 'address']).where('activity_id', '=', draft).execute(), [{ lang: 'en', address: 'Hall 9' }]);
    });
  });
}
