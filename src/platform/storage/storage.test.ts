/**
 * The file store, on the local disk and in an S3-compatible server (s3rver on loopback): the same
 * tests run against both, plus the storage URL's parsing and redaction.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startS3, type TestS3 } from '../../../test/helpers/s3.js';
import { openS3Store } from './s3.js';
import { FileMissing, FileTooLarge, isValidKey, keyFor, openFileStore, type FileStore } from './storage.js';
import { parseStorageUrl, redactStorageUrl } from './url.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function collect(keys: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const key of keys) all.push(key);
  return all;
}

async function* chunksOf(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

const tempDirs: string[] = [];
let s3: TestS3 | undefined;
let prefixes = 0;

after(async () => {
  await s3?.stop();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A storage URL of each kind; every S3 store gets its own prefix so tests see only their objects. */
function urlFor(kind: 'local' | 's3'): string | undefined {
  if (kind === 'local') return undefined;
  return `s3://S3RVER:S3RVER@${s3!.bucket}/t${++prefixes}?endpoint=${encodeURIComponent(s3!.endpoint)}&path_style=true`;
}

async function freshStore(kind: 'local' | 's3'): Promise<{ store: FileStore; dataDir: string; url: string | undefined }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'diwan-storage-'));
  tempDirs.push(dataDir);
  const url = urlFor(kind);
  const store = await openFileStore({ dataDir, url });
  return { store, dataDir, url };
}

for (const kind of ['local', 's3'] as const) {
  describe(`${kind} file store`, () => {
    let store: FileStore;
    let dataDir: string;
    const uploads = () => path.join(dataDir, 'tmp', 'uploads');

    before(async () => {
      if (kind === 's3') s3 ??= await startS3();
      ({ store, dataDir } = await freshStore(kind));
    });
    after(() => store.close());

    test('a staged and committed file reads back whole and by range, under its hash', async () => {
      assert.equal(store.kind, kind);
      const bytes = randomBytes(100_000);
      const staged = await store.stage(chunksOf(bytes.subarray(0, 30_000), bytes.subarray(30_000)), { maxBytes: 1_000_000 });
      assert.equal(staged.sha256, sha256(bytes));
      assert.equal(staged.size, bytes.length);
      assert.equal((await stat(staged.path)).mode & 0o777, 0o600);
      const stored = await store.commit(staged);
      assert.deepEqual(stored, { key: keyFor(sha256(bytes)), sha256: sha256(bytes), size: bytes.length });
      assert.deepEqual(await entries(uploads()), [], 'the temporary is gone');
      assert.deepEqual(await store.stat(stored.key), { size: bytes.length });
      const back = await readAll(await store.read(stored.key));
      assert.equal(sha256(back), stored.sha256);
      assert.deepEqual(await readAll(await store.read(stored.key, { start: 10, end: 19 })), bytes.subarray(10, 20));
      assert.deepEqual(await readAll(await store.read(stored.key, { start: 99_999, end: 99_999 })), bytes.subarray(99_999));
      await assert.rejects(store.read(stored.key, { start: 5, end: 4 }), RangeError);
    });

    test('a Node.js stream is accepted as a source', async () => {
      const staged = await store.stage(Readable.from([Buffer.from('hello '), Buffer.from('world')]), { maxBytes: 11 });
      assert.equal(staged.sha256, sha256(Buffer.from('hello world')));
      await staged.discard();
      await staged.discard();
      assert.deepEqual(await entries(uploads()), []);
    });

    test('the same bytes uploaded twice are stored once', async () => {
      const own = await freshStore(kind);
      const bytes = Buffer.from('the same minutes, uploaded twice');
      const first = await own.store.commit(await own.store.stage(chunksOf(bytes), { maxBytes: 1000 }));
      const second = await own.store.commit(await own.store.stage(chunksOf(bytes), { maxBytes: 1000 }));
      assert.equal(first.key, second.key);
      assert.deepEqual(await collect(own.store.list()), [first.key]);
      assert.deepEqual(await entries(path.join(own.dataDir, 'tmp', 'uploads')), []);
      await own.store.close();
    });

    test('an upload over the limit stops early, in bounded memory, and leaves no temporary', async () => {
      const maxBytes = 1024 * 1024;
      const chunk = 64 * 1024;
      let pulled = 0;
      let finished = false;
      async function* gigabyte(): AsyncGenerator<Uint8Array> {
        try {
          while (pulled < 1024 * 1024 * 1024) {
            pulled += chunk;
            yield Buffer.alloc(chunk, 1);
          }
        } finally {
          finished = true;
        }
      }
      const rssBefore = process.memoryUsage().rss;
      await assert.rejects(store.stage(gigabyte(), { maxBytes }), (err) => err instanceof FileTooLarge && err.limit === maxBytes);
      assert.ok(pulled <= maxBytes + 4 * chunk, `pulled ${pulled} bytes`);
      assert.ok(finished, 'the source was closed');
      assert.ok(process.memoryUsage().rss - rssBefore < 64 * 1024 * 1024, 'memory stayed bounded');
      assert.deepEqual(await entries(uploads()), []);
    });

    test('a Node.js stream over the limit is destroyed', async () => {
      const source = Readable.from((function* () {
        for (let i = 0; i < 1000; i++) yield Buffer.alloc(1024);
      })());
      await assert.rejects(store.stage(source, { maxBytes: 10_000 }), FileTooLarge);
      assert.ok(source.destroyed);
      assert.deepEqual(await entries(uploads()), []);
    });

    test('a source that fails halfway leaves no temporary', async () => {
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield Buffer.alloc(50_000);
        throw new Error('connection reset');
      }
      await assert.rejects(store.stage(failing(), { maxBytes: 1_000_000 }), /connection reset/);
      assert.deepEqual(await entries(uploads()), []);
    });

    test('sweep removes old temporaries and keeps fresh ones', async () => {
      await mkdir(uploads(), { recursive: true });
      const old = path.join(uploads(), 'old.part');
      const fresh = path.join(uploads(), 'fresh.part');
      await writeFile(old, 'abandoned');
      await writeFile(fresh, 'still coming');
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      await utimes(old, twoHoursAgo, twoHoursAgo);
      assert.equal(await store.sweep(3600_000), 1);
      assert.deepEqual(await entries(uploads()), ['fresh.part']);
      assert.equal(await store.sweep(0), 1);
      assert.deepEqual(await entries(uploads()), []);
    });

    test('invalid keys are refused by every method', async () => {
      const hex = 'a'.repeat(64);
      for (const key of ['../x', `sha256/zz/${hex}`, `sha256/bb/${hex}`, `sha256/aa/${hex}/../../x`, `SHA256/aa/${hex}`, '']) {
        assert.equal(isValidKey(key), false, key);
        await assert.rejects(store.stat(key), /invalid file key/, key);
        await assert.rejects(store.read(key), /invalid file key/, key);
        await assert.rejects(store.delete(key), /invalid file key/, key);
      }
      assert.equal(isValidKey(`sha256/aa/${hex}`), true);
      assert.throws(() => keyFor('../../etc/passwd'));
      const staged = await store.stage(chunksOf(Buffer.from('x')), { maxBytes: 10 });
      await assert.rejects(store.commit({ ...staged, path: '/etc/passwd' }), /not a file staged by this store/);
      await assert.rejects(store.commit({ ...staged, sha256: '../x' }));
      await staged.discard();
    });

    test('a commit that keeps the staged temporary can store the bytes again after a delete', async () => {
      const own = await freshStore(kind);
      const bytes = Buffer.from('minutes kept staged for a second commit');
      const staged = await own.store.stage(chunksOf(bytes), { maxBytes: 1000 });
      const stored = await own.store.commit(staged, { keepStaged: true });
      assert.equal((await stat(staged.path)).size, bytes.length, 'the temporary is still there');
      assert.deepEqual(await readAll(await own.store.read(stored.key)), bytes);
      assert.deepEqual(await own.store.commit(staged, { keepStaged: true }), stored, 'already stored: nothing written');
      await own.store.delete(stored.key);
      assert.equal(await own.store.stat(stored.key), null);
      await own.store.commit(staged, { keepStaged: true });
      assert.deepEqual(await readAll(await own.store.read(stored.key)), bytes, 'stored again from the same temporary');
      assert.deepEqual(await entries(path.join(own.dataDir, 'tmp', 'uploads')), [path.basename(staged.path)], 'no other temporary left');
      await staged.discard();
      assert.deepEqual(await readAll(await own.store.read(stored.key)), bytes, 'the stored file does not depend on the temporary');
      await own.store.close();
    });

    test('a deleted file is gone', async () => {
      const stored = await store.commit(await store.stage(chunksOf(Buffer.from('to be withdrawn')), { maxBytes: 100 }));
      await store.delete(stored.key);
      assert.equal(await store.stat(stored.key), null);
      await assert.rejects(store.read(stored.key), FileMissing);
      await store.delete(stored.key);
    });

    test('a process killed mid-upload stores nothing and leaves a temporary for the sweep', async () => {
      const own = await freshStore(kind);
      const tmp = path.join(own.dataDir, 'tmp', 'uploads');
      const fixture = path.join(import.meta.dirname, 'stage-crash.test-support.ts');
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, own.dataDir, own.url ?? ''], { stdio: ['ignore', 'ignore', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      try {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const parts = await entries(tmp);
          if (parts.length === 1 && (await stat(path.join(tmp, parts[0]!))).size > 8192) break;
          assert.ok(Date.now() < deadline, 'the child started staging');
          await sleep(50);
        }
      } finally {
        child.kill('SIGKILL');
      }
      assert.equal(await exited, 'SIGKILL');
      assert.deepEqual(await entries(path.join(own.dataDir, 'files')), []);
      assert.deepEqual(await collect(own.store.list()), []);
      assert.equal(await own.store.sweep(0), 1);
      assert.deepEqual(await entries(tmp), []);
      await own.store.close();
    });

    if (kind === 's3') {
      test('keys sit under the prefix, are listed across pages, and big files go up in parts', async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'diwan-storage-'));
        tempDirs.push(dir);
        const settings = parseStorageUrl(urlFor('s3'));
        assert.equal(settings.kind, 's3');
        if (settings.kind !== 's3') return;
        const paged = openS3Store(settings, dir, { pageSize: 2, partSize: 5 * 1024 * 1024 });
        const keys: string[] = [];
        for (let i = 0; i < 4; i++) keys.push((await paged.commit(await paged.stage(chunksOf(Buffer.from(`file ${i}`)), { maxBytes: 100 }))).key);
        const big = randomBytes(11 * 1024 * 1024);
        const stored = await paged.commit(await paged.stage(chunksOf(big), { maxBytes: big.length }));
        keys.push(stored.key);
        assert.deepEqual((await collect(paged.list())).sort(), keys.sort());
        assert.deepEqual(await paged.stat(stored.key), { size: big.length });
        assert.equal(sha256(await readAll(await paged.read(stored.key))), stored.sha256);
        const tail = await readAll(await paged.read(stored.key, { start: big.length - 10, end: big.length - 1 }));
        assert.deepEqual(tail, big.subarray(big.length - 10));
        const unprefixed = openS3Store({ ...settings, prefix: 'elsewhere/' }, dir);
        assert.deepEqual(await collect(unprefixed.list()), []);
        assert.equal(await unprefixed.stat(stored.key), null);
        await unprefixed.close();
        await paged.close();
      });
    }
  });
}

describe('storage URL', () => {
  test('no URL, or file:, means the local disk', () => {
    for (const url of [undefined, '', 'file:', 'file://', 'file:///']) assert.deepEqual(parseStorageUrl(url), { kind: 'local' });
    assert.throws(() => parseStorageUrl('file:///srv/files'), /file: takes no path/);
  });

  test('an s3 URL gives the bucket, prefix, endpoint, region, path style and decoded credentials', () => {
    assert.deepEqual(parseStorageUrl('s3://AK%2B1:se%2Fcr%40et@diwan-files/site/uploads/?endpoint=http://127.0.0.1:4569&region=eu-west-1&path_style=true'), {
      kind: 's3',
      bucket: 'diwan-files',
      prefix: 'site/uploads/',
      endpoint: 'http://127.0.0.1:4569',
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AK+1', secretAccessKey: 'se/cr@et' },
    });
    assert.deepEqual(parseStorageUrl('s3://diwan-files'), { kind: 's3', bucket: 'diwan-files', prefix: '', region: 'us-east-1', forcePathStyle: false });
    const withEndpoint = parseStorageUrl('s3://b12?endpoint=https://s3.example.org');
    assert.equal(withEndpoint.kind === 's3' && withEndpoint.forcePathStyle, true, 'a custom endpoint defaults to path style');
  });

  test('mistakes are named, and the secret never appears in the message', () => {
    const cases: [string, RegExp][] = [
      ['s3://AK:topsecret@Bad_Bucket', /not a bucket name/],
      ['s3://AK@diwan-files', /no secret/],
      ['s3://:topsecret@diwan-files', /no access key/],
      ['s3://AK:top/secret@diwan-files', /does not parse/],
      ['s3://AK:topsecret@diwan-files?region=eu-west-1&pathstyle=true', /unknown parameter "pathstyle"/],
      ['s3://AK:topsecret@diwan-files?path_style=maybe', /path_style must be true or false/],
      ['s3://AK:topsecret@diwan-files?endpoint=ftp://x', /endpoint must be an http/],
      ['s3://AK:topsecret@diwan-files:9000', /has no port/],
      ['s3://AK:topsecret@diwan-files?region=EU%20WEST', /region/],
      ['http://AK:topsecret@diwan-files', /unsupported scheme "http:"/],
    ];
    for (const [url, message] of cases) {
      assert.throws(
        () => parseStorageUrl(url),
        (err: Error) => message.test(err.message) && !err.message.includes('secret@') && !/topsecret|top\/secret/.test(err.message) && !('cause' in err),
        url,
      );
    }
  });

  test('redaction hides the secret only', () => {
    assert.equal(redactStorageUrl('s3://AK:SECRET@bucket/p?region=eu-west-1'), 's3://AK:***@bucket/p?region=eu-west-1');
    assert.equal(redactStorageUrl('s3://AK:se/cr@et@bucket/p'), 's3://AK:***@bucket/p');
    assert.equal(redactStorageUrl('s3://bucket/p?endpoint=http://127.0.0.1:4569'), 's3://bucket/p?endpoint=http://127.0.0.1:4569');
    assert.equal(redactStorageUrl('s3://AK@bucket'), 's3://AK@bucket');
  });
});
