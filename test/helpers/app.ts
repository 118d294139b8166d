import type { FastifyInstance } from 'fastify';
import { buildDiwan } from '../../src/app/index.js';
import type { Config } from '../../src/platform/config.js';
import { openDatabase, type Db } from '../../src/platform/db/database.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/**
 * The application on a fresh database of one dialect: a copy of the template with the migrations,
 * the reference data and (unless `demo: false`) the demo activities and pages.
 */
export async function createTestApp(dialect: 'sqlite' | 'postgres', options: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const tdb: TestDatabase = await createTestDatabase(dialect, options.config, options.demo === false ? 'reference' : 'demo');
  const db = openDatabase(tdb.config);
  const app = await buildDiwan({ config: tdb.config, db });
  await app.ready();
  return {
    app,
    db,
    config: tdb.config,
    close: async () => {
      await app.close();
      await db.destroy();
      await tdb.drop();
    },
  };
}
