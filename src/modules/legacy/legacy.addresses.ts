/**
 * Old addresses: the host and path under which an activity lived on an old site, normalised the
 * same way when stored and when a request arrives, so "/fr/Activites/Reunion-X/" and
 * "/fr/activites/reunion-x?utm_source=mail" find the same record.
 */

const TRACKING = /^(?:utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|_ga)$/i;

/** The normalised form of an old path with its query: decoded, lower case, no trailing slash or index file, tracking parameters dropped. */
export function normaliseOldPath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  const rawPath = (q >= 0 ? pathAndQuery.slice(0, q) : pathAndQuery).split('#')[0] ?? '';
  const rawQuery = q >= 0 ? (pathAndQuery.slice(q + 1).split('#')[0] ?? '') : '';
  let path = rawPath
    .split('/')
    .map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        return seg;
      }
    })
    .join('/')
    .normalize('NFC')
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/\/index\.(?:html?|php|aspx?|jsp)$/, '/');
  if (!path.startsWith('/')) path = `/${path}`;
  if (path.length > 1) path = path.replace(/\/+$/, '');
  const params = new URLSearchParams(rawQuery);
  const kept = [...params.entries()].filter(([k]) => !TRACKING.test(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
  return path + query;
}

/** The language an old address was in: a /fr/ (or /en-gb/...) first segment, or a lang= parameter. */
export function languageOfOldPath(pathAndQuery: string): string | null {
  const m = /^\/([a-z]{2})(?:[-_][a-z]{2})?(?:\/|$)/i.exec(pathAndQuery);
  if (m?.[1]) return m[1].toLowerCase();
  const q = pathAndQuery.indexOf('?');
  if (q >= 0) {
    const lang = new URLSearchParams(pathAndQuery.slice(q + 1)).get('lang') ?? new URLSearchParams(pathAndQuery.slice(q + 1)).get('language');
    if (lang && /^[a-z]{2}/i.test(lang)) return lang.slice(0, 2).toLowerCase();
  }
  return null;
}

export interface OldAddress {
  url: string;
  host: string;
  path: string;
  lang: string | null;
}

/** Splits an old page's URL into what redirects need, or null when it is not an http(s) address. */
export function oldAddress(url: string): OldAddress | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const pathAndQuery = u.pathname + u.search;
  return { url: u.toString(), host: u.host.toLowerCase(), path: normaliseOldPath(pathAndQuery), lang: languageOfOldPath(pathAndQuery) };
}

/** The host a request names, lower case, without the default port. */
export function requestHost(hostHeader: string | undefined): string {
  return (hostHeader ?? '').trim().toLowerCase().replace(/:(?:80|443)$/, '').replace(/\.$/, '');
}
