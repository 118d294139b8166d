import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { catalogueLanguages } from './i18n/i18n.js';

/** Languages the interface is translated into (one per registered catalogue); LANGUAGES picks among them. */
export const SUPPORTED_UI_LANGUAGES: readonly string[] = catalogueLanguages();

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().min(1).optional(),
  LANGUAGES: z
    .string()
    .default('en,fr')
    .transform((s) => s.split(',').map((l) => l.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z]{2}$/, 'each language is a two-letter code such as en')).min(1)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * The level of the one access-log line per request (written when LOG_LEVEL lets it through), or
   * off. `debug` by default: a reverse proxy usually keeps the access log, and the line costs a
   * fifth of the cached pages' throughput (measured with npm run bench).
   */
  ACCESS_LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug', 'trace', 'off']).default('debug'),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  PUBLIC_URL: z.string().url('PUBLIC_URL must be an absolute URL such as https://diwan.example.org').optional(),
  PAGE_CACHE_ENTRIES: z.coerce.number().int().min(0).default(2000),
  /** Server processes on the one port (node:cluster); empty means one per core. */
  WORKERS: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? os.availableParallelism() : Number(v)))
    .pipe(z.number({ error: 'WORKERS must be a whole number from 1 to 64, or empty for one per core' }).int('WORKERS must be a whole number from 1 to 64, or empty for one per core').min(1).max(64)),
  /** Set by the primary process for the workers it starts (not for operators). */
  DIWAN_WORKER_ROLE: z.enum(['prepare', 'serve']).optional(),
  /** Set by the primary too: the worker's place, 1 to WORKERS, which a replacement takes over. */
  DIWAN_WORKER_SLOT: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * The bearer token a Prometheus scraper sends for GET /metrics; empty: there is no /metrics.
   * Long and random, so it cannot be guessed one request at a time.
   */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine(
      (v) => v === undefined || /^[A-Za-z0-9._~+/-]{32,}=*$/.test(v),
      'METRICS_TOKEN must be empty (no /metrics page) or at least 32 characters among letters, digits and -._~+/ (for example the output of openssl rand -hex 32)',
    ),
  CONTENT_POLL_MS: z.coerce.number().int().min(0).default(1000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Diwan <no-reply@localhost>'),
  /** Where uploaded files live: empty for DATA_DIR/files, or s3://KEY:SECRET@bucket/prefix?endpoint=...&region=... */
  STORAGE_URL: z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()))
    .refine((v) => v === undefined || /^(s3|file):/.test(v), 'STORAGE_URL must be empty (files under DATA_DIR) or look like s3://KEY:SECRET@bucket/prefix?endpoint=https://host&region=eu-west-1'),
  /** The largest file an upload or an import may bring, in megabytes. */
  MAX_UPLOAD_MB: z.coerce.number({ error: 'MAX_UPLOAD_MB must be a number of megabytes from 1 to 10000' }).int().min(1).max(10_000).default(200),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(120),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** The hour (0-23, in TIME_ZONE) at which the daily alert digests go out. */
  ALERT_DIGEST_HOUR: z.coerce.number({ error: 'ALERT_DIGEST_HOUR must be an hour from 0 to 23' }).int().min(0).max(23).default(7),
  /** Registrations for meetings one network address may send in an hour (a delegation behind one address sends several). */
  REGISTRATIONS_PER_IP_PER_HOUR: z.coerce.number({ error: 'REGISTRATIONS_PER_IP_PER_HOUR must be a whole number from 1 to 1000000' }).int().min(1).max(1_000_000).default(30),
  /** Searches and filtered lists one network address may ask for in a minute (cached pages do not count). */
  SEARCHES_PER_MINUTE: z.coerce.number({ error: 'SEARCHES_PER_MINUTE must be a whole number from 1 to 1000000' }).int().min(1).max(1_000_000).default(120),
  /** Days after a meeting's last day at which registrants' passport details are erased. */
  PASSPORT_RETENTION_DAYS: z.coerce.number({ error: 'PASSPORT_RETENTION_DAYS must be a number of days from 0 to 3650' }).int().min(0).max(3650).default(30),
  /** The Chromium that prints PDFs (agendas...); empty: no PDFs, the pages say so. */
  CHROMIUM_PATH: z.string().max(500).default('/usr/bin/chromium'),
  TIME_ZONE: z
    .string()
    .default('UTC')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'TIME_ZONE must be an IANA time zone such as Europe/Brussels or Africa/Dakar'),
  /**
   * The reverse proxies whose X-Forwarded-For is believed: addresses, ranges (10.0.0.0/8) or
   * loopback, linklocal, uniquelocal. Empty: the header is ignored and the peer is the client.
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim()).filter(Boolean))
    .pipe(
      z.array(
        z.string().refine((entry) => {
          if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
          const [address = '', prefix, ...rest] = entry.split('/');
          const family = isIP(address);
          if (!family || rest.length) return false;
          if (prefix === undefined) return true;
          return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
        }, 'TRUST_PROXY is a comma-separated list of proxy addresses or ranges such as 127.0.0.1,10.0.0.0/8 (or loopback), or empty'),
      ),
    ),
  LEGACY_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean))
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/, 'LEGACY_HOSTS is a comma-separated list of host names such as www.rabat-process.org,rabat-process.org'),
      ),
    ),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  dialect: 'sqlite' | 'postgres';
  languages: string[];
  defaultLanguage: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  accessLogLevel: z.infer<typeof EnvSchema>['ACCESS_LOG_LEVEL'];
  seedDemo: 'auto' | 'never';
  publicUrl: string | undefined;
  pageCacheEntries: number;
  /** How many server processes share the port (1: no cluster). */
  workers: number;
  /** In a worker: whether it prepares the database (the first) or only serves (the others). */
  workerRole: 'prepare' | 'serve' | undefined;
  /** In a worker: its place from 1 to `workers`, the `worker` label of its metrics. */
  workerSlot: number | undefined;
  /** The bearer token of GET /metrics (undefined: no such page); a secret, never log it. */
  metricsToken: string | undefined;
  contentPollMs: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where uploaded files are stored (undefined: under DATA_DIR); may hold a secret, never log it. */
  storageUrl: string | undefined;
  /** The largest upload, in bytes (MAX_UPLOAD_MB). */
  maxUploadBytes: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  loginMaxFailures: number;
  /** The site's time zone: when "today" starts for upcoming and past activities. */
  timeZone: string;
  /** The hour, in the site's time zone, at which the daily alert digests are sent. */
  alertDigestHour: number;
  /** Registrations one network address may send in an hour. */
  registrationsPerIpPerHour: number;
  /** Searches and filtered lists one network address may ask for in a minute. */
  searchesPerMinute: number;
  /** Days after a meeting at which passport details are erased. */
  passportRetentionDays: number;
  /** The Chromium that prints PDFs, or '' for none. */
  chromiumPath: string;
  /** Hosts of the old websites whose addresses redirect to the imported activities (LEGACY_HOSTS). */
  legacyHosts: string[];
  /** Proxies whose X-Forwarded-For names the client (TRUST_PROXY); empty: none. */
  trustProxy: string[];
  /** Cookies get the Secure flag when the public URL is https. */
  secureCookies: boolean;
  /**
   * The demo accounts' passwords: random ones printed at first start, or (only under
   * NODE_ENV=test, for the test suites) the fixed ones the tests sign in with.
   */
  demoPasswords: 'random' | 'fixed';
};

/** Thrown when the environment is invalid; its message lists every problem for the operator. */
export class ConfigError extends Error {}

/** Reads and validates the environment once; the only place that touches process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // Refuse a weakened password hash at start, not at the first sign-up.
  passwordHashCost(env);
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const unsupported = e.LANGUAGES.filter((l) => !SUPPORTED_UI_LANGUAGES.includes(l));
  if (unsupported.length) {
    throw new ConfigError(
      `Invalid configuration:\n  LANGUAGES: no interface catalogue for ${unsupported.join(', ')} (available: ${SUPPORTED_UI_LANGUAGES.join(', ')})`,
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const databaseUrl = e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'diwan.sqlite')}`;
  let dialect: Config['dialect'];
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) dialect = 'postgres';
  else if (databaseUrl.startsWith('sqlite:')) dialect = 'sqlite';
  else throw new ConfigError('Invalid configuration:\n  DATABASE_URL: use sqlite:/path/to/file.sqlite or postgres://user:password@host:5432/database');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl,
    dialect,
    languages: e.LANGUAGES,
    defaultLanguage: e.LANGUAGES[0]!,
    logLevel: e.LOG_LEVEL,
    accessLogLevel: e.ACCESS_LOG_LEVEL,
    seedDemo: e.SEED_DEMO,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    pageCacheEntries: e.PAGE_CACHE_ENTRIES,
    workers: e.WORKERS,
    workerRole: e.DIWAN_WORKER_ROLE,
    workerSlot: e.DIWAN_WORKER_SLOT,
    metricsToken: e.METRICS_TOKEN,
    contentPollMs: e.CONTENT_POLL_MS,
    smtpUrl: e.SMTP_URL,
    storageUrl: e.STORAGE_URL,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    mailFrom: e.MAIL_FROM,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    timeZone: e.TIME_ZONE,
    alertDigestHour: e.ALERT_DIGEST_HOUR,
    registrationsPerIpPerHour: e.REGISTRATIONS_PER_IP_PER_HOUR,
    passportRetentionDays: e.PASSPORT_RETENTION_DAYS,
    searchesPerMinute: e.SEARCHES_PER_MINUTE,
    chromiumPath: e.CHROMIUM_PATH,
    legacyHosts: e.LEGACY_HOSTS,
    trustProxy: e.TRUST_PROXY,
    secureCookies: (e.PUBLIC_URL ?? '').startsWith('https://'),
    demoPasswords: env.NODE_ENV === 'test' ? 'fixed' : 'random',
    ...overrides,
  };
}

/** How hard password hashes are to compute: OWASP's argon2id strength, or a cheap one for test runs. */
export type PasswordHashCost = 'owasp' | 'test';

/**
 * PASSWORD_HASH_COST: `owasp` (the default) or `test`, a cheap argon2id that only a run with
 * NODE_ENV=test may choose (the test scripts set both). It is read once per process, here, because
 * accounts are made by commands that run without the server (the command line, tests).
 */
export function passwordHashCost(env: NodeJS.ProcessEnv = process.env): PasswordHashCost {
  const value = (env.PASSWORD_HASH_COST ?? '').trim() || 'owasp';
  if (value === 'owasp') return 'owasp';
  if (value === 'test' && env.NODE_ENV === 'test') return 'test';
  throw new ConfigError(
    value === 'test'
      ? 'Invalid configuration:\n  PASSWORD_HASH_COST: test is allowed only with NODE_ENV=test (it makes passwords cheap to guess)'
      : `Invalid configuration:\n  PASSWORD_HASH_COST: use owasp (the default) or, in tests only, test (got "${value}")`,
  );
}
