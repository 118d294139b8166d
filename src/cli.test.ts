import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = path.resolve('src/cli.ts');

async function diwan(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
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
