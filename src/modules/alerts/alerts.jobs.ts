import type { AppContext } from '../../platform/context.js';
import { nextDayBoundary } from '../../platform/i18n/dates.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { url, type Query } from '../../platform/http/urls.js';
import type { JobHandler, JobQueue } from '../../platform/jobs/jobs.js';
import { documentsPublishedBetween, formatDocDate } from '../documents/index.js';
import { searchIndex } from '../search/index.js';
import { forgetStaleRequests } from './alerts.commands.js';
import { describeAlert, describeInline } from './alerts.describe.js';
import { ALERT_LIMITS, storedAlertSearch, type AlertSearch } from './alerts.schemas.js';

/** The daily job that sends one digest job per alert that is on. */
export const DIGEST_JOB = 'alerts.digest';
/** The job that sends one alert's digest: what became public since its last one. */
export const ALERT_DIGEST_JOB = 'alerts.send';

type Ctx = Pick<AppContext, 'db' | 'jobs' | 'mailer' | 'baseUrl' | 'config' | 'modules'>;

/**
 * The next time the digests go out: the configured hour in the site's time zone, today if it is
 * still to come, else tomorrow (on a day the clocks change it may be an hour off).
 */
export function nextDigestTime(now: Date, hour: number, timeZone: string): Date {
  const tomorrow = nextDayBoundary(now, timeZone).getTime();
  const today = tomorrow - 24 * 3600_000 + hour * 3600_000;
  return new Date(today > now.getTime() ? today : tomorrow + hour * 3600_000);
}

/** Queues the next daily run (once, however many instances start: the run's time is its key). */
export async function scheduleDigest(jobs: Pick<JobQueue, 'send'>, config: Pick<AppContext['config'], 'alertDigestHour' | 'timeZone'>, now = new Date()): Promise<Date> {
  const at = nextDigestTime(now, config.alertDigestHour, config.timeZone);
  await jobs.send(DIGEST_JOB, {}, { singletonKey: `digest:${at.toISOString()}`, startAfter: at });
  return at;
}

/**
 * The daily run: the next run is queued, unconfirmed requests past their link's life are
 * forgotten, and each alert that is on gets its digest job (each one sends at most one mail per
 * window, however often it runs).
 */
export function dailyDigestJob(ctx: Ctx): JobHandler<unknown> {
  return {
    name: DIGEST_JOB,
    options: { retryLimit: 3, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 30 * 60 },
    async run() {
      const until = new Date().toISOString();
      // Tomorrow's run first: a run that fails past its retries must not end the daily digests.
      await scheduleDigest(ctx.jobs, ctx.config, new Date(Date.now() + 60_000));
      await forgetStaleRequests(ctx.db);
      let after = 0;
      for (;;) {
        const batch = await ctx.db.selectFrom('alert_subscriptions').select('id').where('status', '=', 'active').where('id', '>', after).orderBy('id').limit(500).execute();
        if (!batch.length) break;
        for (const a of batch) await ctx.jobs.send(ALERT_DIGEST_JOB, { alertId: a.id, until }, { singletonKey: `alert:${a.id}` });
        after = batch.at(-1)!.id;
      }
    },
  };
}

/** What a digest lists: its first results, and how many there are in all. */
interface DigestItem {
  title: string;
  meta: string;
  href: string;
}

async function newResults(ctx: Ctx, tr: Translator, search: AlertSearch, after: string, until: string): Promise<{ total: number; items: DigestItem[] }> {
  const limit = ALERT_LIMITS.digestItems;
  if (search.scope === 'documents') {
    const found = await documentsPublishedBetween(ctx.db, { lang: tr.lang, filters: search.filters, query: search.query, after, until, limit });
    return {
      total: found.total,
      items: found.items.map((d) => ({
        title: d.title,
        meta: [tr.t(`documents.type.${d.type}` as never), formatDocDate(d.date, tr.lang), d.reference ?? ''].filter(Boolean).join(' · '),
        href: url('documents.show', tr.lang, { slug: d.slug }),
      })),
    };
  }
  const sources = new Map(ctx.modules.flatMap((m) => m.searchSources ?? []).map((s) => [s.entity, s]));
  const found = await searchIndex(ctx.db, { lang: tr.lang, query: search.query!, now: until, publishedAfter: after, offset: 0, limit, sort: 'date' });
  return {
    total: found.total,
    items: found.hits.flatMap((h) => {
      const source = sources.get(h.source);
      if (!source) return [];
      return [{ title: h.title, meta: tr.t(source.label), href: url(source.route, tr.lang, { slug: h.slug }) }];
    }),
  };
}

/** The address of the whole list an alert follows, newest first. */
export function listAddress(search: AlertSearch, lang: string): string {
  const query: Query = Object.fromEntries(new URLSearchParams(search.params));
  return search.scope === 'documents' ? url('documents.list', lang, {}, { ...query, sort: 'date' }) : url('search', lang, {}, { ...query, sort: 'date' });
}

class AlreadySent extends Error {}

/**
 * One alert's digest for the window after its last one, up to `until`: nothing is sent when
 * nothing new matches. The mail is recorded in the same transaction that moves the window on
 * (compare-and-set on its start, so a second run of the same job sends nothing), and queued after
 * it commits; a run cut between the two queues it again.
 */
export function alertDigestJob(ctx: Ctx): JobHandler<{ alertId: number; until: string }> {
  return {
    name: ALERT_DIGEST_JOB,
    options: { retryLimit: 4, retryDelaySeconds: 60, retryBackoff: true, expireInSeconds: 10 * 60 },
    async run(data) {
      const id = Number(data?.alertId);
      const until = typeof data?.until === 'string' && !Number.isNaN(Date.parse(data.until)) ? data.until : null;
      if (!Number.isInteger(id) || !until) return;
      const row = await ctx.db
        .selectFrom('alert_subscriptions')
        .select(['id', 'email', 'lang', 'scope', 'params', 'status', 'token', 'confirmed_at', 'sent_until', 'last_outbox_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row || row.status !== 'active') return;
      // The last digest may still wait to be queued: a run cut after its commit, whether this job is
      // tried again or tomorrow's run comes first. A mail already tried is the mail job's to retry.
      if (row.last_outbox_id) {
        const mail = await ctx.db.selectFrom('outbox').select(['sent_at', 'error']).where('id', '=', row.last_outbox_id).executeTakeFirst();
        if (mail && !mail.sent_at && !mail.error) await ctx.mailer.dispatch(row.last_outbox_id);
      }
      const after = row.sent_until ?? row.confirmed_at ?? until;
      if (after >= until) return;
      const tr = translator(ctx.config.languages.includes(row.lang) ? row.lang : ctx.config.defaultLanguage);
      const search = storedAlertSearch(row.scope, row.params, tr.lang, ctx.config.languages);
      const moveOn = (db: typeof ctx.db, outboxId?: number) =>
        db
          .updateTable('alert_subscriptions')
          .set((eb) => ({ sent_until: until, ...(outboxId ? { last_outbox_id: outboxId, digests_sent: eb('digests_sent', '+', 1) } : {}) }))
          .where('id', '=', id)
          .where('sent_until', row.sent_until === null ? 'is' : '=', row.sent_until)
          .executeTakeFirst();
      const found = search ? await newResults(ctx, tr, search, after, until) : { total: 0, items: [] };
      if (!search || found.total === 0) {
        await moveOn(ctx.db);
        return;
      }
      const criteria = describeInline(tr, await describeAlert(ctx.db, tr, search));
      const base = ctx.baseUrl;
      const lines = found.items.map((item, i) => `${i + 1}. ${item.title}\n   ${item.meta}\n   ${base}${item.href}`);
      const list = `${base}${listAddress(search, tr.lang)}`;
      const more = found.total - found.items.length;
      const unsubscribe = `${base}${url('alerts.unsubscribe', tr.lang, { token: row.token })}`;
      const text = [
        tr.t('alerts.mail.digest.intro', { count: found.total, site: tr.t('site.name'), since: formatDocDate(after.slice(0, 10), tr.lang), description: criteria }),
        lines.join('\n\n'),
        more > 0 ? tr.t('alerts.mail.digest.more', { count: more, link: list }) : tr.t('alerts.mail.digest.all', { link: list }),
        '-- ',
        tr.t('alerts.mail.digest.footer', { date: formatDocDate((row.confirmed_at ?? after).slice(0, 10), tr.lang), unsubscribe, manage: `${base}${url('alerts.manage', tr.lang, { token: row.token })}` }),
      ].join('\n\n');
      const subjectDescription = criteria.length > 70 ? `${Array.from(criteria).slice(0, 69).join('')}…` : criteria;
      let outboxId = 0;
      try {
        await ctx.db.transaction().execute(async (trx) => {
          outboxId = await ctx.mailer.record(trx, {
            to: row.email,
            purpose: 'alert_digest',
            secret: row.token,
            subject: tr.t('alerts.mail.digest.subject', { count: found.total, description: subjectDescription }),
            text,
            headers: {
              // RFC 8058: mail clients offer "unsubscribe", which posts to this address without a visit.
              'List-Unsubscribe': `<${unsubscribe}>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              'Auto-Submitted': 'auto-generated',
            },
          });
          const moved = await moveOn(trx, outboxId);
          if (Number(moved.numUpdatedRows) === 0) throw new AlreadySent();
        });
      } catch (err) {
        if (err instanceof AlreadySent) return;
        throw err;
      }
      await ctx.mailer.dispatch(outboxId);
    },
  };
}
