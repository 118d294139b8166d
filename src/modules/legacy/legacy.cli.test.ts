import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import type { Db } from '../../platform/db/database.js';
import { decodeSavedPage, MAX_PAGE_BYTES, parseImportArgs, runImportLegacy } from './legacy.cli.js';
import { countRows, createLegacyTestDb, type LegacyTestDb } from './legacy.test-support.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (name: string) => path.join(FIXTURES, name);
const NOW = new Date('2025-06-01T12:00:00Z');

async function run(db: Db, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportLegacy(argv, { db, out: (s) => out.push(s), err: (s) => err.push(s), now: NOW });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('arguments', () => {
  test('options and files', () => {
    assert.deepEqual(parseImportArgs(['import-legacy', '--dry-run', '--json', 'a.txt', 'b.html']), { dryRun: true, publish: false, json: true, sourceUrl: null, files: ['a.txt', 'b.html'] });
    assert.equal((parseImportArgs(['--publish', 'a.txt']) as { publish: boolean }).publish, true);
    assert.deepEqual(parseImportArgs(['--source-url=https://old.example/fr/x', 'a.txt']), { dryRun: false, publish: false, json: false, sourceUrl: 'https://old.example/fr/x', files: ['a.txt'] });
    assert.deepEqual(parseImportArgs(['--', '--odd-name.txt']), { dryRun: false, publish: false, json: false, sourceUrl: null, files: ['--odd-name.txt'] });
  });
  test('mistakes', () => {
    assert.match((parseImportArgs([]) as { error: string }).error, /at least one FILE/);
    assert.match((parseImportArgs(['--source-url', 'https://x.example/a', 'a', 'b']) as { error: string }).error, /exactly one FILE/);
    assert.match((parseImportArgs(['--source-url', 'ftp://x.example/a', 'a']) as { error: string }).error, /http\(s\) address/);
    assert.match((parseImportArgs(['--frobnicate', 'a']) as { error: string }).error, /unknown option --frobnicate/);
  });
  test('text in legacy encodings and byte orders', () => {
    assert.equal(decodeSavedPage(Buffer.from('\uFEFFDate: 15 June 2015', 'utf8'), 'x'), 'Date: 15 June 2015');
    assert.equal(decodeSavedPage(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Réunion', 'utf16le')]), 'x'), 'Réunion');
    const latin1 = Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><h1>Réunion thématique</h1></body></html>', 'latin1');
    assert.match(decodeSavedPage(latin1, 'x'), /Réunion thématique/);
    assert.throws(() => decodeSavedPage(Buffer.from('R\xe9union sans d\xe9claration', 'latin1'), 'x.txt'), /not UTF-8 text/);
    assert.throws(() => decodeSavedPage(Buffer.from('%PDF-1.7\n...'), 'x.pdf'), /this is a PDF document/);
  });
});

for (const dialect of await dialectsUnderTest()) {
  describe(`import-legacy command (${dialect})`, () => {
    let t: LegacyTestDb;
    let dir: string;
    before(async () => {
      t = await createLegacyTestDb(dialect);
      dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-legacy-cli-'));
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const counts = async () => ({ activities: await countRows(t.db, 'activities'), runs: await countRows(t.db, 'legacy_import_runs'), sources: await countRows(t.db, 'legacy_sources') });

    test('--dry-run --json prints the plan as one JSON document and writes nothing', async () => {
      const before = await counts();
      const r = await run(t.db, ['--dry-run', '--json', fixture('en-lookback-dakar.txt'), fixture('en-list-activities.txt')]);
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      const doc = JSON.parse(r.out) as { dry_run: boolean; activities: Record<string, unknown>[]; summary: Record<string, number> };
      assert.equal(doc.dry_run, true);
      assert.equal(doc.activities.length, 5);
      assert.deepEqual(doc.summary, { create: 5, merge: 0, skip: 0 });
      const a = doc.activities[0]!;
      for (const key of ['title', 'type', 'start_date', 'end_date', 'date_precision', 'city', 'country', 'format', 'host', 'co_chairs', 'themes', 'participants', 'countries_count', 'documents', 'confidence', 'warnings', 'action']) {
        assert.ok(key in a, `missing ${key}`);
      }
      assert.deepEqual(
        { title: a.title, type: a.type, start_date: a.start_date, end_date: a.end_date, date_precision: a.date_precision, city: a.city, country: a.country, format: a.format, host: a.host, co_chairs: a.co_chairs, themes: a.themes, participants: a.participants, countries_count: a.countries_count, action: a.action },
        {
          title: 'Thematic meeting on labour mobility',
          type: 'thematic_meeting',
          start_date: '2019-07-01',
          end_date: '2019-07-02',
          date_precision: 'day',
          city: 'Dakar',
          country: 'SN',
          format: 'in_person',
          host: null,
          co_chairs: ['SN', 'FR'],
          themes: ['marrakesh-2018.d2'],
          participants: { value: 90, qualifier: 'over' },
          countries_count: { value: 35, qualifier: 'around' },
          action: 'create',
        },
      );
      assert.deepEqual((a.documents as { title: string; type: string }[])[0], { title: 'Final report', type: 'final_report', url: null });
      assert.equal((a.confidence as Record<string, number>).dates, 0.95);
      assert.ok(Array.isArray(a.warnings));
      assert.deepEqual(await counts(), before);
    });

    test('a run writes, reports in plain text, and a second run of the same pages skips them', async () => {
      const first = await run(t.db, ['--source-url', 'https://www.rabat-process.example/es/prensa/reunion-altos-funcionarios-madrid', fixture('es-nota-prensa.txt')]);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /1\. create +Reunión de altos funcionarios del Proceso de Rabat en Madrid/);
      assert.match(first.out, /2021-03-16\.\.2021-03-17 \(day\) · Madrid, ES · senior_officials_meeting · hybrid/);
      assert.match(first.out, /Import run #\d+: 1 created, 0 merged, 0 skipped; \d+ warnings\./);
      const second = await run(t.db, ['--json', '--source-url', 'https://www.rabat-process.example/es/prensa/reunion-altos-funcionarios-madrid', fixture('es-nota-prensa.txt')]);
      assert.equal(second.code, 0, second.err);
      const doc = JSON.parse(second.out) as { activities: { action: string; result: string }[]; summary: Record<string, number> };
      assert.deepEqual(doc.activities.map((a) => [a.action, a.result]), [['skip', 'skipped']]);
      assert.equal(doc.summary.created, 0);
    });

    const refused: [string, () => string, RegExp, number][] = [
      ['a garbage file', () => fixture('garbage.txt'), /garbage\.txt: no activity found/, 65],
      ['an empty file', () => write('empty.txt', ''), /empty\.txt: the file is empty/, 65],
      ['a file of blanks', () => write('blank.txt', '\n \n\t\n'), /blank\.txt: the file holds only white space/, 65],
      ['a binary file', () => write('photo.bin', Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00, 0x41, 0x42])), /photo\.bin: the file is binary \(it contains NUL bytes\)/, 65],
      ['an image', () => write('photo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)])), /photo\.png: this is a PNG image/, 65],
      ['a file in another encoding', () => write('latin1.txt', Buffer.from('R\xe9union th\xe9matique\nDate: 15 juin 2015\n', 'latin1')), /latin1\.txt: the file is not UTF-8 text/, 65],
      ['a file over 20 MB', () => big('huge.html', MAX_PAGE_BYTES + 1), /huge\.html: 20\.0 MB is larger than the 20 MB a saved page may be; it was not read/, 65],
      ['a missing file', () => path.join(dir, 'nope.txt'), /nope\.txt: no such file/, 66],
    ];
    function write(name: string, content: string | Buffer): string {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    }
    function big(name: string, size: number): string {
      const file = path.join(dir, name);
      const fd = openSync(file, 'w');
      ftruncateSync(fd, size);
      closeSync(fd);
      return file;
    }
    for (const [what, make, message, code] of refused) {
      test(`${what}: a clear message, exit code ${code}, nothing imported — even with a good page beside it`, async () => {
        const before = await counts();
        const bad = make();
        const r = await run(t.db, [fixture('it-riunione.txt'), bad]);
        assert.equal(r.code, code);
        assert.match(r.err, message);
        assert.match(r.err, /nothing was imported \(1 of 2 files refused\)/);
        assert.equal(r.out, '');
        assert.deepEqual(await counts(), before);
      });
    }

    test('a page at the size limit is read', async () => {
      const html = `<html><body><h1>Training on civil registration</h1><p>Date: 3 March 2016</p><p>Place: Banjul, Gambia</p></body></html>`;
      const file = path.join(dir, 'at-limit.html');
      writeFileSync(file, html.padEnd(MAX_PAGE_BYTES, ' '));
      const r = await run(t.db, ['--dry-run', '--json', file]);
      assert.equal(r.code, 0, r.err);
      assert.equal((JSON.parse(r.out) as { activities: { start_date: string }[] }).activities[0]!.start_date, '2016-03-03');
    });

    test('wrong usage: exit code 64 and the help on standard error', async () => {
      const r = await run(t.db, ['--source-url', 'https://x.example/a', fixture('it-riunione.txt'), fixture('pt-oficina.txt')]);
      assert.equal(r.code, 64);
      assert.match(r.err, /exactly one FILE/);
      assert.match(r.err, /Usage: npm run diwan -- import-legacy/);
      const help = await run(t.db, ['--help']);
      assert.equal(help.code, 0);
      assert.match(help.out, /--dry-run/);
    });
  });
}
