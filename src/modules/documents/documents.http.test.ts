import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { TestClient, csrfToken } from '../../../test/helpers/client.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { makeDocx, makeHtml, makeMismatched, makePdf, makePng, makePptx, makeSvgWithScript, makeTruncatedPdf, makeZipBombDocx } from '../../platform/files/test-files.js';
import { createUser } from '../auth/index.js';
import { multipart } from '../../../test/helpers/multipart.js';
import { collectUnreferencedFiles } from './documents.collect.js';
import { sweepExtractionCopies } from './documents.jobs.js';

const PASSWORD = 'correct horse battery staple';
const MAX_UPLOAD = 2 * 1024 * 1024;

/** Every file under a folder, recursively (empty when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

for (const dialect of await dialectsUnderTest()) {
  describe(`document library (${dialect})`, () => {
    let t: TestApp;
    let editor: TestClient;
    let admin: TestClient;
    let focal: TestClient;
    let organiser: TestClient;
    const drain = () => t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
    /** The index follows change events in the background: waits until a check passes. */
    const eventually = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 150; i++) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.fail(`not within 3 s: ${what}`);
    };
    const cookie = (c: TestClient) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

    async function upload(client: TestClient, docId: number, files: { lang: string; filename: string; content: Buffer }[], status = 'adopted') {
      const page = await client.get(`/admin/documents/${docId}`);
      const body = multipart([
        { name: '_csrf', value: csrfToken(page.body) },
        { name: 'file_status', value: status },
        ...files.map((f) => ({ name: `file_${f.lang}`, filename: f.filename, content: f.content })),
      ]);
      return t.app.inject({ method: 'POST', url: `/admin/documents/${docId}/files`, payload: body.payload, headers: { cookie: cookie(client), 'content-type': body.contentType } });
    }

    async function createDoc(client: TestClient, fields: Record<string, string | string[]>) {
      const res = await client.submit('/admin/documents/new', '/admin/documents', { version: '0', ...fields });
      assert.equal(res.statusCode, 303, res.body.slice(0, 2000));
      return Number(String(res.headers.location).match(/documents\/(\d+)/)?.[1]);
    }

    async function publish(id: number) {
      const page = await admin.get(`/admin/documents/${id}`);
      const res = await admin.post(`/admin/documents/${id}/workflow`, { _csrf: csrfToken(page.body), action: 'publish' });
      assert.equal(res.statusCode, 303, res.body.slice(0, 1000));
    }

    async function storedState() {
      const rows = Number((await t.db.selectFrom('document_files').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
      return { rows, files: filesUnder(path.join(t.config.dataDir, 'files')).length, temporaries: filesUnder(path.join(t.config.dataDir, 'tmp', 'uploads')).length };
    }

    before(async () => {
      t = await createTestApp(dialect, { config: { maxUploadBytes: MAX_UPLOAD } });
      await createUser(t.db, { email: 'editor@example.org', password: PASSWORD, role: 'editor' });
      await createUser(t.db, { email: 'admin@example.org', password: PASSWORD, role: 'admin' });
      await createUser(t.db, { email: 'fp@example.org', password: PASSWORD, role: 'focal_point', countryCode: 'MA' });
      await createUser(t.db, { email: 'org@example.org', password: PASSWORD, role: 'organiser' });
      editor = new TestClient(t.app);
      admin = new TestClient(t.app);
      focal = new TestClient(t.app);
      organiser = new TestClient(t.app);
      await editor.login('editor@example.org', PASSWORD);
      await admin.login('admin@example.org', PASSWORD);
      await focal.login('fp@example.org', PASSWORD);
      await organiser.login('org@example.org', PASSWORD);
    });
    after(async () => t?.close());

    test('an editor describes a report, uploads it in English and French, and the public finds, reads and downloads it', async () => {
      const bad = await editor.submit('/admin/documents/new', '/admin/documents', { version: '0', type: 'nonsense', doc_date: '2015-02-30', access: 'public', t_en_title: 'Report of the Rabat meeting', activities: 'no-such-activity' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#type"/);
      assert.match(bad.body, /Enter the date as YYYY-MM-DD/);
      assert.match(bad.body, /No activity has the address no-such-activity/);
      assert.match(bad.body, /value="Report of the Rabat meeting"/, 'what was typed is kept');
      assert.equal(Number((await t.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).where('key', 'is', null).executeTakeFirst())?.n), 0, 'nothing written');

      const activity = await t.db.selectFrom('activity_translations').innerJoin('activities', 'activities.id', 'activity_translations.activity_id').select(['activity_translations.slug', 'activities.id']).where('activities.workflow', '=', 'published').where('activity_translations.lang', '=', 'en').orderBy('activities.id').executeTakeFirstOrThrow();
      const id = await createDoc(editor, {
        type: 'final_report',
        doc_date: '2015-06-15',
        reference: 'RP/2015/1',
        access: 'public',
        activities: `https://example.org/en/activities/${activity.slug}`,
        countries: ['MA', 'SN'],
        t_en_title: 'Final report of the senior officials meeting',
        t_en_description: 'What the meeting agreed, in brief.',
        t_fr_title: 'Rapport final de la réunion des hauts fonctionnaires',
        t_fr_description: 'Ce que la réunion a décidé.',
      });
      const pdf = await makePdf([['The senior officials adopted the action plan.'], ['They reviewed circular mobility and the protection of refugees.']]);
      const docx = makeDocx(['Les délégations ont examiné la coopération transfrontalière et la mobilité circulaire.', 'Élaboré à Rabat.']);
      const res = await upload(editor, id, [
        { lang: 'en', filename: 'C:\\Users\\me\\Final report (EN).pdf', content: pdf },
        { lang: 'fr', filename: 'rapport-final.docx', content: docx },
      ]);
      assert.equal(res.statusCode, 303, res.body.slice(0, 3000));
      const files = await t.db.selectFrom('document_files').selectAll().where('document_id', '=', id).orderBy('lang').execute();
      assert.deepEqual(files.map((f) => [f.lang, f.kind, f.file_name, f.text_state]), [
        ['en', 'pdf', 'Final report (EN).pdf', 'pending'],
        ['fr', 'docx', 'rapport-final.docx', 'pending'],
      ]);
      const waiting = await editor.get(`/admin/documents/${id}`);
      assert.match(waiting.body, /Being read/);
      await drain();
      const read = await t.db.selectFrom('document_files').select(['lang', 'text_state', 'pages', 'text_error']).where('document_id', '=', id).orderBy('lang').execute();
      assert.deepEqual(read.map((f) => [f.lang, f.text_state, f.pages]), [
        ['en', 'done', 2],
        ['fr', 'done', null],
      ]);
      const text = await t.db.selectFrom('document_texts').innerJoin('document_files', 'document_files.id', 'document_texts.file_id').select(['document_texts.text']).where('document_files.lang', '=', 'fr').where('document_files.document_id', '=', id).executeTakeFirstOrThrow();
      assert.match(text.text, /Élaboré à Rabat/, 'French accents are kept');

      assert.equal((await t.app.inject('/en/documents/final-report-of-the-senior-officials-meeting')).statusCode, 404, 'a draft is not public');
      await publish(id);
      const page = await t.app.inject('/en/documents/final-report-of-the-senior-officials-meeting');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Final report of the senior officials meeting/);
      assert.match(page.body, /RP\/2015\/1/);
      assert.match(page.body, /PDF · English · [\d.]+ kB · 2 pages/);
      assert.match(page.body, /Word · French/);
      assert.match(page.body, new RegExp(`href="/en/activities/${activity.slug}"`));
      const fr = await t.app.inject('/fr/documents/rapport-final-de-la-reunion-des-hauts-fonctionnaires');
      assert.equal(fr.statusCode, 200);
      assert.match(fr.body, /PDF · anglais|PDF · English/);

      // A word only inside the French file, searched in French without its accents.
      await eventually(async () => /Rapport final de la réunion des hauts fonctionnaires/.test((await t.app.inject('/fr/search?q=transfrontaliere')).body), 'found by a word inside the French file');
      const library = await t.app.inject('/fr/documents?q=mobilit%C3%A9');
      assert.match(library.body, /data-testid="library-count">1 document</);
      assert.match(library.body, /<mark>mobilité<\/mark> circulaire/, 'the passage from inside the file, the word marked');
      const facets = await t.app.inject('/en/documents');
      assert.match(facets.body, /data-testid="facet-type"/);
      assert.match(facets.body, /Final report<\/a> <span class="muted">\(1\)<\/span>/);
      assert.match(facets.body, /Morocco<\/a> <span class="muted">\(1\)<\/span>/);

      // The activity it belongs to lists it near the top, with a direct download per language.
      const act = await t.app.inject(`/en/activities/${activity.slug}`);
      assert.match(act.body, /data-testid="activity-library"/);
      assert.match(act.body, /href="\/en\/documents\/final-report-of-the-senior-officials-meeting">Final report of the senior officials meeting<\/a>/);
      assert.match(act.body, new RegExp(`href="/files/${files[0]!.id}/`));
      assert.ok(act.body.indexOf('data-testid="activity-library"') < act.body.indexOf('data-testid="narrative"') || !act.body.includes('data-testid="narrative"'), 'before the narrative');

      const enFile = files[0]!;
      const download = await t.app.inject(`/files/${enFile.id}/x`);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.match(String(download.headers['content-disposition']), /^attachment; filename="Final report \(EN\).pdf"; filename\*=UTF-8''Final%20report%20%28EN%29.pdf$/);
      assert.match(String(download.headers['cache-control']), /^public/);
      assert.equal(download.rawPayload.length, pdf.length);
      assert.ok(download.rawPayload.equals(pdf));
      const etag = String(download.headers.etag);
      assert.equal((await t.app.inject({ url: `/files/${enFile.id}/x`, headers: { 'if-none-match': etag } })).statusCode, 304);
      const range = await t.app.inject({ url: `/files/${enFile.id}/x`, headers: { range: 'bytes=0-7' } });
      assert.equal(range.statusCode, 206);
      assert.equal(range.headers['content-range'], `bytes 0-7/${pdf.length}`);
      assert.ok(range.rawPayload.equals(pdf.subarray(0, 8)));
      assert.equal((await t.app.inject({ url: `/files/${enFile.id}/x`, headers: { range: `bytes=${pdf.length + 10}-` } })).statusCode, 416);
      const frFile = files[1]!;
      const frDownload = await t.app.inject(`/files/${frFile.id}/rapport.docx`);
      assert.match(String(frDownload.headers['content-disposition']), /filename\*=UTF-8''rapport-final.docx/);

      // A new English file becomes the current one; the first is kept as version 1.
      const replaced = await upload(editor, id, [{ lang: 'en', filename: 'final-report-v2.pptx', content: makePptx(['Slide one', 'Diapositive deux'] ) }], 'draft');
      assert.equal(replaced.statusCode, 303);
      await drain();
      const after = await t.app.inject('/en/documents/final-report-of-the-senior-officials-meeting');
      assert.match(after.body, /data-testid="document-versions"/);
      assert.match(after.body, /PowerPoint · English · [\d.]+ kB · 2 pages/);
    });

    test('each access tier opens to whom it should, on every download, and restricted words never reach the search', async () => {
      const activities = await t.db.selectFrom('activities').innerJoin('activity_translations as t', 't.activity_id', 'activities.id').select(['activities.id', 't.slug', 'activities.workflow']).where('t.lang', '=', 'en').orderBy('activities.id').execute();
      const published = activities.find((a) => a.workflow === 'published')!;
      const tiers: Record<string, string> = {};
      const make = async (tier: string, extra: Record<string, string | string[]>, word: string) => {
        const id = await createDoc(admin, { type: 'action_plan', access: tier, t_en_title: `Note for ${tier}`, t_en_description: `Only ${word} here.`, ...extra });
        const res = await upload(admin, id, [{ lang: 'en', filename: `${tier}.pdf`, content: await makePdf([`Inside the ${tier} note: ${word}.`]) }]);
        assert.equal(res.statusCode, 303);
        await publish(id);
        const f = await t.db.selectFrom('document_files').select('id').where('document_id', '=', id).executeTakeFirstOrThrow();
        tiers[tier] = `/files/${f.id}/x`;
        return { id, fileId: f.id };
      };
      const pub = await make('public', {}, 'zanzibarword');
      const partners = await make('partners', {}, 'quokkaword');
      const restricted = await make('restricted', { access_roles: ['editor'] }, 'narwhalword');
      const inherit = await make('inherit', { meeting: published.slug }, 'ocelotword');
      const participants = await make('participants', { meeting: published.slug }, 'axolotlword');
      await drain();

      const anon = async (url: string) => (await t.app.inject(url)).statusCode;
      assert.equal(await anon(tiers.public!), 200);
      assert.equal(await anon(tiers.inherit!), 200, 'a document that follows a published meeting is public');
      for (const tier of ['partners', 'restricted', 'participants']) assert.equal(await anon(tiers[tier]!), 404, `${tier} is not public`);
      assert.equal(await anon('/en/documents/note-for-partners'), 404);

      const adminUrl = (d: { id: number; fileId: number }) => `/admin/documents/${d.id}/files/${d.fileId}`;
      const anonymous = await t.app.inject(adminUrl(partners));
      assert.equal(anonymous.statusCode, 303, 'anonymous readers are sent to sign in');
      assert.equal((await focal.get(adminUrl(partners))).statusCode, 200, 'a focal point opens partners documents');
      const fpPartners = await focal.get(adminUrl(partners));
      assert.match(String(fpPartners.headers['cache-control']), /private, no-store/);
      assert.equal((await focal.get(adminUrl(restricted))).statusCode, 403, 'not a role named on the document');
      assert.equal((await focal.get(adminUrl(participants))).statusCode, 403, 'nobody is recorded as a participant yet');
      assert.equal((await organiser.get(adminUrl(partners))).statusCode, 200);
      assert.equal((await organiser.get(adminUrl(restricted))).statusCode, 403);
      assert.equal((await editor.get(adminUrl(restricted))).statusCode, 200);
      assert.equal((await admin.get(adminUrl(participants))).statusCode, 200);
      assert.equal((await focal.get(`/admin/documents/${pub.id}/files/${partners.fileId}`)).statusCode, 404, 'a file is reached through its own document');

      await eventually(async () => /Note for public/.test((await t.app.inject('/en/search?q=zanzibarword')).body), 'the public note is indexed');
      await eventually(async () => /Note for inherit/.test((await t.app.inject('/en/search?q=ocelotword')).body), 'the note that follows a published meeting is indexed');
      for (const word of ['quokkaword', 'narwhalword', 'axolotlword']) {
        const s = await t.app.inject(`/en/search?q=${word}`);
        assert.match(s.body, /data-testid="search-count">No result/, `${word} is not found`);
        const lib = await t.app.inject(`/en/documents?q=${word}`);
        assert.match(lib.body, /data-testid="library-count">No document</);
      }
      const all = await t.app.inject('/en/documents?type=action_plan');
      assert.match(all.body, /data-testid="library-count">2 documents</, 'counts see only what the public may open');
      assert.doesNotMatch(all.body, /Note for (partners|restricted|participants)/);

      // Unpublishing the meeting takes the document that follows it out of the public site and the search.
      await t.db.updateTable('activities').set({ workflow: 'unpublished', published_at: null }).where('id', '=', published.id).execute();
      assert.equal(await anon(tiers.inherit!), 404);
      assert.equal(await anon(`/files/${inherit.fileId}`), 404);
      await t.db.updateTable('activities').set({ workflow: 'published', published_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', published.id).execute();
    });

    test('files that are not documents, too large, damaged or hostile are refused with a message and nothing is stored', async () => {
      const id = await createDoc(editor, { type: 'other', access: 'public', t_en_title: 'A document for refusals' });
      const before = await storedState();
      const cases: { filename: string; content: Buffer; message: RegExp }[] = [
        { filename: 'drawing.svg', content: makeSvgWithScript(), message: /SVG images are not accepted/ },
        { filename: 'page.html', content: makeHtml(), message: /web pages \(HTML\) are not accepted/ },
        { filename: 'report.pdf', content: (await makeMismatched()).bytes, message: /does not match its extension/ },
        { filename: 'broken.pdf', content: await makeTruncatedPdf(), message: /damaged or incomplete/ },
        { filename: 'bomb.docx', content: makeZipBombDocx(), message: /expands to far more than its size/ },
        { filename: 'huge.pdf', content: Buffer.concat([await makePdf(['big']), Buffer.alloc(MAX_UPLOAD + 10, 32)]), message: /larger than 2 MB/ },
        { filename: 'empty.pdf', content: Buffer.alloc(0), message: /the file is empty/ },
      ];
      for (const c of cases) {
        const res = await upload(editor, id, [{ lang: 'en', filename: c.filename, content: c.content }]);
        assert.equal(res.statusCode, 400, `${c.filename}: ${res.statusCode}`);
        assert.match(res.body, c.message, c.filename);
        assert.match(res.body, /data-testid="error-summary"/);
        assert.deepEqual(await storedState(), before, `${c.filename}: nothing kept`);
      }
      // One bad file refuses the whole upload: the good one beside it is not kept either.
      const mixed = await upload(editor, id, [
        { lang: 'en', filename: 'good.pdf', content: await makePdf(['fine']) },
        { lang: 'fr', filename: 'mauvais.svg', content: makeSvgWithScript() },
      ]);
      assert.equal(mixed.statusCode, 400);
      assert.deepEqual(await storedState(), before, 'no row, no stored file, no temporary');

      const declaredTooBig = await t.app.inject({ method: 'POST', url: `/admin/documents/${id}/files`, headers: { cookie: cookie(editor), 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10 * MAX_UPLOAD) }, payload: '' });
      assert.equal(declaredTooBig.statusCode, 413, 'a declared size over the limit is refused before the body is read');
      const forged = multipart([{ name: '_csrf', value: 'forged' }, { name: 'file_en', filename: 'ok.png', content: await makePng() }]);
      const noCsrf = await t.app.inject({ method: 'POST', url: `/admin/documents/${id}/files`, payload: forged.payload, headers: { cookie: cookie(editor), 'content-type': forged.contentType } });
      assert.equal(noCsrf.statusCode, 403);
      const stranger = multipart([{ name: 'file_en', filename: 'ok.png', content: await makePng() }]);
      assert.equal((await t.app.inject({ method: 'POST', url: `/admin/documents/${id}/files`, payload: stranger.payload, headers: { 'content-type': stranger.contentType } })).statusCode, 303);
      assert.equal((await t.app.inject({ method: 'POST', url: `/admin/documents/${id}/files`, payload: stranger.payload, headers: { cookie: cookie(focal), 'content-type': stranger.contentType } })).statusCode, 403);
      assert.deepEqual(await storedState(), before);
    });

    test('the same file uploaded twice is stored once', async () => {
      const pdf = await makePdf(['Twice the same bytes.']);
      const a = await createDoc(editor, { type: 'other', access: 'public', t_en_title: 'Twin one' });
      const b = await createDoc(editor, { type: 'other', access: 'public', t_en_title: 'Twin two' });
      const before = (await storedState()).files;
      assert.equal((await upload(editor, a, [{ lang: 'en', filename: 'twin.pdf', content: pdf }])).statusCode, 303);
      assert.equal((await upload(editor, b, [{ lang: 'en', filename: 'twin.pdf', content: pdf }])).statusCode, 303);
      assert.equal((await storedState()).files, before + 1);
      await drain();
    });

    test('a removed file’s bytes are collected at a later pass, while bytes another document names stay', async () => {
      const pdf = await makePdf(['Shared bytes for the collector.']);
      const a = await createDoc(editor, { type: 'other', access: 'public', t_en_title: 'Collected one' });
      const b = await createDoc(editor, { type: 'other', access: 'public', t_en_title: 'Collected two' });
      const own = await makePdf(['Bytes only this document has.']);
      assert.equal((await upload(editor, a, [{ lang: 'en', filename: 'shared.pdf', content: pdf }, { lang: 'fr', filename: 'own.pdf', content: own }])).statusCode, 303);
      assert.equal((await upload(editor, b, [{ lang: 'en', filename: 'shared.pdf', content: pdf }])).statusCode, 303);
      await drain();
      const files = await t.db.selectFrom('document_files').select(['id', 'lang', 'storage_key']).where('document_id', '=', a).orderBy('lang').execute();
      for (const f of files) {
        const page = await editor.get(`/admin/documents/${a}`);
        assert.equal((await editor.post(`/admin/documents/${a}/files/${f.id}/delete`, { _csrf: csrfToken(page.body) })).statusCode, 303);
      }
      const stored = (key: string) => existsSync(path.join(t.config.dataDir, 'files', ...key.split('/')));
      const [shared, mine] = [files[0]!.storage_key, files[1]!.storage_key];
      assert.ok(stored(shared) && stored(mine));
      const first = await collectUnreferencedFiles(t.db, t.app.diwan.files, { graceMs: 60_000 });
      assert.equal(first.removed, 0, 'first seen: only noted');
      assert.ok(first.waiting >= 1);
      assert.ok(stored(mine));
      const early = await collectUnreferencedFiles(t.db, t.app.diwan.files, { graceMs: 60_000 });
      assert.equal(early.removed, 0, 'within the grace period');
      const later = await collectUnreferencedFiles(t.db, t.app.diwan.files, { graceMs: 60_000, now: new Date(Date.now() + 120_000) });
      assert.ok(later.removed >= 1);
      assert.equal(stored(mine), false, 'the bytes no row names are gone');
      assert.equal(stored(shared), true, 'the bytes another document names stay');
      const dl = await t.db.selectFrom('document_files').select('id').where('document_id', '=', b).executeTakeFirstOrThrow();
      assert.equal((await editor.get(`/admin/documents/${b}/files/${dl.id}`)).statusCode, 200);
    });

    test('copies left by a killed extraction are removed once stale, fresh ones kept', async () => {
      const dir = path.join(t.config.dataDir, 'tmp', 'extract');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'old.part'), 'x');
      writeFileSync(path.join(dir, 'fresh.part'), 'y');
      const past = new Date(Date.now() - 2 * 24 * 3600 * 1000);
      utimesSync(path.join(dir, 'old.part'), past, past);
      assert.equal(await sweepExtractionCopies(t.config.dataDir, 24 * 3600 * 1000), 1);
      assert.deepEqual(readdirSync(dir).sort(), ['fresh.part']);
    });

    test('any query text or filter gives the library page or a redirect to a clean address, never an error', async () => {
      const lib = await t.app.inject('/fr/documents');
      assert.equal(lib.statusCode, 200);
      assert.equal((lib.body.match(/<h1/g) ?? []).length, 1);
      assert.match(lib.body, /<label for="library-q">/);
      for (const q of ['"unbalanced', 'NEAR(', '-', 'x'.repeat(10_000), '🙂', 'مرحبا', 'a\u0000b']) {
        const res = await t.app.inject(`/en/documents?q=${encodeURIComponent(q)}`);
        assert.ok([200, 301].includes(res.statusCode), `${JSON.stringify(q.slice(0, 20))}: ${res.statusCode}`);
      }
      assert.equal((await t.app.inject('/en/documents?type=bogus')).statusCode, 301);
    });
    test('two people change the same field of a document: only that field is asked about, the chosen side is kept, the rest merged', async () => {
      const id = await createDoc(editor, { type: 'agenda', access: 'public', t_en_title: 'Agenda draft', t_en_slug: 'agenda-draft-conflict' });
      const a = await admin.get(`/admin/documents/${id}`);
      const b = await editor.get(`/admin/documents/${id}`);
      const version = a.body.match(/name="version" value="(\d+)"/)?.[1] ?? '';
      const base = { version, type: 'agenda', access: 'public', t_en_slug: 'agenda-draft-conflict' };
      const first = await admin.post(`/admin/documents/${id}`, { _csrf: csrfToken(a.body), ...base, t_en_title: 'Agenda by the admin', reference: 'AG/1' });
      assert.equal(first.statusCode, 303, first.body.slice(0, 2000));
      const clash = await editor.post(`/admin/documents/${id}`, { _csrf: csrfToken(b.body), ...base, t_en_title: 'Agenda by the editor', t_en_description: 'Described by the editor.' });
      assert.equal(clash.statusCode, 409);
      assert.match(clash.body, /data-testid="resolve-form"/);
      assert.deepEqual([...clash.body.matchAll(/data-testid="conflict-([^"]+)"/g)].map((m) => m[1]).filter((k) => k !== 'theirs' && k !== 'yours'), ['t.en.title']);
      const hidden = (name: string) => clash.body.match(new RegExp(`name="${name}" value="([^"]*)"`))?.[1]?.replace(/&#34;/g, '"').replace(/&amp;/g, '&').replace(/&#39;/g, "'") ?? '';
      const fields = { _csrf: csrfToken(clash.body), base_version: hidden('base_version'), intent: hidden('intent'), mine: hidden('mine') };
      const missing = await editor.post(`/admin/documents/${id}/resolve`, fields);
      assert.equal(missing.statusCode, 400, 'a choice is required');
      assert.match(missing.body, /data-testid="resolve-form"/);
      const unreadable = await editor.post(`/admin/documents/${id}/resolve`, { ...fields, mine: '{"type":"nonsense"}' });
      assert.equal(unreadable.statusCode, 400);
      assert.match(unreadable.body, /could not be read back/);
      const resolved = await editor.post(`/admin/documents/${id}/resolve`, { ...fields, choice_t_en_title: 'mine' });
      assert.equal(resolved.statusCode, 303, resolved.body.slice(0, 2000));
      const row = await t.db.selectFrom('documents as d').innerJoin('document_translations as t', 't.document_id', 'd.id').select(['d.reference', 't.title', 't.description']).where('d.id', '=', id).where('t.lang', '=', 'en').executeTakeFirstOrThrow();
      assert.deepEqual(row, { reference: 'AG/1', title: 'Agenda by the editor', description: 'Described by the editor.' });
    });
    test('the document form refuses each field’s bad input with a message naming it, in English and in French, and writes nothing', async () => {
      const count = async () => Number((await t.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n);
      const before = await count();
      const theme = await t.db.selectFrom('themes').select('id').orderBy('id').executeTakeFirstOrThrow();
      const post = (fields: Record<string, string | string[]>, lang = 'en') => editor.submit('/admin/documents/new', `/admin/documents?lang=${lang}`, { version: '0', type: 'agenda', access: 'public', t_en_title: 'A well described agenda', ...fields });
      const refused = async (fields: Record<string, string | string[]>, message: RegExp, lang = 'en') => {
        const res = await post(fields, lang);
        assert.equal(res.statusCode, 400, `${JSON.stringify(fields).slice(0, 120)}: ${res.statusCode}`);
        assert.match(res.body, message, JSON.stringify(fields).slice(0, 120));
        assert.doesNotMatch(res.body, /\{(field|max|value)\}/, 'no placeholder left in a message');
        return res;
      };

      // Lengths: the message names the field and its limit.
      await refused({ t_en_title: 'x'.repeat(301) }, /The title \(English\) must be at most 300 characters long/);
      await refused({ t_en_description: 'y'.repeat(5001) }, /The description \(English\) must be at most 5,000 characters long/);
      await refused({ reference: 'R'.repeat(101) }, /The reference or symbol must be at most 100 characters long/);
      await refused({ reference: 'R'.repeat(101) }, /Le champ « référence ou cote » doit compter au plus 100 caractères/, 'fr');
      await refused({ t_fr_title: 'z'.repeat(301) }, /Le champ « titre \(français\) » doit compter au plus 300 caractères/, 'fr');

      // Dates, enumerations, addresses.
      for (const doc_date of ['2015-02-30', '15/06/2015', '2015-6-1', '2015-06-15T10:00']) await refused({ doc_date }, /Enter the date as YYYY-MM-DD/);
      await refused({ doc_date: '2015-13-01' }, /Saisissez la date au format AAAA-MM-JJ/, 'fr');
      await refused({ access: 'everyone' }, /Choose who may open the document/);
      await refused({ access: ['public', 'restricted'] }, /Choisissez qui peut ouvrir le document/, 'fr');
      await refused({ type: 'minutes' }, /Choisissez le type de document/, 'fr');
      await refused({ t_en_slug: 'Not A Slug' }, /The address may contain only words of lower-case letters/);
      await refused({ t_en_slug: 'a'.repeat(121) }, /The address may contain only words/);
      await refused({ access: 'restricted', access_roles: ['editor', 'emperor'] }, /Choose among the roles listed/);
      await refused({ access: 'participants', meeting: 'no-such-meeting' }, /No activity has the address no-such-meeting/);
      await refused({ access: 'participants' }, /Aucune activité|Indiquez la réunion/, 'fr');
      await refused({ activities: '999999999' }, /No activity has the address 999999999/);

      // Ids that are not whole numbers are refused, not dropped without a word.
      for (const themes of [['abc'], ['1.5'], ['-3'], ['0'], ['1e3'], [String(theme.id), 'x'], ['999999']]) await refused({ themes }, /Choose among the themes listed/);
      await refused({ themes: ['abc'] }, /Choisissez parmi les thèmes proposés/, 'fr');
      for (const countries of [['ZZ'], ['ma'], ['MAR'], ['MA', '1']]) await refused({ countries }, /Choose among the countries listed/);

      // Past the limit of links: said, never cut without a word and never looked up.
      const many = Array.from({ length: 201 }, (_, i) => String(i + 1));
      await refused({ themes: many }, /Choose at most 200/);
      await refused({ countries: many.map((n) => `C${n}`) }, /Choisissez-en au plus 200/, 'fr');
      await refused({ themes: Array.from({ length: 40_000 }, (_, i) => String(i + 1)) }, /Choose at most 200/);
      await refused({ activities: many.map((n) => `activity-${n}`).join('\n') }, /Link at most 200 activities/);
      assert.equal(await count(), before, 'nothing written');

      // The same value twice counts once.
      const twice = await post({ access: 'restricted', access_roles: Array.from({ length: 25 }, () => 'editor'), countries: ['MA', 'MA'], themes: [String(theme.id), String(theme.id)], t_en_title: 'Repeated values' });
      assert.equal(twice.statusCode, 303, twice.body.slice(0, 2000));
      const id = Number(String(twice.headers.location).match(/documents\/(\d+)/)?.[1]);
      const row = await t.db.selectFrom('documents').select('access_roles').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.access_roles, 'editor');
      assert.deepEqual((await t.db.selectFrom('document_countries').select('country_code').where('document_id', '=', id).execute()).map((r) => r.country_code), ['MA']);
    });
  });
}
