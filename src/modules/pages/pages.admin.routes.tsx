import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, TextArea, TextField, richTextLabels, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { ConflictResolution, PendingChanges, readChoices, SaveButtons } from '../../platform/views/editorial.js';
import type { FieldConflict } from '../../platform/editorial/merge.js';
import { slugify } from '../../platform/text/slug.js';
import { checkForm } from '../../platform/forms/validation.js';
import { changePageWorkflow, createPage, loadEditablePage, updatePage, type EditablePage } from './pages.commands.js';
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

/** Back-office pages for static pages: list, create, edit, workflow. */
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

  const fieldLabel = (key: string, tr: Translator) => {
    const m = /^t\.([^.]+)\.(.+)$/.exec(key);
    if (m) return `${tr.t(m[2] === 'body_html' ? 'pages.field.body' : m[2] === 'slug' ? 'pages.field.slug' : 'pages.field.title')} (${m[1]!.toUpperCase()})`;
    return key === 'nav_position' ? tr.t('pages.field.nav') : key;
  };

  type Resolve = { conflicts: FieldConflict[]; mine: PageInputParsed; baseVersion: number; intent: string; missing?: string[] };
  const render = async (request: FastifyRequest, reply: FastifyReply, page: EditablePage | null, values: PageValues, errors: FieldError[], status = 200, notice?: string, resolve?: Resolve) => {
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
          {page && page.pendingVersion !== null ? <PendingChanges tr={t} from={page.liveVersion} to={page.pendingVersion} /> : ''}
          {page ? (
            <section class="card" data-testid="workflow">
              <p>
                <span class={`state state-${page.workflow}`} data-testid="workflow-state" safe>
                  {t.t('editorial.workflow.state', { state: t.t(`workflow.${page.workflow}`) })}
                </span>
              </p>
              <div class="actions">
                {(
                  [
                    ['publish_changes', can.publishChanges, 'editorial.publishChanges'],
                    ['discard_changes', can.discardChanges, 'editorial.discardChanges'],
                    // With the form on the page, sending and publishing go through its buttons (unsaved edits are saved first).
                    ['submit', can.submit && !can.edit, 'editorial.workflow.submit'],
                    ['publish', can.publish && !can.edit, 'editorial.workflow.publish'],
                    ['return', can.returnToDraft, 'editorial.workflow.return'],
                    ['unpublish', can.unpublish, 'editorial.workflow.unpublish'],
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

  const NOTICES: Record<string, MessageKey> = {
    created: 'pages.admin.created',
    saved: 'editorial.saved',
    pending: 'editorial.saved.pending',
    submit: 'editorial.workflow.done.submit',
    publish: 'editorial.workflow.done.publish',
    unpublish: 'editorial.workflow.done.unpublish',
    return: 'editorial.workflow.done.return',
    publish_changes: 'editorial.done.publish_changes',
    discard: 'editorial.done.discard',
  };

  admin.get<{ Params: { id: string }; Querystring: { done?: string; merged?: string } }>('/pages/:id', async (request, reply) => {
    const denied = guard(request, reply, pageAbilities(request.actor).list);
    if (denied) return denied;
    const page = await loadEditablePage(db, pageId(request));
    if (!page) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    const { done, merged } = request.query;
    const parts = done && NOTICES[done] ? [tr.t(NOTICES[done])] : [];
    const mergedKeys = String(merged ?? '').split(',').filter((k) => /^[a-z_]+(\.[a-z]{2}\.[a-z_]+)?$/.test(k)).slice(0, 20);
    if (mergedKeys.length) parts.push(tr.t('editorial.saved.merged', { fields: mergedKeys.map((k) => fieldLabel(k, tr)).join(', ') }));
    return render(request, reply, page, toValues(page), [], 200, parts.join(' ') || undefined);
  });

  const INTENTS = ['save', 'submit', 'publish'];
  const intentOf = (request: FastifyRequest, page: EditablePage): string | null => {
    const raw = String(((request.body ?? {}) as Record<string, unknown>).intent ?? 'save');
    const intent = INTENTS.includes(raw) ? raw : 'save';
    const can = pageAbilities(request.actor, page);
    if (intent === 'submit' && !(can.submit || page.workflow === 'in_review')) return null;
    if (intent === 'publish' && !can.publishDirectly) return null;
    return intent;
  };

  const outcome = async (request: FastifyRequest, reply: FastifyReply, page: EditablePage, values: PageValues, result: Awaited<ReturnType<typeof updatePage>>, intent: string, baseVersion: number) => {
    const tr = translator(adminLanguage(request));
    if (result.ok) {
      let done = result.pending ? 'pending' : 'saved';
      const fresh = await loadEditablePage(db, page.id);
      const can = pageAbilities(request.actor, fresh ?? undefined);
      if (fresh && intent === 'submit' && can.submit) {
        await changePageWorkflow(db, page.id, 'submit', request.actor!.id);
        done = 'submit';
      } else if (fresh && intent === 'publish' && (can.publish || can.publishChanges)) {
        await changePageWorkflow(db, page.id, 'publish', request.actor!.id);
        done = can.publishChanges ? 'publish_changes' : 'publish';
      }
      const merged = result.fromTheirs.length ? `&merged=${encodeURIComponent(result.fromTheirs.join(','))}` : '';
      return reply.redirect(`/admin/pages/${page.id}?done=${done}${merged}`, 303);
    }
    if (result.reason === 'missing') return reply.callNotFound();
    if (result.reason === 'slug_taken') {
      return render(request, reply, page, values, result.langs.map((l) => ({ field: `t_${l}_slug`, message: tr.t('editorial.slugTaken', { language: tr.t(`lang.${l}` as MessageKey) }) })), 409);
    }
    return render(request, reply, result.current, values, [], 409, undefined, { conflicts: result.conflicts, mine: result.mine, baseVersion, intent });
  };

  /** Loads the page a form posts to and checks the edit right and the asked intent, before anything is read or written. */
  const openForEdit = async (request: FastifyRequest, reply: FastifyReply): Promise<{ page: EditablePage; intent: string } | FastifyReply> => {
    const denied = guard(request, reply, pageAbilities(request.actor).edit);
    if (denied) return denied;
    const page = await loadEditablePage(db, pageId(request));
    if (!page) {
      reply.callNotFound();
      return reply;
    }
    const intent = intentOf(request, page);
    return guard(request, reply, intent !== null) ?? { page, intent: intent! };
  };

  admin.post<{ Params: { id: string } }>('/pages/:id', async (request, reply) => {
    const opened = await openForEdit(request, reply);
    if (!('page' in opened)) return opened;
    const { page, intent } = opened;
    const tr = translator(adminLanguage(request));
    const values = readValues(request.body, languages);
    const { errors, input } = await validate(values, tr, page.id);
    if (!input) return render(request, reply, page, values, errors, 400);
    const baseVersion = Number(values.version);
    const can = pageAbilities(request.actor, page);
    const result = await updatePage(db, page.id, Number.isInteger(baseVersion) ? baseVersion : 0, input, { id: request.actor!.id, canPublish: can.publishDirectly });
    return outcome(request, reply, page, values, result, intent, baseVersion);
  });

  admin.post<{ Params: { id: string } }>('/pages/:id/resolve', async (request, reply) => {
    const opened = await openForEdit(request, reply);
    if (!('page' in opened)) return opened;
    const { page, intent } = opened;
    const tr = translator(adminLanguage(request));
    const body = (request.body ?? {}) as Record<string, unknown>;
    const baseVersion = Number(body.base_version);
    let mine: PageInputParsed;
    try {
      mine = PageInputSchema.parse(JSON.parse(String(body.mine ?? '')));
    } catch {
      return render(request, reply, page, toValues(page), [{ field: `t_${languages[0]}_title`, message: tr.t('editorial.resolve.invalid') }], 400);
    }
    const values = toValues({ ...page, input: mine });
    const can = pageAbilities(request.actor, page);
    const actor = { id: request.actor!.id, canPublish: can.publishDirectly };
    const base = Number.isInteger(baseVersion) ? baseVersion : 0;
    const probe = await updatePage(db, page.id, base, mine, actor);
    if (probe.ok || probe.reason !== 'conflict') return outcome(request, reply, page, values, probe, intent, base);
    const keys = probe.conflicts.map((c) => c.key);
    const choices = readChoices(body, keys);
    const missing = keys.filter((k) => !choices[k]);
    if (missing.length) return render(request, reply, probe.current, values, [], 400, undefined, { conflicts: probe.conflicts, mine, baseVersion: base, intent: intent, missing });
    return outcome(request, reply, page, values, await updatePage(db, page.id, base, mine, actor, choices), intent, base);
  });

  admin.post<{ Params: { id: string } }>('/pages/:id/workflow', async (request, reply) => {
    const page = await loadEditablePage(db, pageId(request));
    const can = pageAbilities(request.actor, page ?? undefined);
    const action = String(((request.body ?? {}) as Record<string, unknown>).action ?? '');
    const allowed: Record<string, boolean> = { submit: can.submit, publish: can.publish, unpublish: can.unpublish, return: can.returnToDraft, publish_changes: can.publishChanges, discard_changes: can.discardChanges };
    const denied = guard(request, reply, !!page && allowed[action] === true);
    if (denied) return denied;
    const wf = action === 'publish_changes' ? 'publish' : action === 'discard_changes' ? 'return' : (action as 'submit');
    await changePageWorkflow(db, page!.id, wf, request.actor!.id);
    return reply.redirect(`/admin/pages/${page!.id}?done=${action === 'discard_changes' ? 'discard' : action}`, 303);
  });
}
