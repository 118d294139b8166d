import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { loadDirectoryReferenceData } from '../modules/directory/reference-data.js';
import { loadFrameworkReferenceData } from '../modules/framework/reference-data.js';
import { seedDemoActivities } from '../modules/activities/demo/demo-seeder.js';
import { loadRoles } from '../modules/auth/roles.reference-data.js';
import { seedDemoUsers } from '../modules/auth/demo-users.js';
import { seedDemoPages } from '../modules/pages/pages.commands.js';

export interface Logger {
  info(msg: string): void;
}

/** Applies migrations and loads the required reference data (countries, organisations, frameworks). */
export async function migrateAndLoadReferenceData(db: Db, log: Logger): Promise<void> {
  const applied = await migrateToLatest(db);
  for (const r of applied) log.info(`migration ${r.migrationName}: ${r.status}`);
  const dir = await loadDirectoryReferenceData(db);
  const fw = await loadFrameworkReferenceData(db);
  await loadRoles(db);
  log.info(`reference data: ${dir.countries} countries, ${dir.organisations} organisations, ${fw.frameworks} frameworks with ${fw.themes} themes`);
}

/** True when the database holds no activity yet (a fresh install). */
export async function isEmpty(db: Db): Promise<boolean> {
  return !(await db.selectFrom('activities').select('id').limit(1).executeTakeFirst());
}

/** Opens the database, brings it up to date and, on a fresh install, loads the demo data. */
export async function prepareDatabase(config: Config, log: Logger): Promise<Db> {
  const db = openDatabase(config);
  await migrateAndLoadReferenceData(db, log);
  if (config.seedDemo === 'auto' && (await isEmpty(db))) {
    const r = await seedDemoActivities(db);
    const pages = await seedDemoPages(db);
    log.info(`empty database: demo data loaded (${r.created} activities, ${pages} pages)`);
    for (const u of await seedDemoUsers(db, config.defaultLanguage)) log.info(`demo ${u.role}: ${u.email} / password ${u.password} (demo only: change or remove before going live)`);
  }
  return db;
}
