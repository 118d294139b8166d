import cluster from 'node:cluster';
import { onChange, receiveRemoteChange, type ChangeEvent } from './changes.js';

/**
 * Change events between the worker processes of one server (WORKERS > 1): each worker tells the
 * primary what it committed, and the primary tells every other worker, so each drops its page cache
 * at once. On PostgreSQL, LISTEN/NOTIFY also reaches them; on SQLite this is how they learn before
 * the content version poll.
 */
const MESSAGE = 'diwan:change';

interface ChangeMessage {
  type: typeof MESSAGE;
  event: ChangeEvent;
}

function isChangeMessage(m: unknown): m is ChangeMessage {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === MESSAGE && typeof (m as { event?: unknown }).event === 'object';
}

/** In a worker: sends this process's committed changes to the primary and takes the others' in. Returns the stop function. */
export function shareChangesWithOtherWorkers(): () => void {
  if (!cluster.isWorker || !process.send) return () => undefined;
  const off = onChange((event) => {
    if (event.origin !== 'local') return;
    const { origin: _origin, ...change } = event;
    process.send?.({ type: MESSAGE, event: change } satisfies ChangeMessage);
  });
  const receive = (m: unknown) => {
    if (isChangeMessage(m)) receiveRemoteChange(m.event);
  };
  process.on('message', receive);
  return () => {
    off();
    process.off('message', receive);
  };
}

/** In the primary: passes each worker's changes on to every other worker. */
export function relayChangesBetweenWorkers(): void {
  cluster.on('message', (from, message: unknown) => {
    if (!isChangeMessage(message)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker.id !== from.id && worker.isConnected()) worker.send(message);
    }
  });
}
