import { nowIso, type Db } from '../../platform/db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { announceChange } from '../../platform/events/changes.js';
import { AGENDA_LIMITS, type SessionInput } from './meetings.schemas.js';
import type { Practical } from './meetings.repository.js';

/** The meeting has as many sessions as an agenda may have. */
export class AgendaFull extends Error {}

/** Tells caches and other instances that the meeting's pages changed (public when the meeting is). */
function announce(db: Db, activityId: number, workflow: string, action: string) {
  return announceChange(db, { entity: 'activity', id: activityId, action, public: workflow === 'published', visibleFrom: null });
}

/** Sets the meeting's time zone (the venue's). */
export async function saveTimeZone(db: Db, meeting: { id: number; workflow: string }, timeZone: string, actorId: number | null): Promise<void> {
  const now = nowIso();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('meeting_agendas')
      .values({ activity_id: meeting.id, time_zone: timeZone, updated_at: now })
      .onConflict((oc) => oc.column('activity_id').doUpdateSet({ time_zone: timeZone, updated_at: now }))
      .execute();
    await audit(trx, { actorUserId: actorId, action: 'activity.agenda_time_zone', entityType: 'activity', entityId: meeting.id, after: { time_zone: timeZone } });
  });
  await announce(db, meeting.id, meeting.workflow, 'agenda');
}

/** Creates a session (`sessionId` null) or replaces one of this meeting's; returns its id, or null when that session is not the meeting's. */
export async function saveSession(db: Db, meeting: { id: number; workflow: string }, sessionId: number | null, input: SessionInput, actorId: number | null): Promise<number | null> {
  const now = nowIso();
  const id = await db.transaction().execute(async (trx) => {
    let id: number;
    const fields = { day: input.day, starts: input.starts, ends: input.ends, kind: input.kind, track: input.track, room: input.room, updated_at: now };
    if (sessionId === null) {
      const { n } = await trx.selectFrom('agenda_sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('activity_id', '=', meeting.id).executeTakeFirstOrThrow();
      if (Number(n) >= AGENDA_LIMITS.sessions) throw new AgendaFull();
      id = (await trx.insertInto('agenda_sessions').values({ activity_id: meeting.id, created_at: now, ...fields }).returning('id').executeTakeFirstOrThrow()).id;
    } else {
      const updated = await trx.updateTable('agenda_sessions').set(fields).where('id', '=', sessionId).where('activity_id', '=', meeting.id).executeTakeFirst();
      if (!Number(updated.numUpdatedRows)) return null;
      id = sessionId;
      for (const t of ['agenda_session_translations', 'agenda_session_people', 'agenda_session_documents'] as const) await trx.deleteFrom(t).where('session_id', '=', id).execute();
    }
    const texts = Object.entries(input.t).map(([lang, t]) => ({ session_id: id, lang, title: t.title, description: t.description }));
    if (texts.length) await trx.insertInto('agenda_session_translations').values(texts).execute();
    if (input.people.length) await trx.insertInto('agenda_session_people').values(input.people.map((p, position) => ({ session_id: id, position, role: p.role, name: p.name, affiliation: p.affiliation }))).execute();
    if (input.documents.length) await trx.insertInto('agenda_session_documents').values(input.documents.map((document_id, position) => ({ session_id: id, document_id, position }))).execute();
    await audit(trx, { actorUserId: actorId, action: sessionId === null ? 'activity.agenda_session_added' : 'activity.agenda_session_saved', entityType: 'activity', entityId: meeting.id, after: { session: id, ...input } });
    return id;
  });
  if (id !== null) await announce(db, meeting.id, meeting.workflow, 'agenda');
  return id;
}

/** Removes one of the meeting's sessions; false when it is not there. */
export async function deleteSession(db: Db, meeting: { id: number; workflow: string }, sessionId: number, actorId: number | null): Promise<boolean> {
  const removed = await db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('agenda_sessions').where('id', '=', sessionId).where('activity_id', '=', meeting.id).executeTakeFirst();
    if (!Number(r.numDeletedRows)) return false;
    await audit(trx, { actorUserId: actorId, action: 'activity.agenda_session_removed', entityType: 'activity', entityId: meeting.id, before: { session: sessionId } });
    return true;
  });
  if (removed) await announce(db, meeting.id, meeting.workflow, 'agenda');
  return removed;
}

/** Replaces the meeting's practical information; a language left empty is removed. */
export async function savePractical(db: Db, meeting: { id: number; workflow: string }, byLanguage: Record<string, Practical>, actorId: number | null): Promise<void> {
  const rows = Object.entries(byLanguage)
    .filter(([, p]) => p.address || p.contact || p.notes)
    .map(([lang, p]) => ({ activity_id: meeting.id, lang, address: p.address, contact: p.contact, notes: p.notes }));
  await db.transaction().execute(async (trx) => {
    // Each language upserted, the others removed: two saves at once (a double click) both succeed.
    const kept = rows.map((r) => r.lang);
    let removed = trx.deleteFrom('meeting_practical').where('activity_id', '=', meeting.id);
    if (kept.length) removed = removed.where('lang', 'not in', kept);
    await removed.execute();
    for (const r of rows) {
      await trx
        .insertInto('meeting_practical')
        .values(r)
        .onConflict((oc) => oc.columns(['activity_id', 'lang']).doUpdateSet({ address: r.address, contact: r.contact, notes: r.notes }))
        .execute();
    }
    await audit(trx, { actorUserId: actorId, action: 'activity.practical_saved', entityType: 'activity', entityId: meeting.id, after: byLanguage });
  });
  await announce(db, meeting.id, meeting.workflow, 'practical');
}
