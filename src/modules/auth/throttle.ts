import type { Db } from '../../platform/db/database.js';
import { hashToken } from './tokens.js';

/** How long failures count, and how many each key may have in that window. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
const IP_FACTOR = 6;

function keys(email: string, ip: string): { account: string; address: string } {
  // Keys are hashed: the table must not become a list of e-mail addresses and IPs.
  return { account: `a:${hashToken(email.trim().toLowerCase())}`, address: `i:${hashToken(ip)}` };
}

async function failuresOf(db: Db, key: string, now: Date): Promise<number> {
  const row = await db.selectFrom('login_throttle').select(['failures', 'window_start']).where('key', '=', key).executeTakeFirst();
  if (!row) return 0;
  if (now.getTime() - new Date(row.window_start).getTime() > THROTTLE_WINDOW_MS) return 0;
  return row.failures;
}

/** True when this account or this address has failed too often recently (whether or not the account exists). */
export async function isThrottled(db: Db, email: string, ip: string, maxFailures: number, now = new Date()): Promise<boolean> {
  const k = keys(email, ip);
  return (await failuresOf(db, k.account, now)) >= maxFailures || (await failuresOf(db, k.address, now)) >= maxFailures * IP_FACTOR;
}

/** Counts a failed login for the account and the address. */
export async function recordFailure(db: Db, email: string, ip: string, now = new Date()): Promise<void> {
  for (const key of Object.values(keys(email, ip))) {
    const current = await failuresOf(db, key, now);
    const row = await db.selectFrom('login_throttle').select('window_start').where('key', '=', key).executeTakeFirst();
    const windowStart = current === 0 || !row ? now.toISOString() : row.window_start;
    await db
      .insertInto('login_throttle')
      .values({ key, failures: current + 1, window_start: windowStart })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: current + 1, window_start: windowStart }))
      .execute();
  }
}

/** Forgets the account's failures after a successful login. */
export async function clearFailures(db: Db, email: string, ip: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', keys(email, ip).account).execute();
}
