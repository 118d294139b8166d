/**
 * A database that cannot be written (SQLite at its size limit, as on a full disk; PostgreSQL
 * switched to read-only): an editor's save comes back as the form with everything typed and a
 * message in the editor's language, nothing is half-written, the operator's log line names the
 * place; once there is room again, the same save goes through. Any other write gets a page that
 * says nothing was saved, never a bare 500.
 */
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { buildDiwan } from '../src/app/index.js';
import { createUser } from '../src/modules/auth/index.js';
import { openDatabase, type Db } from '../src/platform/db/database.js';
import { isStorageFailure, statusOf } from '../src/platform/http/errors.js';
import type { FastifyInstance } from 'fastify';
import { TestClient, csrfToken } from './helpers/client.js';
import { createTestDatabase, dialectsUnderTest, type TestDatabase } from './helpers/databases.js';

test('storage failures are recognised by their codes on both databases and the file system', () => {
  for (const code of ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR_WRITE', '53100', '25006', 'ENOSPC', 'EROFS', 'EDQUOT']) {
    assert.ok(isStorageFailure({ code }), code);
    assert.equal(statusOf({ code }), 507, code);
  }
  assert.ok(isStorageFailure({ code: 'EACCES', syscall: 'open' }));
  assert.ok(!isStorageFailure({ code: 'EACCES', syscall: 'connect' }));
  for (const code of ['SQLITE_CONSTRAINT_UNIQUE', '23505', 'ECONNREFUSED', undefined]) assert.ok(!isStorageFailure({ code }), String(code));
});

for (const dialect of await dialectsUnderTest()) {
  describe(`a database that cannot be written (${dialect})`, () => {
    let tdb: TestDatabase;
    let db: Db;
    let app: FastifyInstance;
    const log: string[] = [];
    const editor = () => new TestClient(app);
    let en: TestClient;
    let fr: TestClient;
    let pageId = 0;

    /** Makes the database refuse writes, as a full disk (SQLite) or a read-only server (PostgreSQL) would. */
    async function fill(on: boolean) {
      if (dialect === 'sqlite') {
        const { page_count } = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db)).rows[0]!;
        await sql.raw(`PRAGMA max_page_count = ${on ? page_count : 1_000_000_000}`).execute(db);
        return;
      }
      const client = new pg.Client({ connectionString: tdb.config.databaseUrl });
      await client.connect();
      try {
        // This session may itself have started read-only.
        await client.query('set default_transaction_read_only = off');
        const name = (await client.query<{ d: string }>('select current_database() as d')).rows[0]!.d;
        await client.query(`alter database "${name}" set default_transaction_read_only = ${on ? 'on' : 'off'}`);
        // The app's connections take the setting when they reconnect.
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
      } finally {
        await client.end();
      }
      await new Promise((r) => setTimeout(r, 300));
    }

    before(async () => {
      tdb = await createTestDatabase(dialect, { logLevel: 'info', accessLogLevel: 'off' }, 'reference');
      db = openDatabase(tdb.config);
      app = await buildDiwan({ config: tdb.config, db, logStream: { write: (line: string) => void log.push(line) } });
      await app.ready();
      await createUser(db, { email: 'eda@storage.test', password: 'editor window ninety', role: 'editor', displayName: 'Eda', lang: 'en' });
      await createUser(db, { email: 'elise@storage.test', password: 'editrice fenetre 90', role: 'editor', displayName: 'Élise', lang: 'fr' });
      en = editor();
      fr = editor();
      assert.equal((await en.login('eda@storage.test', 'editor window ninety')).statusCode, 303);
      assert.equal((await fr.login('elise@storage.test', 'editrice fenetre 90')).statusCode, 303);
      const made = await en.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: '5', t_en_title: 'Contact', t_en_slug: 'contact', t_en_body_html: '<p>Write to us.</p>', t_fr_title: 'Contact', t_fr_slug: 'contact', t_fr_body_html: '<p>Écrivez-nous.</p>' });
      assert.equal(made.statusCode, 303);
      pageId = Number(/\/admin\/pages\/(\d+)/.exec(String(made.headers.location))![1]);
    });
    after(async () => {
      if (db && dialect === 'postgres') await fill(false).catch(() => undefined);
      await app?.close();
      await db?.destroy();
      await tdb?.drop();
    });

    const revisions = async () => Number((await db.selectFrom('revisions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    test('a save comes back as the form with what was typed and a message; nothing is written; the log names the place; with room again it saves', async () => {
      const edit = await fr.get(`/admin/pages/${pageId}`);
      const version = /name="version" value="(\d+)"/.exec(edit.body)![1]!;
      // Long enough to need new pages in the database file.
      const typed = `<p>${'Une réponse longue et soignée. '.repeat(4000)}</p>`;
      const form = { _csrf: csrfToken(edit.body), version, nav_position: '5', t_en_title: 'Contact us', t_en_slug: 'contact', t_en_body_html: '<p>Write to us.</p>', t_fr_title: 'Nous écrire', t_fr_slug: 'contact', t_fr_body_html: typed };
      const before = await revisions();
      log.length = 0;
      await fill(true);
      try {
        const refused = await fr.post(`/admin/pages/${pageId}`, form);
        assert.equal(refused.statusCode, 507);
        assert.match(refused.body, /Rien n’a été enregistré : le disque du serveur est plein/);
        assert.match(refused.body, /value="Nous écrire"/, 'the title typed is kept');
        assert.ok(refused.body.includes('Une réponse longue et soignée.'), 'the text typed is kept');
        // Any other write: a page that says so, in the reader's language.
        const other = await en.submit('/admin/pages/new', '/admin/pages', { version: '0', nav_position: '6', t_en_title: 'Another', t_en_slug: 'another', t_en_body_html: `<p>${'x'.repeat(50_000)}</p>` });
        assert.equal(other.statusCode, 507);
        assert.match(other.body, /Nothing could be saved: the server’s storage is full or read-only/);
      } finally {
        await fill(false);
      }
      assert.equal(await revisions(), before, 'nothing half-written');
      const lines = log.map((l) => JSON.parse(l) as { msg: string; place?: string; level: number });
      const told = lines.filter((l) => /the disk is full or read-only/.test(l.msg));
      assert.ok(told.length >= 2, JSON.stringify(lines.slice(-5)));
      const place = dialect === 'sqlite' ? tdb.config.databaseUrl.replace(/^sqlite:/, '') : 'PostgreSQL at ';
      assert.ok(told.every((l) => l.level === 50 && l.place?.startsWith(place)), JSON.stringify(told));
      assert.ok(!log.join('').includes('Une réponse longue'), 'what was typed is not logged');

      const fresh = await fr.get(`/admin/pages/${pageId}`);
      const saved = await fr.post(`/admin/pages/${pageId}`, { ...form, _csrf: csrfToken(fresh.body) });
      assert.equal(saved.statusCode, 303, 'the same save goes through once there is room');
      assert.ok((await revisions()) > before);
    });
  });
}
