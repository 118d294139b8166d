/**
 * The collector of unnamed stored files against uploads and extractions of the same bytes: the two
 * are interleaved step by step (through a store that stops or acts at a given call), on both
 * databases, and a file must never be removed from under a row that names it.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { dialectsUnderTest } from '../../../test/helpers/databases.js';
import { inspectFile } from '../../platform/files/inspect.js';
import { makePdf, makePng } from '../../platform/files/test-files.js';
import type { FileStore, StoredFile } from '../../platform/storage/storage.js';
import { collectUnreferencedFiles } from './documents.collect.js';
import { addDocumentFiles, createDocument, removeDocumentFile, type IncomingFile } from './documents.commands.js';
import { extractionJob } from './documents.jobs.js';

const GRACE = { graceMs: 60_000 };
/** A pass of the collector far enough in the future for every note to be past its grace. */
const later = () => ({ ...GRACE, now: new Date(Date.now() + 10 * 60_000) });

/** The store, with a hook awaited after each commit and before each delete (the moments a race turns on). */
function hookedStore(store: FileStore, hooks: { afterCommit?: (stored: StoredFile) => Promise<void>; beforeDelete?: (key: string) => Promise<void> }): FileStore {
  return {
    kind: store.kind,
    stage: (...args: Parameters<FileStore['stage']>) => store.stage(...args),
    commit: async (...args: Parameters<FileStore['commit']>) => {
      const stored = await store.commit(...args);
      await hooks.afterCommit?.(stored);
      return stored;
    },
    stat: (key) => store.stat(key),
    read: (key, range) => store.read(key, range),
    delete: async (key) => {
      await hooks.beforeDelete?.(key);
      await store.delete(key);
    },
    list: () => store.list(),
    sweep: (ms) => store.sweep(ms),
    close: () => store.close(),
  };
}

/** A promise with its resolve function outside. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

for (const dialect of await dialectsUnderTest()) {
  describe(`unnamed stored files and uploads of the same bytes (${dialect})`, () => {
    let t: TestApp;
    let store: FileStore;
    let docs = 0;

    before(async () => {
      t = await createTestApp(dialect, { demo: false });
      store = t.app.diwan.files;
    });
    after(async () => t?.close());

    const newDocument = () => createDocument(t.db, { type: 'other', access: 'public', t: { en: { title: `Race ${++docs}`, slug: `race-${docs}` } } }, { id: null, canPublish: true });

    async function incoming(bytes: Buffer, name: string): Promise<IncomingFile> {
      const staged = await store.stage(Readable.from([bytes]), { maxBytes: 10 * 1024 * 1024 });
      const inspected = await inspectFile(staged.path, { declaredName: name });
      return { lang: 'en', status: 'adopted', staged, inspected, fileName: name };
    }

    /** Stores bytes under a document's row, then removes the row: the bytes are unnamed, noted at the collector's first pass. */
    async function orphan(bytes: Buffer, name: string): Promise<string> {
      const doc = await newDocument();
      const [fileId] = await addDocumentFiles(t.db, store, doc, [await incoming(bytes, name)], null);
      const row = await t.db.selectFrom('document_files').select('storage_key').where('id', '=', fileId!).executeTakeFirstOrThrow();
      assert.ok(await removeDocumentFile(t.db, doc, fileId!, null));
      return row.storage_key;
    }

    test(`${dialect}: an upload of the same bytes, stored while the collector is removing them, keeps its file`, async () => {
      const bytes = await makePdf(['Minutes removed, then uploaded again.']);
      const key = await orphan(bytes, 'minutes.pdf');
      await collectUnreferencedFiles(t.db, store, GRACE);
      const doc = await newDocument();
      const file = await incoming(bytes, 'minutes.pdf');
      let upload: Promise<number[]> | undefined;
      // The collector has decided the key is unnamed and is about to delete it: now the upload of
      // the same bytes reaches the store, which finds them there and writes nothing.
      const racing = hookedStore(store, {
        beforeDelete: async (deleting) => {
          if (deleting !== key || upload) return;
          const committed = signal();
          const uploader = hookedStore(store, { afterCommit: async (s) => void (s.key === key && committed.resolve()) });
          upload = addDocumentFiles(t.db, uploader, doc, [file], null);
          upload.catch(() => undefined);
          await committed.promise;
        },
      });
      await collectUnreferencedFiles(t.db, racing, later());
      assert.ok(upload, 'the collector went for the key');
      const [fileId] = await upload;
      const row = await t.db.selectFrom('document_files').select('storage_key').where('id', '=', fileId!).executeTakeFirstOrThrow();
      assert.equal(row.storage_key, key);
      assert.ok(await store.stat(key), 'the row’s file is stored');
      assert.deepEqual(await readAll(await store.read(key)), bytes);
      // And a later pass leaves it alone: it is named.
      assert.equal((await collectUnreferencedFiles(t.db, store, later())).removed, 0);
      assert.ok(await store.stat(key));
    });

    test(`${dialect}: an upload whose bytes the collector removed after they were stored puts them back`, async () => {
      const bytes = await makePdf(['Removed between the store and the rows.']);
      const key = await orphan(bytes, 'removed.pdf');
      await collectUnreferencedFiles(t.db, store, GRACE);
      const doc = await newDocument();
      const stored = signal();
      const go = signal();
      // The upload stops right after the store said the bytes were already there.
      const uploader = hookedStore(store, {
        afterCommit: async (s) => {
          if (s.key !== key) return;
          stored.resolve();
          await go.promise;
        },
      });
      const upload = addDocumentFiles(t.db, uploader, doc, [await incoming(bytes, 'removed.pdf')], null);
      upload.catch(() => undefined);
      await stored.promise;
      const pass = await collectUnreferencedFiles(t.db, store, later());
      assert.ok(pass.removed >= 1, 'the collector removed the unnamed bytes');
      assert.equal(await store.stat(key), null);
      go.resolve();
      const [fileId] = await upload;
      const row = await t.db.selectFrom('document_files').select('storage_key').where('id', '=', fileId!).executeTakeFirstOrThrow();
      assert.equal(row.storage_key, key);
      assert.deepEqual(await readAll(await store.read(key)), bytes, 'stored again from the upload’s own copy');
      assert.equal(await t.db.selectFrom('file_orphans').select('storage_key').where('storage_key', '=', key).executeTakeFirst(), undefined, 'no note left');
    });

    test(`${dialect}: a thumbnail the collector removed while the extraction stored it is put back`, async () => {
      const png = await makePng();
      const first = await newDocument();
      const [firstId] = await addDocumentFiles(t.db, store, first, [await incoming(png, 'photo.png')], null);
      await extractionJob({ db: t.db, files: store, config: t.config }).run({ fileId: firstId! }, { id: 'test', attempt: 1 });
      const { thumbnail_key: thumb } = await t.db.selectFrom('document_files').select('thumbnail_key').where('id', '=', firstId!).executeTakeFirstOrThrow();
      assert.ok(thumb);
      // The same photo in another document; the first one's row (and so its thumbnail's name) goes.
      const second = await newDocument();
      const [secondId] = await addDocumentFiles(t.db, store, second, [await incoming(png, 'photo.png')], null);
      assert.ok(await removeDocumentFile(t.db, first, firstId!, null));
      await collectUnreferencedFiles(t.db, store, GRACE);
      assert.ok(await t.db.selectFrom('file_orphans').select('storage_key').where('storage_key', '=', thumb).executeTakeFirst(), 'the thumbnail is noted');

      const stored = signal();
      const go = signal();
      const reader = hookedStore(store, {
        afterCommit: async (s) => {
          if (s.key !== thumb) return;
          stored.resolve();
          await go.promise;
        },
      });
      const extraction = extractionJob({ db: t.db, files: reader, config: t.config }).run({ fileId: secondId! }, { id: 'test', attempt: 1 });
      extraction.catch(() => undefined);
      await stored.promise;
      await collectUnreferencedFiles(t.db, store, later());
      assert.equal(await store.stat(thumb), null, 'the collector removed the unnamed thumbnail');
      go.resolve();
      await extraction;
      const row = await t.db.selectFrom('document_files').select(['thumbnail_key', 'text_state']).where('id', '=', secondId!).executeTakeFirstOrThrow();
      assert.deepEqual(row, { thumbnail_key: thumb, text_state: 'done' });
      assert.ok(await store.stat(thumb), 'the thumbnail is stored again');
    });
  });
}
