import { z } from 'zod';
import { says } from '../../platform/forms/validation.js';
import { queryString } from '../../platform/http/urls.js';
import { FACETS, type LibraryFilters, readLibraryQuery } from '../documents/index.js';
import { parseQuery, searchable, type ParsedQuery } from '../search/index.js';

/**
 * What an alert follows: the library (its search and filters) or the site search (its words). An
 * alert is kept as its scope and a canonical query string, the same one the list's address uses,
 * so that "the same alert" is the same row however its address was written.
 */
export const ALERT_SCOPES = ['documents', 'search'] as const;
export type AlertScope = (typeof ALERT_SCOPES)[number];

export const ALERT_LIMITS = {
  /** RFC 5321's longest usable address. */
  email: 254,
  /** Alerts one address may hold (pending or on); more are refused without saying so to the requester. */
  perAddress: 50,
  /** Confirmation and notice mails to one address per day, whoever asks. */
  mailsPerAddressPerDay: 3,
  /** Subscription requests from one network address per hour. */
  requestsPerIpPerHour: 20,
  /** Days a confirmation link works; an alert never confirmed is deleted after them. */
  confirmDays: 7,
  /** Results listed in one digest (the rest are counted, with a link to the whole list). */
  digestItems: 25,
  /** Largest form body accepted, in bytes (an address and a search). */
  bodyBytes: 16 * 1024,
} as const;

/** A plausible address: one @, a dot in the domain, no spaces, brackets or control characters. */
const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}.][^\s@<>()[\]\\,;:"\p{Cc}]*$/u;

export const AlertEmailSchema = z
  .string()
  .transform((e) => e.trim())
  .pipe(z.string().min(1, says('alerts.error.emailMissing')).max(ALERT_LIMITS.email, says('form.error.tooLong')).regex(EMAIL_PATTERN, says('alerts.error.emailInvalid')));

/** Addresses are compared and kept in lower case (the local part is case-insensitive in practice). */
export const normaliseAlertEmail = (email: string) => email.trim().toLowerCase();

/** A followed search, read from an address or a form: its scope, canonical parameters, filters and parsed words. */
export interface AlertSearch {
  scope: AlertScope;
  /** Canonical query string without "?" (q first, then the filters in the library's order). */
  params: string;
  q: string;
  query: ParsedQuery | null;
  filters: LibraryFilters;
}

/**
 * Reads the search an alert follows from query or form fields. Null when there is nothing an alert
 * could follow: an unknown scope, or a site search without words to look for (the library without
 * words or filters is "every new document", which is an alert).
 */
export function readAlertSearch(raw: Record<string, unknown>, lang: string, languages: readonly string[]): AlertSearch | null {
  const scope = ALERT_SCOPES.find((s) => s === raw.scope);
  if (!scope) return null;
  const { filters, q } = readLibraryQuery({ q: raw.q, ...(scope === 'documents' ? Object.fromEntries(FACETS.map((f) => [f, raw[f]])) : {}) }, languages);
  const parsed = q.trim() ? parseQuery(q, lang) : null;
  if (parsed && !searchable(parsed)) return null;
  // The words as the search keeps them (control characters out, shortened to its limit), so that
  // the alert follows exactly what the list shows.
  const query = parsed;
  const words = parsed?.text ?? '';
  if (scope === 'search' && !query) return null;
  const params = queryString({ q: query ? words : undefined, ...(scope === 'documents' ? Object.fromEntries(FACETS.map((f) => [f, filters[f]])) : {}) }).replace(/^\?/, '');
  return { scope, params, q: query ? words : '', query, filters: scope === 'documents' ? filters : {} };
}

/** The search of a stored alert (its parameters were canonical when kept; read again the same way). */
export function storedAlertSearch(scope: string, params: string, lang: string, languages: readonly string[]): AlertSearch | null {
  return readAlertSearch({ scope, ...Object.fromEntries(new URLSearchParams(params)) }, lang, languages);
}
