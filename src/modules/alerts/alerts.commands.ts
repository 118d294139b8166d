import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/database.js';
import { translator } from '../../platform/i18n/i18n.js';
import { url } from '../../platform/http/urls.js';
import { takeForNetwork, takeRate } from '../../platform/http/public-forms.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { describeAlert, describeInline } from './alerts.describe.js';
import { ALERT_LIMITS, normaliseAlertEmail, storedAlertSearch, type AlertSearch } from './alerts.schemas.js';

/**
 * Subscribing, confirming and ending alerts. Nothing here tells a requester whether an address
 * already has an alert: every request gets the same answer ("check your inbox"), and what the
 * address receives (a confirmation, or a note that the alert is already on) goes to the address
 * only. Addresses and network addresses are counted under hashes, never kept in the rate table.
 */

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
/** Tokens in links are 43 characters of base64url; anything else is not looked up. */
export const isTokenShape = (token: string) => /^[\w-]{32,64}$/.test(token);

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** One more subscription request from a network address (see clientNetwork); false past the hourly limit. */
export function takeRequestFromIp(db: Db, network: string, now = new Date()): Promise<boolean> {
  return takeForNetwork(db, 'ip', network, ALERT_LIMITS.requestsPerIpPerHour, HOUR, now);
}

export interface AlertContext {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  config: Pick<Config, 'languages'>;
}

/** Raised inside a transaction to undo it when nothing may be sent. */
class NothingToSend extends Error {}

/**
 * Asks for an alert: a new or still unconfirmed alert gets a confirmation link by mail (a fresh one
 * each time; the earlier links stop working), an alert already on gets a note with its own link.
 * Returns what happened, for tests and counts; the visitor is told the same in every case.
 */
export async function requestAlert(ctx: AlertContext, input: { email: string; lang: string; search: AlertSearch; now?: Date }): Promise<'confirmation' | 'already' | 'limited'> {
  const now = input.now ?? new Date();
  const email = normaliseAlertEmail(input.email);
  const tr = translator(input.lang);
  const description = describeInline(tr, await describeAlert(ctx.db, tr, input.search));
  let outboxId = 0;
  let outcome: 'confirmation' | 'already' = 'confirmation';
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('alert_subscriptions')
        .select(['id', 'status', 'token'])
        .where('email', '=', email)
        .where('lang', '=', input.lang)
        .where('scope', '=', input.search.scope)
        .where('params', '=', input.search.params)
        .executeTakeFirst();
      const confirmToken = newToken();
      let token: string;
      if (existing?.status === 'active') {
        outcome = 'already';
        token = existing.token;
      } else if (existing) {
        token = existing.token;
        await trx
          .updateTable('alert_subscriptions')
          .set((eb) => ({ confirm_hash: sha256(confirmToken), confirm_sent_at: now.toISOString(), confirm_count: eb('confirm_count', '+', 1) }))
          .where('id', '=', existing.id)
          .execute();
      } else {
        const held = await trx.selectFrom('alert_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).where('email', '=', email).executeTakeFirstOrThrow();
        if (Number(held.n) >= ALERT_LIMITS.perAddress) throw new NothingToSend();
        token = newToken();
        await trx
          .insertInto('alert_subscriptions')
          .values({
            email,
            lang: input.lang,
            scope: input.search.scope,
            params: input.search.params,
            status: 'pending',
            confirm_hash: sha256(confirmToken),
            token,
            created_at: now.toISOString(),
            confirm_sent_at: now.toISOString(),
            confirm_count: 1,
          })
          .execute();
      }
      // However many ask, an address gets a few of these mails a day.
      if (!(await takeRate(trx, `mail:${sha256(email)}`, ALERT_LIMITS.mailsPerAddressPerDay, DAY, now))) throw new NothingToSend();
      const manage = `${ctx.baseUrl}${url('alerts.manage', input.lang, { token })}`;
      outboxId =
        outcome === 'already'
          ? await ctx.mailer.record(trx, {
              to: email,
              purpose: 'alert_exists',
              secret: token,
              subject: tr.t('alerts.mail.exists.subject'),
              text: tr.t('alerts.mail.exists.body', { site: tr.t('site.name'), description, manage }),
            })
          : await ctx.mailer.record(trx, {
              to: email,
              purpose: 'alert_confirm',
              secret: confirmToken,
              subject: tr.t('alerts.mail.confirm.subject'),
              text: tr.t('alerts.mail.confirm.body', {
                site: tr.t('site.name'),
                description,
                link: `${ctx.baseUrl}${url('alerts.confirm', input.lang, { token: confirmToken })}`,
                days: ALERT_LIMITS.confirmDays,
              }),
            });
    });
  } catch (err) {
    if (err instanceof NothingToSend) return 'limited';
    throw err;
  }
  await ctx.mailer.dispatch(outboxId);
  return outcome;
}

export interface StoredAlert {
  id: number;
  email: string;
  lang: string;
  scope: string;
  params: string;
  status: 'pending' | 'active';
  token: string;
  confirmedAt: string | null;
  search: AlertSearch;
}

function toStored(row: { id: number; email: string; lang: string; scope: string; params: string; status: 'pending' | 'active'; token: string; confirmed_at: string | null }, languages: readonly string[]): StoredAlert | null {
  const search = storedAlertSearch(row.scope, row.params, row.lang, languages);
  if (!search) return null;
  return { id: row.id, email: row.email, lang: row.lang, scope: row.scope, params: row.params, status: row.status, token: row.token, confirmedAt: row.confirmed_at, search };
}

const COLUMNS = ['id', 'email', 'lang', 'scope', 'params', 'status', 'token', 'confirmed_at'] as const;

/** The pending alert a confirmation link names, while the link works. */
export async function alertToConfirm(db: Db, languages: readonly string[], confirmToken: string, now = new Date()): Promise<StoredAlert | null> {
  if (!isTokenShape(confirmToken)) return null;
  const row = await db
    .selectFrom('alert_subscriptions')
    .select([...COLUMNS, 'confirm_sent_at'])
    .where('confirm_hash', '=', sha256(confirmToken))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!row || !row.confirm_sent_at || now.getTime() - Date.parse(row.confirm_sent_at) > ALERT_LIMITS.confirmDays * DAY) return null;
  return toStored(row, languages);
}

/** Turns an alert on through its confirmation link: digests list what is published from now on. */
export async function confirmAlert(db: Db, languages: readonly string[], confirmToken: string, now = new Date()): Promise<StoredAlert | null> {
  const alert = await alertToConfirm(db, languages, confirmToken, now);
  if (!alert) return null;
  const done = await db
    .updateTable('alert_subscriptions')
    .set({ status: 'active', confirm_hash: null, confirmed_at: now.toISOString(), sent_until: now.toISOString() })
    .where('id', '=', alert.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return null;
  return { ...alert, status: 'active', confirmedAt: now.toISOString() };
}

/** The alert behind its own link (manage, unsubscribe). */
export async function alertByToken(db: Db, languages: readonly string[], token: string): Promise<StoredAlert | null> {
  if (!isTokenShape(token)) return null;
  const row = await db.selectFrom('alert_subscriptions').select(COLUMNS).where('token', '=', token).executeTakeFirst();
  return row ? toStored(row, languages) : null;
}

/** Ends an alert: its row goes, address and all. True when there was one. */
export async function endAlert(db: Db, token: string): Promise<boolean> {
  if (!isTokenShape(token)) return false;
  const gone = await db.deleteFrom('alert_subscriptions').where('token', '=', token).executeTakeFirst();
  return Number(gone.numDeletedRows) > 0;
}

/** Removes alerts never confirmed within their link's life, and rate counts whose window is over. */
export async function forgetStaleRequests(db: Db, now = new Date()): Promise<number> {
  const expired = new Date(now.getTime() - ALERT_LIMITS.confirmDays * DAY).toISOString();
  const gone = await db.deleteFrom('alert_subscriptions').where('status', '=', 'pending').where('confirm_sent_at', '<', expired).executeTakeFirst();
  await db.deleteFrom('alert_rate').where('window_start', '<', new Date(now.getTime() - 2 * DAY).toISOString()).execute();
  return Number(gone.numDeletedRows);
}
