/**
 * WORKERS: several server processes on one port (node:cluster), each with its own page cache, all
 * on one database. An edit made through one worker is visible from every worker at once: the
 * primary passes the change on. Nothing here is timed; the benchmark measures how soon.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort } from './helpers/ports.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'diwan-workers-'));
let child: ChildProcess;
let base = '';
let output = '';
const METRICS_TOKEN = 'workers-test-metrics-token-0123456789abcdef';

before(async () => {
  const { ensureBuilt } = await import('../scripts/build.mjs');
  await ensureBuilt({ log: () => undefined });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', WORKERS: '2', CONTENT_POLL_MS: '0', METRICS_TOKEN } as NodeJS.ProcessEnv;
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS;
  child = spawn(process.execPath, [path.join(ROOT, 'dist/main.js')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  for (let i = 0; i < 600 && !/2 workers/.test(output); i++) {
    assert.equal(child.exitCode, null, `the server exited: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(output, /serving .* \(sqlite, 2 workers\)/, output);
});

after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A tiny browser: cookies and the CSRF token of the last page. */
const cookies = new Map<string, string>();
async function http(url: string, init: RequestInit = {}): Promise<{ status: number; body: string; location: string | null }> {
  const res = await fetch(`${base}${url}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
  for (const c of res.headers.getSetCookie()) {
    const [pair = ''] = c.split(';');
    const i = pair.indexOf('=');
    cookies.set(pair.slice(0, i), pair.slice(i + 1));
  }
  return { status: res.status, body: await res.text(), location: res.headers.get('location') };
}
/** A visitor without cookies: what the page cache serves. */
async function visit(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${url}`);
  return { status: res.status, body: await res.text() };
}
const csrf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
const input = (html: string, id: string) => html.match(new RegExp(`id="${id}"[^>]*value="([^"]*)"`))?.[1] ?? html.match(new RegExp(`<input[^>]*value="([^"]*)"[^>]*id="${id}"`))?.[1] ?? '';
const textarea = (html: string, id: string) =>
  (html.match(new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`))?.[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const post = (url: string, form: Record<string, string>) => http(url, { method: 'POST', body: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

test('two workers serve one port, and an edit through one is seen through both at once', async () => {
  // Both workers render and keep the page.
  await visit('/en/about');
  const before = await Promise.all(Array.from({ length: 12 }, () => visit('/en/about')));
  assert.ok(before.every((r) => r.status === 200 && /About the Rabat Process/.test(r.body)));

  const login = await http('/admin/login');
  const signedIn = await post('/admin/login', { _csrf: csrf(login.body), email: 'admin@demo.diwan.example', password: 'diwan-demo-admin' });
  assert.equal(signedIn.status, 303, 'the demo admin signs in');
  const list = await http('/admin/pages');
  const id = list.body.match(/href="\/admin\/pages\/(\d+)">About the Rabat Process</)?.[1];
  assert.ok(id, 'the About page is listed');
  const form = await http(`/admin/pages/${id}`);
  const fields: Record<string, string> = { _csrf: csrf(form.body), version: input(form.body, 'version') || (form.body.match(/name="version" value="(\d+)"/)?.[1] ?? ''), nav_position: input(form.body, 'nav_position') };
  for (const l of ['en', 'fr']) {
    fields[`t_${l}_title`] = input(form.body, `t_${l}_title`);
    fields[`t_${l}_slug`] = input(form.body, `t_${l}_slug`);
    fields[`t_${l}_body_html`] = textarea(form.body, `t_${l}_body_html`);
  }
  fields.t_en_title = 'About the Rabat Process, edited through one worker';
  const saved = await post(`/admin/pages/${id}`, fields);
  assert.equal(saved.status, 303, saved.body.slice(0, 500));

  const afterEdit = await Promise.all(Array.from({ length: 12 }, () => visit('/en/about')));
  for (const r of afterEdit) assert.match(r.body, /edited through one worker/, 'every worker shows the edit (no page cache kept the old one)');
});

test('a worker that dies is replaced, and the site keeps serving', async () => {
  const { execFileSync } = await import('node:child_process');
  const workers = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
  assert.equal(workers.length, 2, `two workers under the primary: ${workers.join(', ')}`);
  process.kill(workers[0]!, 'SIGKILL');
  for (let i = 0; i < 100; i++) {
    const now = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
    if (now.length === 2 && !now.includes(workers[0]!)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const replaced = execFileSync('pgrep', ['-P', String(child.pid)]).toString().trim().split('\n').map(Number);
  assert.equal(replaced.length, 2, 'a new worker took its place');
  assert.ok(!replaced.includes(workers[0]!));
  const pages = await Promise.all(Array.from({ length: 8 }, () => visit('/en/')));
  assert.ok(pages.every((r) => r.status === 200));
  // The replacement took the dead worker's place: its metrics still say worker 1 or 2 (decision 0033).
  const scrapes = await Promise.all(Array.from({ length: 8 }, () => fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text())));
  const labels = new Set(scrapes.flatMap((text) => [...text.matchAll(/[{,]worker="([^"]*)"/g)].map((m) => m[1])));
  assert.ok(labels.size > 0, 'the metrics carry a worker label');
  for (const label of labels) assert.ok(label === '1' || label === '2', `worker label ${label}`);
});
