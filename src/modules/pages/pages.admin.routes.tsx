import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, TextArea, TextField, richTextLabels, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../admin/admin.plugin.js';
import { isValidSlug, slugify } from '../../platform/text/slug.js';
import { changePageWorkflow, createPage, loadEditablePage, updatePage, type EditablePage } from './pages.commands.js';
import { pageAbilities } from './pages.policy.js';
import { PAGE_SLUG_MAX_LENGTH, RESERVED_SLUGS } from './pages.schemas.js';

interface PageValues {
  version: string;
  nav: string;
  t: Record<string, { title: string; slug: string; body_html: string }>;
}

function readValues(body: unknown, languages: string[]): PageValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  return { version: s('version'), nav: s('nav_position').trim(), t: Object.fromEntries(languages.map((l) => [l, { title: s(`t_${l}_title`).trim(), slug: s(`t_${l}_slug`).trim(), body_html: s(`t_${l}_body_html`) }])) };
}

function PageForm({ tr, csrf, action, values, errors, languages }: { tr: Translator; csrf: string; action: string; values: PageValues; errors: FieldError[]; languages: string[] }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <form method="post" action={action} novalidate data-testid="page-form" data-rte-labels={richTextLabels(tr)}>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={values.version} />
      <TextField id="nav_position" label={t('pages.field.nav')} hint={t('pages.field.navHint')} value={values.nav} error={err('nav_position')} width="short" />
      <div class="side-by-side">
        {languages.map((l) => (
          <fieldset lang={l}>
            <legend safe>{t('activityAdmin.language', { language: t(`lang.${l}` as MessageKey) })}</legend>
            <TextField id={`t_${l}_title`} label={t('pages.field.title')} value={values.t[l]?.title} error={err(`t_${l}_title`)} />
            <TextField id={`t_${l}_slug`} label={t('pages.field.slug')} hint={t('pages.field.slugHint')} value={values.t[l]?.slug} error={err(`t_${l}_slug`)} />
            <TextArea id={`t_${l}_body_html`} label={t('pages.field.body')} hint={t('activityAdmin.field.narrativeHint')} value={values.t[l]?.body_html} error={err(`t_${l}_body_html`)} rows={14} richText />
          </fieldset>
        ))}
      </div>
      <button class="button" type="submit" data-testid="save" safe>
        {t('activityAdmin.save')}
      </button>
    </form>
  );
}

/** Back-office pages for static pages: list, create, edit, workflow. */
export function registerPageAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;

  const validate = async (values: PageValues, tr: Translator, pageId: number | null) => {
    const errors: FieldError[] = [];
    const nav = values.nav === '' ? null : /^\d{1,2}$/.test(values.nav) && Number(values.nav) >= 1 ? Number(values.nav) : NaN;
    if (Number.isNaN(nav)) errors.push({ field: 'nav_position', message: tr.t('pages.error.nav') });
    const texts: Record<string, { title: string; slug: string; body_html: string }> = {};
    for (const l of languages) {
      const v = values.t[l];
      if (!v || (!v.title && !v.slug && !v.body_html.trim())) continue;
      if (!v.title) {
        errors.push({ field: `t_${l}_title`, message: tr.t('activityAdmin.error.required', { field: `${tr.t('pages.field.title').toLowerCase()} (${tr.t(`lang.${l}` as MessageKey)})` }) });
        continue;
      }
      if (v.title.length > 200) errors.push({ field: `t_${l}_title`, message: tr.t('activityAdmin.error.tooLong', { field: tr.t('pages.field.title') }) });
      if (!v.slug) v.slug = slugify(v.title);
      if (!isValidSlug(v.slug, PAGE_SLUG_MAX_LENGTH)) errors.push({ field: `t_${l}_slug`, message: tr.t('activityAdmin.error.slug') });
      else if (RESERVED_SLUGS.includes(v.slug)) errors.push({ field: `t_${l}_slug`, message: tr.t('pages.error.reserved') });
      else {
        let q = db.selectFrom('page_translations').select('page_id').where('lang', '=', l).where('slug', '=', v.slug);
        if (pageId !== null) q = q.where('page_id', '!=', pageId);
        if (await q.executeTakeFirst()) errors.push({ field: `t_${l}_slug`, message: tr.t('activityAdmin.error.slugTaken') });
      }
      texts[l] = v;
    }
    if (!Object.keys(texts).length && !errors.length) errors.push({ field: `t_${languages[0]}_title`, message: tr.t('activityAdmin.error.noLanguage') });
    return { errors, input: errors.length ? null : { nav_position: nav, t: texts } };
  };

  const render = async (request: FastifyRequest, reply: FastifyReply, page: EditablePage | null, values: PageValues, errors: FieldError[], status = 200, notice?: string) => {
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const can = pageAbilities(request.actor, page ?? undefined);
    const title = page ? tr.t('pages.admin.edit', { title: page.input.t[lang]?.title ?? Object.values(page.input.t)[0]?.title ?? '' }) : tr.t('pages.admin.new');
    return renderAdmin(request, reply, {
      title,
      current: 'pages',
      status,
      editor: true,
      body: ({ tr: t, csrf }) => (
        <>
          <p>
            <a href="/admin/pages" safe>
              {t.t('pages.admin.title')}
            </a>
          </p>
          <h1 safe>{title}</h1>
          {notice ? (
            <p class="success" role="status" data-testid="notice" safe>
              {notice}
            </p>
          ) : (
            ''
          )}
          <ErrorSummary tr={t} errors={errors} />
          {page ? (
            <section class="card" data-testid="workflow">
              <p>
                <span class={`state state-${page.workflow}`} data-testid="workflow-state" safe>
                  {t.t('activityAdmin.workflow.state', { state: t.t(`workflow.${page.workflow}`) })}
                </span>
              </p>
              <div class="actions">
                {(
                  [
                    ['submit', can.submit, 'activityAdmin.workflow.submit'],
                    ['publish', can.publish, 'activityAdmin.workflow.publish'],
                    ['return', can.returnToDraft, 'activityAdmin.workflow.return'],
                    ['unpublish', can.unpublish, 'activityAdmin.workflow.unpublish'],
                  ] as const
                )
                  .filter(([, ok]) => ok)
                  .map(([action, , label]) => (
                    <form method="post" action={`/admin/pages/${page.id}/workflow`}>
                      <CsrfField token={csrf} />
                      <input type="hidden" name="action" value={action} />
                      <button class="button" type="submit" data-testid={`workflow-${action}`} safe>
                        {t.t(label)}
                      </button>
                    </form>
                  ))}
              </div>
            </section>
          ) : (
            ''
          )}
          {can.edit || (!page && can.create) ? <PageForm tr={t} csrf={csrf} action={page ? `/admin/pages/${page.id}` : '/admin/pages'} values={values} errors={errors} languages={languages} /> : ''}
        </>
      ),
    });
  };

  const toValues = (p: EditablePage): PageValues => ({
    version: String(p.version),
    nav: p.input.nav_position ? String(p.input.nav_position) : '',
    t: Object.fromEntries(languages.map((l) => [l, { title: p.input.t[l]?.title ?? '', slug: p.input.t[l]?.slug ?? '', body_html: p.input.t[l]?.body_html ?? '' }])),
  });
  const pageId = (request: FastifyRequest) => {
    const id = Number((request.params as { id: string }).id);
    return Number.isInteger(id) && id > 0 ? id : 0;
  };

  admin.get('/pages', async (request, reply) => {
    const can = pageAbilities(request.actor);
    const denied = guard(request, reply, can.list);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const rows = await db
      .selectFrom('pages')
      .leftJoin('page_translations as t', (j) => j.onRef('t.page_id', '=', 'pages.id').on('t.lang', '=', lang))
      .select(['pages.id', 'pages.workflow', 'pages.nav_position', 't.title'])
      .orderBy('pages.nav_position')
      .orderBy('pages.id')
      .execute();
    return renderAdmin(request, reply, {
      title: translator(lang).t('pages.admin.title'),
      current: 'pages',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('pages.admin.title')}</h1>
          {can.create ? (
            <p>
              <a class="button" href="/admin/pages/new" safe>
                {tr.t('pages.admin.new')}
              </a>
            </p>
          ) : (
            ''
          )}
          {rows.length ? (
            <table class="data" data-testid="admin-pages">
              <thead>
                <tr>
                  <th scope="col" safe>{tr.t('pages.field.title')}</th>
                  <th scope="col" safe>{tr.t('activityAdmin.col.workflow')}</th>
                  <th scope="col" safe>{tr.t('pages.col.nav')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <a href={`/admin/pages/${r.id}`} safe>
                        {r.title ?? `#${r.id}`}
                      </a>
                    </td>
                    <td safe>{tr.t(`workflow.${r.workflow}` as MessageKey)}</td>
                    <td safe>{r.nav_position === null ? '—' : String(r.nav_position)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p safe>{tr.t('pages.none')}</p>
          )}
        </>
      ),
    });
  });

  admin.get('/pages/new', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).create);
    if (denied) return denied;
    return render(request, reply, null, { version: '0', nav: '', t: {} }, []);
  });

  admin.post('/pages', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).create);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const values = readValues(request.body, languages);
    const { errors, input } = await validate(values, tr, null);
    if (!input) return render(request, reply, null, values, errors, 400);
    const id = await createPage(db, input, request.actor!.id);
    return reply.redirect(`/admin/pages/${id}?done=created`, 303);
  });

  admin.get<{ Params: { id: string }; Querystring: { done?: string } }>('/pages/:id', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).list);
    if (denied) return denied;
    const page = await loadEditablePage(db, pageId(request));
    if (!page) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    const done = request.query.done;
    const notice = done === 'created' ? tr.t('pages.admin.created') : done === 'saved' ? tr.t('activityAdmin.saved') : done && ['submit', 'publish', 'unpublish', 'return'].includes(done) ? tr.t(`activityAdmin.workflow.done.${done}` as MessageKey) : undefined;
    return render(request, reply, page, toValues(page), [], 200, notice);
  });

  admin.post<{ Params: { id: string } }>('/pages/:id', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).edit);
    if (denied) return denied;
    const page = await loadEditablePage(db, pageId(request));
    if (!page) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    const values = readValues(request.body, languages);
    const { errors, input } = await validate(values, tr, page.id);
    if (!input) return render(request, reply, page, values, errors, 400);
    const result = await updatePage(db, page.id, Number(values.version), input, request.actor!.id);
    if (!result.ok) {
      return render(request, reply, result.conflict, { ...values, version: String(result.conflict.version) }, [{ field: `t_${languages[0]}_title`, message: tr.t('activityAdmin.conflict.title') }], 409);
    }
    return reply.redirect(`/admin/pages/${page.id}?done=saved`, 303);
  });

  admin.post<{ Params: { id: string } }>('/pages/:id/workflow', async (request, reply) => {
    const page = await loadEditablePage(db, pageId(request));
    const can = pageAbilities(request.actor, page ?? undefined);
    const action = String(((request.body ?? {}) as Record<string, unknown>).action ?? '');
    const allowed: Record<string, boolean> = { submit: can.submit, publish: can.publish, unpublish: can.unpublish, return: can.returnToDraft };
    const denied = guard(request, reply, !!page && allowed[action] === true);
    if (denied) return denied;
    await changePageWorkflow(db, page!.id, action as 'submit', request.actor!.id);
    return reply.redirect(`/admin/pages/${page!.id}?done=${action}`, 303);
  });
}
