/**
 * The extraction job against files that hang or stop the process: attempts counted on the row
 * before each read, a reader stopped by the timeout, files given up at start once their attempts
 * are used up. On both databases.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { ExtractionTimeout, extractTextIsolated } from '../../platform/files/extract.js';
import { inspectFile } from '../../platform/files/inspect.js';
import { makeDocx, makePdf } from '../../platform/files/test-files.js';
import { addDocumentFiles, createDocument } from './documents.commands.js';
import { EXTRACT_JOB, MAX_EXTRACTION_ATTEMPTS, enqueuePendingExtractions, extractionJob, type TextExtractor } from './documents.jobs.js';

/** A worker that loops forever, in place of the real reader. */
const HANGING_WORKER = new URL('../../platform/files/extract-hang.test-support.ts', import.meta.url);

for (const dialect of await dialectsUnderTest()) {
  describe(`text extraction that hangs or stops the process (${dialect})`, () => {
    let t: TestApp;
    let docs = 0;

    before(async () => {
      t = await createTestApp(dialect, { demo: false });
    });
    after(async () => t?.close());

    async function pendingFile(bytes: Buffer, name: string): Promise<number> {
      const doc = await createDocument(t.db, { type: 'other', access: 'public', t: { en: { title: `Poison ${++docs}`, slug: `poison-${docs}` } } }, { id: null, canPublish: true });
      const staged = await t.app.diwan.files.stage(Readable.from([bytes]), { maxBytes: 10 * 1024 * 1024 });
      const inspected = await inspectFile(staged.path, { declaredName: name });
      const [id] = await addDocumentFiles(t.db, t.app.diwan.files, doc, [{ lang: 'en', status: 'adopted', staged, inspected, fileName: name }], null);
      return id!;
    }
    const row = (id: number) => t.db.selectFrom('document_files').select(['text_state', 'text_error', 'text_attempts']).where('id', '=', id).executeTakeFirstOrThrow();

    test(`${dialect}: a reader that never returns is stopped by the timeout, each attempt counted before the read, then the file is failed`, async () => {
      const id = await pendingFile(makeDocx(['Un fichier qui ne se laisse pas lire.']), 'poison.docx');
      const seen: number[] = [];
      const hanging: TextExtractor = async (path, kind, options) => {
        // The attempt is already committed while the reader runs (a crash here would still count).
        seen.push((await row(id)).text_attempts);
        return extractTextIsolated(path, kind, { ...options, worker: HANGING_WORKER });
      };
      const job = extractionJob({ db: t.db, files: t.app.diwan.files, config: t.config }, { timeoutMs: 300, extract: hanging });
      for (let attempt = 1; attempt < MAX_EXTRACTION_ATTEMPTS; attempt++) {
        const started = Date.now();
        await assert.rejects(job.run({ fileId: id }, { id: 'test', attempt }), ExtractionTimeout, 'retried by the queue');
        assert.ok(Date.now() - started < 5000, 'stopped near its timeout');
        assert.deepEqual(await row(id), { text_state: 'pending', text_error: null, text_attempts: attempt });
      }
      await job.run({ fileId: id }, { id: 'test', attempt: MAX_EXTRACTION_ATTEMPTS });
      assert.deepEqual(seen, [1, 2, 3]);
      const failed = await row(id);
      assert.equal(failed.text_state, 'failed');
      assert.equal(failed.text_attempts, MAX_EXTRACTION_ATTEMPTS);
      assert.equal(failed.text_error, 'gave up after 3 attempts: text extraction stopped after 0.3 s');
      // Not read again by a late retry.
      await job.run({ fileId: id }, { id: 'test', attempt: MAX_EXTRACTION_ATTEMPTS + 1 });
      assert.deepEqual(seen, [1, 2, 3]);
    });

    test(`${dialect}: at start, a file whose attempts are used up is marked failed and not sent again; the others are sent`, async () => {
      await t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
      const poison = await pendingFile(await makePdf(['A file that stopped the server at every read.']), 'poison.pdf');
      const waiting = await pendingFile(await makePdf(['A file whose reading was cut once.']), 'waiting.pdf');
      // As left by attempts that each took the process down before they could record anything.
      await t.db.updateTable('document_files').set({ text_attempts: MAX_EXTRACTION_ATTEMPTS }).where('id', '=', poison).execute();
      await t.db.updateTable('document_files').set({ text_attempts: 1 }).where('id', '=', waiting).execute();
      const before = await t.app.diwan.jobs.counts(EXTRACT_JOB);
      assert.deepEqual(await enqueuePendingExtractions(t.app.diwan), { sent: 1, gaveUp: 1 });
      assert.deepEqual(await row(poison), { text_state: 'failed', text_attempts: MAX_EXTRACTION_ATTEMPTS, text_error: 'gave up after 3 attempts: none finished (the reader hung or the server stopped while reading)' });
      const sent = await t.app.diwan.jobs.counts(EXTRACT_JOB);
      assert.equal(sent.pending + sent.active + sent.completed - (before.pending + before.active + before.completed), 1, 'one job sent');
      await t.app.diwan.jobs.drain({ timeoutMs: 30_000 });
      assert.deepEqual(await row(waiting), { text_state: 'done', text_error: null, text_attempts: 2 });
      assert.equal((await row(poison)).text_state, 'failed', 'never read');
      assert.deepEqual(await enqueuePendingExtractions(t.app.diwan), { sent: 0, gaveUp: 0 }, 'nothing left for the next start');
    });
  });
}
