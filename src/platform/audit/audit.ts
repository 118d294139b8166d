import type { Db } from '../db/database.js';
import { nowIso } from '../db/database.js';

type Executor = Pick<Db, 'insertInto'>;

export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  entityType: string;
  entityId?: string | number | null | undefined;
  summary?: string | null | undefined;
  before?: unknown;
  after?: unknown;
}

/** Appends an entry to the audit log, inside the caller's transaction when one is given. */
export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_user_id: entry.actorUserId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
      summary: entry.summary ?? null,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}
