/**
 * The command-line faces of backup, restore and move-database: their arguments, their messages
 * (in English, like the rest of the command line) and their exit codes. The work is in backup.ts,
 * restore.ts and move.ts.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import type { DiwanModule } from '../module.js';
import { openFileStore } from '../storage/storage.js';
import { BackupRefused } from './archive.js';
import { createBackup } from './backup.js';
import { moveDatabase } from './move.js';
import { restoreBackup } from './restore.js';

export const BACKUP_USAGE = `Usage: npm run diwan -- backup FILE

Writes one archive (a tar file) with a consistent snapshot of the database and every stored file
its rows name, while the server may keep running. FILE is written as FILE.part first and renamed
when complete; it is readable by its owner only (it holds password hashes and personal data).`;

export const RESTORE_USAGE = `Usage: npm run diwan -- restore [--force] FILE

Brings the configured database and file store back to the state of a backup. The whole archive is
checked first; a damaged or cut archive, or one from a newer Diwan, is refused before anything is
written. A database that holds rows is refused unless --force is given: then Diwan's tables are
removed first (a database holding tables of another application is refused). Stop the servers
before a --force restore: they would write into the tables being replaced. The search index is
rebuilt, and running servers drop their cached pages.`;

export const MOVE_USAGE = `Usage: npm run diwan -- move-database --to postgres://USER:PASSWORD@HOST:5432/DATABASE

Copies the current database (the SQLite file) into an empty PostgreSQL database, migrated first,
then compares every table's row count and SHA-256 between the two. The stored files stay where
they are (DATA_DIR or STORAGE_URL). Stop the server first: writes made during the move are not
copied.`;

export interface BackupCommandContext {
  db: Db;
  config: Config;
  modules: readonly DiwanModule[];
  out: (s: string) => void;
  err: (s: string) => void;
}

/** A database URL fit to print: its password replaced by ***. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace('%2A%2A%2A', '***');
  } catch {
    return '(an unreadable URL)';
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const count = (n: number) => n.toLocaleString('en');

/** Runs `backup`, `restore` or `move-database`; returns the exit code. */
export async function runBackupCommand(command: 'backup' | 'restore' | 'move-database', args: string[], ctx: BackupCommandContext): Promise<number> {
  const usage = command === 'backup' ? BACKUP_USAGE : command === 'restore' ? RESTORE_USAGE : MOVE_USAGE;
  if (args.includes('--help') || args.includes('-h')) {
    ctx.out(usage);
    return 0;
  }
  let values: { force?: boolean; to?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: command === 'restore' ? { force: { type: 'boolean' } } : command === 'move-database' ? { to: { type: 'string' } } : {},
    }));
  } catch (e) {
    ctx.err(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
    return 64;
  }
  const wanted = command === 'move-database' ? 0 : 1;
  if (positionals.length !== wanted || (command === 'move-database' && !values.to)) {
    ctx.err(usage);
    return 64;
  }
  try {
    if (command === 'backup') return await backup(path.resolve(positionals[0]!), ctx);
    if (command === 'restore') return await restore(path.resolve(positionals[0]!), !!values.force, ctx);
    return await move(values.to!, ctx);
  } catch (e) {
    if (e instanceof BackupRefused) {
      ctx.err(`${command} refused: ${e.message}`);
      return 65;
    }
    ctx.err(`${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function backup(file: string, ctx: BackupCommandContext): Promise<number> {
  const store = await openFileStore({ url: ctx.config.storageUrl, dataDir: ctx.config.dataDir });
  try {
    const r = await createBackup(ctx.db, store, file);
    ctx.out(`backup written: ${file} (${megabytes(r.bytes)}): ${r.tables} tables, ${count(r.rows)} rows, ${r.files} stored files (${megabytes(r.fileBytes)}), from ${r.manifest.dialect} at migration ${r.manifest.migrations.at(-1)}`);
    return 0;
  } finally {
    await store.close();
  }
}

async function restore(file: string, force: boolean, ctx: BackupCommandContext): Promise<number> {
  const store = await openFileStore({ url: ctx.config.storageUrl, dataDir: ctx.config.dataDir });
  try {
    const r = await restoreBackup(ctx.db, store, file, { force, modules: ctx.modules, log: { info: ctx.out } });
    ctx.out(
      `restored ${file} (made ${r.manifest.createdAt} from ${r.manifest.dialect}): ${r.manifest.tables.length} tables, ${count(r.rows)} rows, ` +
        `${r.files} stored files (${r.filesKept} already in the store); search index rebuilt, cached pages dropped` +
        (r.migratedOn ? '; the archive was older than this Diwan: the newer migrations were applied' : ''),
    );
    return 0;
  } finally {
    await store.close();
  }
}

async function move(to: string, ctx: BackupCommandContext): Promise<number> {
  if (!/^postgres(ql)?:\/\//.test(to)) {
    ctx.err(`move-database: --to must be a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:5432/DATABASE\n\n${MOVE_USAGE}`);
    return 64;
  }
  if (ctx.config.dialect === 'postgres' && to === ctx.config.databaseUrl) {
    ctx.err('move-database: the target is the database this installation already uses');
    return 64;
  }
  const masked = maskUrl(to);
  const target = openDatabase({ databaseUrl: to, dialect: 'postgres' });
  try {
    ctx.out(`moving the ${ctx.config.dialect} database into ${masked}`);
    const r = await moveDatabase(ctx.db, target, { modules: ctx.modules, log: { info: ctx.out } });
    ctx.out(`\ncomparison of every table (source snapshot at ${r.snapshotAt}):`);
    for (const t of r.tables) {
      const line = t.same ? `same     ${t.table}: ${count(t.source.rows)} rows, sha256 ${t.source.sha256.slice(0, 16)}` : `DIFFERS  ${t.table}: ${count(t.source.rows)} rows (sha256 ${t.source.sha256.slice(0, 16)}) in the source, ${count(t.target.rows)} (sha256 ${t.target.sha256.slice(0, 16)}) in the target`;
      ctx.out(`  ${line}`);
    }
    if (!r.same) {
      ctx.err(`move-database failed: ${r.tables.filter((t) => !t.same).length} tables differ in the target; keep using the current database`);
      return 1;
    }
    ctx.out(`all ${r.tables.length} tables are the same in ${masked} (the search index was rebuilt there)`);
    ctx.out(`Next step: set DATABASE_URL=${masked} (with its real password) and restart Diwan; the stored files stay where they are.`);
    return 0;
  } finally {
    await target.destroy();
  }
}
