import multipart from '@fastify/multipart';
import { parseId } from '../../platform/http/urls.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { editorialNotice, registerEditRoutes, registerRevisionRoutes, registerWorkflowRoute, type EditorialAdminKind, type ResolveStep } from '../../platform/admin/editorial-routes.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { FileRejected, inspectFile } from '../../platform/files/inspect.js';
import { cleanFileName } from '../../platform/files/names.js';
import { notFound } from '../../platform/http/errors.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import type { StagedFile } from '../../platform/storage/storage.js';
import { ConflictResolution, PendingChanges, SaveButtons, WorkflowPanel } from '../../platform/views/editorial.js';
import { CsrfField, ErrorSummary, SelectField, TextArea, TextField, type FieldError } from '../../platform/views/forms.js';
import {
  addDocumentFiles,
  changeDocumentWorkflow,
  createDocument,
  listDocumentRevisions,
  loadDocumentRevision,
  loadEditableDocument,
  removeDocumentFile,
  restoreDocumentRevision,
  updateDocument,
  type EditableDocument,
  type IncomingFile,
} from './documents.commands.js';
import { sendStoredFile } from './documents.download.js';
import { checkDocumentForm, readDocumentValues, type DocumentValues } from './documents.form.js';
import { EXTRACT_JOB } from './documents.jobs.js';
import { documentAbilities, mayReadDocument } from './documents.policy.js';
import { filesOf, findFile, loadDocumentAccess, type FileSummary } from './documents.repository.js';
import { ACCESS_TIERS, DOCUMENT_TYPES, DocumentInputSchema, FILE_STATUSES, type DocumentInputParsed } from './documents.schemas.js';
import { FileLink } from './documents.views.js';

const docTitle = (input: DocumentInputParsed, lang: string) => input.t[lang]?.title ?? Object.values(input.t)[0]?.title ?? '';

function describeDocument(input: DocumentInputParsed, tr: Translator): [string, string][] {
  const t = tr.t;
  const rows: [string, string][] = [
    [t('documents.field.type'), t(`documents.type.${input.type}` as MessageKey)],
    [t('documents.field.date'), input.doc_date ?? ''],
    [t('documents.field.reference'), input.reference ?? ''],
    [t('documents.field.access'), t(`documents.access.${input.access}` as MessageKey)],
    [t('documents.field.roles'), input.access_roles.join(', ')],
    [t('documents.field.activities'), input.activities.join(', ')],
    [t('documents.facet.theme'), input.themes.join(', ')],
    [t('documents.facet.country'), input.countries.join(', ')],
  ];
  for (const [lang, tx] of Object.entries(input.t).sort()) {
    const l = t(`lang.${lang}` as MessageKey);
    rows.push([`${t('documents.field.title')} (${l})`, tx.title], [`${t('documents.field.slug')} (${l})`, tx.slug], [`${t('documents.field.description')} (${l})`, tx.description]);
  }
  return rows;
}

function fieldLabel(key: string, tr: Translator): string {
  const m = /^t\.([^.]+)\.(.+)$/.exec(key);
  if (m) return `${tr.t(m[2] === 'description' ? 'documents.field.description' : m[2] === 'slug' ? 'documents.field.slug' : 'documents.field.title')} (${tr.t(`lang.${m[1]}` as MessageKey)})`;
  const keys: Record<string, MessageKey> = {
    type: 'documents.field.type',
    doc_date: 'documents.field.date',
    reference: 'documents.field.reference',
    access: 'documents.field.access',
    access_roles: 'documents.field.roles',
    access_activity_id: 'documents.field.meeting',
    activities: 'documents.field.activities',
    themes: 'documents.facet.theme',
    countries: 'documents.facet.country',
  };
  return keys[key] ? tr.t(keys[key]) : key;
}

const kind: EditorialAdminKind<DocumentInputParsed, EditableDocument> = {
  path: '/documents',
  current: 'documents',
  load: loadEditableDocument,
  abilities: documentAbilities,
  title: docTitle,
  describe: describeDocument,
  fieldLabel,
  messages: { created: 'documents.admin.created', back: 'documents.admin.back', revisionsTitle: 'documents.admin.revisions' },
  changeWorkflow: changeDocumentWorkflow,
  listRevisions: listDocumentRevisions,
  loadRevision: loadDocumentRevision,
  restoreRevision: restoreDocumentRevision,
};

interface FormOptions {
  roles: string[];
  themes: { id: number; name: string }[];
  countries: { code: string; name: string }[];
}

function DocumentForm(p: { tr: Translator; csrf: string; action: string; values: DocumentValues; errors: FieldError[]; languages: string[]; options: FormOptions; intents: { submit: boolean; publish: boolean } }): JSX.Element {
  const { tr, values } = p;
  const t = tr.t;
  const err = (f: string) => p.errors.find((e) => e.field === f)?.message;
  const group = (id: string) => `group${err(id) ? ' has-error' : ''}`;
  const FieldErr = ({ id }: { id: string }) =>
    err(id) ? (
      <span class="field-error" id={`${id}-error`} safe>
        {err(id)}
      </span>
    ) : (
      <></>
    );
  return (
    <form method="post" action={p.action} novalidate data-testid="document-form" data-guard-unsaved>
      <CsrfField token={p.csrf} />
      <input type="hidden" name="version" value={values.version} />
      <SelectField id="type" label={t('documents.field.type')} value={values.type} error={err('type')} blank="" options={DOCUMENT_TYPES.map((d) => ({ value: d, label: t(`documents.type.${d}` as MessageKey) }))} />
      <TextField id="doc_date" label={t('documents.field.date')} hint={t('documents.field.dateHint')} value={values.doc_date} error={err('doc_date')} width="short" />
      <TextField id="reference" label={t('documents.field.reference')} hint={t('documents.field.referenceHint')} value={values.reference} error={err('reference')} width="short" />
      <div class="side-by-side">
        {p.languages.map((l) => (
          <fieldset lang={l}>
            <legend safe>{t('form.language', { language: t(`lang.${l}` as MessageKey) })}</legend>
            <TextField id={`t_${l}_title`} label={t('documents.field.title')} value={values.t[l]?.title} error={err(`t_${l}_title`)} />
            <TextField id={`t_${l}_slug`} label={t('documents.field.slug')} hint={t('documents.field.slugHint')} value={values.t[l]?.slug} error={err(`t_${l}_slug`)} />
            <TextArea id={`t_${l}_description`} label={t('documents.field.description')} value={values.t[l]?.description} error={err(`t_${l}_description`)} rows={5} />
          </fieldset>
        ))}
      </div>
      <fieldset class={group('access')} id="access" tabindex="-1" aria-describedby={err('access') ? 'access-error' : 'access-hint'}>
        <legend safe>{t('documents.field.access')}</legend>
        <p class="hint" id="access-hint" safe>
          {t('documents.field.accessHint')}
        </p>
        <FieldErr id="access" />
        {ACCESS_TIERS.map((a) => (
          <label class="radio">
            <input type="radio" name="access" value={a} checked={values.access === a} data-testid={`access-${a}`} />
            <span safe>{`${t(`documents.access.${a}` as MessageKey)} – ${t(`documents.accessHint.${a}` as MessageKey)}`}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class={group('access_roles')} id="access_roles" tabindex="-1" aria-describedby={err('access_roles') ? 'access_roles-error' : undefined}>
        <legend safe>{t('documents.field.roles')}</legend>
        <FieldErr id="access_roles" />
        <div class="checkboxes">
          {p.options.roles.map((r) => (
            <label>
              <input type="checkbox" name="access_roles" value={r} checked={values.access_roles.includes(r)} />
              <span safe>{t(`role.${r}` as MessageKey)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <TextField id="meeting" label={t('documents.field.meeting')} hint={t('documents.field.meetingHint')} value={values.meeting} error={err('meeting')} />
      <TextArea id="activities" label={t('documents.field.activities')} hint={t('documents.field.activitiesHint')} value={values.activities} error={err('activities')} rows={3} />
      <fieldset class={group('themes')} id="themes" tabindex="-1" aria-describedby={err('themes') ? 'themes-error' : undefined}>
        <legend safe>{t('documents.facet.theme')}</legend>
        <FieldErr id="themes" />
        <div class="checkboxes">
          {p.options.themes.map((th) => (
            <label>
              <input type="checkbox" name="themes" value={String(th.id)} checked={values.themes.includes(String(th.id))} />
              <span safe>{th.name}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div class={`field${err('countries') ? ' has-error' : ''}`}>
        <label for="countries" safe>
          {t('documents.facet.country')}
        </label>
        <span class="hint" id="countries-hint" safe>
          {t('documents.field.countriesHint')}
        </span>
        <FieldErr id="countries" />
        <select id="countries" name="countries" multiple="multiple" size="8" aria-describedby="countries-hint">
          {p.options.countries.map((c) => (
            <option value={c.code} selected={values.countries.includes(c.code)} safe>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <SaveButtons tr={tr} intents={p.intents} />
    </form>
  );
}

/** The files panel of a document: what it holds, per language and version, and the upload form. */
function FilesPanel({ tr, csrf, doc, files, errors, maxMb, languages, canUpload }: { tr: Translator; csrf: string; doc: EditableDocument; files: FileSummary[]; errors: FieldError[]; maxMb: number; languages: string[]; canUpload: boolean }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <section aria-labelledby="files-title" data-testid="files-panel">
      <h2 id="files-title" safe>
        {t('documents.files')}
      </h2>
      {files.length ? (
        <table class="data" data-testid="admin-files">
          <thead>
            <tr>
              <th scope="col" safe>{t('documents.col.file')}</th>
              <th scope="col" safe>{t('documents.col.version')}</th>
              <th scope="col" safe>{t('documents.col.text')}</th>
              <th scope="col" safe>{t('documents.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr>
                <td>
                  <FileLink tr={tr} file={f} href={`/admin/documents/${doc.id}/files/${f.id}`} />
                  <br />
                  <span class="muted" safe>
                    {f.fileName}
                  </span>
                </td>
                <td safe>{`${t('documents.version', { version: f.version })} · ${t(f.status === 'draft' ? 'documents.status.draft' : 'documents.status.adopted')}`}</td>
                <td data-testid="text-state" safe>
                  {t(`documents.text.${f.textState}` as MessageKey) + (f.textError ? ` (${f.textError})` : '')}
                </td>
                <td>
                  {canUpload ? (
                    <form method="post" action={`/admin/documents/${doc.id}/files/${f.id}/delete`}>
                      <CsrfField token={csrf} />
                      <button type="submit" class="button secondary" aria-label={t('documents.removeFile', { name: f.fileName })} safe>
                        {t('documents.remove')}
                      </button>
                    </form>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted" safe>
          {t('documents.noFile')}
        </p>
      )}
      {canUpload ? (
        <form method="post" action={`/admin/documents/${doc.id}/files`} enctype="multipart/form-data" novalidate data-testid="upload-form" data-upload-progress={t('documents.upload.progress', { percent: '__PERCENT__' })}>
          <CsrfField token={csrf} />
          <h3 safe>{t('documents.upload.title')}</h3>
          <p class="hint" safe>
            {t('documents.upload.hint', { max: maxMb })}
          </p>
          <SelectField id="file_status" label={t('documents.field.fileStatus')} value={err('file_status') ? '' : 'adopted'} options={FILE_STATUSES.map((s) => ({ value: s, label: t(`documents.status.${s}` as MessageKey) }))} />
          {languages.map((l) => (
            <div class={`field${err(`file_${l}`) ? ' has-error' : ''}`}>
              <label for={`file_${l}`} safe>
                {t('documents.upload.file', { language: t(`lang.${l}` as MessageKey) })}
              </label>
              {err(`file_${l}`) ? (
                <span class="field-error" id={`file_${l}-error`} safe>
                  {err(`file_${l}`)}
                </span>
              ) : (
                ''
              )}
              <input type="file" id={`file_${l}`} name={`file_${l}`} accept=".pdf,.docx,.pptx,.xlsx,.odt,.jpg,.jpeg,.png,.webp" aria-describedby={err(`file_${l}`) ? `file_${l}-error` : undefined} />
            </div>
          ))}
          <progress hidden max="100" value="0" data-upload-bar aria-labelledby="upload-status"></progress>
          <p id="upload-status" class="muted" role="status" aria-live="polite" data-upload-status></p>
          <button type="submit" class="button" safe>
            {t('documents.upload.button')}
          </button>
        </form>
      ) : (
        ''
      )}
    </section>
  );
}

/** What an upload brought, per form field, once staged (never the whole file in memory). */
type UploadedPart = { name: string; staged: StagedFile | null; truncated: boolean; error?: string };
const staging = new WeakMap<FastifyRequest, StagedFile[]>();

/** The message for each reason an upload is refused (the library's, and every other upload that uses its checks). */
export const REFUSALS: Record<string, MessageKey> = {
  empty: 'documents.refused.empty',
  unsupported: 'documents.refused.unsupported',
  html: 'documents.refused.html',
  svg: 'documents.refused.svg',
  mismatch: 'documents.refused.mismatch',
  zip_bomb: 'documents.refused.zipBomb',
  corrupt: 'documents.refused.corrupt',
  too_large: 'documents.refused.tooLarge',
};

/** Back-office pages of the library: list, create, edit, files, workflow, revisions, and downloads of documents not open to everyone. */
export function registerDocumentAdminRoutes(admin: FastifyInstance): void {
  const { db, config } = admin.diwan;
  const languages = config.languages;

  const formOptions = async (lang: string): Promise<FormOptions> => {
    const [roles, themes, countries] = await Promise.all([
      db.selectFrom('roles').select('code').orderBy('position').execute(),
      db.selectFrom('themes').innerJoin('theme_names as n', 'n.theme_id', 'themes.id').select(['themes.id', 'n.name']).where('n.lang', '=', lang).where('themes.retired', '=', 0).orderBy('themes.framework_id').orderBy('themes.position').execute(),
      db.selectFrom('countries').innerJoin('country_names as n', 'n.country_code', 'countries.code').select(['countries.code', 'n.name']).where('n.lang', '=', lang).execute(),
    ]);
    return { roles: roles.map((r) => r.code), themes, countries: countries.sort((a, b) => a.name.localeCompare(b.name, lang)) };
  };

  const activitySlugs = async (ids: number[], lang: string): Promise<Map<number, string>> => {
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('activity_translations').select(['activity_id', 'lang', 'slug']).where('activity_id', 'in', ids).execute();
    const out = new Map<number, string>();
    for (const r of rows) if (r.lang === lang || !out.has(r.activity_id)) out.set(r.activity_id, r.slug);
    return out;
  };

  const toValues = async (d: EditableDocument, lang: string): Promise<DocumentValues> => {
    const i = d.input;
    const slugs = await activitySlugs([...i.activities, ...(i.access_activity_id ? [i.access_activity_id] : [])], lang);
    return {
      version: String(d.version),
      type: i.type,
      doc_date: i.doc_date ?? '',
      reference: i.reference ?? '',
      access: i.access,
      access_roles: i.access_roles,
      meeting: i.access_activity_id ? (slugs.get(i.access_activity_id) ?? String(i.access_activity_id)) : '',
      activities: i.activities.map((a) => slugs.get(a) ?? String(a)).join('\n'),
      themes: i.themes.map(String),
      countries: i.countries,
      t: Object.fromEntries(languages.map((l) => [l, { title: i.t[l]?.title ?? '', slug: i.t[l]?.slug ?? '', description: i.t[l]?.description ?? '' }])),
    };
  };

  const emptyValues = (): DocumentValues => ({ version: '0', type: '', doc_date: '', reference: '', access: 'public', access_roles: [], meeting: '', activities: '', themes: [], countries: [], t: {} });

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    doc: EditableDocument | null,
    values: DocumentValues,
    errors: FieldError[],
    extra: { status?: number; notice?: string; resolve?: ResolveStep<DocumentInputParsed>; workflowError?: string; fileErrors?: FieldError[] } = {},
  ) => {
    const lang = adminLanguage(request);
    const tr = translator(lang);
    const can = documentAbilities(request.actor, doc ?? undefined);
    const title = doc ? tr.t('documents.admin.edit', { title: docTitle(doc.input, lang) }) : tr.t('documents.admin.new');
    const [options, files] = await Promise.all([formOptions(lang), doc ? filesOf(db, [doc.id]) : Promise.resolve([])]);
    const fileErrors = extra.fileErrors ?? [];
    return renderAdmin(request, reply, {
      title,
      current: 'documents',
      status: extra.status ?? 200,
      // The back-office script: the upload's progress, the warning before leaving unsaved edits.
      editor: !!doc,
      body: ({ tr: t, csrf }) => (
        <>
          <p>
            <a href="/admin/documents" safe>
              {t.t('documents.admin.title')}
            </a>
          </p>
          <h1 safe>{title}</h1>
          {extra.notice ? (
            <p class="success" role="status" data-testid="notice" safe>
              {extra.notice}
            </p>
          ) : (
            ''
          )}
          <ErrorSummary tr={t} errors={[...fileErrors, ...errors]} />
          {doc && doc.pendingVersion !== null ? <PendingChanges tr={t} revisionsHref={`/admin/documents/${doc.id}/revisions`} from={doc.liveVersion} to={doc.pendingVersion} /> : ''}
          {doc ? (
            <>
              <WorkflowPanel tr={t} csrf={csrf} action={`/admin/documents/${doc.id}/workflow`} workflow={doc.workflow} publishedAt={doc.publishedAt} can={can} error={extra.workflowError} />
              {can.revisions ? (
                <p class="actions">
                  <a href={`/admin/documents/${doc.id}/revisions`} data-testid="revisions-link" safe>
                    {t.t('editorial.revisions.link')}
                  </a>
                </p>
              ) : (
                ''
              )}
              <FilesPanel tr={t} csrf={csrf} doc={doc} files={files} errors={fileErrors} maxMb={Math.round(config.maxUploadBytes / 1024 / 1024)} languages={languages} canUpload={can.upload} />
              <h2 safe>{t.t('documents.admin.details')}</h2>
            </>
          ) : (
            ''
          )}
          {doc && extra.resolve ? (
            <ConflictResolution tr={t} csrf={csrf} action={`/admin/documents/${doc.id}/resolve`} conflicts={extra.resolve.conflicts} label={(k) => fieldLabel(k, t)} mine={extra.resolve.mine} baseVersion={extra.resolve.baseVersion} intent={extra.resolve.intent} missing={extra.resolve.missing} />
          ) : can.edit || (!doc && can.create) ? (
            <DocumentForm tr={t} csrf={csrf} action={doc ? `/admin/documents/${doc.id}` : '/admin/documents'} values={values} errors={errors} languages={languages} options={options} intents={{ submit: !!doc && can.submit, publish: !!doc && (can.publish || can.publishChanges) }} />
          ) : (
            ''
          )}
        </>
      ),
    });
  };

  const docId = (request: FastifyRequest) => {
    const id = parseId((request.params as { id: string }).id);
    return id;
  };
  const check = async (request: FastifyRequest, values: DocumentValues, id: number | null) => {
    const roles = (await db.selectFrom('roles').select('code').execute()).map((r) => r.code);
    return checkDocumentForm(db, values, translator(adminLanguage(request)), { languages, documentId: id, roles });
  };

  admin.get('/documents', async (request, reply) => {
    const can = documentAbilities(request.actor);
    const denied = guard(request, reply, can.list);
    if (denied) return denied;
    const lang = adminLanguage(request);
    const rows = await db
      .selectFrom('documents as d')
      .leftJoin('document_translations as t', (j) => j.onRef('t.document_id', '=', 'd.id').on('t.lang', '=', lang))
      .select(['d.id', 'd.workflow', 'd.type', 'd.access', 'd.doc_date', 't.title', (eb) => eb.selectFrom('document_files as f').select((e) => e.fn.countAll<number>().as('n')).whereRef('f.document_id', '=', 'd.id').as('files')])
      .orderBy('d.updated_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(200)
      .execute();
    const fallback = rows.some((r) => r.title === null)
      ? new Map(
          (await db.selectFrom('document_translations').select(['document_id', 'title']).where('document_id', 'in', rows.filter((r) => r.title === null).map((r) => r.id)).execute()).map((r) => [r.document_id, r.title]),
        )
      : new Map<number, string>();
    return renderAdmin(request, reply, {
      title: translator(lang).t('documents.admin.title'),
      current: 'documents',
      body: ({ tr }) => (
        <>
          <h1 safe>{tr.t('documents.admin.title')}</h1>
          {can.create ? (
            <p>
              <a class="button" href="/admin/documents/new" safe>
                {tr.t('documents.admin.new')}
              </a>
            </p>
          ) : (
            ''
          )}
          {rows.length ? (
            <table class="data" data-testid="admin-documents">
              <thead>
                <tr>
                  <th scope="col" safe>{tr.t('documents.field.title')}</th>
                  <th scope="col" safe>{tr.t('documents.field.type')}</th>
                  <th scope="col" safe>{tr.t('documents.field.access')}</th>
                  <th scope="col" safe>{tr.t('editorial.col.workflow')}</th>
                  <th scope="col" safe>{tr.t('documents.files')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <a href={`/admin/documents/${r.id}`} safe>
                        {r.title ?? fallback.get(r.id) ?? `#${r.id}`}
                      </a>
                    </td>
                    <td safe>{tr.t(`documents.type.${r.type}` as MessageKey)}</td>
                    <td safe>{tr.t(`documents.access.${r.access}` as MessageKey)}</td>
                    <td safe>{tr.t(`workflow.${r.workflow}` as MessageKey)}</td>
                    <td safe>{String(r.files ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p safe>{tr.t('documents.admin.none')}</p>
          )}
        </>
      ),
    });
  });

  admin.get('/documents/new', async (request, reply) => {
    const denied = guard(request, reply, documentAbilities(request.actor).create);
    if (denied) return denied;
    return render(request, reply, null, emptyValues(), []);
  });

  admin.post('/documents', async (request, reply) => {
    const denied = guard(request, reply, documentAbilities(request.actor).create);
    if (denied) return denied;
    const values = readDocumentValues(request.body, languages);
    const { errors, input } = await check(request, values, null);
    if (!input) return render(request, reply, null, values, errors, { status: 400 });
    const id = await createDocument(db, input, { id: request.actor!.id, canPublish: false });
    return reply.redirect(`/admin/documents/${id}?done=created`, 303);
  });

  admin.get<{ Params: { id: string }; Querystring: { done?: string; merged?: string; restored?: string } }>('/documents/:id', async (request, reply) => {
    const denied = guard(request, reply, documentAbilities(request.actor).list);
    if (denied) return denied;
    const doc = await loadEditableDocument(db, docId(request));
    if (!doc) return reply.callNotFound();
    const tr = translator(adminLanguage(request));
    const notice = request.query.done === 'files' ? tr.t('documents.upload.done') : request.query.done === 'file_removed' ? tr.t('documents.removed') : editorialNotice(tr, kind, request.query);
    return render(request, reply, doc, await toValues(doc, tr.lang), [], { notice });
  });

  registerEditRoutes(admin, kind, {
    schema: DocumentInputSchema,
    check: async (request, doc) => {
      const values = readDocumentValues(request.body, languages);
      return { values, ...(await check(request, values, doc.id)) };
    },
    values: (request, doc, input) => toValues({ ...doc, input }, adminLanguage(request)),
    update: updateDocument,
    render: (request, reply, v) => render(request, reply, v.record, v.values, v.errors, { status: v.status, resolve: v.resolve }),
  });

  admin.post<{ Params: { id: string; fileId: string } }>('/documents/:id/files/:fileId/delete', async (request, reply) => {
    const denied = guard(request, reply, documentAbilities(request.actor).upload);
    if (denied) return denied;
    const fileId = parseId(request.params.fileId);
    if (!fileId || !(await removeDocumentFile(db, docId(request), fileId, request.actor!.id))) throw notFound();
    return reply.redirect(`/admin/documents/${docId(request)}?done=file_removed`, 303);
  });

  // Downloads through the back-office: any document the reader may open, checked on every request.
  admin.get<{ Params: { id: string; fileId: string } }>('/documents/:id/files/:fileId', async (request, reply) => {
    if (!request.actor) return guard(request, reply, false);
    const fileId = parseId(request.params.fileId);
    const file = fileId ? await findFile(db, fileId) : null;
    if (!file || file.documentId !== docId(request)) throw notFound();
    const now = new Date().toISOString();
    const access = await loadDocumentAccess(db, file.documentId, now);
    if (!access) throw notFound();
    guard(request, reply, mayReadDocument(request.actor, access, now));
    return sendStoredFile(request, reply, admin.diwan.files, file, { public: false });
  });

  registerWorkflowRoute(admin, kind, async (request, reply, doc, message, status) => render(request, reply, doc, await toValues(doc, adminLanguage(request)), [], { status, workflowError: message }));
  registerRevisionRoutes(admin, kind);

  // The upload: multipart is parsed only in this scope. Access and the declared size are checked
  // before the body is read; each file streams to a temporary under the size limit (never whole in
  // memory), is checked by content, and only then moved into place and recorded.
  admin.register(async (scope) => {
    const maxFiles = languages.length;
    scope.addHook('onRequest', async (request, reply) => {
      if (!request.actor) return guard(request, reply, false);
      if (!documentAbilities(request.actor).upload) return guard(request, reply, false);
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > maxFiles * config.maxUploadBytes + 1024 * 1024) {
        reply.header('connection', 'close');
        return reply.code(413).type('text/plain; charset=utf-8').send(translator(adminLanguage(request)).t('documents.refused.tooLarge', { max: Math.round(config.maxUploadBytes / 1024 / 1024) }));
      }
    });
    // Whatever was staged and not moved into place is removed before the response leaves (a refused
    // CSRF token, a rejected file, an error); what was moved into place is no longer there to remove.
    const discardStaged = async (request: FastifyRequest) => {
      for (const s of staging.get(request) ?? []) await s.discard().catch(() => undefined);
      staging.delete(request);
    };
    scope.addHook('onSend', async (request) => discardStaged(request));
    // A connection cut mid-upload sends nothing: its temporaries go when the request ends.
    scope.addHook('onResponse', async (request) => discardStaged(request));
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: config.maxUploadBytes, files: maxFiles, fields: 10, fieldSize: 4 * 1024, parts: maxFiles + 10 },
      async onFile(part) {
        const request = this as unknown as FastifyRequest;
        const entry: UploadedPart = { name: part.filename, staged: null, truncated: false };
        if (part.filename) {
          try {
            const staged = await admin.diwan.files.stage(part.file, { maxBytes: config.maxUploadBytes + 1 });
            const list = staging.get(request) ?? [];
            list.push(staged);
            staging.set(request, list);
            entry.staged = staged;
            entry.truncated = part.file.truncated;
          } catch (err) {
            entry.error = err instanceof Error ? err.name : 'error';
            part.file.resume();
          }
        } else part.file.resume();
        (part as unknown as { value: UploadedPart }).value = entry;
      },
    });
    scope.post<{ Params: { id: string } }>('/documents/:id/files', async (request, reply) => {
      const doc = await loadEditableDocument(db, docId(request));
      if (!doc) throw notFound();
      const tr = translator(adminLanguage(request));
      const body = (request.body ?? {}) as Record<string, unknown>;
      const status = FILE_STATUSES.find((s) => s === body.file_status) ?? 'adopted';
      const errors: FieldError[] = [];
      const incoming: IncomingFile[] = [];
      const maxMb = Math.round(config.maxUploadBytes / 1024 / 1024);
      for (const lang of languages) {
        const part = body[`file_${lang}`] as UploadedPart | undefined;
        if (!part || typeof part !== 'object' || !part.name) continue;
        const field = `file_${lang}`;
        const label = tr.t(`lang.${lang}` as MessageKey);
        if (part.truncated || part.error === 'FileTooLarge') {
          errors.push({ field, message: `${label}: ${tr.t('documents.refused.tooLarge', { max: maxMb })}` });
          continue;
        }
        if (!part.staged) {
          errors.push({ field, message: `${label}: ${tr.t('documents.refused.failed')}` });
          continue;
        }
        try {
          const inspected = await inspectFile(part.staged.path, { declaredName: part.name });
          incoming.push({ lang, status, staged: part.staged, inspected, fileName: cleanFileName(part.name, inspected.extension) });
        } catch (err) {
          if (!(err instanceof FileRejected)) throw err;
          errors.push({ field, message: `${label}: ${tr.t(REFUSALS[err.reason] ?? 'documents.refused.unsupported', { max: maxMb, name: part.name.slice(0, 120) })}` });
        }
      }
      if (!errors.length && !incoming.length) errors.push({ field: `file_${languages[0]}`, message: tr.t('documents.upload.none') });
      if (errors.length) {
        reply.header('connection', 'close');
        return render(request, reply, doc, await toValues(doc, tr.lang), [], { status: 400, fileErrors: errors });
      }
      const ids = await addDocumentFiles(db, admin.diwan.files, doc.id, incoming, request.actor!.id);
      for (const id of ids) await admin.diwan.jobs.send(EXTRACT_JOB, { fileId: id }, { singletonKey: `file:${id}` });
      request.log.info({ actor: request.actor!.id, document: doc.id, files: ids.length }, 'files added');
      return reply.redirect(`/admin/documents/${doc.id}?done=files`, 303);
    });
  });
}

