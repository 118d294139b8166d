import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Db } from '../db/database.js';

/**
 * What every public form without an account (an alert, a registration) stands behind: posts from
 * the site's own pages only, and a number of uses per network address in a window, counted in one
 * table (`alert_rate`, named after its first user) under keys the caller chooses.
 */

/**
 * A form post from another site is refused (the public site has no cookies to protect, but an
 * alert or a registration must be asked for from its own form): the browser says where a post
 * comes from in `Sec-Fetch-Site` and `Origin`. Clients that send neither (old browsers, curl) are let through;
 * the rate limits (and a module's own checks) stand behind them.
 */
export function fromAnotherSite(request: FastifyRequest, baseUrl: string): boolean {
  // Browsers since 2020-2023 say it plainly (a form of the site itself is 'same-origin').
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (!origin) return false;
  const own = new Set([new URL(baseUrl).origin, `${request.protocol}://${request.host}`]);
  return !own.has(origin);
}

/**
 * Counts one use of `key` in a window of `windowMs`; false (and nothing counted) once `limit` uses
 * fell in the current window. One statement each way, so two requests at once cannot both take the
 * last use.
 */
export async function takeRate(db: Db, key: string, limit: number, windowMs: number, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - windowMs).toISOString();
  const use = async () => {
    const used = await db
      .updateTable('alert_rate')
      .set((eb) => ({ count: eb('count', '+', 1) }))
      .where('key', '=', key)
      .where('count', '<', limit)
      .where('window_start', '>', since)
      .executeTakeFirst();
    return Number(used.numUpdatedRows) > 0;
  };
  if (await use()) return true;
  // No row, or its window is over: a new window starts with this use.
  const started = await db
    .insertInto('alert_rate')
    .values({ key, count: 1, window_start: now.toISOString() })
    .onConflict((oc) => oc.column('key').doUpdateSet({ count: 1, window_start: now.toISOString() }).where('alert_rate.window_start', '<=', since))
    .executeTakeFirst();
  if (Number(started.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  // Another request started the window between our two statements (a double click on a first
  // request): count this use in it.
  return use();
}

/** An IPv6 address written out in full: eight groups of four hex digits. */
function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = (part: string) => (part ? part.split(':') : []);
  let left = groups(head);
  let right = tail === undefined ? [] : groups(tail);
  // An IPv4 tail (::ffff:192.0.2.1) is two groups.
  const v4 = (list: string[]) => {
    const last = list.at(-1);
    if (!last?.includes('.')) return list;
    const [a = 0, b = 0, c = 0, d = 0] = last.split('.').map(Number);
    return [...list.slice(0, -1), ((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
  };
  if (tail === undefined) left = v4(left);
  else right = v4(right);
  const missing = 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((g) => g.padStart(4, '0'));
}

/**
 * The network a request comes from, as the limits count it: the client's address (request.ip,
 * which follows X-Forwarded-For only through the proxies TRUST_PROXY lists). An IPv6 address counts
 * as its /64, which one subscriber line usually holds whole.
 */
export function clientNetwork(request: Pick<FastifyRequest, 'ip'>): string {
  const ip = request.ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  return isIP(ip) === 6 ? `${expandIpv6(ip).slice(0, 4).join(':')}::/64` : ip;
}

/** One more use by a network (see clientNetwork) under a caller's scope; the network is kept as a hash, never as it is. */
export function takeForNetwork(db: Db, scope: string, network: string, limit: number, windowMs: number, now = new Date()): Promise<boolean> {
  return takeRate(db, `${scope}:${createHash('sha256').update(network).digest('hex')}`, limit, windowMs, now);
}
