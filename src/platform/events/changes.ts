import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { isPostgres, type Db } from '../db/database.js';
import { bumpContentVersion } from '../db/site-state.js';

/**
 * What a command announces after its transaction has committed. Caches, search indexing, feeds and
 * notifications subscribe to these instead of being called by every writer.
 */
export interface ChangeEvent {
  /** The kind of record: 'activity', 'page', 'country', 'organisation', 'theme', ... */
  entity: string;
  id: number | string;
  /** What happened: created, saved, pending, published, unpublished, returned, discarded, restored, imported... */
  action: string;
  /** True when what the public sees changed (or will change at `visibleFrom`). */
  public: boolean;
  /** From when the change is publicly visible (ISO time); null when it is not public or visible now. */
  visibleFrom: string | null;
}

/** An event as subscribers receive it: from this process, or from another instance. */
export interface ReceivedChange extends ChangeEvent {
  origin: 'local' | 'remote';
}

/** The PostgreSQL channel on which instances tell each other about changes. */
export const CHANGE_CHANNEL = 'diwan_changes';

/** Tells this process's own notifications apart from other instances' when they come back through LISTEN. */
export const INSTANCE_ID = randomBytes(6).toString('hex');

const bus = new EventEmitter<{ change: [ReceivedChange] }>();
bus.setMaxListeners(0);

/**
 * Waits until the other worker processes of this server have taken in changes announced here (set
 * by events/cluster.ts when WORKERS > 1): an edit's response leaves only once no worker can serve
 * the page as it was. Bounded by its own timeout; the content version poll is the fallback.
 */
let siblings: ((events: ChangeEvent[]) => Promise<void>) | null = null;
export function setSiblingBarrier(barrier: ((events: ChangeEvent[]) => Promise<void>) | null): void {
  siblings = barrier;
}

/** Subscribes to every change, local or from another instance; returns the unsubscribe function. */
export function onChange(handler: (event: ReceivedChange) => void): () => void {
  bus.on('change', handler);
  return () => bus.off('change', handler);
}

/** Delivers an event that another instance announced (from LISTEN) to this process's subscribers. */
export function receiveRemoteChange(event: ChangeEvent): void {
  bus.emit('change', { ...event, origin: 'remote' });
}

/**
 * Announces committed changes: moves the shared content version when the public site changed (the
 * fallback other instances poll), tells other instances on PostgreSQL through NOTIFY, then this
 * process's subscribers. Call it after the transaction, never inside it.
 */
export async function announceChanges(db: Db, events: ChangeEvent[]): Promise<void> {
  if (!events.length) return;
  if (events.some((e) => e.public)) await bumpContentVersion(db);
  if (isPostgres(db)) {
    for (const e of events) {
      // A lost notification is not lost content: other instances also poll the content version.
      await sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify({ ...e, source: INSTANCE_ID })})`.execute(db).catch(() => undefined);
    }
  }
  for (const e of events) bus.emit('change', { ...e, origin: 'local' });
  if (siblings) await siblings(events);
}

/** Announces one committed change. */
export function announceChange(db: Db, event: ChangeEvent): Promise<void> {
  return announceChanges(db, [event]);
}

/** Parses a NOTIFY payload into an event, or null when it is not one of ours or came from this process. */
export function parseChangePayload(payload: string | undefined): ChangeEvent | null {
  if (!payload) return null;
  try {
    const v = JSON.parse(payload) as Partial<ChangeEvent> & { source?: unknown };
    if (v.source === INSTANCE_ID) return null;
    if (typeof v.entity !== 'string' || typeof v.action !== 'string' || typeof v.public !== 'boolean') return null;
    if (typeof v.id !== 'number' && typeof v.id !== 'string') return null;
    const visibleFrom = typeof v.visibleFrom === 'string' && !Number.isNaN(Date.parse(v.visibleFrom)) ? v.visibleFrom : null;
    return { entity: v.entity, id: v.id, action: v.action, public: v.public, visibleFrom };
  } catch {
    return null;
  }
}
