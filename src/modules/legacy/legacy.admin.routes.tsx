import multipart from '@fastify/multipart';
import { parseId } from '../../platform/http/urls.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, SelectField, TextArea, TextField, type FieldError } from '../../platform/views/forms.js';
import { adminLanguage, guard, renderAdmin } from '../../platform/admin/shell.js';
import { ACTIVITY_FORMATS, ACTIVITY_TYPES, FIGURE_QUALIFIERS } from '../activities/index.js';
import { applyImportPlan } from './legacy.commands.js';
import { MAX_PAGE_BYTES } from './legacy.cli.js';
import type { PlanAction, PlanItem } from './legacy.match.js';
import { importAbilities } from './legacy.policy.js';
import { allowedActions, fieldName, planFingerprint, readPastedPage, readUploadedPage, reviewImport, type ItemValues, type Review, type ReviewError } from './legacy.review.js';
import { legacyDb } from './legacy.tables.js';
import { IMPORTER_LANGUAGE, translateLegacyMessage } from './legacy.messages.js';

/**
 * Back-office import of old pages (admins only): the list of runs, a form to paste a saved page,
 * the review (source text beside the extracted fields, which the admin corrects, and the planned
 * action, which the admin may change), and the report of each run. The pending review is kept in
 * the review form itself; nothing is written until it is accepted, through applyImportPlan.
 */

/** A urlencoded 20 MB page grows up to three times when posted; the page itself is measured after parsing. */
const POST_LIMIT = MAX_PAGE_BYTES * 3 + 1024 * 1024;

function dateTime(tr: Translator, iso: string): string {
  return `${new Intl.DateTimeFormat(tr.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}

function jsonList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

interface UploadedFile {
  name: string;
  bytes: Buffer;
  truncated: boolean;
}

const translate = (tr: Translator, errors: ReviewError[]): FieldError[] => errors.map((e) => ({ field: e.field, message: tr.t(e.key, e.values) }));

function NewImportForm({ tr, csrf, page, sourceUrl, errors }: { tr: Translator; csrf: string; page: string; sourceUrl: string; errors: FieldError[] }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const fileError = err('page_file');
  return (
    <>
      <section aria-labelledby="paste-heading">
        <h2 id="paste-heading" safe>
          {t('imports.form.paste')}
        </h2>
        <form method="post" action="/admin/imports/review" novalidate data-testid="import-form">
          <CsrfField token={csrf} />
          <TextArea id="page" label={t('imports.form.page')} hint={t('imports.form.pageHint')} value={page} error={err('page')} rows={18} />
          <TextField id="source_url" label={t('imports.form.sourceUrl')} hint={t('imports.form.sourceUrlHint')} type="url" value={sourceUrl} error={err('source_url')} />
          <button class="button" type="submit" data-testid="read-page" safe>
            {t('imports.form.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="upload-heading">
        <h2 id="upload-heading" safe>
          {t('imports.form.upload')}
        </h2>
        <form method="post" action="/admin/imports/upload" enctype="multipart/form-data" novalidate data-testid="upload-form">
          <CsrfField token={csrf} />
          <div class={`form-group${fileError ? ' has-error' : ''}`}>
            <label for="page_file" safe>
              {t('imports.form.file')}
            </label>
            <span class="hint" id="page_file-hint" safe>
              {t('imports.form.fileHint')}
            </span>
            {fileError ? (
              <span class="field-error" id="page_file-error" safe>
                {fileError}
              </span>
            ) : (
              ''
            )}
            <input id="page_file" name="page_file" type="file" accept=".html,.htm,.txt,text/html,text/plain" aria-describedby={fileError ? 'page_file-hint page_file-error' : 'page_file-hint'} aria-invalid={fileError ? 'true' : undefined} />
          </div>
          <TextField id="upload_source_url" name="source_url" label={t('imports.form.sourceUrl')} hint={t('imports.form.sourceUrlHint')} type="url" value={sourceUrl} error={err('upload_source_url')} />
          <button class="button" type="submit" data-testid="upload-page" safe>
            {t('imports.form.uploadSubmit')}
          </button>
        </form>
      </section>
    </>
  );
}

/** Importer messages in the reader's language; a line the catalogue does not know stays in English, marked as such. */
function Messages({ tr, items }: { tr: Translator; items: string[] }): JSX.Element {
  return (
    <ul>
      {items.map((line) => {
        const m = translateLegacyMessage(tr, line);
        return m.translated || tr.lang === IMPORTER_LANGUAGE ? <li safe>{m.text}</li> : <li lang={IMPORTER_LANGUAGE} safe>{m.text}</li>;
      })}
    </ul>
  );
}

function List({ tr, items, label, testid }: { tr: Translator; items: string[]; label: string; testid: string }): JSX.Element {
  if (!items.length) return <></>;
  return (
    <div data-testid={testid}>
      <h4 safe>{label}</h4>
      <Messages tr={tr} items={items} />
    </div>
  );
}

function actionLabel(tr: Translator, item: PlanItem, action: PlanAction): string {
  if (action === 'create') return tr.t('imports.review.action.create');
  if (action === 'skip') return tr.t('imports.review.action.skip');
  const target = item.target;
  if (target?.kind === 'planned') return tr.t('imports.review.action.mergePlanned', { n: target.index + 1, title: target.title });
  return tr.t('imports.review.action.merge', { title: target ? `#${target.id} “${target.title}”` : '' });
}

function ReviewItem({ tr, review, index, errors }: { tr: Translator; review: Review; index: number; errors: FieldError[] }): JSX.Element {
  const t = tr.t;
  const proposed = review.proposed[index]!;
  const planned = review.plan[index]!;
  const v = review.values[index]!;
  const a = proposed.activity;
  const source = review.excerpts[index] ?? review.excerpts[0] ?? [];
  const id = (f: keyof ItemValues) => fieldName(index, f);
  const err = (f: keyof ItemValues) => errors.find((e) => e.field === id(f))?.message;
  const conf = (k: keyof typeof a.confidence) => t('imports.review.confidence', { value: a.confidence[k] });
  const qualifiers = FIGURE_QUALIFIERS.map((q) => ({ value: q, label: t(`activityAdmin.qualifier.${q}` as MessageKey) }));
  const heading = t('imports.review.item', { n: index + 1, total: review.proposed.length });
  return (
    <section class="card import-item" data-testid={`import-item-${index}`} aria-labelledby={`${id('title')}-heading`}>
      <h2 id={`${id('title')}-heading`} safe>{`${heading}: ${a.title ?? t('imports.review.noTitle')}`}</h2>
      <div class="side-by-side">
        <div>
          <h3 safe>{t('imports.review.source')}</h3>
          <blockquote class="source-text" data-testid="source-text" lang={review.original.language}>
            {source.map((line) => (
              <p safe>{line}</p>
            ))}
          </blockquote>
        </div>
        <fieldset>
          <legend safe>{t('imports.review.fields')}</legend>
          <TextField id={id('title')} label={t('imports.field.title')} hint={conf('title')} value={v.title} error={err('title')} lang={a.language} />
          <SelectField id={id('type')} label={t('imports.field.type')} hint={conf('type')} value={v.type} blank={t('imports.field.typeUnknown')} options={ACTIVITY_TYPES.map((x) => ({ value: x, label: t(`type.${x}` as MessageKey) }))} />
          <TextField id={id('start_date')} label={t('imports.field.startDate')} hint={`${t('imports.field.dateHint')} ${conf('dates')}`} value={v.start_date} error={err('start_date')} width="short" />
          <TextField id={id('end_date')} label={t('imports.field.endDate')} value={v.end_date} error={err('end_date')} width="short" />
          <SelectField id={id('date_precision')} label={t('imports.field.precision')} value={v.date_precision} blank="—" options={(['day', 'month', 'year'] as const).map((p) => ({ value: p, label: t(`activityAdmin.precision.${p}`) }))} />
          <TextField id={id('city')} label={t('imports.field.city')} hint={conf('place')} value={v.city} error={err('city')} />
          <TextField id={id('country')} label={t('imports.field.country')} hint={conf('place')} value={v.country} error={err('country')} width="short" />
          <SelectField id={id('format')} label={t('imports.field.format')} hint={conf('format')} value={v.format} blank={t('imports.field.typeUnknown')} options={ACTIVITY_FORMATS.map((f) => ({ value: f, label: t(`format.${f}` as MessageKey) }))} />
          <TextField id={id('co_chairs')} label={t('imports.field.coChairs')} hint={`${t('imports.field.coChairsHint')} ${conf('co_chairs')}`} value={v.co_chairs} error={err('co_chairs')} />
          <TextField id={id('themes')} label={t('imports.field.themes')} hint={conf('themes')} value={v.themes} error={err('themes')} />
          <TextField id={id('participants')} label={t('imports.field.participants')} hint={conf('participants')} value={v.participants} error={err('participants')} width="short" />
          <SelectField id={id('participants_q')} label={`${t('imports.field.qualifier')} (${t('imports.field.participants')})`} value={v.participants_q} options={qualifiers} />
          <TextField id={id('countries_count')} label={t('imports.field.countriesCount')} hint={conf('countries_count')} value={v.countries_count} error={err('countries_count')} width="short" />
          <SelectField id={id('countries_count_q')} label={`${t('imports.field.qualifier')} (${t('imports.field.countriesCount')})`} value={v.countries_count_q} options={qualifiers} />
          <TextArea id={id('documents')} label={t('imports.field.documents')} hint={conf('documents')} value={v.documents} error={err('documents')} rows={4} />
        </fieldset>
      </div>
      <List items={proposed.warnings} label={t('imports.review.warnings')} testid="warnings" tr={tr} />
      <List items={proposed.reasons} label={t('imports.review.reasons')} testid="reasons" tr={tr} />
      {proposed.action === 'merge' ? <List items={proposed.changes} label={t('imports.review.changes')} testid="changes" tr={tr} /> : ''}
      <fieldset class="group" data-testid="action">
        <legend safe>{t('imports.review.action')}</legend>
        {err('action') ? (
          <span class="field-error" id={`${id('action')}-error`} safe>
            {err('action')}
          </span>
        ) : (
          ''
        )}
        {allowedActions(proposed).map((action, i) => (
          <div class="radio">
            <input type="radio" id={i === 0 ? id('action') : `${id('action')}-${action}`} name={id('action')} value={action} checked={planned.action === action} />{' '}
            <label for={i === 0 ? id('action') : `${id('action')}-${action}`} safe>
              {actionLabel(tr, proposed, action)}
            </label>
            {action === 'merge' && proposed.target?.kind === 'existing' ? (
              <>
                {' '}
                <a href={`/admin/activities/${proposed.target.id}`} data-testid="merge-target" safe>
                  {`#${proposed.target.id}`}
                </a>
              </>
            ) : (
              ''
            )}
          </div>
        ))}
      </fieldset>
    </section>
  );
}

/** Back-office pages of the legacy import: runs, new import, review, accept, report. */
export function registerImportAdminRoutes(admin: FastifyInstance): void {
  const { db } = admin.diwan;
  const ldb = legacyDb(db);
  const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, unknown>;
  const str = (b: Record<string, unknown>, k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');

  const renderForm = (request: FastifyRequest, reply: FastifyReply, page: string, sourceUrl: string, errors: ReviewError[], status = 200) => {
    const tr = translator(adminLanguage(request));
    return renderAdmin(request, reply, {
      title: tr.t('imports.form.title'),
      current: 'imports',
      status,
      body: ({ tr: t, csrf }) => (
        <>
          <p>
            <a href="/admin/imports" safe>
              {t.t('imports.title')}
            </a>
          </p>
          <h1 safe>{t.t('imports.form.title')}</h1>
          <p safe>{t.t('imports.form.intro')}</p>
          <ErrorSummary tr={t} errors={translate(t, errors)} />
          <NewImportForm tr={t} csrf={csrf} page={page} sourceUrl={sourceUrl} errors={translate(t, errors)} />
        </>
      ),
    });
  };

  const renderReview = (request: FastifyRequest, reply: FastifyReply, review: Review, status = 200, notice?: MessageKey) => {
    const tr = translator(adminLanguage(request));
    const n = (a: string) => review.plan.filter((p) => p.action === a).length;
    return renderAdmin(request, reply, {
      title: tr.t('imports.review.title'),
      current: 'imports',
      status,
      body: ({ tr: t, csrf }) => {
        const errors = translate(t, review.errors);
        return (
          <>
            <p>
              <a href="/admin/imports" safe>
                {t.t('imports.title')}
              </a>
            </p>
            <h1 safe>{t.t('imports.review.title')}</h1>
            <p safe>{t.t('imports.review.intro')}</p>
            {notice ? (
              <p class="error-summary" role="alert" data-testid="notice" safe>
                {t.t(notice)}
              </p>
            ) : (
              ''
            )}
            <ErrorSummary tr={t} errors={errors} />
            <p data-testid="plan-summary" safe>
              {t.t('imports.review.summary', { create: n('create'), merge: n('merge'), skip: n('skip') })}
            </p>
            <form method="post" action="/admin/imports/accept" novalidate data-testid="review-form">
              <CsrfField token={csrf} />
              <input type="hidden" name="page" value={review.page.text} />
              <input type="hidden" name="source_url" value={review.page.sourceUrl ?? ''} />
              <input type="hidden" name="plan" value={planFingerprint(review.proposed)} />
              {review.proposed.map((_, i) => (
                <ReviewItem tr={t} review={review} index={i} errors={errors} />
              ))}
              {importAbilities(request.actor).publish ? (
                <div class="form-group">
                  <label>
                    <input type="checkbox" name="publish" value="1" class="checkbox" checked={str(body(request), 'publish') === '1'} data-testid="publish-imported" /> <span safe>{t.t('imports.review.publish')}</span>
                  </label>
                  <span class="hint" safe>
                    {t.t('imports.review.publishHint')}
                  </span>
                </div>
              ) : (
                <p class="hint" data-testid="drafts-notice" safe>
                  {t.t('imports.review.drafts')}
                </p>
              )}
              <div class="actions">
                <button class="button secondary" type="submit" formaction="/admin/imports/review" data-testid="check" safe>
                  {t.t('imports.review.check')}
                </button>{' '}
                <button class="button" type="submit" data-testid="accept" safe>
                  {t.t('imports.review.accept')}
                </button>
              </div>
            </form>
          </>
        );
      },
    });
  };

  /** Reads the posted page (and corrections); answers with the form again when it cannot be reviewed. */
  const review = async (request: FastifyRequest, reply: FastifyReply): Promise<{ review: Review } | { sent: FastifyReply }> => {
    const b = body(request);
    const pageText = str(b, 'page');
    const sourceUrl = str(b, 'source_url');
    const pasted = readPastedPage(pageText, sourceUrl);
    // Garbage is not echoed back into the form; what was typed otherwise is kept.
    if (!pasted.ok) return { sent: await renderForm(request, reply, pasted.errors.some((e) => e.key === 'imports.error.binary' || e.key === 'imports.error.tooLarge') ? '' : pageText, sourceUrl, pasted.errors, 400) };
    const r = await reviewImport(db, pasted.page, b);
    if (!r) return { sent: await renderForm(request, reply, pageText, sourceUrl, [{ field: 'page', key: 'imports.error.nothingFound' }], 400) };
    return { review: r };
  };

  admin.get('/imports', async (request, reply) => {
    const denied = guard(request, reply, importAbilities(request.actor).list);
    if (denied) return denied;
    const tr = translator(adminLanguage(request));
    const runs = await ldb.selectFrom('legacy_import_runs').selectAll().orderBy('id', 'desc').limit(200).execute();
    return renderAdmin(request, reply, {
      title: tr.t('imports.title'),
      current: 'imports',
      body: ({ tr: t }) => (
        <>
          <h1 safe>{t.t('imports.title')}</h1>
          <p safe>{t.t('imports.intro')}</p>
          <p>
            <a class="button" href="/admin/imports/new" data-testid="new-import" safe>
              {t.t('imports.new')}
            </a>
          </p>
          {runs.length ? (
            <table class="data" data-testid="import-runs">
              <thead>
                <tr>
                  <th scope="col" safe>{t.t('imports.col.date')}</th>
                  <th scope="col" safe>{t.t('imports.col.files')}</th>
                  <th scope="col" safe>{t.t('imports.col.created')}</th>
                  <th scope="col" safe>{t.t('imports.col.merged')}</th>
                  <th scope="col" safe>{t.t('imports.col.skipped')}</th>
                  <th scope="col" safe>{t.t('imports.col.failed')}</th>
                  <th scope="col" safe>{t.t('imports.col.warnings')}</th>
                  <th scope="col" safe>{t.t('imports.col.report')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => {
                  const files = jsonList(r.files);
                  return (
                    <tr>
                      <td safe>{dateTime(t, r.started_at)}</td>
                      <td safe>{files.length ? files.join(', ') : t.t('imports.pasted')}</td>
                      <td safe>{t.number(r.created)}</td>
                      <td safe>{t.number(r.merged)}</td>
                      <td safe>{t.number(r.skipped)}</td>
                      <td safe>{t.number(r.failed)}</td>
                      <td safe>{t.number(r.warnings)}</td>
                      <td>
                        <a href={`/admin/imports/${r.id}`} safe>
                          {t.t('imports.reportLink', { id: r.id })}
                        </a>
                        {r.finished_at ? (
                          ''
                        ) : (
                          <>
                            {' '}
                            <span class="muted" safe>
                              {`(${t.t('imports.unfinished')})`}
                            </span>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p class="muted" safe>
              {t.t('imports.none')}
            </p>
          )}
        </>
      ),
    });
  });

  admin.get('/imports/new', async (request, reply) => {
    const denied = guard(request, reply, importAbilities(request.actor).run);
    if (denied) return denied;
    return renderForm(request, reply, '', '', []);
  });

  // The posts that bring a page (pasted, reviewed, or as a file of at most 20 MB) may be large: who
  // asks is checked from the session before a byte of the body is read, and a body declared larger
  // than the limit is refused at once. The CSRF token is then checked on the parsed body, as everywhere.
  const bringsAPage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.actor || !importAbilities(request.actor).run) return guard(request, reply, false);
    if (Number(request.headers['content-length'] ?? 0) > POST_LIMIT) {
      reply.header('connection', 'close');
      return reply.code(413).type('text/plain; charset=utf-8').send(translator(adminLanguage(request)).t('imports.error.tooLarge'));
    }
    return undefined;
  };
  admin.post('/imports/review', { bodyLimit: POST_LIMIT, onRequest: bringsAPage }, async (request, reply) => {
    const denied = guard(request, reply, importAbilities(request.actor).run);
    if (denied) return denied;
    const r = await review(request, reply);
    if ('sent' in r) return r.sent;
    return renderReview(request, reply, r.review, r.review.errors.length ? 400 : 200);
  });

  admin.post('/imports/accept', { bodyLimit: POST_LIMIT, onRequest: bringsAPage }, async (request, reply) => {
    const denied = guard(request, reply, importAbilities(request.actor).run);
    if (denied) return denied;
    const r = await review(request, reply);
    if ('sent' in r) return r.sent;
    if (r.review.errors.length) return renderReview(request, reply, r.review, 400);
    // The plan must be the one reviewed: a correction may change a match, and another import may have written meanwhile.
    if (planFingerprint(r.review.proposed) !== str(body(request), 'plan')) return renderReview(request, reply, r.review, 409, 'imports.review.changed');
    // Publishing at once is checked against the permission here, not taken from the form.
    const publish = str(body(request), 'publish') === '1' && importAbilities(request.actor).publish;
    const report = await applyImportPlan(db, r.review.plan, { files: r.review.page.sourceUrl ? [r.review.page.sourceUrl] : [], actorUserId: request.actor!.id, publish });
    return reply.redirect(`/admin/imports/${report.runId}`, 303);
  });

  // The file upload: multipart is parsed only in this scope (never for the rest of the back-office), one file of at most 20 MB.
  admin.register(async (scope) => {
    scope.addHook('onRequest', bringsAPage);
    await scope.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_PAGE_BYTES, files: 1, fields: 8, fieldSize: 64 * 1024, parts: 10 },
      async onFile(part) {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        (part as unknown as { value: UploadedFile }).value = { name: part.filename, bytes: Buffer.concat(chunks), truncated: part.file.truncated };
      },
    });
    scope.post('/imports/upload', async (request, reply) => {
      const denied = guard(request, reply, importAbilities(request.actor).run);
      if (denied) return denied;
      const b = body(request);
      const sourceUrl = str(b, 'source_url');
      const file = b.page_file && typeof b.page_file === 'object' && 'bytes' in b.page_file ? (b.page_file as UploadedFile) : null;
      const uploaded = readUploadedPage(file, sourceUrl);
      if (!uploaded.ok) return renderForm(request, reply, '', sourceUrl, uploaded.errors, 400);
      const r = await reviewImport(db, uploaded.page, {});
      if (!r) return renderForm(request, reply, '', sourceUrl, [{ field: 'page_file', key: 'imports.error.nothingFound' }], 400);
      return renderReview(request, reply, r);
    });
  });

  admin.get<{ Params: { id: string } }>('/imports/:id', async (request, reply) => {
    const denied = guard(request, reply, importAbilities(request.actor).list);
    if (denied) return denied;
    const id = parseId(request.params.id);
    const run = id ? await ldb.selectFrom('legacy_import_runs').selectAll().where('id', '=', id).executeTakeFirst() : undefined;
    if (!run) return reply.callNotFound();
    const items = await ldb.selectFrom('legacy_import_items').selectAll().where('run_id', '=', id).orderBy('position').orderBy('id').execute();
    const tr = translator(adminLanguage(request));
    return renderAdmin(request, reply, {
      title: tr.t('imports.report.title', { id }),
      current: 'imports',
      body: ({ tr: t }) => (
        <>
          <p>
            <a href="/admin/imports" safe>
              {t.t('imports.report.back')}
            </a>
          </p>
          <h1 safe>{t.t('imports.report.title', { id })}</h1>
          <p safe>{t.t('imports.report.started', { date: dateTime(t, run.started_at) })}</p>
          <p data-testid="report-summary" safe>
            {t.t('imports.report.summary', { created: run.created, merged: run.merged, skipped: run.skipped, failed: run.failed, warnings: run.warnings })}
          </p>
          <table class="data" data-testid="import-report">
            <thead>
              <tr>
                <th scope="col" safe>{t.t('imports.report.col.n')}</th>
                <th scope="col" safe>{t.t('imports.report.col.result')}</th>
                <th scope="col" safe>{t.t('imports.report.col.record')}</th>
                <th scope="col" safe>{t.t('imports.report.col.changes')}</th>
                <th scope="col" safe>{t.t('imports.report.col.warnings')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => {
                const result = ['created', 'merged', 'skipped', 'failed'].includes(item.action) ? t.t(`imports.result.${item.action}` as MessageKey) : item.action;
                const title = item.title ?? t.t('imports.review.noTitle');
                return (
                  <tr data-testid={`report-${item.action}`}>
                    <td safe>{t.number(item.position + 1)}</td>
                    <td safe>{result}</td>
                    <td>
                      {item.activity_id ? (
                        <a href={`/admin/activities/${item.activity_id}`} safe>
                          {title}
                        </a>
                      ) : (
                        <span safe>{title}</span>
                      )}
                    </td>
                    <td>
                      <Messages tr={t} items={jsonList(item.changes)} />
                    </td>
                    <td>
                      <Messages tr={t} items={jsonList(item.warnings)} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ),
    });
  });
}
