import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { verifyPassword } from './modules/auth/passwords.js';
import { makePdf } from './platform/files/test-files.js';

const run = promisify(execFile);
const cli = path.resolve('src/cli.ts');

async function diwan(args: string[], env: Record<string, string> = {}, input?: string) {
  try {
    const child = run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    } else child.child.stdin?.end();
    const r = await child;
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('help lists the commands', async () => {
  const r = await diwan(['help']);
  assert.equal(r.code, 0);
  for (const c of ['migrate', 'seed-demo', 'import-legacy', 'import-documents', 'help']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
});

test('an unknown command fails with usage', async () => {
  const r = await diwan(['frobnicate']);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /Unknown command: frobnicate/);
});

test('bad configuration is reported clearly, without a stack trace', async () => {
  const r = await diwan(['migrate'], { PORT: 'abc' });
  assert.equal(r.code, 78);
  assert.match(r.stderr, /Invalid configuration:\n\s+PORT:/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
});

test('migrate then seed-demo on a new SQLite file, twice without harm', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-cli-'));
  try {
    const env = { DATA_DIR: dir };
    const m = await diwan(['migrate'], env);
    assert.equal(m.code, 0, m.stderr);
    assert.match(m.stdout, /migration 0001_initial: Success/);
    assert.match(m.stdout, /reference data: \d+ countries/);
    const s = await diwan(['seed-demo'], env);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /demo activities: \d{2,} created, 0 refreshed, 0 kept/);
    const again = await diwan(['seed-demo'], env);
    assert.match(again.stdout, /demo activities: 0 created, \d{2,} refreshed, 0 kept/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('user create: password from standard input, generated when none, refused when weak or duplicate', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-cli-'));
  try {
    const env = { DATA_DIR: dir };
    const a = await diwan(['user', 'create', '--email', 'Chair@Example.org', '--role', 'admin', '--password-stdin'], env, 'a long enough passphrase\n');
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /user \d+ created: chair@example.org \(admin\)/);
    assert.doesNotMatch(a.stdout, /passphrase/);
    const dup = await diwan(['user', 'create', '--email', 'chair@example.org', '--role', 'editor', '--password-stdin'], env, 'another long passphrase');
    assert.equal(dup.code, 65);
    assert.match(dup.stderr, /already uses this e-mail address/);
    const weak = await diwan(['user', 'create', '--email', 'weak@example.org', '--role', 'editor', '--password-stdin'], env, 'short');
    assert.equal(weak.code, 65);
    assert.match(weak.stderr, /at least 12 characters/);
    const gen = await diwan(['user', 'create', '--email', 'gen@example.org', '--role', 'editor'], env);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /password \(shown once\): [\w-]{24}/);
    const role = await diwan(['user', 'create', '--email', 'x@example.org', '--role', 'emperor', '--password-stdin'], env, 'a long enough passphrase');
    assert.equal(role.code, 65);
    const missing = await diwan(['user', 'create', '--email', 'x@example.org'], env);
    assert.equal(missing.code, 64);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('user password: sets a new one (from standard input or generated), refuses an unknown account or a weak password', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-cli-'));
  try {
    const env = { DATA_DIR: dir };
    assert.equal((await diwan(['user', 'create', '--email', 'chair@example.org', '--role', 'admin', '--password-stdin'], env, 'the first long passphrase')).code, 0);
    const set = await diwan(['user', 'password', '--email', 'Chair@Example.org', '--password-stdin'], env, 'a second long passphrase\n');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /password of user \d+ set: chair@example.org/);
    const db = new Database(path.join(dir, 'diwan.sqlite'), { readonly: true });
    try {
      const row = db.prepare('select password_hash from users where email = ?').get('chair@example.org') as { password_hash: string };
      assert.ok(await verifyPassword(row.password_hash, 'a second long passphrase'));
      assert.ok(!(await verifyPassword(row.password_hash, 'the first long passphrase')));
    } finally {
      db.close();
    }
    const gen = await diwan(['user', 'password', '--email', 'chair@example.org'], env);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /password \(shown once\): [\w-]{24}/);
    const unknown = await diwan(['user', 'password', '--email', 'nobody@example.org', '--password-stdin'], env, 'a third long passphrase');
    assert.equal(unknown.code, 65);
    assert.match(unknown.stderr, /No account uses this e-mail address/);
    const weak = await diwan(['user', 'password', '--email', 'chair@example.org', '--password-stdin'], env, 'chair@example.org!');
    assert.equal(weak.code, 65);
    assert.match(weak.stderr, /must not contain your e-mail address/);
    assert.equal((await diwan(['user', 'password'], env)).code, 64);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import-documents: its help, then a manifest imported into a new SQLite file, and skipped the second time', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diwan-cli-'));
  try {
    const help = await diwan(['import-documents', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: npm run diwan -- import-documents \[--dry-run\]/);
    const usage = await diwan(['import-documents'], { DATA_DIR: dir });
    assert.equal(usage.code, 64);
    assert.match(usage.stderr, /give the MANIFEST\.csv/);
    const archive = path.join(dir, 'archive');
    mkdirSync(archive);
    writeFileSync(path.join(archive, 'report.pdf'), await makePdf(['Final report of the ministerial conference.']));
    writeFileSync(path.join(archive, 'manifest.csv'), 'file,title_en,type,date,language,access\nreport.pdf,Final report,final_report,2006-07-11,en,public\n');
    const env = { DATA_DIR: path.join(dir, 'data') };
    const r = await diwan(['import-documents', path.join(archive, 'manifest.csv')], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /added 1 document \(1 file\), skipped 0 \(already there\), refused 0\ntext read: 1 file$/m);
    assert.doesNotMatch(r.stdout, /migration/);
    const again = await diwan(['import-documents', path.join(archive, 'manifest.csv')], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /skipped {2}row 2 {2}report\.pdf: already there/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
