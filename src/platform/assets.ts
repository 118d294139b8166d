import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { preparePage, type CachedPage } from './http/page-cache.js';
import { IMMUTABLE } from './http/security.js';

export interface Assets {
  /** Fingerprinted public path of the stylesheet. */
  stylesheet: string;
  /** Prepared responses by public path. */
  files: Map<string, CachedPage>;
}

/** Loads the stylesheet once, fingerprints it and keeps it compressed in memory. */
export function loadAssets(): Assets {
  const css = readFileSync(new URL('./assets/site.css', import.meta.url));
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
  const stylesheet = `/assets/site-${hash}.css`;
  const files = new Map<string, CachedPage>();
  files.set(stylesheet, preparePage(css, { 'content-type': 'text/css; charset=utf-8', 'cache-control': IMMUTABLE }));
  return { stylesheet, files };
}
