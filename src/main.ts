import './platform/runtime.js';
import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './platform/config.js';

const say = (line: string) => console.log(`[diwan] ${line}`);

/** `npm start`: validate the configuration, then serve: one process, or a primary and its workers (WORKERS). */
async function main(): Promise<void> {
  let config: Config;
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

main().catch((err: unknown) => {
  console.error('[diwan] could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
