/**
 * Headers every response carries. Public pages run no script at all, so the policy allows none;
 * later features that add a script use a per-request nonce.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

/** The back-office policy: the same, plus scripts carrying this response's nonce. */
export function adminCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

/** Anonymous public pages: any cache may keep them, and must check with us (ETag) before reuse. */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=0, must-revalidate';
/** Pages that must never be stored (errors, personal pages). */
export const NO_STORE = 'private, no-store';
/** Fingerprinted assets never change under the same name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The back-office session cookie's name over http; a request carrying it is never served from, nor stored in, the page cache. */
export const SESSION_COOKIE = 'diwan_session';

/**
 * The session cookie a site uses. Behind https it is `__Host-diwan_session`: Secure, Path=/, no
 * Domain, so neither a sibling subdomain nor a page over plain http can set or replace it (the
 * price of Path=/: a signed-in editor's public pages are not taken from the page cache). Over
 * plain http (development, tests) browsers refuse that prefix: `diwan_session`, sent only to /admin.
 */
export function sessionCookie(config: { secureCookies: boolean }): { name: string; options: { path: string; httpOnly: true; sameSite: 'lax'; secure: boolean } } {
  return config.secureCookies
    ? { name: `__Host-${SESSION_COOKIE}`, options: { path: '/', httpOnly: true, sameSite: 'lax', secure: true } }
    : { name: SESSION_COOKIE, options: { path: '/admin', httpOnly: true, sameSite: 'lax', secure: false } };
}
