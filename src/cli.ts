import './platform/runtime.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/database.js';
import { MODULES, migrateDiwan, seedDiwanDemo, syncDiwan } from './app/index.js';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { createUser, setPassword, UserCommandError } from './modules/auth/index.js';
import { IMPORT_DOCUMENTS_USAGE, runImportDocuments } from './modules/documents/index.js';
import { IMPORT_LEGACY_USAGE, runImportLegacy } from './modules/legacy/index.js';
import { translator, type MessageKey } from './platform/i18n/i18n.js';
import { BACKUP_USAGE, MOVE_USAGE, RESTORE_USAGE, runBackupCommand } from './platform/backup/backup.commands.js';

/** The command line speaks English (its help and messages are written in it), whatever LANGUAGES says. */
const CLI_LANGUAGE = 'en';

const HELP = `Diwan command line

Usage: npm run diwan -- <command>

Commands:
  migrate      apply pending database migrations and load the reference data
               (countries, organisations, frameworks); safe to run again
  seed-demo    load the demo activities (creates missing ones, never overwrites edited ones)
  user create --email ADDRESS --role ROLE [--name NAME] [--password-stdin]
               create an active account; roles: admin, editor, organiser, focal_point, participant.
               The password is read from standard input with --password-stdin, asked for on a
               terminal, or else generated and printed once.
  user password --email ADDRESS [--password-stdin]
               set an account's password (the same three ways); ends its sessions and links
  import-legacy [--dry-run] [--json] [--source-url URL] FILE...
               import pages saved from the old websites (text or HTML; en, fr, es, pt, it):
               creates activities or merges them into existing ones, keeps their old addresses
               for redirects; --dry-run prints the plan only (see import-legacy --help)
  import-documents [--dry-run] [--json] MANIFEST.csv
               import an archive of documents described by a CSV manifest (file, titles, type,
               date, language, access, activity): every row is checked first and nothing is
               imported if one is refused; files already there are skipped; the text of the new
               files is read before the command ends (see import-documents --help)
  backup FILE  write one archive (tar) with a consistent snapshot of the database and the stored
               files, while the server may keep running (see backup --help)
  restore [--force] FILE
               bring the database and the stored files back to a backup; the archive is checked
               first; a database holding rows is replaced only with --force (see restore --help)
  move-database --to postgres://USER:PASSWORD@HOST/DATABASE
               copy the current (SQLite) database into an empty PostgreSQL database and compare
               every table; the files stay where they are (see move-database --help)
  help         show this help

The database is the one configured by DATABASE_URL (default: a SQLite file under DATA_DIR).`;

/** Runs one command; returns the process exit code. */
export async function runCli(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out(HELP);
    return 0;
  }
  if (command === 'import-legacy' && (argv.includes('--help') || argv.includes('-h'))) {
    out(IMPORT_LEGACY_USAGE);
    return 0;
  }
  if (command === 'import-documents' && (argv.includes('--help') || argv.includes('-h'))) {
    out(IMPORT_DOCUMENTS_USAGE);
    return 0;
  }
  const backupCommand = command === 'backup' || command === 'restore' || command === 'move-database' ? command : null;
  if (backupCommand && (argv.includes('--help') || argv.includes('-h'))) {
    out(backupCommand === 'backup' ? BACKUP_USAGE : backupCommand === 'restore' ? RESTORE_USAGE : MOVE_USAGE);
    return 0;
  }
  if (command !== 'migrate' && command !== 'seed-demo' && command !== 'user' && command !== 'import-legacy' && command !== 'import-documents' && !backupCommand) {
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
    if (command === 'user') return await userCommand(argv.slice(1), db, config.defaultLanguage, out, err);
    // No migration first: a backup reads the database as it is, a restore or a move migrates its
    // target to the source's level itself (and reference data would make an empty target non-empty).
    if (backupCommand) return await runBackupCommand(backupCommand, argv.slice(1), { db, config, modules: MODULES, out, err });
    // The imports keep standard output for their report (one JSON document with --json).
    const quiet = command === 'import-legacy' || command === 'import-documents';
    await migrateDiwan(db, { info: quiet ? () => undefined : out });
    if (command === 'import-legacy') {
      const code = await runImportLegacy(argv.slice(1), { db, out, err });
      // The running server does not see these writes as events: index them here.
      await syncDiwan(db, { info: () => undefined });
      return code;
    }
    if (command === 'import-documents') {
      const code = await runImportDocuments(argv.slice(1), { db, config, out, err });
      // As for import-legacy: the search index takes the new documents here.
      await syncDiwan(db, { info: () => undefined });
      return code;
    }
    if (command === 'seed-demo') await seedDiwanDemo(db, config, { info: out });
    await syncDiwan(db, { info: out });
    return 0;
  } catch (e) {
    err(`${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/** Reads a password without echoing it, on a terminal. */
function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!muted) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** The password a user command sets: from standard input, typed on a terminal, or generated (and printed once). */
async function choosePassword(fromStdin: boolean | undefined): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) return { password: await readStdin(), generated: false };
  if (process.stdin.isTTY) return { password: await promptHidden('Password (at least 12 characters): '), generated: false };
  return { password: randomBytes(18).toString('base64url'), generated: true };
}

/** `user create` (an account, such as the first admin of an installation) and `user password` (a new password for one). */
async function userCommand(args: string[], db: ReturnType<typeof openDatabase>, defaultLanguage: string, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create' && sub !== 'password') {
    err('Usage: npm run diwan -- user create --email ADDRESS --role ROLE [--name NAME] [--password-stdin]\n       npm run diwan -- user password --email ADDRESS [--password-stdin]');
    return 64;
  }
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } } }));
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 64;
  }
  const { email, role } = values;
  if (!email || (sub === 'create' && !role)) {
    err(sub === 'create' ? 'Both --email and --role are required.' : '--email is required.');
    return 64;
  }
  await migrateDiwan(db, { info: () => undefined });
  const { password, generated } = await choosePassword(values['password-stdin']);
  try {
    if (sub === 'create') {
      const id = await createUser(db, { email, password, role: role!, displayName: values.name, lang: defaultLanguage });
      out(`user ${id} created: ${email.trim().toLowerCase()} (${role})`);
    } else {
      const id = await setPassword(db, email, password);
      out(`password of user ${id} set: ${email.trim().toLowerCase()}; its sessions and links are ended`);
    }
    if (generated) out(`password (shown once): ${password}`);
    return 0;
  } catch (e) {
    if (e instanceof UserCommandError) {
      err(translator(CLI_LANGUAGE).t(e.key as MessageKey));
      return 65;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
