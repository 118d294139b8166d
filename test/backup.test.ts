/**
 * Backups that restore, and the move from SQLite to PostgreSQL (src/platform/backup), on real
 * databases: the demo installation with uploaded files and binary rows is backed up while another
 * connection writes, restored into an empty installation, and compared table by table (every row,
 * read here with plain SELECTs, not with the code under test) and file by file; damaged archives,
 * one from a newer Diwan and a non-empty target are refused with nothing written; a move copies
 * SQLite into PostgreSQL and the two are compared the same way.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Migrator, sql } from 'kysely';
import { Pack, WriteEntry, entries } from 'tar';
import { MODULES, syncDiwan } from '../src/app/index.js';
import { migrations } from '../src/migrations/index.js';
import { runCli } from '../src/cli.js';
import { addDocumentFiles, createDocument } from '../src/modules/documents/index.js';
import { BackupRefused } from '../src/platform/backup/archive.js';
import { createBackup } from '../src/platform/backup/backup.js';
import { restoreBackup } from '../src/platform/backup/restore.js';
import { FILE_KEY_COLUMNS } from '../src/platform/backup/schema-info.js';
import { isPostgres, openDatabase, type Db } from '../src/platform/db/database.js';
import { readContentVersion } from '../src/platform/db/site-state.js';
import { inspectFile } from '../src/platform/files/inspect.js';
import { makePdf, makePng } from '../src/platform/files/test-files.js';
import { isValidKey, openFileStore, type FileStore } from '../src/platform/storage/storage.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from './helpers/databases.js';
import { startS3 } from './helpers/s3.js';

const dialects = await dialectsUnderTest();
const log = { info: () => undefined };
const work = mkdtempSync(path.join(os.tmpdir(), 'diwan-backup-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Installation {
  tdb: TestDatabase;
  db: Db;
  store: FileStore;
  close(): Promise<void>;
}

async function installation(dialect: 'sqlite' | 'postgres', template: 'empty' | 'demo'): Promise<Installation> {
  const tdb = await createTestDatabase(dialect, {}, template);
  const db = openDatabase(tdb.config);
  const store = await openFileStore({ url: tdb.config.storageUrl, dataDir: tdb.config.dataDir });
  return {
    tdb,
    db,
    store,
    close: async () => {
      await store.close();
      await db.destroy();
      await tdb.drop();
    },
  };
}

/** The tables of a database, found here without the code under test (SQLite's FTS tables left aside: the search is checked by its entries). */
async function tableNames(db: Db): Promise<string[]> {
  const { rows } = isPostgres(db)
    ? await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`.execute(db)
    : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'search\\_fts%' ESCAPE '\\'`.execute(db);
  return rows.map((r) => r.name).sort();
}

/** A value as both databases would agree on it. */
const plain = (v: unknown) => (v instanceof Uint8Array ? `bytes:${Buffer.from(v).toString('base64')}` : v);

/**
 * Every row of every table, as sorted JSON lines per table. What cannot be the same after a
 * restore is left out: when each migration ran, the search entries' ids (the index is rebuilt),
 * PostgreSQL's generated tsvectors, and the content version (moved on purpose).
 */
async function everyRow(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tableNames(db)) {
    if (table === 'diwan_migrations_lock') continue;
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db);
    out[table] = rows
      .map((r) => {
        const kept = Object.entries(r).filter(([c]) => {
          if (table === 'diwan_migrations') return c === 'name';
          if (table === 'search_entries') return !['id', 'terms', 'rank_terms'].includes(c);
          return true;
        });
        return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, v]) => [c, plain(v)]));
      })
      .filter((line) => !(table === 'site_state' && line.includes('"content_version"')))
      .sort();
  }
  return out;
}

async function bytesOf(store: FileStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await store.read(key)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** The file keys the rows name. */
async function namedKeys(db: Db): Promise<string[]> {
  const keys = new Set<string>();
  for (const r of await db.selectFrom('document_files').select(['storage_key', 'thumbnail_key']).execute()) {
    keys.add(r.storage_key);
    if (r.thumbnail_key) keys.add(r.thumbnail_key);
  }
  return [...keys].sort();
}

/** Adds what the demo lacks: a document with two uploaded files, binary rows with every byte value, a gap in a sequence. */
async function enrich(i: Installation): Promise<void> {
  const doc = await createDocument(i.db, { type: 'other', access: 'public', t: { en: { title: 'Backed up', slug: 'backed-up' } } }, { id: null, canPublish: true });
  const incoming = async (bytes: Buffer, name: string) => {
    const staged = await i.store.stage(Readable.from([bytes]), { maxBytes: 10 * 1024 * 1024 });
    return { lang: 'en', status: 'adopted' as const, staged, inspected: await inspectFile(staged.path, { declaredName: name }), fileName: name };
  };
  await addDocumentFiles(i.db, i.store, doc, [await incoming(await makePdf(['Backups that restore, moved élan']), 'report.pdf'), await incoming(await makePng(), 'photo.png')], null);
  const every = Buffer.from(Array.from({ length: 512 }, (_, n) => n % 256));
  const invitation = await i.db.selectFrom('meeting_invitations').select('id').orderBy('id').executeTakeFirstOrThrow();
  await i.db.insertInto('invitation_letters').values({ invitation_id: invitation.id, file_name: 'lettre é.pdf', mime: 'application/pdf', size: every.length, content: every, uploaded_by: null, uploaded_at: '2026-01-02T03:04:05.678Z' }).execute();
  const activity = await i.db.selectFrom('activities').select('id').orderBy('id').executeTakeFirstOrThrow();
  await i.db.insertInto('agenda_pdfs').values({ activity_id: activity.id, lang: 'fr', content_key: 'k', pdf: Buffer.alloc(0), created_at: '2026-01-02T03:04:05.678Z' }).execute();
  // A deleted row leaves its id behind: a restored sequence must not give it again.
  const gone = await i.db.insertInto('outbox').values({ to_address: 'a@example.org', subject: 'x', text_body: '{"json":"\\u00e9 ✓ \\n"}', purpose: 'test', created_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
  await i.db.insertInto('outbox').values({ to_address: 'b@example.org', subject: 'y', text_body: 'kept', purpose: 'test', created_at: '2026-01-01T00:00:00.000Z' }).execute();
  await i.db.deleteFrom('outbox').where('id', '=', gone.id + 1).execute();
  // As after any write from the command line: the search index follows the content.
  await syncDiwan(i.db, log);
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof BackupRefused, `expected a refusal, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

/** A copy of an archive with its header rewritten (as a newer Diwan would write it). */
async function withHeader(source: string, target: string, change: (header: Record<string, unknown>) => void): Promise<void> {
  const pack = new Pack();
  const copied: WriteEntry[] = [];
  for await (const entry of entries(readFileSync(source))) {
    let body = await entry.bytes();
    if (entry.path === 'diwan-backup.json') {
      const header = JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>;
      change(header);
      body = new Uint8Array(Buffer.from(JSON.stringify(header)));
    }
    copied.push(new WriteEntry({ path: entry.path, size: body.length, mode: 0o600 }, body));
  }
  pack.add(copied);
  pack.end();
  const chunks: Uint8Array[] = [];
  for await (const c of pack) chunks.push(c);
  writeFileSync(target, Buffer.concat(chunks));
}

for (const dialect of dialects) {
  describe(`backup and restore (${dialect})`, () => {
    let source: Installation;
    let target: Installation;
    let archive: string;
    let expected: Record<string, string[]>;
    const written: string[] = [];

    before(async () => {
      source = await installation(dialect, 'demo');
      target = await installation(dialect, 'empty');
      await enrich(source);
      archive = path.join(work, `${dialect}.tar`);
    });
    after(async () => {
      await source?.close();
      await target?.close();
    });

    test('a backup taken while another connection writes holds the state before that write, wholly', async () => {
      expected = await everyRow(source.db);
      const writer = openDatabase(source.tdb.config);
      try {
        const report = await createBackup(source.db, source.store, archive, {
          onTable: async (table) => {
            written.push(table);
            if (table !== 'audit_log') return;
            // One transaction across a table already in the archive and one still to come.
            await writer.transaction().execute(async (trx) => {
              await trx.insertInto('audit_log').values({ at: '2026-02-02T00:00:00.000Z', actor_user_id: null, action: 'backup.concurrent', entity_type: 'test', entity_id: null, summary: null, before_json: null, after_json: null }).execute();
              await trx.insertInto('site_state').values({ key: 'backup-concurrent', value: 'x' }).execute();
            });
          },
        });
        assert.ok(written.indexOf('site_state') > written.indexOf('audit_log'), 'the write spans a table before and a table after the moment it commits');
        assert.equal(report.files, (await namedKeys(source.db)).length);
        assert.ok(report.files >= 7, 'the demo library and the two uploads');
        assert.ok(!existsSync(`${archive}.part`));
      } finally {
        await writer.destroy();
      }
      const now = await everyRow(source.db);
      assert.equal(now.audit_log!.length, expected.audit_log!.length + 1, 'the concurrent write committed in the source');
    });

    test('every table, every row and every file come back in an empty installation', async () => {
      const versionBefore = await readContentVersion(source.db);
      const report = await restoreBackup(target.db, target.store, archive, { modules: MODULES, log });
      assert.equal(report.migratedOn, false);
      const restored = await everyRow(target.db);
      assert.deepEqual(Object.keys(restored).sort(), Object.keys(expected).sort());
      for (const table of Object.keys(expected)) assert.deepEqual(restored[table], expected[table], `table ${table}`);
      assert.ok(!restored.audit_log!.some((l) => l.includes('backup.concurrent')) && !restored.site_state!.some((l) => l.includes('backup-concurrent')), 'the concurrent write is wholly out');
      assert.ok(restored.search_entries!.length > 60, 'the search index was rebuilt');
      if (dialect === 'sqlite') {
        const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM search_fts_docsize`.execute(target.db);
        assert.equal(rows[0]!.n, restored.search_entries!.length);
      }
      assert.notEqual(await readContentVersion(target.db), versionBefore, 'the content version moved on from the backed-up one');
      for (const key of await namedKeys(source.db)) assert.ok((await bytesOf(target.store, key)).equals(await bytesOf(source.store, key)), key);
    });

    test('new rows get fresh ids after a restore, past ids deleted before the backup', async () => {
      const top = await source.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      const row = await target.db.insertInto('outbox').values({ to_address: 'c@example.org', subject: 'z', text_body: 'new', purpose: 'test', created_at: '2026-03-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
      assert.ok(row.id > Number(top.m) + 1, `id ${row.id} is past the deleted id ${Number(top.m) + 1}`);
      const audit = await target.db.insertInto('audit_log').values({ at: '2026-03-01T00:00:00.000Z', actor_user_id: null, action: 'after.restore', entity_type: 'test', entity_id: null, summary: null, before_json: null, after_json: null }).returning('id').executeTakeFirstOrThrow();
      assert.ok(audit.id > 0);
    });

    test('a database holding rows is refused without --force, and replaced with it', async () => {
      const before = await everyRow(target.db);
      await refused(restoreBackup(target.db, target.store, archive, { modules: MODULES, log }), /not empty.*--force/);
      assert.deepEqual(await everyRow(target.db), before);
      await restoreBackup(target.db, target.store, archive, { force: true, modules: MODULES, log });
      const restored = await everyRow(target.db);
      for (const table of Object.keys(expected)) assert.deepEqual(restored[table], expected[table], `table ${table}`);
    });

    test('a database that also holds another application\'s tables is refused, even with --force, and nothing is dropped', async () => {
      await sql`CREATE TABLE other_app_invoices (id integer PRIMARY KEY, amount integer)`.execute(target.db);
      await sql`INSERT INTO other_app_invoices (id, amount) VALUES (1, 250)`.execute(target.db);
      try {
        const before = await everyRow(target.db);
        await refused(restoreBackup(target.db, target.store, archive, { force: true, modules: MODULES, log }), /tables Diwan did not make \(other_app_invoices\)/);
        const after = await everyRow(target.db);
        for (const table of Object.keys(before)) assert.deepEqual(after[table], before[table], `table ${table}`);
        const kept = await sql<{ amount: number }>`SELECT amount FROM other_app_invoices`.execute(target.db);
        assert.equal(Number(kept.rows[0]!.amount), 250);
      } finally {
        await sql`DROP TABLE other_app_invoices`.execute(target.db);
      }
    });

    test('a cut, damaged or newer archive is refused before anything is written', async () => {
      const empty = await installation(dialect, 'empty');
      try {
        const bytes = readFileSync(archive);
        const cut = path.join(work, `${dialect}-cut.tar`);
        writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
        const noManifest = path.join(work, `${dialect}-no-manifest.tar`);
        const manifestAt = bytes.lastIndexOf(Buffer.from('manifest.json\0'));
        writeFileSync(noManifest, bytes.subarray(0, manifestAt));
        const flipped = Buffer.from(bytes);
        const pdf = flipped.indexOf(Buffer.from('%PDF'));
        flipped[pdf + 40] = flipped[pdf + 40]! ^ 0x01;
        const damaged = path.join(work, `${dialect}-damaged.tar`);
        writeFileSync(damaged, flipped);
        const chunkFlipped = Buffer.from(bytes);
        chunkFlipped[bytes.indexOf(Buffer.from('tables/audit_log/000001.jsonl.gz')) + 512 + 200]! ^= 0x01;
        const damagedRows = path.join(work, `${dialect}-damaged-rows.tar`);
        writeFileSync(damagedRows, chunkFlipped);
        const newer = path.join(work, `${dialect}-newer.tar`);
        await withHeader(archive, newer, (h) => (h.migrations = [...(h.migrations as string[]), '9999_from_the_future']));
        const newerFormat = path.join(work, `${dialect}-newer-format.tar`);
        await withHeader(archive, newerFormat, (h) => (h.version = 2));

        await refused(restoreBackup(empty.db, empty.store, cut, { modules: MODULES, log }), /damaged|cut short|incomplete/);
        await refused(restoreBackup(empty.db, empty.store, noManifest, { modules: MODULES, log }), /incomplete|cut short/);
        await refused(restoreBackup(empty.db, empty.store, damaged, { modules: MODULES, log }), /damaged/);
        await refused(restoreBackup(empty.db, empty.store, damagedRows, { modules: MODULES, log }), /damaged/);
        await refused(restoreBackup(empty.db, empty.store, newer, { modules: MODULES, log }), /newer Diwan.*9999_from_the_future/);
        await refused(restoreBackup(empty.db, empty.store, newerFormat, { modules: MODULES, log }), /newer Diwan/);
        assert.deepEqual(await tableNames(empty.db), [], 'no table was made');
        const stored: string[] = [];
        for await (const key of empty.store.list()) stored.push(key);
        assert.deepEqual(stored, [], 'no file was stored');
      } finally {
        await empty.close();
      }
    });

    const other = dialect === 'sqlite' ? 'postgres' : 'sqlite';
    test(`the archive restores into ${other} too`, { skip: !dialects.includes(other) && `${other} unreachable` }, async () => {
      const elsewhere = await installation(other, 'empty');
      try {
        await restoreBackup(elsewhere.db, elsewhere.store, archive, { modules: MODULES, log });
        const restored = await everyRow(elsewhere.db);
        assert.deepEqual(Object.keys(restored).sort(), Object.keys(expected).sort());
        for (const table of Object.keys(expected)) assert.deepEqual(restored[table], expected[table], `table ${table}`);
      } finally {
        await elsewhere.close();
      }
    });

    test('the columns declared to hold file keys are the only ones that do', async () => {
      const found = new Set<string>();
      for (const table of await tableNames(source.db)) {
        const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(source.db);
        for (const r of rows) for (const [c, v] of Object.entries(r)) if (typeof v === 'string' && isValidKey(v)) found.add(`${table}.${c}`);
      }
      const declared = Object.entries(FILE_KEY_COLUMNS).flatMap(([t, cs]) => cs.map((c) => `${t}.${c}`));
      // file_orphans names files no row uses any more: they are left out on purpose.
      assert.deepEqual([...found].filter((c) => !c.startsWith('file_orphans.')).filter((c) => !declared.includes(c)), []);
    });
  });
}

describe('an archive from an older Diwan', () => {
  test('is restored at its own level, then migrated on to this one with the reference data', async () => {
    const old = await installation('sqlite', 'empty');
    const fresh = await installation('sqlite', 'empty');
    try {
      const names = Object.keys(migrations).sort();
      const level = names[names.length - 3]!;
      const migrator = new Migrator({ db: old.db, provider: { getMigrations: async () => migrations }, migrationTableName: 'diwan_migrations', migrationLockTableName: 'diwan_migrations_lock' });
      assert.equal((await migrator.migrateTo(level)).error, undefined);
      await old.db.insertInto('site_state').values({ key: 'from-the-old-one', value: 'kept' }).execute();
      const file = path.join(work, 'older.tar');
      const made = await createBackup(old.db, old.store, file);
      assert.equal(made.manifest.migrations.at(-1), level);
      const report = await restoreBackup(fresh.db, fresh.store, file, { modules: MODULES, log });
      assert.equal(report.migratedOn, true);
      const applied = await fresh.db.selectFrom('diwan_migrations' as never).select('name' as never).execute();
      assert.equal(applied.length, names.length);
      assert.equal((await fresh.db.selectFrom('site_state').select('value').where('key', '=', 'from-the-old-one').executeTakeFirst())?.value, 'kept');
      assert.ok((await fresh.db.selectFrom('countries').select('code').execute()).length > 0, 'the reference data was loaded');
    } finally {
      await old.close();
      await fresh.close();
    }
  });
});

describe('files kept in S3-compatible storage', () => {
  test('a restore puts the files into the bucket, and a backup reads them back from it', async () => {
    const s3 = await startS3();
    const source = await installation('sqlite', 'demo');
    const tdb = await createTestDatabase('sqlite');
    const db = openDatabase(tdb.config);
    const store = await openFileStore({ url: s3.url, dataDir: tdb.config.dataDir });
    try {
      const first = await createBackup(source.db, source.store, path.join(work, 's3-first.tar'));
      await restoreBackup(db, store, path.join(work, 's3-first.tar'), { modules: MODULES, log });
      for (const key of await namedKeys(source.db)) assert.ok((await bytesOf(store, key)).equals(await bytesOf(source.store, key)), key);
      const second = await createBackup(db, store, path.join(work, 's3-second.tar'));
      assert.deepEqual(second.manifest.files, first.manifest.files);
      const digests = (m: typeof first.manifest) => m.tables.filter((t) => t.name !== 'site_state').map((t) => [t.name, t.rows, t.sha256]);
      assert.deepEqual(digests(second.manifest), digests(first.manifest));
    } finally {
      await store.close();
      await db.destroy();
      await tdb.drop();
      await source.close();
      await s3.stop();
    }
  });
});

describe('the command line', () => {
  let source: Installation;
  const env = { ...process.env };

  before(async () => {
    source = await installation('sqlite', 'demo');
    await enrich(source);
    // The command line reads its configuration from the environment, as an operator runs it.
    Object.assign(process.env, { DATA_DIR: source.tdb.config.dataDir, DATABASE_URL: source.tdb.config.databaseUrl, LOG_LEVEL: 'silent', SEED_DEMO: 'never', CONTENT_POLL_MS: '0', PUBLIC_URL: 'http://diwan.test' });
  });
  after(async () => {
    process.env = env;
    await source?.close();
  });

  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, (s) => out.push(s), (s) => err.push(s));
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  test('a full disk is reported with the path, and leaves no archive behind', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
    const file = path.join(work, 'full.tar');
    // The temporary the backup writes to is the kernel's always-full device.
    symlinkSync('/dev/full', `${file}.part`);
    const r = await run(['backup', file]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.part is full \\(ENOSPC\\); no backup was written`));
    assert.ok(!existsSync(file) && !existsSync(`${file}.part`));
  });

  test('backup, then restore --help, through the commands', async () => {
    const file = path.join(work, 'cli.tar');
    const r = await run(['backup', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /backup written: .*cli\.tar .*tables, .*rows, \d+ stored files/);
    const help = await run(['restore', '--help']);
    assert.match(help.out, /--force/);
    const refusal = await run(['restore', file]);
    assert.equal(refusal.code, 65);
    assert.match(refusal.err, /restore refused: the database is not empty/);
  });

  test('move-database copies SQLite into an empty PostgreSQL database, compares every table, and hides the password', { skip: !dialects.includes('postgres') && 'PostgreSQL unreachable' }, async () => {
    const pg = await installation('postgres', 'empty');
    try {
      const url = pg.tdb.config.databaseUrl;
      const password = decodeURIComponent(new URL(url).password);
      const r = await run(['move-database', '--to', url]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /all \d+ tables are the same/);
      assert.match(r.out, /Next step: set DATABASE_URL=postgres:\/\/[^:]+:\*\*\*@/);
      assert.ok(!r.out.includes(`:${password}@`) && !r.err.includes(`:${password}@`), 'the password is never printed');
      const moved = await everyRow(pg.db);
      const original = await everyRow(source.db);
      assert.deepEqual(Object.keys(moved).sort(), Object.keys(original).sort());
      for (const table of Object.keys(original)) assert.deepEqual(moved[table], original[table], `table ${table}`);
      const row = await pg.db.insertInto('outbox').values({ to_address: 'c@example.org', subject: 'z', text_body: 'new', purpose: 'test', created_at: '2026-03-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
      const top = await source.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
      assert.ok(row.id > Number(top.m));
      const again = await run(['move-database', '--to', url]);
      assert.equal(again.code, 65);
      assert.match(again.err, /target database is not empty/);
    } finally {
      await pg.close();
    }
  });
});
