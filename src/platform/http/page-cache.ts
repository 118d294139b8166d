import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A rendered page kept with its compressed forms, so a hit costs no rendering and no compression. */
export interface CachedPage {
  etag: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  headers: Record<string, string>;
}

/** Compresses a body once, with every encoding we offer, and computes its strong ETag. */
export function preparePage(body: string | Buffer, headers: Record<string, string>): CachedPage {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
  return {
    etag,
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    headers,
  };
}

/**
 * In-memory LRU of public pages keyed by URL. It is dropped whole whenever published content
 * changes: locally at once, and on other app instances when they see the content version move.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private version = '';
  constructor(private readonly maxEntries: number) {}

  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh recency: Map keeps insertion order, so re-inserting marks it as most recent.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, page: CachedPage): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, page);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Clears the cache when the content version differs from the one the pages were rendered at. */
  observeVersion(version: string): void {
    if (version !== this.version) {
      this.version = version;
      this.clear();
    }
  }
}
