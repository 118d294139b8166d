import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { newBadgeCode } from './registration.commands.js';

export type CheckInOutcome = { kind: 'done'; at: string } | { kind: 'already'; at: string } | { kind: 'not_approved' } | { kind: 'missing' };

/**
 * Marks an approved registrant as attended, once: the update only touches a row not yet marked, so
 * two organisers scanning the same badge at the same moment count one arrival, and the second is
 * told when the first marked it.
 */
export async function checkIn(db: Db, activityId: number, registrationId: number, actorId: number, now = new Date()): Promise<CheckInOutcome> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<CheckInOutcome> => {
    const r = await trx
      .updateTable('registrations')
      .set({ attended_at: at, attended_by: actorId })
      .where('id', '=', registrationId)
      .where('activity_id', '=', activityId)
      .where('state', '=', 'approved')
      .where('attended_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows)) {
      await audit(trx, { actorUserId: actorId, action: 'registration.attended', entityType: 'registration', entityId: registrationId, after: { activity: activityId } });
      return { kind: 'done', at };
    }
    const row = await trx.selectFrom('registrations').select(['state', 'attended_at']).where('id', '=', registrationId).where('activity_id', '=', activityId).executeTakeFirst();
    if (!row) return { kind: 'missing' };
    if (row.attended_at) return { kind: 'already', at: row.attended_at };
    return { kind: 'not_approved' };
  });
}

/** Takes back a check-in made by mistake; false when there was none. */
export async function undoCheckIn(db: Db, activityId: number, registrationId: number, actorId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('registrations').set({ attended_at: null, attended_by: null }).where('id', '=', registrationId).where('activity_id', '=', activityId).where('attended_at', 'is not', null).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) return false;
    await audit(trx, { actorUserId: actorId, action: 'registration.attendance_undone', entityType: 'registration', entityId: registrationId, after: { activity: activityId } });
    return true;
  });
}

/** Gives a badge code to the meeting's registrations that have none (those made before badges existed). */
export async function ensureBadgeCodes(db: Db, activityId: number): Promise<void> {
  const missing = await db.selectFrom('registrations').select('id').where('activity_id', '=', activityId).where('badge_code', 'is', null).limit(10_000).execute();
  for (const r of missing) await db.updateTable('registrations').set({ badge_code: newBadgeCode() }).where('id', '=', r.id).where('badge_code', 'is', null).execute();
}
