import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { CookieSerializeOptions } from '@fastify/cookie';
import { requestLanguage, sendHtml } from '../app.js';
import type { Config } from '../config.js';
import { adminCsp, sessionCookie } from '../http/security.js';
import { forbidden } from '../http/errors.js';
import { translator, type Translator } from '../i18n/i18n.js';
import type { DiwanModule } from '../module.js';
import type { Actor } from '../policy.js';
import { AdminLayout } from './layout.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionToken: string | null;
  }
}

/** The back-office language: an explicit ?lang=, else the account's, else the browser's, else the default. */
export function adminLanguage(request: FastifyRequest): string {
  return requestLanguage(request);
}

export interface AdminPage {
  title: string;
  current?: string;
  status?: number;
  /** Load the rich-text editor on this page. */
  editor?: boolean;
  body: (ctx: { tr: Translator; csrf: string }) => JSX.Element;
}

/** Renders a back-office page: never cached, never stored, with a fresh CSRF token for its forms. */
export async function renderAdmin(request: FastifyRequest, reply: FastifyReply, page: AdminPage): Promise<FastifyReply> {
  const tr = translator(adminLanguage(request));
  const token = reply.generateCsrf();
  const nonce = randomBytes(16).toString('base64');
  const safeBody = await page.body({ tr, csrf: token });
  const { assets, config } = request.server.diwan;
  const html = await (
    <AdminLayout tr={tr} title={page.title} stylesheet={assets.adminStylesheet} languages={config.languages} entries={request.server.diwan.adminNav} actor={request.actor} csrf={token} current={page.current} script={page.editor ? { src: assets.editorScript, nonce } : undefined}>
      {safeBody}
    </AdminLayout>
  );
  return sendHtml(request, reply, html, { lang: tr.lang, status: page.status ?? 200, headers: { 'content-security-policy': adminCsp(nonce) } });
}

/** Sends anonymous visitors to the sign-in page, and refuses (403) those without the ability. */
export function guard(request: FastifyRequest, reply: FastifyReply, allowed: boolean): FastifyReply | null {
  if (!request.actor) {
    const next = encodeURIComponent(request.url);
    reply.header('cache-control', 'private, no-store');
    return reply.redirect(`/admin/login?next=${next}`, 303);
  }
  if (!allowed) throw forbidden();
  return null;
}

/** The CSRF cookie's settings: sent only to /admin, never to scripts, never across sites (the session cookie: sessionCookie). */
export function adminCookieOptions(config: Pick<Config, 'secureCookies'>): CookieSerializeOptions {
  return { path: '/admin', httpOnly: true, sameSite: 'lax', secure: config.secureCookies };
}

/**
 * Everything under /admin: cookies, form bodies and CSRF exist only here, so public pages stay
 * cookie-less and cacheable. Each request finds its actor from the session cookie, through the
 * module that authenticates; then every module adds its back-office routes, in the composition
 * root's order.
 */
export function backOffice(modules: readonly DiwanModule[]) {
  const authenticate = modules.find((m) => m.authenticate)?.authenticate;
  return async function adminPlugin(admin: FastifyInstance): Promise<void> {
    const { config, db } = admin.diwan;
    const cookieOpts = adminCookieOptions(config);
    await admin.register(cookie);
    await admin.register(formbody, { bodyLimit: 1024 * 1024 });
    await admin.register(csrf, { cookieKey: 'diwan_csrf', cookieOpts });
    admin.decorateRequest('actor', null);
    admin.decorateRequest('sessionToken', null);

    admin.addHook('onRequest', async (request, reply) => {
      reply.header('cache-control', 'private, no-store');
      const session = sessionCookie(config);
      const token = request.cookies[session.name];
      // Without a module that authenticates, nobody is signed in: the back-office stays shut.
      const loaded = authenticate ? await authenticate(db, config, token) : null;
      request.actor = loaded?.actor ?? null;
      request.sessionToken = loaded ? (token ?? null) : null;
      if (token && !loaded) reply.clearCookie(session.name, { path: session.options.path, secure: session.options.secure });
    });
    // Every form post carries a CSRF token (checked after the body is parsed).
    admin.addHook('preHandler', async (request, reply) => {
      if (request.method === 'POST') await new Promise<void>((resolve, reject) => admin.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
    });

    for (const m of modules) m.adminRoutes?.(admin);
  };
}
