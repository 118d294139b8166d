import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../../platform/http/urls.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, TextArea, TextField, richTextLabels, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { ConflictResolution, PendingChanges, SaveButtons, WorkflowPanel } from '../../platform/views/editorial.js';
import { editorialNotice, registerEditRoutes, registerRevisionRoutes, registerWorkflowRoute, type EditorialAdminKind, type ResolveStep } from '../../platform/admin/editorial-routes.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import { slugify } from '../../platform/text/slug.js';
import { checkForm } from '../../platform/forms/validation.js';
import { changePageWorkflow, createPage, listPageRevisions, loadEditablePage, loadPageRevision, restorePageRevision, updatePage, type EditablePage } from './pages.commands.js';
import { pageAbilities } from './pages.policy.js';
import { PageInputSchema, type PageInputParsed } from './pages.schemas.js';
import { pageFormSchema } from './pages.form.js';

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

function PageForm({ tr, csrf, action, values, errors, languages, intents }: { tr: Translator; csrf: string; action: string; values: PageValues; errors: FieldError[]; languages: string[]; intents: { submit: boolean; publish: boolean } }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <form method="post" action={action} novalidate data-testid="page-form" data-rte-labels={richTextLabels(tr)} data-guard-unsaved>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={values.version} />
      <TextField id="nav_position" label={t('pages.field.nav')} hint={t('pages.field.navHint')} value={values.nav} error={err('nav_position')} width="short" />
      <div class="side-by-side">
        {languages.map((l) => (
          <fieldset lang={l}>
            <legend safe>{t('form.language', { language: t(`lang.${l}` as MessageKey) })}</legend>
            <TextField id={`t_${l}_title`} label={t('pages.field.title')} value={values.t[l]?.title} error={err(`t_${l}_title`)} />
            <TextField id={`t_${l}_slug`} label={t('pages.field.slug')} hint={t('pages.field.slugHint')} value={values.t[l]?.slug} error={err(`t_${l}_slug`)} />
            <TextArea id={`t_${l}_body_html`} label={t('pages.field.body')} hint={t('form.richTextHint')} value={values.t[l]?.body_html} error={err(`t_${l}_body_html`)} rows={14} richText />
          </fieldset>
        ))}
      </div>
      <SaveButtons tr={tr} intents={intents} />
    </form>
  );
}

/** A page's fields as labelled text, for comparing two revisions (the text as read, without markup). */
function describePage(input: PageInputParsed, tr: Translator): [string, string][] {
  const rows: [string, string][] = [[tr.t('pages.field.nav'), input.nav_position === null || input.nav_position === undefined ? '' : String(input.nav_position)]];
  for (const [lang, tx] of Object.entries(input.t).sort()) {
    const l = tr.t(`lang.${lang}` as MessageKey);
    rows.push([`${tr.t('pages.field.title')} (${l})`, tx.title], [`${tr.t('pages.field.slug')} (${l})`, tx.slug], [`${tr.t('pages.field.body')} (${l})`, richTextToPlain(tx.body_html)]);
  }
  return rows;
}

/** The label of a merge field of a page (`nav_position`, `t.fr.title`) in the reader's language. */
function pageFieldLabel(key: string, tr: Translator): string {
  const m = /^t\.([^.]+)\.(.+)$/.exec(key);
  if (m) return `${tr.t(m[2] === 'body_html' ? 'pages.field.body' : m[2] === 'slug' ? 'pages.field.slug' : 'pages.field.title')} (${tr.t(`lang.${m[1]}` as MessageKey)})`;
  return key === 'nav_position' ? tr.t('pages.field.nav') : key;
}

const pageTitle = (input: PageInputParsed, lang: string) => input.t[lang]?.title ?? Object.values(input.t)[0]?.title ?? '';

/** Pages as the shared editorial back-office pages (notices, workflow, revisions) see them. */
const kind: EditorialAdminKind<PageInputParsed, EditablePage> = {
  path: '/pages',
  current: 'pages',
  load: loadEditablePage,
  abilities: pageAbilities,
  title: pageTitle,
  describe: describePage,
  fieldLabel: pageFieldLabel,
  messages: { created: 'pages.admin.created', back: 'pages.admin.back', revisionsTitle: 'pages.admin.revisions' },
  changeWorkflow: changePageWorkflow,
  listRevisions: listPageRevisions,
  loadRevision: loadPageRevision,
  restoreRevision: restorePageRevision,
};

/** Back-office pages for static pages: list, create, edit, workflow, revisions. */
export function registerPageAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;

  const validate = async (values: PageValues, tr: Translator, pageId: number | null) => {
    for (const l of languages) {
      const v = values.t[l];
      if (v?.title && !v.slug) v.slug = slugify(v.title);
    }
    const slugTaken = async (l: string, slug: string) => {
      let q = db.selectFrom('page_translations').select('page_id').where('lang', '=', l).where('slug', '=', slug);
      if (pageId !== null) q = q.where('page_id', '!=', pageId);
      return (await q.executeTakeFirst()) !== undefined;
    };
    const checked = await checkForm(pageFormSchema(languages, slugTaken), values, tr, {
      fieldId: (path) => (path[0] === 't' ? `t_${String(path[1])}_${String(path[2])}` : 'nav_position'),
      label: (field) => {
        const m = /^t_([^_]+)_(.+)$/.exec(field);
        if (!m) return field === 'nav_position' ? tr.t('pages.field.nav') : undefined;
        const key = m[2] === 'body_html' ? 'pages.field.body' : m[2] === 'slug' ? 'pages.field.slug' : 'pages.field.title';
        return languages.length > 1 ? `${tr.t(key)} (${tr.t(`lang.${m[1]}` as MessageKey)})` : tr.t(key);
      },
      order: ['nav_position', 't_*'],
    });
    return { errors: checked.errors, input: checked.data };
  };

  const fieldLabel = pageFieldLabel;

  const render = async (request: FastifyRequest, reply: FastifyReply, page: EditablePage | null, values: PageValues, errors: FieldError[], status = 200, notice?: string, resolve?: ResolveStep<PageInputParsed>, workflowError?: string) => {
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const can = pageAbilities(request.actor, page ?? undefined);
    const title = page ? tr.t('pages.admin.edit', { title: pageTitle(page.input, lang) }) : tr.t('pages.admin.new');
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
          {page && page.pendingVersion !== null ? <PendingChanges tr={t} revisionsHref={`/admin/pages/${page.id}/revisions`} from={page.liveVersion} to={page.pendingVersion} /> : ''}
          {page ? (
            <>
              <WorkflowPanel tr={t} csrf={csrf} action={`/admin/pages/${page.id}/workflow`} workflow={page.workflow} publishedAt={page.publishedAt} can={can} error={workflowError} />
              {can.revisions ? (
                <p class="actions">
                  <a href={`/admin/pages/${page.id}/revisions`} data-testid="revisions-link" safe>
                    {t.t('editorial.revisions.link')}
                  </a>
                </p>
              ) : (
                ''
              )}
            </>
          ) : (
            ''
          )}
          {page && resolve ? (
            <ConflictResolution tr={t} csrf={csrf} action={`/admin/pages/${page.id}/resolve`} conflicts={resolve.conflicts} label={(k) => fieldLabel(k, t)} mine={resolve.mine} baseVersion={resolve.baseVersion} intent={resolve.intent} missing={resolve.missing} />
          ) : can.edit || (!page && can.create) ? (
            <PageForm tr={t} csrf={csrf} action={page ? `/admin/pages/${page.id}` : '/admin/pages'} values={values} errors={errors} languages={languages} intents={{ submit: !!page && can.submit, publish: !!page && (can.publish || can.publishChanges) }} />
          ) : (
            ''
          )}
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
    const id = parseId((request.params as { id: string }).id);
    return id;
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
                  <th scope="col" safe>{tr.t('editorial.col.workflow')}</th>
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

  admin.get<{ Params: { id: string }; Querystring: { done?: string; merged?: string; restored?: string } }>('/pages/:id', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).list);
    if (denied) return denied;
    const page = await loadEditablePage(db, pageId(request));
    if (!page) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    return render(request, reply, page, toValues(page), [], 200, editorialNotice(tr, kind, request.query));
  });

  registerEditRoutes(admin, kind, {
    schema: PageInputSchema,
    check: async (request, page) => {
      const values = readValues(request.body, languages);
      return { values, ...(await validate(values, translator(adminLanguage(request)), page.id)) };
    },
    values: (_request, page, input) => toValues({ ...page, input }),
    update: updatePage,
    render: (request, reply, v) => render(request, reply, v.record, v.values, v.errors, v.status, undefined, v.resolve),
  });
  registerWorkflowRoute(admin, kind, (request, reply, page, message, status) => render(request, reply, page, toValues(page), [], status, undefined, undefined, message));
  registerRevisionRoutes(admin, kind);
}
