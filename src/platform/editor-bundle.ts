import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

/**
 * The back-office rich-text editor (Tiptap) as one minified script. `npm run build` writes it next
 * to the compiled assets; running from source (tsx: development, tests, the command line) builds it
 * once per version of its source and keeps it under node_modules/.cache, so a test run bundles it
 * once, not once per file.
 */
export function bundleEditor(source: string): Buffer {
  // esbuild is loaded only to bundle: a server running a built dist/ never loads it.
  const { buildSync } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const result = buildSync({ entryPoints: [source], bundle: true, format: 'esm', minify: true, target: 'es2020', write: false, legalComments: 'none' });
  return Buffer.from(result.outputFiles[0]!.contents);
}

const SOURCE = new URL('./assets/editor/rich-text.ts', import.meta.url);
const PREBUILT = new URL('./assets/editor.js', import.meta.url);
const ROOT = new URL('../../', import.meta.url);

let loaded: Buffer | undefined;
export function editorScript(): Buffer {
  loaded ??= existsSync(PREBUILT) ? readFileSync(PREBUILT) : cachedBundle();
  return loaded;
}

function cachedBundle(): Buffer {
  const hash = createHash('sha256').update(readFileSync(SOURCE));
  const lock = new URL('package-lock.json', ROOT);
  if (existsSync(lock)) hash.update(readFileSync(lock));
  const dir = new URL('node_modules/.cache/diwan/', ROOT);
  const file = new URL(`editor-${hash.digest('hex').slice(0, 16)}.js`, dir);
  if (existsSync(file)) return readFileSync(file);
  const bundle = bundleEditor(fileURLToPath(SOURCE));
  try {
    mkdirSync(dir, { recursive: true });
    // Written aside then renamed: a process reading it never sees half a file.
    const partial = new URL(`${file.pathname.split('/').pop()}.${process.pid}.tmp`, dir);
    writeFileSync(partial, bundle);
    renameSync(partial, file);
  } catch {
    // A read-only or full disk only costs the next process a rebuild.
  }
  return bundle;
}
