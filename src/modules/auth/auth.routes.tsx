import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { translator, type MessageKey } from '../../platform/i18n/i18n.js';
import type { FieldError } from '../../platform/views/forms.js';
import { adminLanguage, renderAdmin } from '../../platform/admin/shell.js';
import { ForgotForm, LoginForm, NewPasswordForm } from './auth.views.js';
import { RESET_JOB, RESET_TOKEN_MINUTES, UserCommandError, login, setPasswordWithToken, tokenIsUsable } from './users.commands.js';
import { destroySession } from './sessions.js';
import { sessionCookie } from '../../platform/http/security.js';
import { audit } from '../../platform/audit/audit.js';
import { checkForm } from '../../platform/forms/validation.js';
import { clientNetwork, takeForNetwork } from '../../platform/http/public-forms.js';
import { authFormOptions, ForgotFormSchema, LoginFormSchema, NewPasswordFormSchema, readFields } from './auth.forms.js';

const LanguageBody = z.object({ to: z.string().max(5) });
/** Reset requests one network may make in an hour. */
const RESET_REQUESTS_PER_NETWORK_PER_HOUR = 10;

/** Only local back-office paths are followed after sign-in (no open redirect). */
/**
 * Where to go after signing in: a back-office path of this site only. Anything else (another host,
 * `//`, a backslash, white space or control characters such as CR/LF that could split the
 * Location header, an over-long value) falls back to the dashboard.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2048) return '/admin/';
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u0020\u007f\\]/.test(next) || next.includes('//')) return '/admin/';
  return /^\/admin\/[^/]/.test(next) ? next : '/admin/';
}

function body<T>(schema: z.ZodType<T>, request: FastifyRequest): T {
  const parsed = schema.safeParse(request.body ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

/** Sign-in, sign-out, password reset, invitations and the back-office language. */
export function registerAuthRoutes(admin: FastifyInstance): void {
  const { db, config, baseUrl } = admin.diwan;

  admin.get<{ Querystring: { next?: string; done?: string } }>('/login', async (request, reply) => {
    if (request.actor) return reply.redirect(safeNext(request.query.next), 303);
    const tr = translator(adminLanguage(request));
    const notice = request.query.done === 'logout' ? tr.t('auth.logout.done') : request.query.done === 'password' ? tr.t('auth.reset.done') : undefined;
    return renderAdmin(request, reply, {
      title: tr.t('auth.login.title'),
      body: ({ tr: t, csrf }) => <LoginForm tr={t} csrf={csrf} email="" next={request.query.next ?? ''} errors={[]} notice={notice} />,
    });
  });

  admin.post('/login', async (request, reply) => {
    const input = readFields(request.body, ['email', 'password', 'next'] as const);
    const tr = translator(adminLanguage(request));
    const checked = await checkForm(LoginFormSchema, input, tr, authFormOptions(tr));
    const errors: FieldError[] = [...checked.errors];
    if (checked.ok) {
      const network = clientNetwork(request);
      const result = await login(db, config, checked.data.email, checked.data.password, network);
      if (result.ok) {
        // Rotate: the session this browser had before signing in is ended, never reused.
        if (request.sessionToken) await destroySession(db, request.sessionToken);
        const session = sessionCookie(config);
        reply.setCookie(session.name, result.token, { ...session.options, maxAge: config.sessionMaxHours * 3600 });
        request.log.info({ userId: result.userId }, 'signed in');
        return reply.redirect(safeNext(input.next), 303);
      }
      if (result.reason === 'throttled') reply.header('retry-after', String(result.retryAfterSeconds));
      errors.push({ field: 'email', message: tr.t(result.reason === 'throttled' ? 'auth.login.throttled' : 'auth.login.invalid') });
    }
    return renderAdmin(request, reply, {
      title: tr.t('auth.login.title'),
      status: errors.some((e) => e.message === tr.t('auth.login.throttled')) ? 429 : 400,
      body: ({ tr: t, csrf }) => <LoginForm tr={t} csrf={csrf} email={input.email} next={input.next} errors={errors} />,
    });
  });

  admin.post('/logout', async (request, reply) => {
    if (request.sessionToken) {
      await destroySession(db, request.sessionToken);
      await audit(db, { actorUserId: request.actor?.id ?? null, action: 'logout', entityType: 'user', entityId: request.actor?.id ?? null });
    }
    const session = sessionCookie(config);
    reply.clearCookie(session.name, { path: session.options.path, secure: session.options.secure });
    return reply.redirect(`/admin/login?done=logout&lang=${adminLanguage(request)}`, 303);
  });

  admin.post('/language', async (request, reply) => {
    const { to } = body(LanguageBody.partial({ to: true }), request) as { to?: string };
    if (request.actor && to && config.languages.includes(to)) {
      await db.updateTable('users').set({ preferred_lang: to }).where('id', '=', request.actor.id).execute();
    }
    let path = '';
    try {
      const ref = new URL(String(request.headers.referer ?? ''));
      if (ref.host === request.headers.host || ref.origin === baseUrl) path = ref.pathname + ref.search;
    } catch {
      path = '';
    }
    return reply.redirect(safeNext(path.replace(/[?&]lang=[a-z]{2}/, '')), 303);
  });

  admin.get('/password/forgot', async (request, reply) => {
    const tr = translator(adminLanguage(request));
    return renderAdmin(request, reply, { title: tr.t('auth.forgot.title'), body: ({ tr: t, csrf }) => <ForgotForm tr={t} csrf={csrf} email="" errors={[]} /> });
  });

  admin.post('/password/forgot', async (request, reply) => {
    const { email } = readFields(request.body, ['email'] as const);
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const checked = await checkForm(ForgotFormSchema, { email }, tr, authFormOptions(tr));
    if (!checked.ok) {
      return renderAdmin(request, reply, {
        title: tr.t('auth.forgot.title'),
        status: 400,
        body: ({ tr: t, csrf }) => <ForgotForm tr={t} csrf={csrf} email={email} errors={checked.errors} />,
      });
    }
    // Per network: a few requests an hour (each account is also limited, silently, in the command).
    const network = clientNetwork(request);
    if (!(await takeForNetwork(db, 'password-reset', network, RESET_REQUESTS_PER_NETWORK_PER_HOUR, 3600_000))) {
      reply.header('retry-after', '3600');
      return renderAdmin(request, reply, {
        title: tr.t('auth.forgot.title'),
        status: 429,
        body: ({ tr: t, csrf }) => <ForgotForm tr={t} csrf={csrf} email={email} errors={[{ field: 'email', message: t.t('auth.forgot.tooMany') }]} />,
      });
    }
    // The same answer, as fast, whether or not the account exists: the lookup and the mail are a job.
    await admin.diwan.jobs.send(RESET_JOB, { email: checked.data.email, lang });
    return renderAdmin(request, reply, {
      title: tr.t('auth.forgot.sent.title'),
      body: ({ tr: t }) => (
        <>
          <h1 safe>{t.t('auth.forgot.sent.title')}</h1>
          <p data-testid="reset-sent" safe>
            {t.t('auth.forgot.sent.body', { minutes: RESET_TOKEN_MINUTES })}
          </p>
        </>
      ),
    });
  });

  for (const purpose of ['reset', 'invite'] as const) {
    const path = purpose === 'reset' ? '/password/reset/:token' : '/invitation/:token';
    const titleKey: MessageKey = purpose === 'reset' ? 'auth.reset.title' : 'auth.invite.title';
    const introKey: MessageKey | undefined = purpose === 'invite' ? 'auth.invite.intro' : undefined;

    // The page's address carries the link's secret: it is never sent on to another page or site.
    const noReferrer = { onRequest: async (_request: FastifyRequest, reply: FastifyReply) => void reply.header('referrer-policy', 'no-referrer') };
    admin.get<{ Params: { token: string } }>(path, noReferrer, async (request, reply) => {
      const tr = translator(adminLanguage(request));
      if (!(await tokenIsUsable(db, request.params.token, purpose))) {
        return renderAdmin(request, reply, {
          title: tr.t(titleKey),
          status: 410,
          body: ({ tr: t }) => (
            <>
              <h1 safe>{t.t(titleKey)}</h1>
              <p data-testid="token-invalid" safe>
                {t.t('auth.error.tokenInvalid')}
              </p>
              <p>
                <a href="/admin/password/forgot" safe>
                  {t.t('auth.forgot.title')}
                </a>
              </p>
            </>
          ),
        });
      }
      return renderAdmin(request, reply, {
        title: tr.t(titleKey),
        body: ({ tr: t, csrf }) => <NewPasswordForm tr={t} csrf={csrf} action={request.url} title={t.t(titleKey)} intro={introKey ? t.t(introKey) : undefined} errors={[]} />,
      });
    });

    admin.post<{ Params: { token: string } }>(path, noReferrer, async (request, reply) => {
      const input = readFields(request.body, ['password', 'confirm'] as const);
      const tr = translator(adminLanguage(request));
      const checked = await checkForm(NewPasswordFormSchema, input, tr, authFormOptions(tr));
      const errors: FieldError[] = [...checked.errors];
      if (checked.ok) {
        try {
          await setPasswordWithToken(db, request.params.token, purpose, input.password);
          return reply.redirect(`/admin/login?done=password&lang=${tr.lang}`, 303);
        } catch (err) {
          if (!(err instanceof UserCommandError)) throw err;
          errors.push({ field: 'password', message: tr.t(err.key as MessageKey) });
        }
      }
      return renderAdmin(request, reply, {
        title: tr.t(titleKey),
        status: 400,
        body: ({ tr: t, csrf }) => <NewPasswordForm tr={t} csrf={csrf} action={request.url} title={t.t(titleKey)} intro={introKey ? t.t(introKey) : undefined} errors={errors} />,
      });
    });
  }
}
