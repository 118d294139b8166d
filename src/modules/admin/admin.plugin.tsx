import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { requestLanguage, sendHtml } from '../../platform/app.js';
import { adminCsp } from '../../platform/http/security.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import type { Actor } from '../../platform/policy.js';
import { registerAuthRoutes } from '../auth/auth.routes.js';
import { SESSION_COOKIE, loadSession } from '../auth/sessions.js';
import { registerAdminRoutes } from './admin.routes.js';
import { registerActivityAdminRoutes } from '../activities/activities.admin.routes.js';
import { registerUserAdminRoutes } from '../auth/users.admin.routes.js';
import { registerPageAdminRoutes } from '../pages/pages.admin.routes.js';
import { registerReferenceAdminRoutes } from '../directory/reference.admin.routes.js';
import { registerImportAdminRoutes } from '../legacy/legacy.admin.routes.js';
import { AdminLayout } from './admin.layout.js';

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
    <AdminLayout tr={tr} title={page.title} stylesheet={assets.adminStylesheet} languages={config.languages} actor={request.actor} csrf={token} current={page.current} script={page.editor ? { src: assets.editorScript, nonce } : undefined}>
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
  if (!allowed) {
    const err = new Error('forbidden') as Error & { statusCode: number };
    err.statusCode = 403;
    throw err;
  }
  return null;
}

/**
 * Everything under /admin: cookies, form bodies and CSRF exist only here, so public pages stay
 * cookie-less and cacheable. Each request finds its actor from the session cookie.
 */
export async function adminPlugin(admin: FastifyInstance): Promise<void> {
  const { config, db } = admin.diwan;
  const cookieOpts = { path: '/admin', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
  await admin.register(cookie);
  await admin.register(formbody, { bodyLimit: 1024 * 1024 });
  await admin.register(csrf, { cookieKey: 'diwan_csrf', cookieOpts });
  admin.decorateRequest('actor', null);
  admin.decorateRequest('sessionToken', null);

  admin.addHook('onRequest', async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    const token = request.cookies[SESSION_COOKIE];
    const loaded = await loadSession(db, config, token);
    request.actor = loaded?.actor ?? null;
    request.sessionToken = loaded ? (token ?? null) : null;
    if (token && !loaded) reply.clearCookie(SESSION_COOKIE, { path: '/admin' });
  });
  // Every form post carries a CSRF token (checked after the body is parsed).
  admin.addHook('preHandler', async (request, reply) => {
    if (request.method === 'POST') await new Promise<void>((resolve, reject) => admin.csrfProtection(request, reply, (err?: Error) => (err ? reject(err) : resolve())));
  });

  registerAuthRoutes(admin, cookieOpts);
  registerAdminRoutes(admin);
  registerActivityAdminRoutes(admin);
  registerUserAdminRoutes(admin);
  registerPageAdminRoutes(admin);
  registerReferenceAdminRoutes(admin);
  registerImportAdminRoutes(admin);
}
