/**
 * The compiled server's start and stop as an operator sees them: a DATA_DIR that cannot be written
 * stops the start with a message that names the path and the cause; SIGTERM lets a request already
 * under way finish, then the process closes its database and exits 0.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTestDatabase, postgresAvailable } from './helpers/databases.js';
import { freePort } from './helpers/ports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-lifecycle-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

before(async () => {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt({ log: () => undefined });
});

function serve(env: Record<string, string>): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const full = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '1' } as NodeJS.ProcessEnv;
  delete full.DATABASE_URL;
  delete full.NODE_OPTIONS;
  Object.assign(full, env);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], { cwd: ROOT, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

test('a DATA_DIR that cannot be written stops the start with a message naming the path and the cause', async () => {
  for (const [dir, cause] of [
    ['/etc/hostname/diwan', /cannot write \/etc\/hostname\/diwan \(a part of the path is a file, not a directory, ENOTDIR\)/],
    ['/sys/diwan-data', /cannot write \/sys\/diwan-data \(operation not permitted, EPERM\)/],
  ] as const) {
    const s = serve({ PORT: String(await freePort()), DATA_DIR: dir });
    const code = await s.exit;
    assert.equal(code, 1, s.output());
    assert.match(s.output(), cause);
    assert.match(s.output(), /set DATA_DIR to a directory this user/);
    assert.doesNotMatch(s.output(), /\n\s+at /, 'no stack trace');
  }
});

test('SIGTERM: a request under way is finished, then the server closes and exits 0', async () => {
  const port = await freePort();
  const s = serve({ PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'never' });
  try {
    let status = 0;
    for (let i = 0; i < 600 && status !== 200; i++) {
      assert.equal(s.child.exitCode, null, s.output());
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, s.output());

    // A form post whose body is still coming when the signal arrives.
    const body = new URLSearchParams({ scope: 'search', q: 'labour mobility', email: '' }).toString();
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(`POST /en/alerts HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.child.exitCode, null, 'still running while the request is under way');
    socket.end(body.slice(10));
    await closed;
    assert.match(answer, /^HTTP\/1\.1 (303|400) /, `the request was answered: ${answer.slice(0, 200)}`);
    const code = await Promise.race([s.exit, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    assert.equal(code, 0, s.output());
    assert.match(s.output(), /SIGTERM received, closing/);
    const after = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 'refused');
    assert.equal(after, 'refused', 'no longer accepting');
  } finally {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
  }
});

test('a PostgreSQL that is not there yet is waited for, with a line naming it, and the server starts once it answers', async (t) => {
  if (!(await postgresAvailable())) return t.skip('no PostgreSQL here');
  const tdb = await createTestDatabase('postgres', {}, 'reference');
  const real = new URL(tdb.config.databaseUrl);
  const port = await freePort();
  const dbPort = await freePort();
  const viaProxy = new URL(tdb.config.databaseUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(dbPort);
  const s = serve({ PORT: String(port), DATA_DIR: dataDir, SEED_DEMO: 'never', DATABASE_URL: viaProxy.toString() });
  // Nothing listens on the database's port until the server has said it waits; then a relay to
  // the real server does.
  for (let i = 0; i < 600 && !/waiting for PostgreSQL/.test(s.output()); i++) {
    assert.equal(s.child.exitCode, null, s.output());
    await new Promise((r) => setTimeout(r, 50));
  }
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(real.port || 5432), real.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => relay.listen(dbPort, '127.0.0.1', () => r()));
  try {
    let status = 0;
    for (let i = 0; i < 400 && status !== 200; i++) {
      assert.equal(s.child.exitCode, null, s.output());
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0);
      if (status !== 200) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 200, s.output());
    assert.match(s.output(), new RegExp(`waiting for PostgreSQL at 127\\.0\\.0\\.1:${dbPort}/\\w+ \\(ECONNREFUSED\\)`));
    assert.ok(!real.password || !s.output().includes(`:${real.password}@`), `the password is never printed: ${s.output()}`);
  } finally {
    s.child.kill('SIGTERM');
    await s.exit;
    relay.close();
    await tdb.drop();
  }
});
