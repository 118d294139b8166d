import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import pino from 'pino';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { loadAssets } from './assets.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import type { Db } from './db/database.js';
import { readContentVersion } from './db/site-state.js';
import { forgetReadMostly } from './db/read-mostly.js';
import { nextScheduledPublication } from './editorial/editorial.js';
import { onChange } from './events/changes.js';
import { listenForChanges, type ChangeListener } from './events/listen.js';
import { nextDayBoundary } from './i18n/dates.js';
import { cacheKey, PageCache, preparePage, type CachedPage } from './http/page-cache.js';
import { sendOnce, sendPrepared, writePrepared } from './http/negotiate.js';
import { NO_STORE, PUBLIC_CACHE_CONTROL, SECURITY_HEADERS, SESSION_COOKIE } from './http/security.js';
import { hasCatalogue, translator, type MessageKey } from './i18n/i18n.js';
import { ErrorPage } from './views/error-page.js';
import { HttpError, isStorageFailure, kindOfStatus, logStorageFailure, statusOf, type ErrorKind } from './http/errors.js';
import { createJobQueue } from './jobs/jobs.js';
import { registerRateLimits } from './http/rate-limit.js';
import { openFileStore } from './storage/storage.js';
import { createMailer, mailJob } from './mail/mailer.js';
import type { DiwanModule, NavLink } from './module.js';
import { backOffice } from './admin/shell.js';

/** Longest request target we accept; longer ones get a clear 414 page instead of reaching a handler. */
export const MAX_URL_LENGTH = 2048;
/**
 * A search address may carry a long query (pasted text): it gets a page that says the query was
 * shortened, not an error. Node.js itself refuses a request line and headers over 16 KB.
 */
export const MAX_SEARCH_URL_LENGTH = 14 * 1024;
const SEARCH_PATH = /^\/[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?\/(?:search|documents)(?:\?|$)/;
const urlTooLong = (url: string) => url.length > MAX_URL_LENGTH && (url.length > MAX_SEARCH_URL_LENGTH || !SEARCH_PATH.test(url));

declare module 'fastify' {
  interface FastifyInstance {
    diwan: AppContext;
  }
  interface FastifyRequest {
    /** The page cache's generation when the request began (see PageCache.set). */
    cacheGeneration: number;
  }
}

/** The language of a request from its path prefix, or the default language. */
export function languageOf(config: Config, requestUrl: string): string {
  const first = requestUrl.split(/[/?#]/)[1] ?? '';
  return config.languages.includes(first) && hasCatalogue(first) ? first : config.defaultLanguage;
}

/**
 * The language of any request: public addresses carry it in their prefix; back-office addresses
 * take an explicit ?lang=, else the signed-in account's, else the browser's.
 */
export function requestLanguage(request: FastifyRequest): string {
  const { config } = request.server.diwan;
  if (!request.url.startsWith('/admin')) return languageOf(config, request.url);
  const ok = (l: unknown): l is string => typeof l === 'string' && config.languages.includes(l) && hasCatalogue(l);
  const q = (request.query as Record<string, unknown> | undefined)?.lang;
  if (ok(q)) return q;
  const actorLang = (request as { actor?: { lang?: string } | null }).actor?.lang;
  if (ok(actorLang)) return actorLang;
  const accept = String(request.headers['accept-language'] ?? '')
    .split(',')
    .map((p) => p.trim().slice(0, 2).toLowerCase())
    .find(ok);
  return accept ?? config.defaultLanguage;
}

const SESSION_COOKIE_PATTERN = new RegExp(`(?:^|;\\s*)(?:__Host-)?${SESSION_COOKIE}=`);

/**
 * Removes NUL characters from the strings of a parsed form or query, in place. PostgreSQL refuses
 * them in text (a 500 otherwise), and no one types them: the rest of the input is kept as it was.
 */
function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  if (Array.isArray(value)) return value.map(withoutNul);
  // Parsed forms and queries are plain records (some parsers give them a bare prototype); leave
  // buffers and streams alone.
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && typeof (value as { pipe?: unknown }).pipe !== 'function') {
    for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = withoutNul(v);
  }
  return value;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;

/** True when an access line is written for each request (its level is one LOG_LEVEL lets through). */
function accessLevelOn(config: Config): boolean {
  return config.accessLogLevel !== 'off' && LEVELS[config.accessLogLevel] >= LEVELS[config.logLevel];
}

/** True when a request carries credentials, so its page must never be shared with others. */
function hasCredentials(request: { headers: IncomingHttpHeaders }): boolean {
  return request.headers.authorization !== undefined || SESSION_COOKIE_PATTERN.test(String(request.headers.cookie ?? ''));
}

export interface SendHtmlOptions {
  status?: number;
  lang: string;
  /**
   * Opt-in public caching: the canonical address the handler rendered (built from the parameters
   * it actually used, never from the raw request). Only anonymous 200 answers to GET are stored;
   * without it the page is `private, no-store`.
   */
  cacheKey?: string | undefined;
  headers?: Record<string, string>;
}

/** Sends a rendered HTML page; pages whose route opts in are compressed once and kept in the page cache. */
export function sendHtml(request: FastifyRequest, reply: FastifyReply, html: string, options: SendHtmlOptions): FastifyReply {
  const { cache } = request.server.diwan;
  const status = options.status ?? 200;
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-language': options.lang };
  const shareable = options.cacheKey !== undefined && status === 200 && !hasCredentials(request);
  if (!shareable) return sendOnce(request, reply, html, status, { ...headers, 'cache-control': NO_STORE, ...options.headers });
  cache.countMiss();
  // A page the cache will keep is compressed well, once per encoding asked for; one it will not keep
  // (cache off, content changed meanwhile, a HEAD) is compressed fast, in the one encoding asked for.
  const stored = request.method === 'GET' && cache.accepts(request.cacheGeneration);
  const page = preparePage(html, { ...headers, 'cache-control': PUBLIC_CACHE_CONTROL }, SECURITY_HEADERS, stored ? 'stored' : 'once');
  if (stored) cache.set(cacheKey(options.cacheKey!), page, request.cacheGeneration);
  sendPrepared(request, reply, page);
  return reply;
}

/** True when the client asks for JSON rather than a page (an API client, a script). */
function wantsJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '');
  return /\bapplication\/(?:[\w.+-]+\+)?json\b/.test(accept) && !/\btext\/html\b/.test(accept);
}

/** Renders an error page in the request's language (or a JSON error for clients that ask for one). */
export async function sendError(request: FastifyRequest, reply: FastifyReply, kind: ErrorKind, status: number): Promise<FastifyReply> {
  const { config, assets, baseUrl } = request.server.diwan;
  const lang = requestLanguage(request);
  const tr = translator(lang);
  if (wantsJson(request)) {
    const body = JSON.stringify({ error: { status, kind, message: tr.t(`error.${kind}.title` as MessageKey) } });
    return sendOnce(request, reply, body, status, { 'content-type': 'application/json; charset=utf-8', 'content-language': lang, 'cache-control': NO_STORE });
  }
  // The navigation needs the database; an error page must still render when it is down.
  const nav = kind === 'server' || kind === 'unavailable' ? [] : await request.server.diwan.navigation(lang);
  const html = await ErrorPage({ tr, kind, stylesheet: assets.stylesheet, baseUrl, path: request.url.split('?')[0] ?? '/', languages: config.languages, nav });
  return sendHtml(request, reply, html, { status, lang });
}

export interface BuildAppOptions {
  config: Config;
  db: Db;
  /** The modules, in the order the composition root lists them (`src/app/modules.ts`). */
  modules: readonly DiwanModule[];
  /** Where log lines go (standard output by default; tests read them). */
  logStream?: { write(line: string): void };
}

/** Builds the Fastify application: plugins, then error handling, then each module's routes in order. */
export async function buildApp({ config, db, modules, logStream }: BuildAppOptions): Promise<FastifyInstance> {
  // Log lines go to standard output in buffered writes (not one system call per line); what is still
  // buffered is written out when the process exits.
  const destination: { write(line: string): void } = logStream ?? pino.destination({ dest: 1, sync: false, minLength: 8 * 1024 });
  // Cache hits and assets are answered before Fastify sees the request (routing, hooks and the reply
  // object cost more than the hit itself). The same rules as the onRequest hook below, which still
  // answers them for app.inject. Once the server is closing, everything goes to Fastify, which
  // answers 503 and closes kept-alive connections so they drain.
  let answerFromMemory: ((req: IncomingMessage, res: ServerResponse) => boolean) | null = null;
  let closing = false;
  const transportSecurity = (config.publicUrl ?? '').startsWith('https://');
  const app = Fastify({
    serverFactory: (handler) => {
      const server = http.createServer((req, res) => {
        // Behind HTTPS, browsers are told to come back only over HTTPS (every response, cached ones too).
        if (transportSecurity) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
        if (!closing && answerFromMemory) {
          try {
            if (answerFromMemory(req, res)) return;
          } catch (err) {
            // An exception here would not reach Fastify's error handling and would end the process.
            console.error('[diwan] answering from memory failed:', err instanceof Error ? err.message : err);
            if (res.headersSent) {
              res.destroy();
              return;
            }
          }
        }
        handler(req, res);
      });
      // Fastify's own default, which it applies only to servers it makes itself.
      server.keepAliveTimeout = 72_000;
      // A client that sends its headers or its body a byte at a time is cut off: 20 s for the
      // headers, two minutes for the whole request (a 100 MB upload needs about 7 Mbit/s).
      server.headersTimeout = 20_000;
      server.requestTimeout = 120_000;
      return server;
    },
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-forwarded-for"]'],
            stream: destination,
          },
    // Path parameters may be as long as a whole address: over-long addresses get the 414 page below,
    // and a slug that is merely long gets the 404 page from its handler.
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    frameworkErrors: (error, request, reply) => {
      request.log.debug({ code: error.code }, 'malformed request');
      const status = statusOf(error) < 500 ? statusOf(error) : 400;
      void sendError(request, reply, kindOfStatus(status), status);
    },
    bodyLimit: 1024 * 1024,
    // request.ip is the client's address: the peer's, or behind the proxies TRUST_PROXY lists, the
    // last address in X-Forwarded-For that none of them added (proxy-addr's rule).
    trustProxy: config.trustProxy.length ? config.trustProxy : false,
    // Fastify's two lines per request are replaced by one access line (below), at the chosen level.
    logController: new LogController({ disableRequestLogging: true }),
  });

  const cache = new PageCache(config.pageCacheEntries);
  cache.observeVersion(await readContentVersion(db));
  const baseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  // The job queue comes after the database and before anything that sends (the mailer).
  const jobs = await createJobQueue({ db, config, log: app.log });
  const mailer = createMailer(config, db, app.log, jobs);
  // GET /metrics exists only with a token (decision 0033); without one no request is measured, and
  // prom-client is not even loaded.
  const metrics = config.metricsToken
    ? (await import('./metrics/metrics.js')).createMetrics({ token: config.metricsToken, cache, jobs, db, workerSlot: config.workerSlot, log: app.log })
    : null;
  // Uploaded files: under DATA_DIR, or in S3-compatible storage (STORAGE_URL).
  const files = await openFileStore({ url: config.storageUrl, dataDir: config.dataDir });
  const navigation = async (lang: string, now = new Date().toISOString()): Promise<NavLink[]> => {
    const lists = await Promise.all(modules.map((m) => m.navigation?.(db, lang, now) ?? []));
    return lists.flat();
  };
  const adminNav = modules.flatMap((m) => m.adminNav ?? []).sort((a, b) => a.position - b.position);
  app.decorate('diwan', {
    config,
    db,
    cache,
    assets: loadAssets(),
    baseUrl,
    mailer,
    jobs,
    files,
    modules,
    adminNav,
    // The header of an error page must render even when the database is down.
    navigation: (lang, now) => navigation(lang, now).catch(() => []),
  } satisfies AppContext);

  // The platform's jobs, then each module's; they run once the app is ready (after listen) and
  // stop on close, before the caller destroys the database.
  jobs.register(mailJob(config, db, app.log));
  for (const m of modules) for (const handler of m.jobs?.(app.diwan) ?? []) jobs.register(handler);
  app.addHook('onReady', async () => jobs.start());
  app.addHook('onClose', async () => jobs.stop());
  // After the jobs, which may still be reading a file.
  app.addHook('onClose', async () => files.close());

  // Public content changed here or on another instance: drop every page and find the next horizon.
  const unsubscribe = onChange((event) => {
    if (event.public) cache.clear();
  });
  app.addHook('onClose', async () => unsubscribe());
  const listener: ChangeListener | null = config.dialect === 'postgres' ? listenForChanges(config.databaseUrl, app.log) : null;
  if (listener) app.addHook('onClose', async () => listener.close());
  // Fallback for what events cannot reach (the command line on the same SQLite file, a lost LISTEN):
  // follow the shared content version.
  if (config.contentPollMs > 0) {
    const timer = setInterval(() => {
      if (listener?.connected()) return;
      readContentVersion(db).then(
        (v) => {
          if (cache.observeVersion(v)) forgetReadMostly();
        },
        (err: unknown) => app.log.warn({ err }, 'content version poll failed'),
      );
    }, config.contentPollMs);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  /** The next moment public pages change by themselves: a scheduled publication, a module's own (a registration closing), or the next day in the site's time zone. */
  let horizonQuery: Promise<void> | null = null;
  const refreshHorizon = () => {
    horizonQuery ??= (async () => {
      const now = new Date();
      const generation = cache.generation;
      const day = nextDayBoundary(now, config.timeZone);
      const scheduled = await nextScheduledPublication(db, now);
      const own = await Promise.all(modules.map((m) => m.nextPublicChange?.(db, now, config) ?? null));
      const next = [day, scheduled, ...own].filter((d): d is Date => d instanceof Date && d > now).reduce((a, b) => (b < a ? b : a));
      // Content changed while we asked: the answer may be stale, the next miss asks again.
      if (generation === cache.generation) cache.setHorizon(next);
    })()
      .catch((err: unknown) => app.log.warn({ err }, 'could not compute the page cache horizon'))
      .finally(() => {
        horizonQuery = null;
      });
    return horizonQuery;
  };

  // The one access line, pino-shaped, written without the logger's serialisers (they cost more
  // than serving a cached page). Cache hits answered below write theirs themselves.
  const logAccess = accessLevelOn(config)
    ? (() => {
        const head = `{"level":${LEVELS[config.accessLogLevel as keyof typeof LEVELS]},"pid":${process.pid},"hostname":${JSON.stringify(os.hostname())}`;
        return (reqId: string, method: string, url: string, route: string | undefined, status: number, ms: number) => {
          const q = url.indexOf('?');
          // An address that carries a secret (a reset, confirmation or unsubscribe link's token) is
          // logged as its route, never with the token.
          const path = route?.includes(':token') ? route : q < 0 ? url : url.slice(0, q);
          destination.write(
            `${head},"time":${Date.now()},"reqId":${JSON.stringify(reqId)},"method":${JSON.stringify(method)},"path":${JSON.stringify(path)},"route":${route === undefined ? 'null' : JSON.stringify(route)},"status":${status},"ms":${Math.round(ms * 10) / 10},"msg":"request"}\n`,
          );
        };
      })()
    : null;

  let hits = 0;
  /**
   * The one rule for what is answered from memory: a GET or HEAD for a fingerprinted asset, or for
   * a public page in the cache asked without credentials and outside the back-office.
   */
  const fromMemory = (method: string | undefined, url: string, req: { headers: IncomingHttpHeaders }): CachedPage | undefined => {
    if ((method !== 'GET' && method !== 'HEAD') || url.length > MAX_URL_LENGTH) return undefined;
    const asset = app.diwan.assets.files.get(url);
    if (asset) return asset;
    if (url.startsWith('/admin') || hasCredentials(req)) return undefined;
    return cache.get(cacheKey(url));
  };
  answerFromMemory = (req, res) => {
    const url = req.url ?? '';
    const page = fromMemory(req.method, url, req);
    if (!page) return false;
    const started = logAccess ? performance.now() : 0;
    const status = writePrepared(req, res, page);
    metrics?.memoryHit(req.method, status);
    logAccess?.(`hit-${(++hits).toString(36)}`, req.method ?? 'GET', url, '(memory)', status, performance.now() - started);
    return true;
  };

  app.addHook('preClose', async () => {
    closing = true;
  });

  app.decorateRequest('cacheGeneration', -1);
  // A reverse proxy on this machine that TRUST_PROXY does not name makes every visitor one network
  // for the limits: said once, the first time it shows.
  let proxyUntrustedSaid = config.trustProxy.length > 0;
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (!proxyUntrustedSaid && request.headers['x-forwarded-for'] !== undefined && /^(?:127\.|::1$|::ffff:127\.)/.test(request.socket.remoteAddress ?? '')) {
      proxyUntrustedSaid = true;
      request.log.warn('requests come through a proxy on this machine (X-Forwarded-For) but TRUST_PROXY is empty: every visitor counts as one network for the sign-in, search and form limits; set TRUST_PROXY=127.0.0.1');
    }
    if (urlTooLong(request.url)) return sendError(request, reply, 'tooLong', 414);
    const page = fromMemory(request.method, request.url, request);
    if (page) {
      sendPrepared(request, reply, page);
      return reply;
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/admin') && !hasCredentials(request)) {
      // A miss: make sure the cache knows until when what is about to be rendered stays valid.
      if (cache.needsHorizon() && config.pageCacheEntries > 0) await refreshHorizon();
      request.cacheGeneration = cache.generation;
    }
    return undefined;
  });

  // One access line per request: method, path without its query (which may hold an address or a
  // search), the route, status and time. No IP address, no cookies, no user agent.
  if (logAccess) {
    app.addHook('onResponse', (request, reply, done) => {
      logAccess(request.id, request.method, request.url, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
      done();
    });
  }
  if (metrics) {
    app.addHook('onResponse', (request, reply, done) => {
      metrics.observe(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime);
      done();
    });
  }

  // Before any handler reads them: forms and query strings lose their NUL characters (see withoutNul).
  app.addHook('preValidation', async (request) => {
    withoutNul(request.query);
    if (request.body && typeof request.body === 'object') withoutNul(request.body);
  });

  app.setNotFoundHandler(async (request, reply) => sendError(request, reply, 'notFound', 404));
  app.setErrorHandler(async (error: unknown, request, reply) => {
    const status = statusOf(error);
    const kind = error instanceof HttpError ? error.kind : kindOfStatus(status);
    if (isStorageFailure(error)) {
      logStorageFailure(request, error);
      return sendError(request, reply, 'storage', 507);
    }
    if (status >= 500) {
      request.log.error({ err: error, route: request.routeOptions.url }, 'request failed');
      return sendError(request, reply, kind, status);
    }
    // Refusals are expected: log what kind, never the input (it may hold personal data).
    const code = (error as { code?: unknown } | null)?.code;
    // The access line already says the status; why it was refused is for debugging.
    request.log.debug({ code: typeof code === 'string' ? code : undefined, status, route: request.routeOptions.url }, 'request refused');
    return sendError(request, reply, kind, status);
  });

  await registerRateLimits(app);
  // Routes come after the error handlers so that every plugin context inherits them.
  for (const m of modules) m.publicRoutes?.(app);
  await app.register(backOffice(modules), { prefix: '/admin' });

  app.get('/', async (request, reply) => {
    const accept = String(request.headers['accept-language'] ?? '');
    const preferred = accept
      .split(',')
      .map((p) => p.trim().slice(0, 2).toLowerCase())
      .find((l) => config.languages.includes(l));
    reply.header('vary', 'Accept-Language').header('cache-control', NO_STORE);
    return reply.redirect(`/${preferred ?? config.defaultLanguage}/`, 302);
  });
  for (const lang of config.languages) {
    app.get(`/${lang}`, async (_request, reply) => reply.redirect(`/${lang}/`, 301));
  }
  // Only for the scraper that sends the token: anyone else gets the page any unknown address gets.
  if (metrics) {
    app.get('/metrics', async (request, reply) => {
      if (!metrics.authorized(request.headers.authorization)) return sendError(request, reply, 'notFound', 404);
      const body = await metrics.scrape();
      return reply.code(200).header('content-type', metrics.contentType).header('cache-control', NO_STORE).send(body);
    });
  }

  return app;
}
