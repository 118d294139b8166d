/**
 * One instance's start, as a process of its own (for tests that start several at once): prepares
 * the database named by DATABASE_URL (migrations, reference data, demo data on an empty one), then
 * exits 0, or prints the error and exits 1.
 */
import { prepareDiwanDatabase } from '../../src/app/index.js';
import { loadConfig } from '../../src/platform/config.js';

try {
  const db = await prepareDiwanDatabase(loadConfig(), { info: () => undefined });
  await db.destroy();
  process.exit(0);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
