import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config.js';
import { relayChangesBetweenWorkers } from './events/cluster.js';

/**
 * The primary process of a server with WORKERS > 1: it loads no application code. It starts one
 * worker that prepares the database (migrations, reference data, demo data on a fresh install) and
 * serves; once that one listens, the others, which only serve. All share the port (node:cluster
 * hands connections out in turn), each with its own page cache; the primary passes change events
 * between them. A worker that dies is replaced; SIGTERM or SIGINT stops them all gracefully.
 */
export async function runPrimary(config: Config, entry: string, say: (line: string) => void): Promise<void> {
  cluster.setupPrimary({ exec: entry });
  relayChangesBetweenWorkers();
  let stopping = false;
  const recentRestarts: number[] = [];
  // Each worker has a place from 1 to WORKERS that its replacement takes over: the `worker` label
  // of its metrics stays within WORKERS values however often workers are replaced.
  const slots = new Map<number, number>();
  const fork = (role: 'prepare' | 'serve', slot: number): Worker => {
    const worker = cluster.fork({ DIWAN_WORKER_ROLE: role, DIWAN_WORKER_SLOT: String(slot) });
    slots.set(worker.id, slot);
    return worker;
  };

  const first = fork('prepare', 1);
  const ready = await new Promise<boolean>((resolve) => {
    first.once('listening', () => resolve(true));
    first.once('exit', () => resolve(false));
  });
  if (!ready) {
    say('could not start: the first worker stopped before serving (see above)');
    process.exit(first.process.exitCode ?? 1);
  }
  for (let slot = 2; slot <= config.workers; slot++) fork('serve', slot);

  cluster.on('exit', (worker, code, signal) => {
    const slot = slots.get(worker.id) ?? 1;
    slots.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    recentRestarts.push(now);
    while (recentRestarts.length && recentRestarts[0]! < now - 60_000) recentRestarts.shift();
    if (recentRestarts.length > 10) {
      say('workers keep stopping (more than 10 in a minute): giving up');
      stop(1);
      return;
    }
    say(`worker ${worker.process.pid} stopped (${signal ?? `code ${code}`}); starting another`);
    setTimeout(() => {
      if (!stopping) fork('serve', slot);
    }, 500).unref();
  });

  const stop = (code = 0) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (!workers.length) process.exit(code);
    for (const w of workers) w.process.kill('SIGTERM');
    // Workers close their connections and database; those that hang are ended.
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(code);
    }, 10_000).unref();
    if (code !== 0) process.exitCode = code;
  };
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
  await new Promise<void>((resolve) => cluster.once('listening', () => resolve()));
  say(`serving http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/ (${config.dialect}, ${config.workers} workers)`);
}
