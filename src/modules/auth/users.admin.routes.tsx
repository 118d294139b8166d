import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../../platform/http/urls.js';
import { audit } from '../../platform/audit/audit.js';
import type { Db } from '../../platform/db/database.js';
import { nowIso } from '../../platform/db/database.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { roleCodes } from './roles.reference-data.js';
import { destroyUserSessions } from './sessions.js';
import { UserCommandError, inviteUser, spendTokens } from './users.commands.js';
import { accountChoices, accountFormSchema, readAccount, type AccountValues } from './users.form.js';
import { checkForm } from '../../platform/forms/validation.js';
import { userAbilities } from './users.policy.js';

async function choices(db: Db, lang: string) {
  const countries = await db.selectFrom('country_names').select(['country_code as value', 'name as label']).where('lang', '=', lang).orderBy('name').execute();
  const orgs = await db
    .selectFrom('organisations')
    .innerJoin('organisation_names', 'organisation_names.organisation_id', 'organisations.id')
    .select(['organisations.id', 'organisation_names.name'])
    .where('organisation_names.lang', '=', lang)
    .orderBy('organisation_names.name')
    .execute();
  return { countries, organisations: orgs.map((o) => ({ value: String(o.id), label: o.name })), roles: await roleCodes(db) };
}

function AccountForm({ tr, csrf, action, values, errors, options, invite, languages }: { tr: Translator; csrf: string; action: string; values: AccountValues; errors: FieldError[]; options: Awaited<ReturnType<typeof choices>>; invite: boolean; languages: string[] }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <form method="post" action={action} novalidate data-testid="account-form">
      <CsrfField token={csrf} />
      {invite ? <TextField id="email" label={t('users.field.email')} type="email" value={values.email} error={err('email')} autocomplete="off" /> : ''}
      <TextField id="name" label={t('users.field.name')} value={values.name} error={err('name')} autocomplete="off" />
      <SelectField id="role" label={t('users.field.role')} value={values.role} error={err('role')} options={options.roles.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
      <SelectField id="country" label={t('users.field.country')} value={values.country} blank="—" error={err('country')} options={options.countries} />
      <SelectField id="organisation" label={t('users.field.organisation')} value={values.organisation} blank="—" error={err('organisation')} options={options.organisations} />
      <SelectField id="lang" label={t('users.field.lang')} value={values.lang} options={languages.map((l) => ({ value: l, label: t(`lang.${l}` as MessageKey) }))} />
      {invite ? (
        ''
      ) : (
        <SelectField id="status" label={t('users.field.status')} value={values.status} options={['active', 'disabled'].map((s) => ({ value: s, label: t(`users.status.${s}` as MessageKey) }))} />
      )}
      <button class="button" type="submit" safe>
        {invite ? t('users.send') : t('users.save')}
      </button>
    </form>
  );
}

const ACCOUNT_ORDER = ['email', 'name', 'role', 'country', 'organisation', 'lang', 'status'];

/** Checks the account form with its schema: the commands' input, or the messages to show. */
async function checkAccount(db: Db, values: AccountValues, tr: Translator, languages: readonly string[], invite: boolean) {
  const labels: Record<string, MessageKey> = { email: 'users.field.email', name: 'users.field.name', role: 'users.field.role', country: 'users.field.country', organisation: 'users.field.organisation' };
  return checkForm(accountFormSchema(await accountChoices(db), languages, invite), values, tr, { label: (f) => (labels[f] ? tr.t(labels[f]) : undefined), order: ACCOUNT_ORDER });
}

/** Accounts: list, invite by e-mail, change role, binding and status (every change audited). */
export function registerUserAdminRoutes(admin: FastifyInstance): void {
  const { db, mailer, baseUrl, config } = admin.diwan;

  admin.get<{ Querystring: { done?: string; email?: string } }>('/users', async (request, reply) => {
    const can = userAbilities(request.actor);
    const denied = guard(request, reply, can.list);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const users = await db
      .selectFrom('users')
      .leftJoin('country_names', (j) => j.onRef('country_names.country_code', '=', 'users.country_code').on('country_names.lang', '=', lang))
      .leftJoin('organisation_names', (j) => j.onRef('organisation_names.organisation_id', '=', 'users.organisation_id').on('organisation_names.lang', '=', lang))
      .select(['users.id', 'users.email', 'users.display_name', 'users.role_code', 'users.status', 'users.last_login_at', 'country_names.name as country', 'organisation_names.name as organisation'])
      .orderBy('users.display_name')
      .execute();
    const tr = translator(lang);
    const fmt = new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return renderAdmin(request, reply, {
      title: tr.t('users.title'),
      current: 'users',
      body: ({ tr: t }) => (
        <>
          <h1 safe>{t.t('users.title')}</h1>
          {request.query.done === 'invited' ? (
            <p class="success" role="status" data-testid="notice" safe>
              {t.t('users.invited', { email: String(request.query.email ?? '') })}
            </p>
          ) : request.query.done === 'saved' ? (
            <p class="success" role="status" data-testid="notice" safe>
              {t.t('users.saved')}
            </p>
          ) : (
            ''
          )}
          <p>
            <a class="button" href="/admin/users/invite" data-testid="invite" safe>
              {t.t('users.invite')}
            </a>
          </p>
          <div class="table-wrap">
            <table class="data" data-testid="users">
              <thead>
                <tr>
                  {(['name', 'email', 'role', 'bound', 'status', 'lastLogin'] as const).map((c) => (
                    <th scope="col" safe>
                      {t.t(`users.col.${c}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr>
                    <td>
                      <a href={`/admin/users/${u.id}`} safe>
                        {u.display_name}
                      </a>
                    </td>
                    <td safe>{u.email}</td>
                    <td safe>{t.t(`role.${u.role_code}` as MessageKey)}</td>
                    <td safe>{u.country ?? u.organisation ?? ''}</td>
                    <td safe>{t.t(`users.status.${u.status}` as MessageKey)}</td>
                    <td safe>{u.last_login_at ? fmt.format(new Date(u.last_login_at)) : t.t('users.never')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ),
    });
  });

  const renderInvite = async (request: FastifyRequest, reply: FastifyReply, values: AccountValues, errors: FieldError[], status = 200) => {
    const lang = adminLanguage(request);
    const options = await choices(db, lang);
    return renderAdmin(request, reply, {
      title: translator(lang).t('users.invite'),
      current: 'users',
      status,
      body: ({ tr, csrf }) => (
        <>
          <h1 safe>{tr.t('users.invite')}</h1>
          <ErrorSummary tr={tr} errors={errors} />
          <AccountForm tr={tr} csrf={csrf} action="/admin/users/invite" values={values} errors={errors} options={options} invite languages={config.languages} />
        </>
      ),
    });
  };

  admin.get('/users/invite', async (request, reply) => {
    const denied = guard(request, reply, userAbilities(request.actor).invite);
    if (denied) return denied;
    return renderInvite(request, reply, { email: '', name: '', role: 'editor', country: '', organisation: '', lang: adminLanguage(request), status: 'active' }, []);
  });

  admin.post('/users/invite', async (request, reply) => {
    const denied = guard(request, reply, userAbilities(request.actor).invite);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const values = readAccount(request.body, config.defaultLanguage);
    const checked = await checkAccount(db, values, tr, config.languages, true);
    const errors: FieldError[] = [...checked.errors];
    if (checked.ok) {
      const input = checked.data;
      try {
        await inviteUser(db, mailer, baseUrl, { email: input.email, displayName: input.name, role: input.role, countryCode: input.countryCode, organisationId: input.organisationId, lang: input.lang }, request.actor!.id);
        return reply.redirect(`/admin/users?done=invited&email=${encodeURIComponent(input.email)}`, 303);
      } catch (err) {
        if (!(err instanceof UserCommandError)) throw err;
        errors.push({ field: 'email', message: tr.t(err.key as MessageKey) });
      }
    }
    return renderInvite(request, reply, values, errors, 400);
  });

  const loadUser = async (request: FastifyRequest) => {
    const id = parseId((request.params as { id: string }).id);
    if (!id) return undefined;
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  };

  const renderEdit = async (request: FastifyRequest, reply: FastifyReply, user: { id: number; display_name: string }, values: AccountValues, errors: FieldError[], status = 200) => {
    const lang = adminLanguage(request);
    const options = await choices(db, lang);
    const editable = userAbilities(request.actor, user).edit;
    const title = translator(lang).t('users.edit.title', { name: user.display_name });
    return renderAdmin(request, reply, {
      title,
      current: 'users',
      status,
      body: ({ tr, csrf }) => (
        <>
          <h1 safe>{title}</h1>
          <p safe>{values.email}</p>
          <ErrorSummary tr={tr} errors={errors} />
          {editable ? (
            <AccountForm tr={tr} csrf={csrf} action={`/admin/users/${user.id}`} values={values} errors={errors} options={options} invite={false} languages={config.languages} />
          ) : (
            <p class="notice" safe>
              {tr.t('users.self')}
            </p>
          )}
        </>
      ),
    });
  };

  admin.get<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const denied = guard(request, reply, userAbilities(request.actor).list);
    if (denied) return denied;
    const user = await loadUser(request);
    if (!user) return reply.callNotFound();
    return renderEdit(request, reply, user, {
      email: user.email,
      name: user.display_name,
      role: user.role_code,
      country: user.country_code ?? '',
      organisation: user.organisation_id ? String(user.organisation_id) : '',
      lang: user.preferred_lang,
      status: user.status === 'disabled' ? 'disabled' : 'active',
    }, []);
  });

  admin.post<{ Params: { id: string } }>('/users/:id', async (request, reply) => {
    const user = await loadUser(request);
    const denied = guard(request, reply, !!user && userAbilities(request.actor, user).edit);
    if (denied) return denied;
    if (!user) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    const values = { ...readAccount(request.body, config.defaultLanguage), email: user.email };
    const checked = await checkAccount(db, values, tr, config.languages, false);
    if (!checked.ok) return renderEdit(request, reply, user, values, checked.errors, 400);
    const input = checked.data;
    const status = user.status === 'invited' && input.status === 'active' ? 'invited' : input.status === 'disabled' ? 'disabled' : user.status === 'disabled' ? 'active' : user.status;
    const after = { role: input.role, country: input.countryCode, organisation: input.organisationId, status, name: input.name, lang: input.lang };
    const before = { role: user.role_code, country: user.country_code, organisation: user.organisation_id, status: user.status, name: user.display_name, lang: user.preferred_lang };
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ display_name: after.name, role_code: after.role, country_code: after.country, organisation_id: after.organisation, status: after.status, preferred_lang: after.lang, updated_at: nowIso() })
        .where('id', '=', user.id)
        .execute();
      const action = before.role !== after.role || before.status !== after.status ? 'user.permissions_changed' : 'user.update';
      // A change of status, role or binding spends the account's links: none opens the account as it was.
      if (action === 'user.permissions_changed' || before.country !== after.country || before.organisation !== after.organisation) await spendTokens(trx, user.id);
      await audit(trx, { actorUserId: request.actor!.id, action, entityType: 'user', entityId: user.id, before, after });
    });
    if (after.status === 'disabled' || before.role !== after.role || before.country !== after.country || before.organisation !== after.organisation) await destroyUserSessions(db, user.id);
    return reply.redirect('/admin/users?done=saved', 303);
  });
}
