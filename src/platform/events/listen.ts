import type pg from 'pg';
import { pgDriver } from '../db/database.js';
import { CHANGE_CHANNEL, parseChangePayload, receiveRemoteChange } from './changes.js';

export interface ChangeListener {
  /** True while LISTEN is established (the poll fallback may rest). */
  connected(): boolean;
  close(): Promise<void>;
}

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * Listens on PostgreSQL for the changes other instances announce, and hands them to this process's
 * subscribers. A dropped connection is retried with a growing delay; meanwhile the content-version
 * poll covers for it. It never throws into the server.
 */
export function listenForChanges(databaseUrl: string, log: Log): ChangeListener {
  let client: pg.Client | null = null;
  let ready = false;
  let closed = false;
  let delay = 500;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
    delay = Math.min(delay * 2, 30_000);
  };

  const connect = async () => {
    const c = new (pgDriver().Client)({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    client = c;
    c.on('error', (err) => {
      log.warn({ err: { message: err.message } }, 'change listener connection lost');
      ready = false;
    });
    c.on('end', () => {
      ready = false;
      if (!closed && client === c) schedule();
    });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANGE_CHANNEL) return;
      const event = parseChangePayload(msg.payload);
      if (event) receiveRemoteChange(event);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      ready = true;
      delay = 500;
    } catch (err) {
      ready = false;
      log.warn({ err: { message: (err as Error).message } }, 'change listener could not connect; polling meanwhile');
      client = null;
      await c.end().catch(() => undefined);
      schedule();
    }
  };

  void connect();
  return {
    connected: () => ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      ready = false;
      await client?.end().catch(() => undefined);
    },
  };
}
