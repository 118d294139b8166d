import type { FastifyRequest } from 'fastify';
import { databasePlace } from '../db/database.js';

/**
 * The errors a handler may throw, in one place. Each carries its HTTP status and the kind of error
 * page that explains it; the one error handler (platform/app.ts) renders every one of them, and
 * every error the framework or a library raises, as a page in the reader's language (or as JSON
 * for a client that asks for it), with the security headers.
 */

/** The error pages there are; each has an `error.<kind>.title` and `.body` message. */
export const ERROR_KINDS = ['notFound', 'server', 'tooLong', 'tooLarge', 'unsupported', 'badRequest', 'forbidden', 'conflict', 'unavailable', 'tooMany', 'storage'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** An error meant for the reader: its status and page are known, nothing internal is shown. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly kind: ErrorKind,
    message: string = kind,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** No such record, or one the reader may not know exists. */
export const notFound = (why?: string) => new HttpError(404, 'notFound', why);
/** Signed in, but not allowed (or the form's CSRF token had expired). */
export const forbidden = (why?: string) => new HttpError(403, 'forbidden', why);
/** The request clashes with the state of the record (a code or slug already taken, a stale write). */
export const conflict = (why?: string) => new HttpError(409, 'conflict', why);
/** A request that cannot be understood: malformed form, unknown field values in a non-form request. */
export const badRequest = (why?: string) => new HttpError(400, 'badRequest', why);
/** A body larger than the route accepts. */
export const tooLarge = (why?: string) => new HttpError(413, 'tooLarge', why);

/** The kind of page for any status, for errors that did not come from the factories above. */
export function kindOfStatus(status: number): ErrorKind {
  switch (status) {
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 413:
      return 'tooLarge';
    case 414:
      return 'tooLong';
    case 429:
      return 'tooMany';
    case 406:
    case 415:
      return 'unsupported';
    case 503:
      return 'unavailable';
    case 507:
      return 'storage';
    default:
      return status >= 500 ? 'server' : 'badRequest';
  }
}

/**
 * The status an error deserves. Framework and plugin errors carry theirs; a constraint the
 * database refused (a unique code, a reference to a row that went away) is a conflict with the
 * stored state, not a crash; a database that cannot be reached is "unavailable". Anything else is
 * a 500.
 */
export function statusOf(error: unknown): number {
  const e = error as { statusCode?: unknown; code?: unknown; errno?: unknown } | null;
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600) return e.statusCode;
  if (isStorageFailure(error)) return 507;
  const code = typeof e?.code === 'string' ? e.code : '';
  // SQLite: SQLITE_CONSTRAINT_UNIQUE, _FOREIGNKEY, _PRIMARYKEY...; PostgreSQL: class 23.
  if (code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code)) return 409;
  if (code === 'SQLITE_BUSY' || code === 'ECONNREFUSED' || code === '57P01' || code === '57P03' || code === '53300' || code === 'ETIMEDOUT') return 503;
  // Multipart streams that end early or are malformed (busboy says so in words, with no code).
  if (error instanceof Error && /^(Unexpected end of (form|multipart data)|Malformed part header|Multipart: Boundary not found)/.test(error.message)) return 400;
  return 500;
}

/**
 * True when a write failed because the disk is full or cannot be written: SQLite's full, read-only
 * and I/O errors, PostgreSQL's disk_full (53100), read-only transaction (25006) and I/O error
 * (58030), and the file system's ENOSPC, EDQUOT and EROFS (a read-only DATA_DIR), or EACCES and
 * EPERM on a write. Nothing the person sent is wrong: they get a page that says nothing was saved.
 */
export function isStorageFailure(error: unknown): boolean {
  const e = error as { code?: unknown; syscall?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') return true;
  if (code === '53100' || code === '25006' || code === '58030') return true;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS') return true;
  return (code === 'EACCES' || code === 'EPERM') && typeof e?.syscall === 'string' && /^(open|write|mkdir|rename|link|copyfile|unlink)$/.test(e.syscall);
}

/**
 * What the operator's log line names for a failed write: the file the system refused, else the
 * database (databasePlace: the SQLite file, or the PostgreSQL server, whose own disk it is).
 */
export function storageFailurePlace(error: unknown, databaseUrl: string): string {
  const path = (error as { path?: unknown } | null)?.path;
  return typeof path === 'string' ? path : databasePlace(databaseUrl);
}

/**
 * The operator's line for a write the disk refused (full, read-only): what could not be written
 * and the system's code, never the request's data.
 */
export function logStorageFailure(request: FastifyRequest, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  const place = storageFailurePlace(error, request.server.diwan.config.databaseUrl);
  request.log.error({ code: typeof code === 'string' ? code : undefined, place, route: request.routeOptions.url }, `could not write to ${place}: the disk is full or read-only (${String(code)}); nothing was saved`);
}

