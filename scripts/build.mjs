// `npm run build`: compiles Diwan to dist/ (tsc), copies the data files and stylesheets beside the
// compiled modules and bundles the back-office editor script once. `npm start` calls ensureBuilt()
// first, so a missing or stale build is made before the server starts.
//
// Plain JavaScript on purpose: it runs before anything is compiled, with no loader.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-stamp');
const lockFile = join(root, '.build.lock');
const CONFIG_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

const isTest = (path) => /\.test\.tsx?$/.test(path);
const isCode = (path) => /\.tsx?$/.test(path);
// Test fixtures and the editor's sources are not part of the running server.
const skipped = (rel) => rel.split('/').includes('fixtures') || rel.startsWith('platform/assets/editor/');

function walk(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out.sort();
}

/** A digest of everything the build reads: the sources, the lock file and the compiler settings. */
export function inputsHash() {
  const hash = createHash('sha256');
  for (const file of walk(src).filter((f) => !isTest(f))) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const name of CONFIG_FILES) {
    const file = join(root, name);
    if (existsSync(file)) hash.update(name).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function isBuildFresh() {
  if (!existsSync(join(dist, 'main.js'))) return false;
  // A deployment that ships only dist/ has nothing to compare with: its build is the one to run.
  if (!existsSync(src)) return true;
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === inputsHash();
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** One build at a time: a second process starting meanwhile waits for the first, then reuses its build. */
async function withLock(work) {
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const holder = Number(readFileSync(lockFile, 'utf8') || '0');
      if (holder && !pidAlive(holder)) rmSync(lockFile, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

export async function build({ log = console.log } = {}) {
  return withLock(async () => {
    const started = Date.now();
    const hash = inputsHash();
    const partial = join(root, `.dist-partial-${process.pid}`);
    rmSync(partial, { recursive: true, force: true });
    try {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', partial], { cwd: root, stdio: 'inherit' });
      if (result.status !== 0) throw new Error(`the TypeScript compiler failed (exit ${result.status ?? result.signal})`);
      for (const file of walk(src)) {
        const rel = relative(src, file);
        if (isCode(file) || skipped(rel)) continue;
        mkdirSync(dirname(join(partial, rel)), { recursive: true });
        cpSync(file, join(partial, rel));
      }
      const { bundleEditor } = await import(pathToFileURL(join(partial, 'platform/editor-bundle.js')).href);
      writeFileSync(join(partial, 'platform/assets/editor.js'), bundleEditor(join(src, 'platform/assets/editor/rich-text.ts')));
      writeFileSync(join(partial, '.build-stamp'), `${hash}\n`);
      // The old build stays whole until the new one is complete; then one rename replaces it.
      const old = join(root, `.dist-old-${process.pid}`);
      if (existsSync(dist)) renameSync(dist, old);
      renameSync(partial, dist);
      rmSync(old, { recursive: true, force: true });
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

/** Builds when dist/ is missing or older than its sources; returns whether it built. */
export async function ensureBuilt(options) {
  if (isBuildFresh()) return false;
  await build(options);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  build({ log: (m) => console.log(`[diwan] ${m}`) }).catch((err) => {
    console.error(`[diwan] build failed: ${err.message}`);
    process.exit(1);
  });
}
