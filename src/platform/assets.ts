import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { preparePage, type CachedPage } from './http/page-cache.js';
import { IMMUTABLE, SECURITY_HEADERS } from './http/security.js';

export interface Assets {
  /** Fingerprinted public path of the stylesheet. */
  stylesheet: string;
  /** Fingerprinted path of the back-office stylesheet (public styles plus forms and tables). */
  adminStylesheet: string;
  /** Prepared responses by public path. */
  files: Map<string, CachedPage>;
}

function fingerprint(files: Map<string, CachedPage>, name: string, css: Buffer): string {
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
  const path = `/assets/${name}-${hash}.css`;
  files.set(path, preparePage(css, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE }, SECURITY_HEADERS));
  return path;
}

/** Loads the stylesheets once, fingerprints them and keeps them compressed in memory. */
export function loadAssets(): Assets {
  const site = readFileSync(new URL('./assets/site.css', import.meta.url));
  const admin = Buffer.concat([site, readFileSync(new URL('./assets/admin.css', import.meta.url))]);
  const files = new Map<string, CachedPage>();
  return { stylesheet: fingerprint(files, 'site', site), adminStylesheet: fingerprint(files, 'admin', admin), files };
}
