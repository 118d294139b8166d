import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendHtml } from '../../platform/app.js';
import type { Db } from '../../platform/db/database.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { url } from '../../platform/http/urls.js';
import { ErrorSummary, type FieldError } from '../../platform/views/forms.js';
import { notFound } from '../../platform/http/errors.js';
import { richTextToPlain } from '../../platform/html/sanitize.js';
import { Layout } from '../../platform/views/layout.js';
import { ConflictResolution, PendingChanges, WorkflowPanel } from '../../platform/views/editorial.js';
import { editorialNotice, recordId, registerEditRoutes, registerRevisionRoutes, registerWorkflowRoute, type EditorialAdminKind, type ResolveStep } from '../../platform/admin/editorial-routes.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { frameworkTree } from '../framework/index.js';
import { ActivityForm, AdminActivityList, type AdminActivityRow, type FormOptions } from './activities.admin.views.js';
import {
  changeActivityWorkflow,
  createActivityDraft,
  listActivityRevisions,
  loadActivityRevision,
  loadEditableActivity,
  restoreActivityRevision,
  translationStates,
  updateActivity,
  type EditableActivity,
} from './activities.editor.js';
import { blankFormValues, readForm, toFormValues, validateForm, type ActivityFormValues } from './activities.form.js';
import { activityAbilities } from './activities.policy.js';
import { has } from '../../platform/policy.js';
import { findActivityRow, matchesFilters, sqlFilters } from './activities.repository.js';
import { ActivityInputSchema, type ActivityInputParsed } from './activities.schemas.js';
import { activityDetail, parseListQuery } from './activities.service.js';
import { ActivityPage } from './activities.views.js';

const PAGE_SIZE = 50;

async function formOptions(db: Db, lang: string, exclude: number | null, defaultLanguage: string): Promise<FormOptions> {
  const collator = new Intl.Collator(lang);
  const countries = await db
    .selectFrom('countries')
    .innerJoin('country_names', 'country_names.country_code', 'countries.code')
    .select(['countries.code', 'country_names.name', 'country_names.lang'])
    .execute();
  const byCode = new Map<string, string>();
  for (const c of countries) if (c.lang === lang || !byCode.has(c.code)) byCode.set(c.code, c.name);
  const countryOptions = [...byCode].map(([value, label]) => ({ value, label })).sort((a, b) => collator.compare(a.label, b.label));
  const orgs = await db
    .selectFrom('organisations')
    .innerJoin('organisation_names', 'organisation_names.organisation_id', 'organisations.id')
    .select(['organisations.code', 'organisation_names.name', 'organisation_names.abbr', 'organisation_names.lang'])
    .where('organisations.retired', '=', 0)
    .execute();
  const orgNames = new Map<string, string>();
  for (const o of orgs) if (o.lang === lang || !orgNames.has(o.code)) orgNames.set(o.code, o.abbr ? `${o.name} (${o.abbr})` : o.name);
  const activities = await db
    .selectFrom('activities')
    .leftJoin('activity_translations as t', (j) => j.onRef('t.activity_id', '=', 'activities.id').on('t.lang', '=', lang))
    .leftJoin('activity_translations as en', (j) => j.onRef('en.activity_id', '=', 'activities.id').on('en.lang', '=', defaultLanguage))
    .select((eb) => ['activities.id', 'activities.start_date', eb.fn.coalesce('t.title', 'en.title', eb.val('')).as('title')])
    .orderBy('activities.start_date', 'desc')
    .execute();
  return {
    countries: countryOptions,
    parties: [
      ...countryOptions.map((c) => ({ value: `c:${c.value}`, label: c.label })),
      ...[...orgNames].map(([code, label]) => ({ value: `o:${code}`, label })).sort((a, b) => collator.compare(a.label, b.label)),
    ],
    frameworks: await frameworkTree(db, lang),
    activities: activities.filter((a) => a.id !== exclude).map((a) => ({ value: String(a.id), label: `${a.start_date} · ${a.title}` })),
  };
}

function titleOf(input: ActivityInputParsed, lang: string): string {
  return input.t[lang]?.title ?? Object.values(input.t)[0]?.title ?? '';
}

/** Every field of an activity as labelled text, for diffs and conflict tables. */
function flatten(input: ActivityInputParsed, tr: Translator): [string, string][] {
  const t = tr.t;
  const fig = (f: { value: number; qualifier: string } | null | undefined) => (f ? `${f.value} (${t(`activityAdmin.qualifier.${f.qualifier}` as MessageKey)})` : '');
  const party = (p: { country: string } | { organisation: string } | null | undefined) => (!p ? '' : 'country' in p ? p.country : p.organisation);
  const rows: [string, string][] = [
    [t('activityAdmin.field.type'), t(`type.${input.type}` as MessageKey)],
    [t('activityAdmin.field.status'), t(`status.${input.status}` as MessageKey)],
    [t('activityAdmin.field.start'), `${input.start_date} (${t(`activityAdmin.precision.${input.date_precision}` as MessageKey)})`],
    [t('activityAdmin.field.end'), input.end_date ?? ''],
    [t('activityAdmin.field.format'), t(`format.${input.format}` as MessageKey)],
    [t('activityAdmin.field.country'), input.country ?? ''],
    [t('activityAdmin.field.host'), party(input.host)],
    [t('activity.coChairs'), input.co_chairs.map(party).join(', ')],
    [t('activityAdmin.section.themes'), input.themes.join(', ')],
    [t('activityAdmin.field.participants'), fig(input.participants)],
    [t('activityAdmin.field.countries'), fig(input.countries_count)],
    [t('activityAdmin.field.organisations'), fig(input.organisations_count)],
    [t('activityAdmin.field.gallery'), input.gallery_url ?? ''],
    [t('activityAdmin.field.related'), input.related_ids.join(', ')],
  ];
  for (const [lang, tx] of Object.entries(input.t).sort()) {
    const l = t(`lang.${lang}` as MessageKey);
    rows.push([`${t('activityAdmin.field.title')} (${l})`, tx.title], [`${t('activityAdmin.field.slug')} (${l})`, tx.slug], [`${t('activityAdmin.field.summary')} (${l})`, tx.summary ?? '']);
    // The narrative as it reads, without its markup, so that the diff shows words.
    rows.push([`${t('activityAdmin.field.narrative')} (${l})`, richTextToPlain(tx.narrative_html ?? '')], [`${t('activityAdmin.field.city')} (${l})`, tx.city ?? ''], [`${t('activityAdmin.field.venue')} (${l})`, tx.venue ?? '']);
  }
  input.documents.forEach((d, i) => rows.push([t('activityAdmin.field.docType', { n: i + 1 }).replace(/:.*$/, ''), `${d.type} · ${d.lang} · ${d.url ?? ''} · ${Object.values(d.title).join(' / ')}`]));
  return rows;
}

const FIELD_LABELS: Record<string, MessageKey> = {
  type: 'activityAdmin.field.type',
  status: 'activityAdmin.field.status',
  start_date: 'activityAdmin.field.start',
  end_date: 'activityAdmin.field.end',
  date_precision: 'activityAdmin.field.precision',
  format: 'activityAdmin.field.format',
  country: 'activityAdmin.field.country',
  host: 'activityAdmin.field.host',
  co_chairs: 'activity.coChairs',
  themes: 'activityAdmin.section.themes',
  participants: 'activityAdmin.field.participants',
  countries_count: 'activityAdmin.field.countries',
  organisations_count: 'activityAdmin.field.organisations',
  gallery_url: 'activityAdmin.field.gallery',
  related_ids: 'activityAdmin.field.related',
  documents: 'activityAdmin.section.documents',
};

/** The label of a merge field of an activity (`type`, `t.fr.title`...) in the reader's language. */
function fieldLabel(key: string, tr: Translator): string {
  const m = /^t\.([^.]+)\.(.+)$/.exec(key);
  if (m) {
    const field = m[2] === 'narrative_html' ? 'narrative' : m[2];
    return `${tr.t(`activityAdmin.field.${field}` as MessageKey)} (${tr.t(`lang.${m[1]}` as MessageKey)})`;
  }
  const k = FIELD_LABELS[key];
  return k ? tr.t(k) : key;
}

/** Activities as the shared editorial back-office pages (notices, workflow, revisions) see them. */
const activityAdminKind: EditorialAdminKind<ActivityInputParsed, EditableActivity> = {
  path: '/activities',
  current: 'activities',
  load: loadEditableActivity,
  abilities: activityAbilities,
  title: titleOf,
  describe: flatten,
  fieldLabel,
  messages: { created: 'activityAdmin.created', back: 'activityAdmin.back', revisionsTitle: 'activityAdmin.revisions.title' },
  changeWorkflow: changeActivityWorkflow,
  listRevisions: listActivityRevisions,
  loadRevision: loadActivityRevision,
  restoreRevision: restoreActivityRevision,
};

/** Back-office pages for activities: list, create, edit, workflow, preview, revisions. */
export function registerActivityAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;

  const idParam = recordId;
  const kind = activityAdminKind;

  admin.get<{ Querystring: { workflow?: string; type?: string; q?: string; page?: string; theme?: string; year?: string; country?: string; format?: string } }>('/activities', async (request, reply) => {
    const can = activityAbilities(request.actor);
    const denied = guard(request, reply, can.list);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const parsed = await parseListQuery(admin.diwan, request.query as Record<string, unknown>);
    const filters = {
      workflow: String(request.query.workflow ?? '').slice(0, 20),
      q: String(request.query.q ?? '').slice(0, 100),
      type: parsed.filters.type ?? '',
      theme: parsed.filters.theme ?? '',
      year: parsed.filters.year ? String(parsed.filters.year) : '',
      country: parsed.filters.country ?? '',
      format: parsed.filters.format ?? '',
    };
    let q = db
      .selectFrom('activities')
      .leftJoin('activity_translations as t', (j) => j.onRef('t.activity_id', '=', 'activities.id').on('t.lang', '=', lang))
      .leftJoin('activity_translations as en', (j) => j.onRef('en.activity_id', '=', 'activities.id').on('en.lang', '=', config.defaultLanguage));
    if (filters.workflow) q = q.where('activities.workflow', '=', filters.workflow);
    // The same filters as the public list (type, theme with its sub-themes, year, country, format).
    q = q.where('activities.id', 'in', db.selectFrom('activities').select('activities.id').where((eb) => matchesFilters(eb, sqlFilters(parsed.filters), parsed.themeIds)));
    if (filters.q) {
      const like = `%${filters.q.toLowerCase().replace(/[%_\\]/g, '')}%`;
      q = q.where('activities.id', 'in', db.selectFrom('activity_translations').select('activity_id').where((eb) => eb(eb.fn('lower', ['title']), 'like', like)));
    }
    const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const page = Math.max(1, Math.min(10_000, Number(request.query.page) || 1));
    const rows = await q
      .select((eb) => ['activities.id', 'activities.start_date', 'activities.type', 'activities.workflow', eb.fn.coalesce('t.title', 'en.title', eb.val('')).as('title')])
      .orderBy('activities.start_date', 'desc')
      .orderBy('activities.id', 'desc')
      .offset((page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .execute();
    const langs = rows.length ? await db.selectFrom('activity_translations').select(['activity_id', 'lang']).where('activity_id', 'in', rows.map((r) => r.id)).execute() : [];
    const list: AdminActivityRow[] = rows.map((r) => ({ ...r, title: String(r.title), langs: langs.filter((l) => l.activity_id === r.id).map((l) => l.lang) }));
    return renderAdmin(request, reply, {
      title: translator(lang).t('activityAdmin.list.title'),
      current: 'activities',
      body: async ({ tr }) => <AdminActivityList tr={tr} rows={list} total={Number(total)} filters={filters} canCreate={can.create} languages={languages} options={await formOptions(db, lang, null, config.defaultLanguage)} />,
    });
  });

  const renderForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    args: {
      activity: EditableActivity | null;
      values: ActivityFormValues;
      errors: FieldError[];
      status?: number;
      notice?: string | undefined;
      workflowError?: string;
      /** Fields both people changed: the resolve step replaces the form. */
      resolve?: ResolveStep<ActivityInputParsed> | undefined;
    },
  ) => {
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const a = args.activity;
    const can = activityAbilities(request.actor, a ?? undefined);
    const options = await formOptions(db, lang, a?.id ?? null, config.defaultLanguage);
    const title = a ? tr.t('activityAdmin.edit.title', { title: titleOf(a.input, lang) }) : tr.t('activityAdmin.new.title');
    const states = translationStates(languages, a?.translationUpdatedAt ?? {});
    const publicSlug = a?.input.t[lang]?.slug;
    return renderAdmin(request, reply, {
      title,
      current: 'activities',
      status: args.status ?? 200,
      editor: true,
      body: ({ tr: t, csrf }) => (
        <>
          <p>
            <a href="/admin/activities" safe>
              {t.t('activityAdmin.back')}
            </a>
          </p>
          <h1 safe>{title}</h1>
          {args.notice ? (
            <p class="success" role="status" data-testid="notice" safe>
              {args.notice}
            </p>
          ) : (
            ''
          )}
          <ErrorSummary tr={t} errors={args.errors} />
          {a ? (
            <>
              {a.pendingVersion !== null ? <PendingChanges tr={t} revisionsHref={`/admin/activities/${a.id}/revisions`} from={a.liveVersion} to={a.pendingVersion} /> : ''}
              <WorkflowPanel tr={t} csrf={csrf} action={`/admin/activities/${a.id}/workflow`} workflow={a.workflow} publishedAt={a.publishedAt} can={can} error={args.workflowError} />
              <p class="actions">
                {can.preview
                  ? languages.map((l) => (
                      <a href={`/admin/activities/${a.id}/preview?lang=${l}`} data-testid={`preview-${l}`} safe>
                        {`${t.t('activityAdmin.preview')} (${l.toUpperCase()})`}
                      </a>
                    ))
                  : ''}
                <a href={`/admin/activities/${a.id}/agenda`} data-testid="agenda-link" safe>
                  {t.t('agenda.admin.link')}
                </a>
                {has(request.actor, 'registration.manage') ? (
                  <a href={`/admin/activities/${a.id}/registrations`} data-testid="registrations-link" safe>
                    {t.t('registration.admin.link')}
                  </a>
                ) : (
                  ''
                )}
                {can.revisions ? (
                  <a href={`/admin/activities/${a.id}/revisions`} data-testid="revisions-link" safe>
                    {t.t('editorial.revisions.link')}
                  </a>
                ) : (
                  ''
                )}
                {a.workflow === 'published' && publicSlug ? (
                  <a href={url('activities.show', lang, { slug: publicSlug })} safe>
                    {t.t('activityAdmin.viewPublic')}
                  </a>
                ) : (
                  ''
                )}
              </p>
            </>
          ) : (
            ''
          )}
          {a && args.resolve ? (
            <ConflictResolution
              tr={t}
              csrf={csrf}
              action={`/admin/activities/${a.id}/resolve`}
              conflicts={args.resolve.conflicts}
              label={(k) => fieldLabel(k, t)}
              mine={args.resolve.mine}
              baseVersion={args.resolve.baseVersion}
              intent={args.resolve.intent}
              missing={args.resolve.missing}
            />
          ) : can.edit || (!a && can.create) ? (
            <ActivityForm
              tr={t}
              csrf={csrf}
              action={a ? `/admin/activities/${a.id}` : '/admin/activities'}
              values={args.values}
              errors={args.errors}
              options={options}
              languages={languages}
              states={states}
              intents={{ submit: !!a && can.submit, publish: !!a && (can.publish || can.publishChanges) }}
            />
          ) : (
            ''
          )}
        </>
      ),
    });
  };

  admin.get('/activities/new', async (request, reply) => {
    const denied = guard(request, reply, activityAbilities(request.actor).create);
    if (denied) return denied;
    return renderForm(request, reply, { activity: null, values: blankFormValues(languages), errors: [] });
  });

  admin.post('/activities', async (request, reply) => {
    const denied = guard(request, reply, activityAbilities(request.actor).create);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const values = readForm((request.body ?? {}) as Record<string, unknown>, languages);
    const checked = await validateForm(db, values, tr, languages, null);
    if (!checked.input) return renderForm(request, reply, { activity: null, values: checked.values, errors: checked.errors, status: 400 });
    const id = await createActivityDraft(db, checked.input, request.actor!.id);
    request.log.info({ actor: request.actor!.id, activity: id }, 'activity created');
    return reply.redirect(`/admin/activities/${id}?done=created`, 303);
  });

  admin.get<{ Params: { id: string }; Querystring: { done?: string; merged?: string; restored?: string } }>('/activities/:id', async (request, reply) => {
    const denied = guard(request, reply, activityAbilities(request.actor).list);
    if (denied) return denied;
    const a = await loadEditableActivity(db, idParam(request));
    if (!a) throw notFound();
    const tr = translator(adminLanguage(request));
    return renderForm(request, reply, { activity: a, values: toFormValues(a.input, a.version, languages), errors: [], notice: editorialNotice(tr, kind, request.query) });
  });

  registerEditRoutes(admin, kind, {
    schema: ActivityInputSchema,
    check: (request, a) => validateForm(db, readForm((request.body ?? {}) as Record<string, unknown>, languages), translator(adminLanguage(request)), languages, a.id),
    values: (_request, a, input) => toFormValues(input, a.version, languages),
    update: updateActivity,
    render: (request, reply, v) => renderForm(request, reply, { activity: v.record, values: v.values, errors: v.errors, status: v.status, resolve: v.resolve }),
  });

  registerWorkflowRoute(admin, kind, (request, reply, a, message, status) => renderForm(request, reply, { activity: a, values: toFormValues(a.input, a.version, languages), errors: [], status, workflowError: message }));

  admin.get<{ Params: { id: string }; Querystring: { lang?: string } }>('/activities/:id/preview', async (request, reply) => {
    const denied = guard(request, reply, activityAbilities(request.actor).preview);
    if (denied) return denied;
    const row = await findActivityRow(db, idParam(request));
    if (!row) throw notFound();
    const lang = languages.includes(String(request.query.lang)) ? String(request.query.lang) : adminLanguage(request);
    const d = await activityDetail(admin.diwan, row, lang);
    const tr = d.tr;
    const html = await (
      <Layout tr={tr} stylesheet={admin.diwan.assets.stylesheet} current="activities" meta={{ title: d.translations.find((t) => t.lang === lang)?.title ?? '', baseUrl: admin.diwan.baseUrl, path: request.url, alternates: {}, noindex: true }}>
        <p class="notice" role="status" data-testid="preview-banner">
          <span safe>{tr.t('activityAdmin.previewBanner')}</span>{' '}
          <a href={`/admin/activities/${row.id}`} safe>
            {tr.t('activityAdmin.back')}
          </a>
        </p>
        <ActivityPage d={d} backHref={`/admin/activities/${row.id}`} />
      </Layout>
    );
    return sendHtml(request, reply, html, { lang });
  });

  registerRevisionRoutes(admin, kind);
}
