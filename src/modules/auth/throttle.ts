import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.js';
import { hashToken } from './tokens.js';

/**
 * Sign-in attempts, counted *before* the password is checked, so that parallel guesses cannot slip
 * past the limit between the check and the count: each attempt takes one unit from two counters in
 * one atomic upsert each, on both databases. The counters are per account-and-address pair (a
 * stranger's failures elsewhere never lock the real owner out) and per address (spraying many
 * accounts from one network). A successful sign-in gives the pair's units back, a successful
 * password reset clears every pair of the account.
 */

/** How long attempts count. */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
/** An address may fail this many times the pair's allowance, over all the accounts it tries. */
const IP_FACTOR = 6;

const accountPart = (email: string) => hashToken(email.trim().toLowerCase());
// Keys are hashed: the table must not become a list of e-mail addresses and IPs.
const pairKey = (email: string, ip: string) => `p:${accountPart(email)}:${hashToken(ip)}`;
const addressKey = (ip: string) => `i:${hashToken(ip)}`;

/** Takes one attempt from a counter (a new window when the last has passed); returns the attempts in the window and when it started. */
async function take(db: Db, key: string, now: Date): Promise<{ attempts: number; windowStart: Date }> {
  const at = now.toISOString();
  const cutoff = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
  const row = await sql<{ failures: number; window_start: string }>`
    INSERT INTO login_throttle (key, failures, window_start) VALUES (${key}, 1, ${at})
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN login_throttle.window_start < ${cutoff} THEN 1 ELSE login_throttle.failures + 1 END,
      window_start = CASE WHEN login_throttle.window_start < ${cutoff} THEN ${at} ELSE login_throttle.window_start END
    RETURNING failures, window_start`.execute(db);
  const r = row.rows[0]!;
  return { attempts: Number(r.failures), windowStart: new Date(r.window_start) };
}

export type Attempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt for the pair and the address, and says whether it may go on to the
 * password check; when not, how long until it may. Answers the same whether or not the account exists.
 */
export async function takeAttempt(db: Db, email: string, ip: string, maxFailures: number, now = new Date()): Promise<Attempt> {
  const blocked = (windowStart: Date): Attempt => ({ allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowStart.getTime() + THROTTLE_WINDOW_MS - now.getTime()) / 1000)) });
  // The address first, then the pair only for attempts the address lets through: however many
  // arrive at once, exactly the pair's limit reaches the password check (counting the pair first
  // would let an attempt early for its pair be stopped late for its address, and fewer pass).
  const address = await take(db, addressKey(ip), now);
  if (address.attempts > maxFailures * IP_FACTOR) return blocked(address.windowStart);
  const pair = await take(db, pairKey(email, ip), now);
  if (pair.attempts > maxFailures) return blocked(pair.windowStart);
  return { allowed: true };
}

/** After a successful sign-in: the pair's attempts are forgotten, and this one no longer counts against the address. */
export async function attemptSucceeded(db: Db, email: string, ip: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', pairKey(email, ip)).execute();
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', addressKey(ip))
    .where('failures', '>', 0)
    .execute();
}

/** After a successful password reset: every address's attempts at this account are forgotten. */
export async function clearAccount(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', 'like', `p:${accountPart(email)}:%`).execute();
}
