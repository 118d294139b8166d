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

/** The back-office session cookie; a request carrying it is never served from, nor stored in, the page cache. */
export const SESSION_COOKIE = 'diwan_session';
