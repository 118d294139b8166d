/**
 * `npm start` as a user runs it: the launcher builds dist/ when it is stale, then serves with node
 * on compiled JavaScript (no TypeScript loader in the server process). The start time is printed
 * (the benchmark measures it); nothing here is timed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { freePort } from './helpers/ports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-start-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('npm start builds when needed, then serves compiled JavaScript with node, without tsx', async (t) => {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt({ log: (m) => t.diagnostic(m) });
  assert.ok(existsSync(path.join(ROOT, 'dist/main.js')), 'dist/main.js exists');
  assert.ok(existsSync(path.join(ROOT, 'dist/platform/assets/editor.js')), 'the editor bundle is built once, into dist/');

  const port = await freePort();
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'auto' } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  try {
    let status = 0;
    for (let i = 0; i < 600 && status !== 200; i++) {
      assert.equal(child.exitCode, null, `the server exited: ${output}`);
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, `no 200 from /healthz: ${output}`);
    t.diagnostic(`first 200 after ${Math.round(performance.now() - started)} ms (fresh database: migrations and demo data)`);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    assert.ok(!cmdline.some((a) => /tsx/.test(a)), `no TypeScript loader on the command line: ${cmdline.join(' ')}`);
    const maps = readFileSync(`/proc/${child.pid}/environ`, 'utf8');
    assert.doesNotMatch(maps, /NODE_OPTIONS=[^\0]*tsx/, 'no TypeScript loader through NODE_OPTIONS');
    const home = await fetch(`http://127.0.0.1:${port}/en/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /<html/);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});

test('a Node.js older than 22 is refused with a message, before the database driver can crash', async () => {
  const probe = spawn(process.execPath, ['--input-type=module', '-e', "Object.defineProperty(process.versions, 'node', { value: '20.20.0' }); await import('./dist/platform/runtime.js');"], { cwd: ROOT });
  let err = '';
  probe.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise((r) => probe.once('exit', r));
  assert.equal(code, 78);
  assert.match(err, /needs Node\.js 22 or later/);
});
