import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { editorScript } from './editor-bundle.js';
import { preparePage, type CachedPage } from './http/page-cache.js';
import { IMMUTABLE, SECURITY_HEADERS } from './http/security.js';

export interface Assets {
  /** Fingerprinted public path of the stylesheet. */
  stylesheet: string;
  /** Fingerprinted path of the back-office stylesheet (public styles plus forms and tables). */
  adminStylesheet: string;
  /** Fingerprinted path of the rich-text editor script (back-office only; public pages run no script). */
  editorScript: string;
  /** Prepared responses by public path. */
  files: Map<string, CachedPage>;
}

function fingerprint(files: Map<string, CachedPage>, name: string, body: Buffer, ext: 'css' | 'js' = 'css'): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const path = `/assets/${name}-${hash}.${ext}`;
  const type = ext === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
  files.set(path, preparePage(body, { 'content-type': type, 'cache-control': IMMUTABLE }, SECURITY_HEADERS));
  return path;
}

/** Loads the stylesheets once, fingerprints them and keeps them compressed in memory. */
export function loadAssets(): Assets {
  const site = readFileSync(new URL('./assets/site.css', import.meta.url));
  const admin = Buffer.concat([site, readFileSync(new URL('./assets/admin.css', import.meta.url))]);
  const files = new Map<string, CachedPage>();
  return { stylesheet: fingerprint(files, 'site', site), adminStylesheet: fingerprint(files, 'admin', admin), editorScript: fingerprint(files, 'editor', editorScript(), 'js'), files };
}
