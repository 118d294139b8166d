import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

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
  for (const c of ['migrate', 'seed-demo', 'help']) assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
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
