import { lastPossibleDay } from '../../platform/i18n/dates.js';

export { lastPossibleDay };
import { audit } from '../../platform/audit/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { Db } from '../../platform/db/database.js';
import { nextDayBoundary, todayIso } from '../../platform/i18n/dates.js';
import type { JobHandler, JobQueue } from '../../platform/jobs/jobs.js';

/** The daily job that erases passport details kept past their time. */
export const PASSPORT_PURGE_JOB = 'registration.purge_passports';

const DAY = 86_400_000;

/**
 * Erases the passport details of every registrant of a meeting whose last day is more than
 * `retentionDays` days before today (in the site's time zone). The registration stays, with the
 * fact that a visa letter was asked for, so the meeting's anonymous figures stay right. Returns how
 * many were erased; each meeting's erasure is in the audit log (counts, never details).
 */
export async function purgePassports(db: Db, retentionDays: number, timeZone: string, now = new Date()): Promise<number> {
  const cutoff = todayIso(new Date(now.getTime() - retentionDays * DAY), timeZone);
  const rows = await db
    .selectFrom('registration_passports as p')
    .innerJoin('registrations as r', 'r.id', 'p.registration_id')
    .innerJoin('activities as a', 'a.id', 'r.activity_id')
    .select(['p.registration_id', 'r.activity_id', 'a.start_date', 'a.end_date', 'a.date_precision'])
    .execute();
  // A meeting known to the month or the year ends, for this purpose, on that month's or year's last day.
  const due = rows.filter((r) => lastPossibleDay(r.end_date ?? r.start_date, r.date_precision) < cutoff);
  const past = [...new Set((await db.selectFrom('activities').select(['id', 'start_date', 'end_date', 'date_precision']).where('id', 'in', (eb) => eb.selectFrom('meeting_prints').select('activity_id').where('kind', '=', 'visa_letters')).execute()).filter((a) => lastPossibleDay(a.end_date ?? a.start_date, a.date_precision) < cutoff).map((a) => a.id))];
  // Letters printed from passport details go once the meeting is past retention, whoever's they were.
  if (past.length) await db.deleteFrom('meeting_prints').where('kind', '=', 'visa_letters').where('activity_id', 'in', past).execute();
  if (!due.length) return 0;
  const byMeeting = new Map<number, number[]>();
  for (const d of due) byMeeting.set(d.activity_id, [...(byMeeting.get(d.activity_id) ?? []), d.registration_id]);
  for (const [activityId, ids] of byMeeting) {
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < ids.length; i += 500) await trx.deleteFrom('registration_passports').where('registration_id', 'in', ids.slice(i, i + 500)).execute();
      // The visa letters printed from them go too.
      await trx.deleteFrom('meeting_prints').where('activity_id', '=', activityId).where('kind', '=', 'visa_letters').execute();
      await audit(trx, { actorUserId: null, action: 'registration.passports_purged', entityType: 'activity', entityId: activityId, after: { erased: ids.length, retentionDays } });
    });
  }
  return due.length;
}

/** Queues the next run: 03:00 tomorrow in the site's time zone (once, however many instances start). */
export async function schedulePurge(jobs: Pick<JobQueue, 'send'>, timeZone: string, now = new Date()): Promise<Date> {
  const at = new Date(nextDayBoundary(now, timeZone).getTime() + 3 * 3600_000);
  await jobs.send(PASSPORT_PURGE_JOB, {}, { singletonKey: `purge:${at.toISOString()}`, startAfter: at });
  return at;
}

export function passportPurgeJob(ctx: Pick<AppContext, 'db' | 'jobs' | 'config'>): JobHandler<unknown> {
  return {
    name: PASSPORT_PURGE_JOB,
    options: { retryLimit: 3, retryDelaySeconds: 300, retryBackoff: true, expireInSeconds: 30 * 60 },
    async run() {
      await schedulePurge(ctx.jobs, ctx.config.timeZone, new Date(Date.now() + 60_000));
      await purgePassports(ctx.db, ctx.config.passportRetentionDays, ctx.config.timeZone);
    },
  };
}
