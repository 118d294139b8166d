import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { syncDiwan } from '../../app/index.js';
import type { Config } from '../../platform/config.js';
import { openDatabase, type Db } from '../../platform/db/database.js';
import { ENGLISH_SAMPLE, FRENCH_SAMPLE, makeDocx, makePdf, makeSvgWithScript } from '../../platform/files/test-files.js';
import { MAX_MANIFEST_ROWS, parseImportDocumentsArgs, printable, runImportDocuments, type ImportDocumentsReport } from './documents.import.js';

const ACTIVITY = 'thematic-meeting-asylum-international-protection-2015';
const HEADER = 'file,title_en,title_fr,type,date,language,access,activity,position';

/** Every file under a folder (recursively), as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Runs the command as the command line does: the import, then the search index brought up to date. */
async function runCommand(db: Db, config: Config, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportDocuments(argv, { db, config, out: (s) => out.push(s), err: (s) => err.push(s) });
  await syncDiwan(db, { info: () => undefined });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('arguments', () => {
  test('options and the manifest', () => {
    assert.deepEqual(parseImportDocumentsArgs(['import-documents', '--dry-run', 'm.csv']), { dryRun: true, json: false, manifest: 'm.csv' });
    assert.deepEqual(parseImportDocumentsArgs(['--json', '--', '--odd.csv']), { dryRun: false, json: true, manifest: '--odd.csv' });
    assert.match((parseImportDocumentsArgs([]) as { error: string }).error, /MANIFEST\.csv/);
    assert.match((parseImportDocumentsArgs(['a.csv', 'b.csv']) as { error: string }).error, /exactly one/);
    assert.match((parseImportDocumentsArgs(['--publish', 'a.csv']) as { error: string }).error, /unknown option --publish/);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`import-documents (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    let root: string;
    let archive: string;
    let manifest: string;

    const run = (argv: string[], config: Config = tdb.config) => runCommand(db, config, argv);
    const count = async (table: 'documents' | 'document_files' | 'document_texts') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const stored = () => filesUnder(path.join(tdb.config.dataDir, 'files'));
    const temporaries = () => filesUnder(path.join(tdb.config.dataDir, 'tmp', 'uploads'));

    before(async () => {
      tdb = await createTestDatabase(dialect, {}, 'demo');
      db = openDatabase(tdb.config);
      root = mkdtempSync(path.join(os.tmpdir(), 'diwan-import-docs-'));
      archive = path.join(root, 'archive');
      mkdirSync(path.join(archive, '2015'), { recursive: true });
      writeFileSync(path.join(archive, '2015', 'report-en.pdf'), await makePdf([`Rabat process final report. ${ENGLISH_SAMPLE} Zanzibarique harmonisation.`]));
      writeFileSync(path.join(archive, '2015', 'rapport-fr.docx'), makeDocx([`Rapport final. ${FRENCH_SAMPLE}`]));
      writeFileSync(path.join(archive, 'agenda.pdf'), await makePdf(['Agenda of the thematic meeting on asylum, Malta 2015.']));
      writeFileSync(path.join(archive, 'note.docx'), makeDocx(['Note conceptuelle sur la migration légale.']));
      // Rows 2 and 3 are one document in two languages; row 4 is linked to a demo activity.
      manifest = path.join(archive, 'manifest.csv');
      writeFileSync(
        manifest,
        [
          HEADER,
          '2015/report-en.pdf,Final report of the Rabat Process,Rapport final du Processus de Rabat,final_report,2015-11-12,en,public,,',
          '2015/rapport-fr.docx,Final report of the Rabat Process,Rapport final du Processus de Rabat,final_report,2015-11-12,fr,public,,',
          `agenda.pdf,"Agenda, thematic meeting",,agenda,2015-06-02,en,public,${ACTIVITY},7`,
          'note.docx,,Note conceptuelle,concept_note,,fr,partners,,',
          '',
        ].join('\n'),
      );
    });
    after(async () => {
      await db.destroy();
      await tdb.drop();
      rmSync(root, { recursive: true, force: true });
    });

    test('--dry-run reports what would be added and writes nothing', async () => {
      const before = { documents: await count('documents'), files: await count('document_files') };
      const storedBefore = stored();
      const r = await run(['--dry-run', manifest]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /would add 3 documents \(4 files\), skipped 0 \(already there\), refused 0 \(dry run: nothing was written\)/);
      assert.match(r.out, /would add {2}Final report of the Rabat Process \(2 files\)/);
      assert.deepEqual({ documents: await count('documents'), files: await count('document_files') }, before);
      assert.deepEqual(stored(), storedBefore, 'no file stored (the demo library’s are there from the start)');
      assert.deepEqual(temporaries(), []);
    });

    test('a valid manifest: documents, files, text read, found by the search index', async () => {
      const before = await count('documents');
      const r = await run(['--json', manifest]);
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out) as ImportDocumentsReport;
      assert.deepEqual(report.added, { documents: 3, files: 4 });
      assert.deepEqual(report.extraction, { done: 4, failed: 0, pending: 0 });
      assert.equal(await count('documents'), before + 3);
      const ids = report.documents.map((d) => d.id!);
      const docs = await db.selectFrom('documents').select(['id', 'workflow', 'access', 'type', 'doc_date']).where('id', 'in', ids).orderBy('id').execute();
      assert.deepEqual(
        docs.map((d) => [d.workflow, d.access, d.type, d.doc_date]),
        [
          ['published', 'public', 'final_report', '2015-11-12'],
          ['published', 'public', 'agenda', '2015-06-02'],
          ['published', 'partners', 'concept_note', null],
        ],
      );
      const files = await db.selectFrom('document_files').select(['document_id', 'lang', 'kind', 'file_name', 'text_state']).where('document_id', 'in', ids).orderBy('document_id').orderBy('lang').execute();
      assert.deepEqual(
        files.map((f) => [f.document_id, f.lang, f.kind, f.file_name, f.text_state]),
        [
          [ids[0], 'en', 'pdf', 'report-en.pdf', 'done'],
          [ids[0], 'fr', 'docx', 'rapport-fr.docx', 'done'],
          [ids[1], 'en', 'pdf', 'agenda.pdf', 'done'],
          [ids[2], 'fr', 'docx', 'note.docx', 'done'],
        ],
      );
      const slugs = await db.selectFrom('document_translations').select(['document_id', 'lang', 'slug']).where('document_id', '=', ids[0]!).orderBy('lang').execute();
      assert.deepEqual(slugs.map((s) => s.slug), ['final-report-of-the-rabat-process', 'rapport-final-du-processus-de-rabat']);
      const link = await db.selectFrom('document_activities as da').innerJoin('activity_translations as t', 't.activity_id', 'da.activity_id').select(['da.position', 't.slug']).where('da.document_id', '=', ids[1]!).execute();
      assert.equal(link[0]?.position, 7);
      assert.ok(link.some((l) => l.slug === ACTIVITY));
      // Public documents are in the index, with their files' text; the partners' note is not.
      const entries = await db.selectFrom('search_entries').select(['entity_id', 'lang', 'body']).where('source', '=', 'document').where('entity_id', 'in', ids).orderBy('entity_id').orderBy('lang').execute();
      assert.deepEqual(
        entries.map((e) => [e.entity_id, e.lang]),
        [
          [ids[0], 'en'],
          [ids[0], 'fr'],
          [ids[1], 'en'],
        ],
      );
      assert.match(entries[0]!.body, /Zanzibarique/);
      assert.match(entries[1]!.body, /coopération régionale/);
      assert.equal(stored().length >= 4, true);
      assert.deepEqual(temporaries(), []);
    });

    test('the same manifest again: everything skipped, nothing duplicated', async () => {
      const before = { documents: await count('documents'), files: await count('document_files'), stored: stored().length };
      const r = await run([manifest]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /added 0 documents \(0 files\), skipped 4 \(already there\), refused 0/);
      for (const row of [2, 3, 4, 5]) assert.match(r.out, new RegExp(`skipped {2}row ${row} .*already there \\(document #\\d+\\)`));
      assert.deepEqual({ documents: await count('documents'), files: await count('document_files'), stored: stored().length }, before);
      // The same bytes under a new title are skipped too.
      const again = path.join(archive, 'again.csv');
      writeFileSync(again, `${HEADER}\nagenda.pdf,Another agenda,,agenda,,en,public,,\n`);
      const r2 = await run([again]);
      assert.equal(r2.code, 0, r2.err);
      assert.match(r2.out, /skipped {2}row 2 {2}agenda\.pdf: already there \(the same file is in document #\d+\)/);
      assert.equal(await count('documents'), before.documents);
    });

    test('one refused row: nothing imported, exit code 1, the rows and reasons named', async () => {
      writeFileSync(path.join(archive, 'new.pdf'), await makePdf(['A new publication nobody imported yet.']));
      writeFileSync(path.join(archive, 'map.svg'), makeSvgWithScript());
      writeFileSync(path.join(root, 'outside.pdf'), await makePdf(['Outside the archive.']));
      symlinkSync(path.join(root, 'outside.pdf'), path.join(archive, 'link.pdf'));
      const bad = path.join(archive, 'bad.csv');
      writeFileSync(
        bad,
        [
          HEADER,
          'new.pdf,A new publication,,publication,2016-01-01,en,public,,',
          'map.svg,A map,,other,,en,public,,',
          '../outside.pdf,Outside,,other,,en,public,,',
          'new.pdf,Minutes,,minutes,2016-13-01,en,public,,',
          'link.pdf,Linked,,other,,en,public,,',
          'missing.pdf,Missing,,other,,en,public,no-such-activity,',
          `${path.join(root, 'outside.pdf')},Absolute,,other,,de,everyone,,`,
        ].join('\n'),
      );
      const before = { documents: await count('documents'), files: await count('document_files'), stored: stored() };
      const r = await run([bad]);
      assert.equal(r.code, 1);
      assert.match(r.out, /refused {2}row 3 {2}map\.svg: refused content: SVG images are not accepted/);
      assert.match(r.out, /refused {2}row 4 {2}\.\.\/outside\.pdf: the file is outside the manifest's folder/);
      assert.match(r.out, /refused {2}row 5 {2}new\.pdf: unknown type "minutes" \(one of: final_report, .*\); bad date "2016-13-01" \(write YYYY-MM-DD\)/);
      assert.match(r.out, /refused {2}row 6 {2}link\.pdf: the file is outside the manifest's folder \(through a symbolic link\)/);
      assert.match(r.out, /refused {2}row 7 {2}missing\.pdf: file not found; unknown activity "no-such-activity"/);
      assert.match(r.out, /refused {2}row 8 .*absolute path; unknown language "de".*; unknown access "everyone"/);
      assert.match(r.out, /^refused 6 rows, so nothing was imported \(1 document with 1 file would have been added, 0 skipped\)/m);
      if (process.env.SHOW_REPORT) console.log(r.out);
      assert.doesNotMatch(r.out, /row 2 /);
      assert.deepEqual({ documents: await count('documents'), files: await count('document_files'), stored: stored() }, before);
      assert.deepEqual(temporaries(), []);
    });

    test('the size limit is enforced while the file streams in', async () => {
      writeFileSync(path.join(archive, 'big.pdf'), await makePdf([ENGLISH_SAMPLE.repeat(200)]));
      const big = path.join(archive, 'big.csv');
      writeFileSync(big, `${HEADER}\nbig.pdf,Big,,publication,,en,public,,\n`);
      const r = await run([big], { ...tdb.config, maxUploadBytes: 1024 });
      assert.equal(r.code, 1);
      assert.match(r.out, /refused {2}row 2 {2}big\.pdf: the file is larger than 0 MB/);
      assert.deepEqual(temporaries(), []);
    });

    test('a manifest without its columns, or unreadable, is refused before any row', async () => {
      const odd = path.join(archive, 'odd.csv');
      writeFileSync(odd, 'file,titel_en,type,language,access\nnew.pdf,x,other,en,public\n');
      const r = await run([odd]);
      assert.equal(r.code, 65);
      assert.match(r.err, /unknown column "titel_en"/);
      const none = await run([path.join(archive, 'nope.csv')]);
      assert.equal(none.code, 66);
      assert.match(none.err, /no such file/);
    });
  });
}

describe('printable', () => {
  test('control, line-separating and reordering characters are shown as escapes', () => {
    assert.equal(printable('ok é 🙂 عربي'), 'ok é 🙂 عربي');
    assert.equal(printable('a\u001b[2Jb\nc\u0007\u009bd\u202ee\u2028'), 'a\\u001b[2Jb\\u000ac\\u0007\\u009bd\\u202ee\\u2028');
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`import-documents: hostile and damaged manifests (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    let root: string;
    let archive: string;
    let pdfs = 0;

    const run = (argv: string[]) => runCommand(db, tdb.config, argv);
    /** Writes a manifest (the header first) and returns its path. */
    const manifest = (name: string, lines: string[], header = 'file,title_en,type,language,access') => {
      const file = path.join(archive, name);
      writeFileSync(file, [header, ...lines].join('\n'));
      return file;
    };
    /** A PDF of its own (different bytes each time) under the archive. */
    const pdf = async (name: string) => {
      mkdirSync(path.dirname(path.join(archive, name)), { recursive: true });
      writeFileSync(path.join(archive, name), await makePdf([`Document number ${++pdfs} of the archive.`]));
      return name;
    };
    const documents = async () => Number((await db.selectFrom('documents').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const temporaries = () => filesUnder(path.join(tdb.config.dataDir, 'tmp', 'uploads'));

    before(async () => {
      tdb = await createTestDatabase(dialect, {}, 'demo');
      db = openDatabase(tdb.config);
      root = mkdtempSync(path.join(os.tmpdir(), 'diwan-import-hostile-'));
      archive = path.join(root, 'archive');
      mkdirSync(archive, { recursive: true });
    });
    after(async () => {
      await db.destroy();
      await tdb.drop();
      rmSync(root, { recursive: true, force: true });
    });

    test('files outside the manifest’s folder are refused however they are named; a name that only starts with two dots is not outside', async () => {
      const secret = path.join(root, 'secret');
      mkdirSync(secret, { recursive: true });
      writeFileSync(path.join(secret, 'minutes.pdf'), await makePdf(['Restricted minutes, never to be published.']));
      symlinkSync(secret, path.join(archive, 'shortcut'));
      symlinkSync(path.join(archive, 'shortcut', 'minutes.pdf'), path.join(archive, 'hop.pdf'));
      await pdf('..notes.pdf');
      const before = await documents();
      const bad = await run([
        manifest('outside.csv', [
          '../../etc/passwd,Passwords,other,en,public',
          '/etc/passwd,Passwords,other,en,public',
          '..\\secret\\minutes.pdf,Minutes,other,en,public',
          'sub/../../secret/minutes.pdf,Minutes,other,en,public',
          'shortcut/minutes.pdf,Minutes,other,en,public',
          'hop.pdf,Minutes,other,en,public',
          'C:\\secret\\minutes.pdf,Minutes,other,en,public',
          '"nul\u0000.pdf",Nul,other,en,public',
        ]),
      ]);
      assert.equal(bad.code, 1);
      for (const row of [2, 3, 4, 5, 8]) assert.match(bad.out, new RegExp(`refused {2}row ${row} .*(outside the manifest's folder|absolute path)`), `row ${row}`);
      for (const row of [6, 7]) assert.match(bad.out, new RegExp(`refused {2}row ${row} .*outside the manifest's folder \\(through a symbolic link\\)`), `row ${row}`);
      assert.match(bad.out, /refused {2}row 9 .*file not found/);
      assert.equal(await documents(), before);
      assert.deepEqual(temporaries(), []);
      const dotted = await run(['--dry-run', manifest('dotted.csv', ['..notes.pdf,Notes,other,en,public'])]);
      assert.equal(dotted.code, 0, dotted.out);
      assert.match(dotted.out, /would add 1 document/);
    });

    test('what the manifest says is printed escaped: no terminal control, no forged line, in the text and in the JSON', async () => {
      const evil = 'r\u001b[2J\u001b]0;owned\u0007.pdf';
      const m = manifest('escapes.csv', [`"${evil}","Title\u001b[31m",other,en,public`, `"two\nlines.pdf","x",other,en,public`, `ok.pdf,"Fine\u202etxt.exe",minutes\u009b,en,public`]);
      const text = await run([m]);
      assert.equal(text.code, 1);
      assert.doesNotMatch(text.out, /[^\P{Cc}\n]|[\u202a-\u202e]/u, 'no control or reordering character reaches the terminal');
      const lines = text.out.split('\n');
      assert.equal(lines.filter((l) => l.startsWith('refused  row')).length, 3, 'one line per row');
      assert.ok(lines.every((l) => /^(refused {2}row \d+ |refused \d+ rows)/.test(l)), text.out);
      assert.match(text.out, /row 2 {2}r\\u001b\[2J\\u001b\]0;owned\\u0007\.pdf: file not found/);
      assert.match(text.out, /row 3 {2}two\\u000alines\.pdf: file not found/);
      const json = await run(['--json', m]);
      assert.doesNotMatch(json.out, /[\u007f-\u009f\u202a-\u202e]/u);
      const report = JSON.parse(json.out) as ImportDocumentsReport;
      assert.equal(report.rows[0]?.file, evil, 'the JSON still carries the exact value');
    });

    test('a byte order mark, CRLF line ends and line breaks inside quoted titles are read as a spreadsheet writes them', async () => {
      const a = await pdf('bom/a.pdf');
      const b = await pdf('bom/b.pdf');
      const file = path.join(archive, 'bom.csv');
      writeFileSync(file, `\uFEFFFile,Title_EN,Type,Language,Access\r\n${a},"A title\r\non two lines",other,en,public\r\n\r\n${b},"Plain, with a comma",other,en,public\r\n`);
      const r = await run(['--json', file]);
      assert.equal(r.code, 0, r.out + r.err);
      const report = JSON.parse(r.out) as ImportDocumentsReport;
      assert.deepEqual(report.documents.map((d) => d.title), ['A title on two lines', 'Plain, with a comma']);
      assert.deepEqual(report.rows.map((o) => o.row), [2, 4], 'numbered as the spreadsheet shows them');
      const stored = await db.selectFrom('document_translations').select('title').where('title', 'like', 'A title%').execute();
      assert.deepEqual(stored.map((s) => s.title), ['A title on two lines']);
    });

    test('a row with too many or too few columns, or a broken quote, refuses the manifest before any row', async () => {
      const before = await documents();
      for (const lines of [['x.pdf,X,other,en,public,surplus'], ['x.pdf,X,other,en'], ['"x.pdf,X,other,en,public']]) {
        const r = await run([manifest('columns.csv', lines)]);
        assert.equal(r.code, 65, r.err);
        assert.match(r.err, /not a readable CSV file/);
      }
      assert.equal(await documents(), before);
    });

    test('the same row twice refuses the second; a manifest past the row limit is not read', async () => {
      const twice = await pdf('twice.pdf');
      const before = await documents();
      const r = await run([manifest('twice.csv', [`${twice},Twice,other,en,public`, `${twice},Twice,other,en,public`])]);
      assert.equal(r.code, 1);
      assert.match(r.out, /refused {2}row 3 {2}twice\.pdf: the same file as row 2/);
      assert.equal(await documents(), before);
      const many = Array.from({ length: MAX_MANIFEST_ROWS + 1 }, (_, i) => `missing-${i}.pdf,Missing ${i},other,en,public`);
      const huge = await run([manifest('huge.csv', many)]);
      assert.equal(huge.code, 65);
      assert.match(huge.err, /10,001 rows, more than the 10,000 one run imports; split the manifest/);
      assert.equal(huge.out, '');
    });

    test('when writing fails part way, what the run wrote is removed again and the exit code says so', async () => {
      const first = await pdf('write/first.pdf');
      const boom = await pdf('write/boom.pdf');
      const m = manifest('write.csv', [`${first},Written first,publication,en,public`, `${boom},Written second,publication,en,public`]);
      // The database refuses the second document's file, after the first document is committed.
      if (dialect === 'sqlite') await sql.raw(`CREATE TRIGGER diwan_test_boom BEFORE INSERT ON document_files WHEN NEW.file_name = 'boom.pdf' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`).execute(db);
      else {
        await sql.raw(`CREATE FUNCTION diwan_test_boom() RETURNS trigger AS $$ BEGIN IF NEW.file_name = 'boom.pdf' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`).execute(db);
        await sql.raw('CREATE TRIGGER diwan_test_boom BEFORE INSERT ON document_files FOR EACH ROW EXECUTE FUNCTION diwan_test_boom()').execute(db);
      }
      const before = { documents: await documents(), revisions: Number((await db.selectFrom('revisions').select((eb) => eb.fn.countAll().as('n')).where('entity_type', '=', 'document').executeTakeFirstOrThrow()).n) };
      const r = await run([m]);
      assert.equal(r.code, 74, r.out + r.err);
      assert.match(r.err, /writing failed \(.*disk on fire.*\)\. What had been written is removed again: nothing was imported\./);
      assert.equal(await documents(), before.documents, 'the first document is gone too');
      assert.equal(Number((await db.selectFrom('revisions').select((eb) => eb.fn.countAll().as('n')).where('entity_type', '=', 'document').executeTakeFirstOrThrow()).n), before.revisions);
      assert.deepEqual(await db.selectFrom('document_translations').select('title').where('title', 'like', 'Written %').execute(), []);
      assert.deepEqual(await db.selectFrom('search_entries').select('title').where('title', 'like', 'Written %').execute(), [], 'the search index forgot the removed document');
      const removed = await db.selectFrom('audit_log').select(['action', 'summary']).where('action', '=', 'document.import_removed').execute();
      assert.equal(removed.length, 2, 'the audit log says both documents created (the second failed at its file) were removed again');
      assert.match(removed[0]!.summary ?? '', /disk on fire/);
      assert.deepEqual(temporaries(), []);
      await sql.raw(dialect === 'sqlite' ? 'DROP TRIGGER diwan_test_boom' : 'DROP TRIGGER diwan_test_boom ON document_files').execute(db);
      const again = await run([m]);
      assert.equal(again.code, 0, again.out + again.err);
      assert.match(again.out, /added 2 documents \(2 files\)/);
    });
  });
}
