import './platform/runtime.js';
import { buildDiwan, prepareDiwanDatabase } from './app/index.js';
import { ConfigError, loadConfig } from './platform/config.js';

/** `npm start`: validate the configuration, prepare the database, serve. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  const db = await prepareDiwanDatabase(config, { info: (m) => console.log(`[diwan] ${m}`) });
  const app = await buildDiwan({ config, db });
  const close = async (signal: string) => {
    app.log.info(`${signal} received, closing`);
    await app.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`[diwan] serving http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/ (${config.dialect})`);
}

main().catch((err: unknown) => {
  console.error('[diwan] could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
