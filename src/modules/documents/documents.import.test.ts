import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from '../../../test/helpers/databases.js';
import { syncDiwan } from '../../app/index.js';
import type { Config } from '../../platform/config.js';
import { openDatabase, type Db } from '../../platform/db/database.js';
import { ENGLISH_SAMPLE, FRENCH_SAMPLE, makeDocx, makePdf, makeSvgWithScript } from '../../platform/files/test-files.js';
import { parseImportDocumentsArgs, runImportDocuments, type ImportDocumentsReport } from './documents.import.js';

const ACTIVITY = 'thematic-meeting-asylum-international-protection-2015';
const HEADER = 'file,title_en,title_fr,type,date,language,access,activity,position';

/** Every file under a folder (recursively), as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
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

    /** Runs the command as the command line does: the import, then the search index brought up to date. */
    async function run(argv: string[], config: Config = tdb.config) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runImportDocuments(argv, { db, config, out: (s) => out.push(s), err: (s) => err.push(s) });
      await syncDiwan(db, { info: () => undefined });
      return { code, out: out.join('\n'), err: err.join('\n') };
    }
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
