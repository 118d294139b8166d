import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { checkForm, type FormErrorOptions } from '../../platform/forms/validation.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { routePattern, url, type RouteName } from '../../platform/http/urls.js';
import { Layout } from '../../platform/views/layout.js';
import { z } from 'zod';
import { alertByToken, alertToConfirm, confirmAlert, endAlert, requestAlert, takeRequestFromIp, type StoredAlert } from './alerts.commands.js';
import { fromAnotherSite, clientNetwork } from '../../platform/http/public-forms.js';
import { describeAlert } from './alerts.describe.js';
import { listAddress } from './alerts.jobs.js';
import { ALERT_LIMITS, AlertEmailSchema, readAlertSearch, type AlertSearch } from './alerts.schemas.js';
import { MessageView, NewAlertView, maskEmail } from './alerts.views.js';

type LangParams = { Params: { lang: string } };
type TokenParams = { Params: { lang: string; token: string } };

const EmailFormSchema = z.object({ email: AlertEmailSchema });
const emailOptions = (tr: Translator): FormErrorOptions => ({ label: (field) => (field === 'email' ? tr.t('alerts.field.email') : undefined) });

/** The alerts' pages: subscribe (with double opt-in), confirm, see, and stop an alert. */
export function registerAlertRoutes(app: FastifyInstance): void {
  const { config, baseUrl } = app.diwan;

  const render = async (request: FastifyRequest, reply: FastifyReply, tr: Translator, name: RouteName, params: Record<string, string>, title: string, body: JSX.Element, status = 200) => {
    const path = url(name, tr.lang, params);
    const html = await (
      <Layout tr={tr} stylesheet={app.diwan.assets.stylesheet} languages={config.languages} nav={await app.diwan.navigation(tr.lang)} meta={{ title, baseUrl, path, alternates: { [tr.lang]: path }, noindex: true }}>
        {body}
      </Layout>
    );
    // Pages about one visitor's alert: never cached, and their address (a token) never sent to another site.
    return sendHtml(request, reply, html, { lang: tr.lang, status, headers: { 'referrer-policy': 'same-origin' } });
  };
  const languageOf = (lang: string) => (config.languages.includes(lang) ? translator(lang) : null);

  const newAlertPage = async (request: FastifyRequest, reply: FastifyReply, tr: Translator, search: AlertSearch, email: string, errors: { field: string; message: string }[], status = 200) => {
    const criteria = await describeAlert(app.diwan.db, tr, search);
    return render(
      request,
      reply,
      tr,
      'alerts.new',
      {},
      errors.length ? tr.t('alerts.errorTitle', { title: tr.t('alerts.new.title') }) : tr.t('alerts.new.title'),
      <NewAlertView tr={tr} action={url('alerts.create', tr.lang)} search={search} criteria={criteria} email={email} errors={errors} listHref={listAddress(search, tr.lang)} />,
      status,
    );
  };
  const nothingToFollow = (request: FastifyRequest, reply: FastifyReply, tr: Translator) =>
    render(request, reply, tr, 'alerts.new', {}, tr.t('alerts.nothing.title'), <MessageView tr={tr} testId="alert-nothing" title={tr.t('alerts.nothing.title')} paragraphs={[tr.t('alerts.nothing.body')]} links={[{ href: url('documents.list', tr.lang), label: tr.t('alerts.nothing.library') }, { href: url('search', tr.lang), label: tr.t('alerts.nothing.search') }]} />, 400);

  app.get<LangParams & { Querystring: Record<string, unknown> }>(routePattern('alerts.new'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    const search = readAlertSearch(request.query, tr.lang, config.languages);
    if (!search) return nothingToFollow(request, reply, tr);
    return newAlertPage(request, reply, tr, search, '', []);
  });

  app.get<LangParams>(routePattern('alerts.sent'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    return render(request, reply, tr, 'alerts.sent', {}, tr.t('alerts.sent.title'), <MessageView tr={tr} testId="alert-sent" title={tr.t('alerts.sent.title')} paragraphs={[tr.t('alerts.sent.body', { days: ALERT_LIMITS.confirmDays }), tr.t('alerts.sent.nothing')]} />);
  });

  const alertPage = async (request: FastifyRequest, reply: FastifyReply, tr: Translator, alert: StoredAlert | null, kind: 'confirm' | 'manage' | 'unsubscribe', token: string) => {
    if (!alert) {
      const titleKey = kind === 'confirm' ? 'alerts.confirm.invalidTitle' : 'alerts.manage.invalidTitle';
      return render(request, reply, tr, `alerts.${kind}`, { token }, tr.t(titleKey), <MessageView tr={tr} testId="alert-invalid" title={tr.t(titleKey)} paragraphs={[tr.t(kind === 'confirm' ? 'alerts.confirm.invalidBody' : 'alerts.manage.invalidBody')]} links={[{ href: url('documents.list', tr.lang), label: tr.t('alerts.nothing.library') }]} />, 404);
    }
    const criteria = await describeAlert(app.diwan.db, tr, alert.search);
    if (kind === 'confirm') {
      return render(request, reply, tr, 'alerts.confirm', { token }, tr.t('alerts.confirm.title'), <MessageView tr={tr} testId="alert-confirm" title={tr.t('alerts.confirm.title')} paragraphs={[tr.t('alerts.confirm.body', { email: alert.email })]} criteria={criteria} form={{ action: url('alerts.confirm', tr.lang, { token }), label: tr.t('alerts.confirm.submit'), testId: 'alert-confirm-submit' }} />);
    }
    const since = alert.confirmedAt ? new Intl.DateTimeFormat(tr.lang, { dateStyle: 'long', timeZone: config.timeZone }).format(new Date(alert.confirmedAt)) : '';
    const paragraphs = [alert.status === 'active' ? tr.t('alerts.manage.on', { email: maskEmail(alert.email), since }) : tr.t('alerts.manage.pending', { email: maskEmail(alert.email) })];
    return render(
      request,
      reply,
      tr,
      `alerts.${kind}`,
      { token },
      kind === 'unsubscribe' ? tr.t('alerts.unsubscribe.title') : tr.t('alerts.manage.title'),
      <MessageView
        tr={tr}
        testId={`alert-${kind}`}
        title={kind === 'unsubscribe' ? tr.t('alerts.unsubscribe.title') : tr.t('alerts.manage.title')}
        paragraphs={paragraphs}
        criteria={criteria}
        form={{ action: url('alerts.unsubscribe', tr.lang, { token: alert.token }), label: tr.t('alerts.unsubscribe.submit'), testId: 'alert-unsubscribe-submit', warning: true }}
        links={[{ href: listAddress(alert.search, tr.lang), label: tr.t('alerts.manage.seeList') }]}
      />,
    );
  };

  app.get<TokenParams>(routePattern('alerts.confirm'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    // A visit only shows the alert: link checkers in mail systems open links, and must not confirm.
    return alertPage(request, reply, tr, await alertToConfirm(app.diwan.db, config.languages, request.params.token), 'confirm', request.params.token);
  });
  app.get<TokenParams>(routePattern('alerts.manage'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    return alertPage(request, reply, tr, await alertByToken(app.diwan.db, config.languages, request.params.token), 'manage', request.params.token);
  });
  app.get<TokenParams>(routePattern('alerts.unsubscribe'), async (request, reply) => {
    const tr = languageOf(request.params.lang);
    if (!tr) return sendError(request, reply, 'notFound', 404);
    return alertPage(request, reply, tr, await alertByToken(app.diwan.db, config.languages, request.params.token), 'unsubscribe', request.params.token);
  });

  // Posts from the site's own forms: checked for their origin and counted per network address
  // before their (small) body is read.
  void app.register(async (forms) => {
    await forms.register(formbody, { bodyLimit: ALERT_LIMITS.bodyBytes });
    const guard = async (request: FastifyRequest<LangParams>, reply: FastifyReply) => {
      const tr = languageOf(request.params.lang);
      if (!tr) return sendError(request, reply, 'notFound', 404);
      if (fromAnotherSite(request, baseUrl)) return sendError(request, reply, 'forbidden', 403);
      if (!(await takeRequestFromIp(app.diwan.db, clientNetwork(request)))) {
        reply.header('retry-after', '3600');
        return sendError(request, reply, 'tooMany', 429);
      }
    };

    forms.post<LangParams & { Body: Record<string, unknown> }>(routePattern('alerts.create'), { bodyLimit: ALERT_LIMITS.bodyBytes, onRequest: guard }, async (request, reply) => {
      const tr = translator(request.params.lang);
      const body = request.body && typeof request.body === 'object' ? request.body : {};
      const search = readAlertSearch(body, tr.lang, config.languages);
      if (!search) return nothingToFollow(request, reply, tr);
      const email = typeof body.email === 'string' ? body.email : '';
      const checked = await checkForm(EmailFormSchema, { email }, tr, emailOptions(tr));
      if (!checked.ok) return newAlertPage(request, reply, tr, search, email.slice(0, ALERT_LIMITS.email * 2), checked.errors, 400);
      await requestAlert(app.diwan, { email: checked.data.email, lang: tr.lang, search });
      return reply.redirect(url('alerts.sent', tr.lang), 303);
    });

    forms.post<TokenParams>(routePattern('alerts.confirm'), { bodyLimit: ALERT_LIMITS.bodyBytes, onRequest: guard }, async (request, reply) => {
      const tr = translator(request.params.lang);
      const alert = await confirmAlert(app.diwan.db, config.languages, request.params.token);
      if (!alert) return alertPage(request, reply, tr, null, 'confirm', request.params.token);
      const criteria = await describeAlert(app.diwan.db, tr, alert.search);
      return render(
        request,
        reply,
        tr,
        'alerts.confirm',
        { token: request.params.token },
        tr.t('alerts.confirmed.title'),
        <MessageView
          tr={tr}
          testId="alert-confirmed"
          title={tr.t('alerts.confirmed.title')}
          paragraphs={[tr.t('alerts.confirmed.body', { email: alert.email, hour: String(config.alertDigestHour).padStart(2, '0') })]}
          criteria={criteria}
          links={[
            { href: listAddress(alert.search, tr.lang), label: tr.t('alerts.manage.seeList') },
            { href: url('alerts.manage', tr.lang, { token: alert.token }), label: tr.t('alerts.confirmed.manage') },
          ]}
        />,
      );
    });
  });

  // RFC 8058 one-click unsubscribe: mail systems post `List-Unsubscribe=One-Click` to the link in the
  // header, from their own servers, with no origin and in either form encoding; the token is the
  // authority, so any small body is accepted and not read.
  void app.register(async (oneClick) => {
    oneClick.removeAllContentTypeParsers();
    oneClick.addContentTypeParser('*', { bodyLimit: 4096 }, (_request, payload, done) => {
      payload.on('data', () => undefined);
      payload.on('end', () => done(null, undefined));
      payload.on('error', (err) => done(err, undefined));
    });
    oneClick.post<TokenParams>(routePattern('alerts.unsubscribe'), { bodyLimit: 4096 }, async (request, reply) => {
      const tr = languageOf(request.params.lang);
      if (!tr) return sendError(request, reply, 'notFound', 404);
      // Ended or never known, the answer is the same: no more mail for this link.
      await endAlert(app.diwan.db, request.params.token);
      return render(request, reply, tr, 'alerts.unsubscribe', { token: request.params.token }, tr.t('alerts.unsubscribed.title'), <MessageView tr={tr} testId="alert-unsubscribed" title={tr.t('alerts.unsubscribed.title')} paragraphs={[tr.t('alerts.unsubscribed.body')]} links={[{ href: url('documents.list', tr.lang), label: tr.t('alerts.nothing.library') }]} />);
    });
  });
}
