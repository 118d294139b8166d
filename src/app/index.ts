/** The application as the entry points (server, command line, tests) start it: the platform with the modules. */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../platform/app.js';
import { afterPrepared, migrateAndLoadReferenceData, prepareDatabase, seedDemo, type Logger } from '../platform/bootstrap.js';
import type { Config } from '../platform/config.js';
import { openDatabase, type Db } from '../platform/db/database.js';
import { MODULES } from './modules.js';

export { MODULES } from './modules.js';

export function buildDiwan(options: { config: Config; db: Db; logStream?: { write(line: string): void } }): Promise<FastifyInstance> {
  return buildApp({ ...options, modules: MODULES });
}

export function prepareDiwanDatabase(config: Config, log: Logger): Promise<Db> {
  return prepareDatabase(config, MODULES, log);
}

/** Opens the database without preparing it (a worker whose primary had the first worker prepare it). */
export function openDiwanDatabase(config: Config): Db {
  return openDatabase(config);
}

export function migrateDiwan(db: Db, log: Logger): Promise<void> {
  return migrateAndLoadReferenceData(db, MODULES, log);
}

export function seedDiwanDemo(db: Db, config: Config, log: Logger, options = { freshInstall: false }): Promise<void> {
  return seedDemo(db, config, MODULES, options, log);
}

/** Brings derived data (the search index) up to date after a command that wrote content. */
export function syncDiwan(db: Db, log: Logger): Promise<void> {
  return afterPrepared(db, MODULES, log);
}
