import './platform/runtime.js';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './platform/config.js';

const say = (line: string) => console.log(`[diwan] ${line}`);

/** `npm start`: validate the configuration, then serve: one process, or a primary and its workers (WORKERS). */
let config: Config | undefined;

async function main(): Promise<void> {
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./platform/cluster.js');
    return runPrimary(config, fileURLToPath(import.meta.url), say);
  }
  const { buildDiwan, prepareDiwanDatabase, openDiwanDatabase } = await import('./app/index.js');
  // A worker that only serves opens the database the first worker prepared.
  const db = config.workerRole === 'serve' ? openDiwanDatabase(config) : await prepareDiwanDatabase(config, { info: say });
  const app = await buildDiwan({ config, db });
  let stopSharing: () => void = () => undefined;
  if (cluster.isWorker) {
    const { shareChangesWithOtherWorkers } = await import('./platform/events/cluster.js');
    stopSharing = shareChangesWithOtherWorkers();
  }
  const close = async (signal: string) => {
    app.log.info(`${signal} received, closing`);
    stopSharing();
    await app.close();
    await db.destroy();
    (app.log as { flush?: () => void }).flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  if (!cluster.isWorker) say(`serving http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/ (${config.dialect})`);
}

/** Why the server could not start, in words an operator can act on: the path and the cause when a directory or file cannot be written. */
function startFailure(err: unknown): string {
  const e = err as { code?: unknown; path?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = err instanceof Error ? err.message : String(err);
  const causes: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    ENOTDIR: 'a part of the path is a file, not a directory',
  };
  const dataDir = config?.dataDir ?? 'DATA_DIR';
  if (causes[code]) {
    const place = typeof e?.path === 'string' ? e.path : dataDir;
    return `cannot write ${place} (${causes[code]}, ${code}). DATA_DIR is ${dataDir}: set DATA_DIR to a directory this user (${process.getuid?.() ?? '?'}) may write, or free space there.`;
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_FULL') {
    const file = config?.databaseUrl.replace(/^sqlite:/, '') ?? 'the SQLite database';
    return `cannot open or write the database ${file} (${code}): check that its directory is writable and the disk is not full.`;
  }
  return message;
}

main().catch((err: unknown) => {
  console.error('[diwan] could not start:', startFailure(err));
  process.exit(1);
});
