import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * A rendered page with its strong ETag and full header sets, compressed once per encoding on
 * first use: a page kept in the cache costs a hit nothing but a write, and an encoding no client
 * asks for is never computed.
 */
export interface CachedPage {
  etag: string;
  raw: Buffer;
  headers: Record<string, string>;
  /** The body in an encoding (compressed at the first request for it, then kept). */
  body(encoding: Encoding): Buffer;
  /** The full response headers for an encoding. */
  wire(encoding: Encoding): Record<string, string | number>;
  /** The encodings computed so far. */
  ready(): Encoding[];
}

/** Brotli quality 5 compresses a 12 KB page in ~1.5 ms to within 1% of quality 9, which takes ~40 ms. */
const BROTLI_QUALITY = 5;

/** How hard to compress: once for a page that is kept (`stored`), or fast for one sent once (`once`). */
export type Effort = 'stored' | 'once';

const compressors: Record<Effort, Record<'br' | 'gzip', (raw: Buffer) => Buffer>> = {
  stored: {
    gzip: (raw) => gzipSync(raw, { level: 9 }),
    br: (raw) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  },
  // A page no one else will be sent: the fastest levels, a few percent larger.
  once: {
    gzip: (raw) => gzipSync(raw, { level: 1 }),
    br: (raw) => brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  },
};

/** Prepares a body: its strong ETag now, each compressed form when first asked for. */
export function preparePage(body: string | Buffer, headers: Record<string, string>, baseHeaders: Record<string, string> = {}, effort: Effort = 'stored'): CachedPage {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const etag = `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"`;
  const common = { ...baseHeaders, ...headers, etag, vary: 'Accept-Encoding' };
  const bodies: Partial<Record<Encoding, Buffer>> = { identity: raw };
  const wires: Partial<Record<Encoding, Record<string, string | number>>> = {};
  const page: CachedPage = {
    etag,
    raw,
    headers,
    body(encoding) {
      let b = bodies[encoding];
      if (!b) {
        b = compressors[effort][encoding as 'br' | 'gzip'](raw);
        bodies[encoding] = b;
      }
      return b;
    },
    wire(encoding) {
      let w = wires[encoding];
      if (!w) {
        const length = page.body(encoding).length;
        w = encoding === 'identity' ? { ...common, 'content-length': length } : { ...common, 'content-encoding': encoding, 'content-length': length };
        wires[encoding] = w;
      }
      return w;
    },
    ready: () => Object.keys(bodies) as Encoding[],
  };
  return page;
}

/**
 * The cache key of a request target: the path and its non-empty query parameters in a fixed order,
 * so `?type=x&year=&page=` and `?type=x` share one entry.
 */
export function cacheKey(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = [...new URLSearchParams(url.slice(q + 1))].filter(([, v]) => v !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!params.length) return url.slice(0, q);
  return `${url.slice(0, q)}?${new URLSearchParams(params).toString()}`;
}

/**
 * In-memory LRU of anonymous public pages, keyed by the canonical address their handler rendered.
 * It is dropped whole whenever public content changes (locally at once; from other instances by
 * their change events or the content version), and when its horizon passes: the next moment
 * content changes by itself (a scheduled publication, the next day for "upcoming" lists). Until the
 * horizon is known again, nothing is stored.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private version = '';
  /** Epoch ms at which every entry goes stale; NaN while unknown. */
  private horizon = Number.NaN;
  /** Moves at every clear, so a page rendered before a change is never stored after it. */
  generation = 0;
  /** Lookups that found a page, and cacheable pages rendered because they were not found (for metrics). */
  private counted = { hits: 0, misses: 0 };
  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): CachedPage | undefined {
    if (!this.fresh()) return undefined;
    const hit = this.entries.get(key);
    if (hit) {
      this.counted.hits++;
      // Refresh recency: Map keeps insertion order, so re-inserting marks it as most recent.
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** True when a page rendered from the content of `generation` would be kept (so it is worth compressing well). */
  accepts(generation = this.generation): boolean {
    return this.maxEntries > 0 && generation === this.generation && !Number.isNaN(this.horizon) && this.now() < this.horizon;
  }

  /** Stores a page rendered from the content of `generation` (the value when its request began). */
  set(key: string, page: CachedPage, generation = this.generation): void {
    if (this.maxEntries <= 0 || generation !== this.generation || !this.fresh()) return;
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

  /**
   * Counts a page its handler rendered for the cache's audience (anonymous, opted in) because it
   * was not in the cache. A lookup that finds nothing is not a miss: the memory path and the
   * onRequest hook both look up the same request, and most addresses are not cacheable at all.
   */
  countMiss(): void {
    this.counted.misses++;
  }

  /** Hits and misses since start, and the pages held now. */
  stats(): { hits: number; misses: number; entries: number } {
    return { ...this.counted, entries: this.entries.size };
  }

  /** True while the horizon is known and not yet reached; otherwise the cache empties itself. */
  fresh(): boolean {
    if (Number.isNaN(this.horizon)) return false;
    if (this.now() >= this.horizon) {
      this.clear();
      return false;
    }
    return true;
  }

  /** True when the next moment content changes by itself must be computed before pages are stored. */
  needsHorizon(): boolean {
    return Number.isNaN(this.horizon) || this.now() >= this.horizon;
  }

  /** Sets the moment the cached pages stop being valid on their own. */
  setHorizon(at: Date | number): void {
    const ms = typeof at === 'number' ? at : at.getTime();
    this.horizon = Number.isNaN(this.horizon) ? ms : Math.min(this.horizon, ms);
    if (this.now() >= this.horizon) this.fresh();
  }

  /** Drops every page and forgets the horizon (content changed). */
  clear(): void {
    this.entries.clear();
    this.horizon = Number.NaN;
    this.generation++;
  }

  /** Clears the cache when the content version differs from the one the pages were rendered at; true when it did. */
  observeVersion(version: string): boolean {
    if (version === this.version) return false;
    this.version = version;
    this.clear();
    return true;
  }
}
