import cluster from 'node:cluster';
import { receiveRemoteChange, setSiblingBarrier, type ChangeEvent } from './changes.js';

/**
 * Change events between the worker processes of one server (WORKERS > 1): each worker tells the
 * primary what it committed, and the primary tells every other worker, so each drops its page cache
 * at once. On PostgreSQL, LISTEN/NOTIFY also reaches them; on SQLite this is how they learn before
 * the content version poll.
 */
const MESSAGE = 'diwan:change';
const ACK = 'diwan:change-ack';
/** How long an edit's response waits for the other workers at most (then the content version poll catches up). */
const BARRIER_MS = 500;

interface ChangeMessage {
  type: typeof MESSAGE;
  events: ChangeEvent[];
  /** Answered by an ACK with the same id once every other worker has taken the changes in. */
  id: number;
}
interface AckMessage {
  type: typeof ACK;
  id: number;
}

const isMessage = <T extends { type: string }>(m: unknown, type: T['type']): m is T => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;

/**
 * In a worker: each change committed here goes to the primary, and the announcement waits (at most
 * BARRIER_MS) until the primary says every other worker has dropped what it showed; changes from
 * the others are taken in and acknowledged. Returns the stop function.
 */
export function shareChangesWithOtherWorkers(): () => void {
  if (!cluster.isWorker || !process.send) return () => undefined;
  let next = 0;
  const waiting = new Map<number, () => void>();
  setSiblingBarrier(
    (events) =>
      new Promise<void>((resolve) => {
        const id = ++next;
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve();
        }, BARRIER_MS);
        waiting.set(id, () => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        });
        process.send?.({ type: MESSAGE, events, id } satisfies ChangeMessage);
      }),
  );
  const receive = (m: unknown) => {
    if (isMessage<ChangeMessage>(m, MESSAGE)) {
      for (const e of m.events) receiveRemoteChange(e);
      process.send?.({ type: ACK, id: m.id } satisfies AckMessage);
    } else if (isMessage<AckMessage>(m, ACK)) waiting.get(m.id)?.();
  };
  process.on('message', receive);
  return () => {
    setSiblingBarrier(null);
    process.off('message', receive);
    for (const done of waiting.values()) done();
  };
}

/** In the primary: passes each worker's changes on to every other worker, and answers the sender once all of them have acknowledged. */
export function relayChangesBetweenWorkers(): void {
  let next = 0;
  // Relay id → who asked (worker id and their message id) and how many acknowledgements are awaited.
  const pending = new Map<number, { from: number; id: number; left: number; timer: NodeJS.Timeout }>();
  const answer = (relay: number) => {
    const p = pending.get(relay);
    if (!p) return;
    clearTimeout(p.timer);
    pending.delete(relay);
    const worker = cluster.workers?.[p.from];
    if (worker?.isConnected()) worker.send({ type: ACK, id: p.id } satisfies AckMessage);
  };
  cluster.on('message', (from, message: unknown) => {
    if (isMessage<ChangeMessage>(message, MESSAGE)) {
      const others = Object.values(cluster.workers ?? {}).filter((w) => w && w.id !== from.id && w.isConnected());
      const relay = ++next;
      pending.set(relay, { from: from.id, id: message.id, left: others.length, timer: setTimeout(() => answer(relay), BARRIER_MS) });
      for (const worker of others) worker!.send({ type: MESSAGE, events: message.events, id: relay } satisfies ChangeMessage);
      if (!others.length) answer(relay);
    } else if (isMessage<AckMessage>(message, ACK)) {
      const p = pending.get(message.id);
      if (p && --p.left <= 0) answer(message.id);
    }
  });
}
