import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import type { Actor } from '../../platform/policy.js';
import { hashToken, newSecret } from './tokens.js';

export { SESSION_COOKIE } from '../../platform/http/security.js';

/** Starts a session for a user: a fresh id every time (so a login never reuses an earlier id). */
export async function createSession(db: Db, config: Pick<Config, 'sessionMaxHours'>, userId: number, now = new Date()): Promise<string> {
  const { token, id } = newSecret();
  const csrf = newSecret().token;
  const expires = new Date(now.getTime() + config.sessionMaxHours * 3600_000);
  await db
    .insertInto('sessions')
    .values({ id, user_id: userId, csrf_token: csrf, created_at: now.toISOString(), last_seen_at: now.toISOString(), expires_at: expires.toISOString() })
    .execute();
  return token;
}

/** Ends a session. */
export async function destroySession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute();
}

/** Ends every session of a user (after a password change or when disabled). */
export async function destroyUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export interface LoadedSession {
  actor: Actor;
  sessionId: string;
}

/**
 * Finds the actor behind a session cookie, enforcing the idle and absolute timeouts; an expired
 * session is deleted. Touches last_seen at most once a minute to spare the database.
 */
export async function loadSession(db: Db, config: Pick<Config, 'sessionIdleMinutes'>, token: string | undefined, now = new Date()): Promise<LoadedSession | null> {
  if (!token || token.length > 100) return null;
  const id = hashToken(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id',
      'users.email',
      'users.display_name',
      'users.role_code',
      'users.status',
      'users.country_code',
      'users.organisation_id',
      'users.preferred_lang',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const idleLimit = new Date(new Date(row.last_seen_at).getTime() + config.sessionIdleMinutes * 60_000);
  if (row.status !== 'active' || now >= new Date(row.expires_at) || now >= idleLimit) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id', '=', id).execute();
  }
  const permissions = new Set((await db.selectFrom('role_permissions').select('permission').where('role_code', '=', row.role_code).execute()).map((p) => p.permission));
  return {
    sessionId: row.session_id,
    actor: {
      id: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role_code,
      permissions,
      countryCode: row.country_code,
      organisationId: row.organisation_id,
      lang: row.preferred_lang,
    },
  };
}
