import { createRequire } from 'node:module';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import { audit } from '../../platform/audit/audit.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { AppContext } from '../../platform/context.js';
import type { JobHandler } from '../../platform/jobs/jobs.js';
import { translator } from '../../platform/i18n/i18n.js';
import { hashPassword, verifyPassword, PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';
import { createSession, destroyUserSessions } from './sessions.js';
import { attemptSucceeded, clearAccount, takeAttempt } from './throttle.js';
import { newSecret, hashToken } from './tokens.js';

export const RESET_TOKEN_MINUTES = 60;
export const INVITATION_DAYS = 7;

/** The states of an account (users.status), each shown with a `users.status.*` message. */
export const USER_STATUSES = ['active', 'invited', 'disabled'] as const;

/** Raised with a message key when a user command cannot proceed. */
export class UserCommandError extends Error {
  constructor(public readonly key: string) {
    super(key);
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(email);
}

/**
 * The site's own names and the French and Spanish words for "password": a password made only of
 * these, repeated, with digits or signs, is refused (the common list below is mostly English).
 */
const OWN_STEMS = ['diwan', 'rabat', 'process', 'processus', 'motdepasse', 'contrasena', 'azerty', 'bienvenue', 'jetaime', 'bonjour', 'soleil'];

let common: ReadonlySet<string> | undefined;
/**
 * The 49,000 passwords found most often in published breaches (the frequency list of zxcvbn-ts,
 * MIT), loaded the first time a password is checked.
 */
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set((createRequire(import.meta.url)('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> }).dictionary['passwords-common']);
  return common;
}

/**
 * Whether a password is one people guess first (NIST SP 800-63B's blocklist): few different
 * characters; only digits; a breached password as it is, or with digits and signs around it, or
 * repeated; or the site's own names with digits.
 */
function guessable(password: string): boolean {
  const lower = password.toLowerCase();
  if (new Set(lower.replace(/\s/g, '')).size < 5) return true;
  const letters = lower.replace(/[^\p{L}\p{N}]/gu, '');
  if (/^\d+$/.test(letters)) return true;
  const list = commonPasswords();
  if (list.has(lower) || list.has(lower.replace(/\s/g, ''))) return true;
  // The word at its heart, without the digits and signs put before or after it.
  const core = lower.replace(/\s/g, '').replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  for (let n = 1; n <= 3; n++) {
    if (core.length % n !== 0) continue;
    const unit = core.slice(0, core.length / n);
    if (unit.repeat(n) === core && unit.length >= 3 && list.has(unit)) return true;
  }
  let rest = letters;
  for (const stem of OWN_STEMS) rest = rest.split(stem).join('');
  return rest.replace(/\d/g, '').length === 0;
}

/**
 * Why a password is refused, or null: its length, or (NIST SP 800-63B) that it is easy to guess or
 * holds the account's own address or name.
 */
export function passwordProblem(password: string, account?: { email: string; name?: string | null }): 'tooShort' | 'tooLong' | 'guessable' | 'personal' | null {
  if (password.trim().length < PASSWORD_MIN) return 'tooShort';
  if (password.length > PASSWORD_MAX) return 'tooLong';
  if (guessable(password)) return 'guessable';
  const lower = password.toLowerCase();
  const own = [account?.email.split('@')[0] ?? '', ...(account?.name ?? '').split(/\s+/)].map((x) => x.toLowerCase()).filter((x) => x.length >= 4);
  if (own.some((x) => lower.includes(x))) return 'personal';
  return null;
}

/** Creates an active user with a password (the command line's `user create`). */
export async function createUser(
  db: Db,
  input: { email: string; password: string; role: string; displayName?: string; countryCode?: string | null; organisationId?: number | null; lang?: string },
  actorUserId: number | null = null,
): Promise<number> {
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) throw new UserCommandError('user.error.email');
  // An account made at the command line is checked for length and guessability; the account's own
  // name and address are checked when its person chooses a password through a link.
  const problem = passwordProblem(input.password);
  if (problem) throw new UserCommandError(`user.error.password.${problem}`);
  const role = await db.selectFrom('roles').select('code').where('code', '=', input.role).executeTakeFirst();
  if (!role) throw new UserCommandError('user.error.role');
  if (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) throw new UserCommandError('user.error.exists');
  const passwordHash = await hashPassword(input.password);
  const now = nowIso();
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('users')
      .values({
        email,
        display_name: input.displayName?.trim() || email.split('@')[0] || email,
        password_hash: passwordHash,
        role_code: input.role,
        country_code: input.countryCode ?? null,
        organisation_id: input.organisationId ?? null,
        status: 'active',
        // Without a language the column's default (migration 0002) applies; callers that know the
        // site's default language pass it.
        ...(input.lang ? { preferred_lang: input.lang } : {}),
        created_at: now,
        updated_at: now,
        password_changed_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(trx, { actorUserId, action: 'user.create', entityType: 'user', entityId: id, after: { role: input.role } });
    return id;
  });
}

export type LoginResult = { ok: true; token: string; userId: number; lang: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/** Checks credentials with throttling per account and per address; the answer never tells whether the account exists. */
export async function login(db: Db, config: Pick<Config, 'sessionMaxHours' | 'loginMaxFailures'>, email: string, password: string, ip: string): Promise<LoginResult> {
  const normalised = normaliseEmail(email);
  // Counted before the password is checked: parallel guesses cannot pass the limit.
  const attempt = await takeAttempt(db, normalised, ip, config.loginMaxFailures);
  if (!attempt.allowed) {
    await audit(db, { actorUserId: null, action: 'login.throttled', entityType: 'user', summary: 'too many failures' });
    return { ok: false, reason: 'throttled', retryAfterSeconds: attempt.retryAfterSeconds };
  }
  const user = await db.selectFrom('users').select(['id', 'password_hash', 'status', 'preferred_lang']).where('email', '=', normalised).executeTakeFirst();
  const valid = await verifyPassword(user?.status === 'active' ? user.password_hash : null, password);
  if (!user || !valid) {
    await audit(db, { actorUserId: null, action: 'login.failed', entityType: 'user', entityId: user?.id ?? null, summary: user ? 'wrong password or inactive account' : 'unknown account' });
    return { ok: false, reason: 'invalid' };
  }
  await attemptSucceeded(db, normalised, ip);
  const token = await createSession(db, config, user.id);
  await db.updateTable('users').set({ last_login_at: nowIso() }).where('id', '=', user.id).execute();
  await audit(db, { actorUserId: user.id, action: 'login', entityType: 'user', entityId: user.id });
  return { ok: true, token, userId: user.id, lang: user.preferred_lang };
}

/** Reset links one account may be sent in an hour; past that, requests are answered the same and send nothing. */
export const RESET_REQUESTS_PER_HOUR = 3;

/** Spends every link of an account still unused (a newer link, a change of status or role, a successful use). */
export async function spendTokens(db: Db, userId: number, purpose?: 'reset' | 'invite'): Promise<void> {
  let q = db.updateTable('auth_tokens').set({ used_at: nowIso() }).where('user_id', '=', userId).where('used_at', 'is', null);
  if (purpose) q = q.where('purpose', '=', purpose);
  await q.execute();
}

/**
 * Sends a single-use reset link when the address belongs to an active account, at most
 * RESET_REQUESTS_PER_HOUR times an hour; silent otherwise. A new link spends the older ones.
 */
export async function requestPasswordReset(db: Db, mailer: Mailer, baseUrl: string, email: string, lang: string): Promise<void> {
  const user = await db.selectFrom('users').select(['id', 'email', 'status', 'preferred_lang']).where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!user || user.status !== 'active') return;
  const { token, id } = newSecret();
  const now = new Date();
  const recent = await db
    .selectFrom('auth_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', user.id)
    .where('purpose', '=', 'reset')
    .where('created_at', '>', new Date(now.getTime() - 3600_000).toISOString())
    .executeTakeFirstOrThrow();
  if (Number(recent.n) >= RESET_REQUESTS_PER_HOUR) return;
  await db.transaction().execute(async (trx) => {
    await spendTokens(trx, user.id, 'reset');
    await trx
      .insertInto('auth_tokens')
      .values({ id, user_id: user.id, purpose: 'reset', created_at: now.toISOString(), expires_at: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000).toISOString() })
      .execute();
  });
  const tr = translator(lang);
  await mailer.send({
    to: user.email,
    purpose: 'password_reset',
    secret: token,
    subject: tr.t('mail.reset.subject'),
    text: tr.t('mail.reset.body', { link: `${baseUrl}/admin/password/reset/${token}`, minutes: RESET_TOKEN_MINUTES }),
  });
  await audit(db, { actorUserId: null, action: 'password.reset_requested', entityType: 'user', entityId: user.id });
}

/** The job that answers a reset request, off the request path: the page's answer and its timing say nothing of the account. */
export const RESET_JOB = 'auth.reset';

/** Looks the account up and, if it may have one, sends the link (see requestPasswordReset). */
export function resetJob(ctx: Pick<AppContext, 'db' | 'mailer' | 'baseUrl'>): JobHandler<{ email: string; lang: string }> {
  return {
    name: RESET_JOB,
    options: { retryLimit: 2 },
    run: (data) => requestPasswordReset(ctx.db, ctx.mailer, ctx.baseUrl, String(data.email), String(data.lang)),
  };
}

/** The account status a link of each purpose is for: a reset for an active account, an invitation for an invited one. */
const STATUS_FOR: Record<'reset' | 'invite', string> = { reset: 'active', invite: 'invited' };

async function usableToken(db: Db, token: string, purpose: 'reset' | 'invite') {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const row = await db
    .selectFrom('auth_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.expires_at', 't.used_at', 'u.status'])
    .where('t.id', '=', hashToken(token))
    .where('t.purpose', '=', purpose)
    .executeTakeFirst();
  // The account's status now decides: a disabled account's links open nothing.
  if (!row || row.used_at || new Date(row.expires_at) <= new Date() || row.status !== STATUS_FOR[purpose]) return null;
  return row;
}

/** True when a reset or invitation link can still be used. */
export async function tokenIsUsable(db: Db, token: string, purpose: 'reset' | 'invite'): Promise<boolean> {
  return !!(await usableToken(db, token, purpose));
}

/** Sets a new password through a reset or invitation link; the link is spent and every session ends. */
export async function setPasswordWithToken(db: Db, token: string, purpose: 'reset' | 'invite', password: string): Promise<number> {
  if (passwordProblem(password) === 'tooShort' || passwordProblem(password) === 'tooLong') throw new UserCommandError(`user.error.password.${passwordProblem(password)}`);
  const row = await usableToken(db, token, purpose);
  if (!row) throw new UserCommandError('auth.error.tokenInvalid');
  const account = await db.selectFrom('users').select(['email', 'display_name']).where('id', '=', row.user_id).executeTakeFirstOrThrow();
  const problem = passwordProblem(password, { email: account.email, name: account.display_name });
  if (problem) throw new UserCommandError(`user.error.password.${problem}`);
  const passwordHash = await hashPassword(password);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    const spent = await trx.updateTable('auth_tokens').set({ used_at: now }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) throw new UserCommandError('auth.error.tokenInvalid');
    // Only an account still in the status the link was for changes: one disabled meanwhile stays disabled.
    const changed = await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now, updated_at: now, status: 'active' }).where('id', '=', row.user_id).where('status', '=', STATUS_FOR[purpose]).executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new UserCommandError('auth.error.tokenInvalid');
    await spendTokens(trx, row.user_id);
    await audit(trx, { actorUserId: row.user_id, action: purpose === 'reset' ? 'password.reset' : 'invitation.accepted', entityType: 'user', entityId: row.user_id });
  });
  await destroyUserSessions(db, row.user_id);
  // A new password lifts the sign-in limits on the account, as the reset page says.
  await clearAccount(db, account.email);
  return row.user_id;
}

/**
 * Sets an account's password from the command line (an operator who lost the admin's, a demo
 * password missed at first start): the same checks as everywhere, every link spent, every session
 * ended, the sign-in limits lifted. The account's status is kept: a disabled one stays disabled.
 */
export async function setPassword(db: Db, email: string, password: string): Promise<number> {
  const account = await db.selectFrom('users').select(['id', 'email', 'display_name']).where('email', '=', normaliseEmail(email)).executeTakeFirst();
  if (!account) throw new UserCommandError('user.error.unknownAccount');
  const problem = passwordProblem(password, { email: account.email, name: account.display_name });
  if (problem) throw new UserCommandError(`user.error.password.${problem}`);
  const passwordHash = await hashPassword(password);
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, password_changed_at: now, updated_at: now }).where('id', '=', account.id).execute();
    await spendTokens(trx, account.id);
    await audit(trx, { actorUserId: null, action: 'password.set', entityType: 'user', entityId: account.id });
  });
  await destroyUserSessions(db, account.id);
  await clearAccount(db, account.email);
  return account.id;
}

/** Invites a person by e-mail with a role: an invited account and a link to choose a password. */
export async function inviteUser(
  db: Db,
  mailer: Mailer,
  baseUrl: string,
  input: { email: string; displayName: string; role: string; countryCode?: string | null; organisationId?: number | null; lang: string },
  actorUserId: number,
): Promise<number> {
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) throw new UserCommandError('user.error.email');
  if (!(await db.selectFrom('roles').select('code').where('code', '=', input.role).executeTakeFirst())) throw new UserCommandError('user.error.role');
  if (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) throw new UserCommandError('user.error.exists');
  const { token, id: tokenId } = newSecret();
  const now = new Date();
  const userId = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('users')
      .values({
        email,
        display_name: input.displayName.trim() || email,
        password_hash: null,
        role_code: input.role,
        country_code: input.countryCode ?? null,
        organisation_id: input.organisationId ?? null,
        status: 'invited',
        preferred_lang: input.lang,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('auth_tokens')
      .values({ id: tokenId, user_id: id, purpose: 'invite', created_at: now.toISOString(), expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000).toISOString() })
      .execute();
    await audit(trx, { actorUserId, action: 'user.invite', entityType: 'user', entityId: id, after: { role: input.role, countryCode: input.countryCode ?? null } });
    return id;
  });
  const tr = translator(input.lang);
  await mailer.send({
    to: email,
    purpose: 'invitation',
    secret: token,
    subject: tr.t('mail.invite.subject'),
    text: tr.t('mail.invite.body', { link: `${baseUrl}/admin/invitation/${token}`, days: INVITATION_DAYS }),
  });
  return userId;
}
