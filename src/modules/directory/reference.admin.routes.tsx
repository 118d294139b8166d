import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../../platform/http/urls.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { frameworkTree } from '../framework/index.js';
import { THEME_LEVELS } from '../framework/index.js';
import { COUNTRY_REGIONS, COUNTRY_STATUSES, ORGANISATION_KINDS } from './directory.schemas.js';
import { referenceAbilities } from './reference.policy.js';
import { saveCountry, saveOrganisation, saveTheme } from './reference.commands.js';
import { countryForm, field as str, organisationForm, referenceFormOptions, themeForm } from './reference.forms.js';
import { checkForm } from '../../platform/forms/validation.js';

type Body = Record<string, unknown>;

function Notice({ tr, done }: { tr: Translator; done: string | undefined }): JSX.Element {
  return done === 'saved' ? (
    <p class="success" role="status" data-testid="notice" safe>
      {tr.t('ref.saved')}
    </p>
  ) : (
    <></>
  );
}

function RetiredBox({ tr, checked }: { tr: Translator; checked: boolean }): JSX.Element {
  return (
    <div class="form-group">
      <label>
        <input type="checkbox" name="retired" value="1" checked={checked} class="checkbox" /> <span safe>{tr.t('ref.field.retired')}</span>
      </label>
    </div>
  );
}

/** A reference list: its title, an "add" link and a table whose first column links to each record. */
function ReferenceTable({ tr, title, done, addHref, testId, headers, rows }: { tr: Translator; title: string; done: string | undefined; addHref: string; testId: string; headers: string[]; rows: { href: string; code: string; cells: string[] }[] }): JSX.Element {
  return (
    <>
      <h1 safe>{title}</h1>
      <Notice tr={tr} done={done} />
      <p>
        <a class="button" href={addHref} safe>
          {tr.t('ref.add')}
        </a>
      </p>
      <table class="data" data-testid={testId}>
        <thead>
          <tr>
            {headers.map((h) => (
              <th scope="col" safe>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>
                <a href={r.href} safe>
                  {r.code}
                </a>
              </td>
              {r.cells.map((c) => (
                <td safe>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Back-office pages for countries, organisations and framework themes: add, rename, retire; never delete. */
export function registerReferenceAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;
  const allowed = (request: FastifyRequest, reply: FastifyReply) => guard(request, reply, referenceAbilities(request.actor).edit);

  admin.get('/reference', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    return renderAdmin(request, reply, {
      title: translator(adminLanguage(request)).t('ref.title'),
      current: 'reference',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('ref.title')}</h1>
          <p safe>{tr.t('ref.intro')}</p>
          <ul>
            <li>
              <a href="/admin/reference/countries" safe>
                {tr.t('ref.countries')}
              </a>
            </li>
            <li>
              <a href="/admin/reference/organisations" safe>
                {tr.t('ref.organisations')}
              </a>
            </li>
            <li>
              <a href="/admin/reference/themes" safe>
                {tr.t('ref.themes')}
              </a>
            </li>
          </ul>
        </>
      ),
    });
  });

  // Countries ---------------------------------------------------------------------------------
  admin.get<{ Querystring: { done?: string } }>('/reference/countries', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const rows = await db
      .selectFrom('countries')
      .leftJoin('country_names', (j) => j.onRef('country_names.country_code', '=', 'countries.code').on('country_names.lang', '=', lang))
      .select(['countries.code', 'countries.region', 'countries.status', 'country_names.name'])
      .orderBy('countries.code')
      .execute();
    return renderAdmin(request, reply, {
      title: translator(lang).t('ref.countries'),
      current: 'reference',
      body: ({ tr }) => (
        <ReferenceTable
          tr={tr}
          title={tr.t('ref.countries')}
          done={request.query.done}
          addHref="/admin/reference/countries/new"
          testId="countries"
          headers={[tr.t('ref.col.code'), tr.t('ref.col.name'), tr.t('ref.field.region'), tr.t('ref.field.status')]}
          rows={rows.map((r) => ({
            href: `/admin/reference/countries/${r.code}`,
            code: r.code,
            cells: [r.name ?? '', tr.t(`region.${r.region}` as MessageKey), tr.t(`countryStatus.${r.status}` as MessageKey)],
          }))}
        />
      ),
    });
  });

  const renderCountryForm = async (request: FastifyRequest, reply: FastifyReply, code: string | null, values: Body, errors: FieldError[], status = 200) => {
    const tr = translator(adminLanguage(request));
    const title = code ? `${tr.t('ref.edit')}: ${code}` : `${tr.t('ref.add')}: ${tr.t('ref.countries')}`;
    return renderAdmin(request, reply, {
      title,
      current: 'reference',
      status,
      body: ({ tr: t, csrf }) => (
        <>
          <h1 safe>{title}</h1>
          <ErrorSummary tr={t} errors={errors} />
          <form method="post" action={code ? `/admin/reference/countries/${code}` : '/admin/reference/countries/new'} novalidate>
            <CsrfField token={csrf} />
            {code ? '' : <TextField id="code" label={t.t('ref.field.code')} hint={t.t('ref.field.codeHintCountry')} value={str(values, 'code')} error={errors.find((e) => e.field === 'code')?.message} width="short" />}
            {languages.map((l) => (
              <TextField id={`name_${l}`} label={t.t('ref.field.name', { language: t.t(`lang.${l}` as MessageKey) })} value={str(values, `name_${l}`)} error={errors.find((e) => e.field === `name_${l}`)?.message} lang={l} />
            ))}
            <SelectField id="region" label={t.t('ref.field.region')} value={str(values, 'region')} options={COUNTRY_REGIONS.map((r) => ({ value: r, label: t.t(`region.${r}`) }))} />
            <SelectField id="status" label={t.t('ref.field.status')} value={str(values, 'status')} options={COUNTRY_STATUSES.map((s) => ({ value: s, label: t.t(`countryStatus.${s}`) }))} />
            <button class="button" type="submit" safe>
              {t.t('form.save')}
            </button>
          </form>
        </>
      ),
    });
  };

  admin.get('/reference/countries/new', async (request, reply) => allowed(request, reply) ?? renderCountryForm(request, reply, null, { region: 'west_africa', status: 'partner' }, []));

  admin.get<{ Params: { code: string } }>('/reference/countries/:code', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const c = await db.selectFrom('countries').selectAll().where('code', '=', request.params.code).executeTakeFirst();
    if (!c) return reply.callNotFound();
    const names = await db.selectFrom('country_names').select(['lang', 'name']).where('country_code', '=', c.code).execute();
    return renderCountryForm(request, reply, c.code, { region: c.region, status: c.status, ...Object.fromEntries(names.map((n) => [`name_${n.lang}`, n.name])) }, []);
  });

  const postCountry = async (request: FastifyRequest, reply: FastifyReply, code: string | null) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const b = (request.body ?? {}) as Body;
    if (code && !(await db.selectFrom('countries').select('code').where('code', '=', code).executeTakeFirst())) return reply.callNotFound();
    const codeTaken = async (c: string) => (await db.selectFrom('countries').select('code').where('code', '=', c).executeTakeFirst()) !== undefined;
    const form = countryForm(b, languages, code ? null : codeTaken);
    const checked = await checkForm(form.schema, form.values, tr, referenceFormOptions(tr, form.order));
    if (!checked.ok) return renderCountryForm(request, reply, code, b, checked.errors, 400);
    const { region, status, names } = checked.data;
    await saveCountry(db, { code: code ?? checked.data.code, region, status, names }, !code, request.actor!.id);
    return reply.redirect('/admin/reference/countries?done=saved', 303);
  };
  admin.post('/reference/countries/new', async (request, reply) => postCountry(request, reply, null));
  admin.post<{ Params: { code: string } }>('/reference/countries/:code', async (request, reply) => postCountry(request, reply, request.params.code));

  // Organisations -----------------------------------------------------------------------------
  admin.get<{ Querystring: { done?: string } }>('/reference/organisations', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const rows = await db
      .selectFrom('organisations')
      .leftJoin('organisation_names', (j) => j.onRef('organisation_names.organisation_id', '=', 'organisations.id').on('organisation_names.lang', '=', lang))
      .select(['organisations.id', 'organisations.code', 'organisations.kind', 'organisations.retired', 'organisation_names.name', 'organisation_names.abbr'])
      .orderBy('organisations.code')
      .execute();
    return renderAdmin(request, reply, {
      title: translator(lang).t('ref.organisations'),
      current: 'reference',
      body: ({ tr }) => (
        <ReferenceTable
          tr={tr}
          title={tr.t('ref.organisations')}
          done={request.query.done}
          addHref="/admin/reference/organisations/new"
          testId="organisations"
          headers={[tr.t('ref.col.code'), tr.t('ref.col.name'), tr.t('ref.field.kind'), tr.t('ref.col.state')]}
          rows={rows.map((r) => ({
            href: `/admin/reference/organisations/${r.id}`,
            code: r.code,
            cells: [r.abbr ? `${r.name ?? ''} (${r.abbr})` : (r.name ?? ''), tr.t(`orgKind.${r.kind}` as MessageKey), r.retired ? tr.t('ref.retired') : '–'],
          }))}
        />
      ),
    });
  });

  const renderOrgForm = async (request: FastifyRequest, reply: FastifyReply, id: number | null, values: Body, errors: FieldError[], status = 200) => {
    const tr = translator(adminLanguage(request));
    const title = id ? `${tr.t('ref.edit')}: ${str(values, 'code')}` : `${tr.t('ref.add')}: ${tr.t('ref.organisations')}`;
    return renderAdmin(request, reply, {
      title,
      current: 'reference',
      status,
      body: ({ tr: t, csrf }) => (
        <>
          <h1 safe>{title}</h1>
          <ErrorSummary tr={t} errors={errors} />
          <form method="post" action={id ? `/admin/reference/organisations/${id}` : '/admin/reference/organisations/new'} novalidate>
            <CsrfField token={csrf} />
            {id ? '' : <TextField id="code" label={t.t('ref.field.code')} hint={t.t('ref.field.codeHintOrg')} value={str(values, 'code')} error={errors.find((e) => e.field === 'code')?.message} width="short" />}
            {languages.map((l) => (
              <>
                <TextField id={`name_${l}`} label={t.t('ref.field.name', { language: t.t(`lang.${l}` as MessageKey) })} value={str(values, `name_${l}`)} error={errors.find((e) => e.field === `name_${l}`)?.message} lang={l} />
                <TextField id={`abbr_${l}`} label={t.t('ref.field.abbr', { language: t.t(`lang.${l}` as MessageKey) })} value={str(values, `abbr_${l}`)} lang={l} width="short" />
              </>
            ))}
            <SelectField id="kind" label={t.t('ref.field.kind')} value={str(values, 'kind')} options={ORGANISATION_KINDS.map((k) => ({ value: k, label: t.t(`orgKind.${k}`) }))} />
            <RetiredBox tr={t} checked={str(values, 'retired') === '1'} />
            <button class="button" type="submit" safe>
              {t.t('form.save')}
            </button>
          </form>
        </>
      ),
    });
  };

  admin.get('/reference/organisations/new', async (request, reply) => allowed(request, reply) ?? renderOrgForm(request, reply, null, { kind: 'other' }, []));

  admin.get<{ Params: { id: string } }>('/reference/organisations/:id', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const o = await db.selectFrom('organisations').selectAll().where('id', '=', parseId(request.params.id)).executeTakeFirst();
    if (!o) return reply.callNotFound();
    const names = await db.selectFrom('organisation_names').selectAll().where('organisation_id', '=', o.id).execute();
    return renderOrgForm(
      request,
      reply,
      o.id,
      { code: o.code, kind: o.kind, retired: o.retired ? '1' : '', ...Object.fromEntries(names.flatMap((n) => [[`name_${n.lang}`, n.name], [`abbr_${n.lang}`, n.abbr ?? '']])) },
      [],
    );
  });

  const postOrg = async (request: FastifyRequest, reply: FastifyReply, id: number | null) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const b = (request.body ?? {}) as Body;
    let code: string | null = null;
    if (id !== null) {
      const o = await db.selectFrom('organisations').select('code').where('id', '=', id).executeTakeFirst();
      if (!o) return reply.callNotFound();
      code = o.code;
    }
    const codeTaken = async (c: string) => (await db.selectFrom('organisations').select('id').where('code', '=', c).executeTakeFirst()) !== undefined;
    const form = organisationForm(b, languages, code === null ? codeTaken : null);
    const checked = await checkForm(form.schema, form.values, tr, referenceFormOptions(tr, form.order));
    if (!checked.ok) return renderOrgForm(request, reply, id, code === null ? b : { ...b, code }, checked.errors, 400);
    await saveOrganisation(db, id, { ...checked.data, code: code ?? checked.data.code }, request.actor!.id);
    return reply.redirect('/admin/reference/organisations?done=saved', 303);
  };
  admin.post('/reference/organisations/new', async (request, reply) => postOrg(request, reply, null));
  admin.post<{ Params: { id: string } }>('/reference/organisations/:id', async (request, reply) => postOrg(request, reply, parseId(request.params.id)));

  // Themes ------------------------------------------------------------------------------------
  admin.get<{ Querystring: { done?: string } }>('/reference/themes', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const tree = await frameworkTree(db, lang, { includeRetired: true, fallbackLang: config.defaultLanguage });
    const retired = new Set((await db.selectFrom('themes').select('id').where('retired', '=', 1).execute()).map((r) => r.id));
    return renderAdmin(request, reply, {
      title: translator(lang).t('ref.themes'),
      current: 'reference',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('ref.themes')}</h1>
          <Notice tr={tr} done={request.query.done} />
          {tree.map((fw) => (
            <section>
              <h2 safe>{fw.name}</h2>
              <ul data-testid={`themes-${fw.code}`}>
                {fw.themes.map((th) => (
                  <li class={`depth-${Math.min(th.depth, 4)}`}>
                    <a href={`/admin/reference/themes/${th.id}`} safe>
                      {th.number ? tr.t('theme.numbered', { level: tr.t(`level.${th.level}` as MessageKey), number: th.number, name: th.name }) : th.name}
                    </a>
                    {retired.has(th.id) ? <span class="muted" safe>{` (${tr.t('ref.retired')})`}</span> : ''}
                  </li>
                ))}
              </ul>
              <p>
                <a href={`/admin/reference/themes/new?framework=${fw.id}`} safe>
                  {`${tr.t('ref.add')} (${fw.shortName})`}
                </a>
              </p>
            </section>
          ))}
        </>
      ),
    });
  });

  const renderThemeForm = async (request: FastifyRequest, reply: FastifyReply, id: number | null, frameworkId: number, values: Body, errors: FieldError[], status = 200) => {
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const fw = (await frameworkTree(db, lang, { includeRetired: true, fallbackLang: config.defaultLanguage })).find((f) => f.id === frameworkId);
    if (!fw) return reply.callNotFound();
    const title = `${id ? tr.t('ref.edit') : tr.t('ref.add')}: ${fw.shortName}`;
    return renderAdmin(request, reply, {
      title,
      current: 'reference',
      status,
      body: ({ tr: t, csrf }) => (
        <>
          <h1 safe>{title}</h1>
          <ErrorSummary tr={t} errors={errors} />
          <form method="post" action={id ? `/admin/reference/themes/${id}` : `/admin/reference/themes/new?framework=${frameworkId}`} novalidate>
            <CsrfField token={csrf} />
            {languages.map((l) => (
              <TextField id={`name_${l}`} label={t.t('ref.field.name', { language: t.t(`lang.${l}` as MessageKey) })} value={str(values, `name_${l}`)} error={errors.find((e) => e.field === `name_${l}`)?.message} lang={l} />
            ))}
            <SelectField id="level" label={t.t('ref.field.level')} value={str(values, 'level')} options={THEME_LEVELS.map((v) => ({ value: v, label: t.t(`level.${v}`) }))} />
            <TextField id="number" label={t.t('ref.field.number')} value={str(values, 'number')} width="short" />
            <SelectField id="parent" label={t.t('ref.field.parent')} value={str(values, 'parent')} blank={fw.shortName} options={fw.themes.filter((th) => th.id !== id).map((th) => ({ value: String(th.id), label: `${'— '.repeat(th.depth)}${th.number ? `${th.number}. ` : ''}${th.name}` }))} />
            <RetiredBox tr={t} checked={str(values, 'retired') === '1'} />
            <button class="button" type="submit" safe>
              {t.t('form.save')}
            </button>
          </form>
        </>
      ),
    });
  };

  admin.get<{ Querystring: { framework?: string } }>('/reference/themes/new', async (request, reply) => allowed(request, reply) ?? renderThemeForm(request, reply, null, Number(request.query.framework) || 0, { level: 'objective' }, []));

  admin.get<{ Params: { id: string } }>('/reference/themes/:id', async (request, reply) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const th = await db.selectFrom('themes').selectAll().where('id', '=', parseId(request.params.id)).executeTakeFirst();
    if (!th) return reply.callNotFound();
    const names = await db.selectFrom('theme_names').select(['lang', 'name']).where('theme_id', '=', th.id).execute();
    return renderThemeForm(request, reply, th.id, th.framework_id, { level: th.level, number: th.number ?? '', parent: th.parent_id ? String(th.parent_id) : '', retired: th.retired ? '1' : '', ...Object.fromEntries(names.map((n) => [`name_${n.lang}`, n.name])) }, []);
  });

  const postTheme = async (request: FastifyRequest, reply: FastifyReply, id: number | null, frameworkId: number) => {
    const denied = allowed(request, reply);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const b = (request.body ?? {}) as Body;
    if (!(await db.selectFrom('frameworks').select('id').where('id', '=', frameworkId).executeTakeFirst())) return reply.callNotFound();
    const parents = await db.selectFrom('themes').select('id').where('framework_id', '=', frameworkId).execute();
    const form = themeForm(b, languages, new Set(parents.map((p) => p.id).filter((p) => p !== id)));
    const checked = await checkForm(form.schema, form.values, tr, referenceFormOptions(tr, form.order));
    if (!checked.ok) return renderThemeForm(request, reply, id, frameworkId, b, checked.errors, 400);
    await saveTheme(db, id, { frameworkId, ...checked.data }, request.actor!.id);
    return reply.redirect('/admin/reference/themes?done=saved', 303);
  };
  admin.post<{ Querystring: { framework?: string } }>('/reference/themes/new', async (request, reply) => postTheme(request, reply, null, Number(request.query.framework) || 0));
  admin.post<{ Params: { id: string } }>('/reference/themes/:id', async (request, reply) => {
    const th = await db.selectFrom('themes').select(['id', 'framework_id']).where('id', '=', parseId(request.params.id)).executeTakeFirst();
    if (!th) return allowed(request, reply) ?? reply.callNotFound();
    return postTheme(request, reply, th.id, th.framework_id);
  });
}
