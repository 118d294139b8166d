/** Named public routes; handlers and views build addresses by name, never by hand. */
const ROUTES = {
  home: '/:lang/',
  'activities.list': '/:lang/activities',
  'activities.show': '/:lang/activities/:slug',
  'activities.agenda': '/:lang/activities/:slug/agenda',
  'activities.agendaPdf': '/:lang/activities/:slug/agenda.pdf',
  'activities.calendar': '/:lang/activities/:slug/calendar.ics',
  'activities.register': '/:lang/activities/:slug/register',
  'activities.registerSent': '/:lang/activities/:slug/register/sent',
  /** A registrant's own page (a personal link: its token is never logged). */
  'registrations.show': '/:lang/registrations/:token',
  'registrations.cancel': '/:lang/registrations/:token/cancel',
  'registrations.data': '/:lang/registrations/:token/data.json',
  search: '/:lang/search',
  'documents.list': '/:lang/documents',
  'documents.show': '/:lang/documents/:slug',
  'alerts.new': '/:lang/alerts/new',
  'alerts.create': '/:lang/alerts',
  'alerts.sent': '/:lang/alerts/sent',
  'alerts.confirm': '/:lang/alerts/confirm/:token',
  'alerts.manage': '/:lang/alerts/manage/:token',
  'alerts.unsubscribe': '/:lang/alerts/unsubscribe/:token',
  /** Editable static pages; registered after every fixed path so they never shadow one. */
  'pages.show': '/:lang/:slug',
} as const;

export type RouteName = keyof typeof ROUTES;
export type Query = Record<string, string | number | undefined | null>;

/** The Fastify path pattern of a named route. */
export function routePattern(name: RouteName): string {
  return ROUTES[name];
}

/** Serialises a query, dropping empty values, in the order given (stable URLs make good cache keys). */
export function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.append(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * Builds the address of a named route in a language. Parameters are percent-encoded, so a slug in
 * Arabic or Greek becomes a valid address; Fastify decodes it again before the handler sees it.
 */
export function url(name: RouteName, lang: string, params: Record<string, string> = {}, query?: Query): string {
  const path = ROUTES[name].replace(/:([a-z]+)/g, (_, key: string) => {
    const value = key === 'lang' ? lang : params[key];
    if (value === undefined) throw new Error(`Missing parameter ${key} for route ${name}`);
    return encodeURIComponent(value);
  });
  return path + queryString(query);
}

/** True when a query has parameters outside the allowed ones (such requests are redirected to their canonical address). */
export function hasUnknownParams(query: Record<string, unknown>, allowed: readonly string[]): boolean {
  return Object.keys(query).some((k) => !allowed.includes(k));
}

/** The first value of a query parameter as text ('' when absent or not text): `?q=a&q=b` gives 'a'. */
export function firstValue(v: unknown): string {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** Largest id a record may have (PostgreSQL's integer). */
const MAX_ID = 2_147_483_647;

/**
 * A record id from an address or a form: decimal digits only, no sign, no leading zero, within
 * the database's integer range; anything else (`0x1`, `1e0`, ` 1`, `01`, `1.0`, a huge number)
 * is 0, which no record has.
 */
export function parseId(value: unknown): number {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return 0;
  const id = Number(value);
  return id <= MAX_ID ? id : 0;
}
