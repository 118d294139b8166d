import { ConfigError, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/database.js';
import { migrateAndLoadReferenceData } from './platform/bootstrap.js';
import { seedDemoActivities } from './modules/activities/demo/demo-seeder.js';

const HELP = `Diwan command line

Usage: npm run diwan -- <command>

Commands:
  migrate      apply pending database migrations and load the reference data
               (countries, organisations, frameworks); safe to run again
  seed-demo    load the demo activities (creates missing ones, never overwrites edited ones)
  help         show this help

The database is the one configured by DATABASE_URL (default: a SQLite file under DATA_DIR).`;

/** Runs one command; returns the process exit code. */
export async function runCli(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(HELP);
    return 0;
  }
  if (command !== 'migrate' && command !== 'seed-demo') {
    err(`Unknown command: ${command}\n\n${HELP}`);
    return 64;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      err(e.message);
      return 78;
    }
    throw e;
  }
  const db = openDatabase(config);
  try {
    await migrateAndLoadReferenceData(db, { info: out });
    if (command === 'seed-demo') {
      const r = await seedDemoActivities(db);
      out(`demo activities: ${r.created} created, ${r.refreshed} refreshed, ${r.kept} kept (edited since seeding)`);
    }
    return 0;
  } catch (e) {
    err(`${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
