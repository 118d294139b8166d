import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { translator, type MessageKey, type Translator } from '../../platform/i18n/i18n.js';
import { formatDateRange, type DatePrecision } from '../../platform/i18n/dates.js';
import { firstValue, routePattern, url, type Query, parseId } from '../../platform/http/urls.js';
import { searchRouteOptions } from '../../platform/http/rate-limit.js';
import { isValidSlug } from '../../platform/text/slug.js';
import { Layout } from '../../platform/views/layout.js';
import { Highlighted, MAX_QUERY, parseQuery, searchable, snippet, type ParsedQuery } from '../search/index.js';
import { sendStoredFile } from './documents.download.js';
import { isPublicDocument } from './documents.policy.js';
import { libraryPage } from './documents.library.js';
import { currentFiles, documentIdBySlug, documentPage, findFile, loadDocumentAccess, movedDocumentSlug, type Facet, type LibraryFilters, type LibraryItem } from './documents.repository.js';
import { DOCUMENT_SLUG_MAX_LENGTH, DOCUMENT_TYPES } from './documents.schemas.js';
import { DocumentCard, Facets, FileLink, fileHref, formatDocDate } from './documents.views.js';

const PER_PAGE = 20;
const MAX_PAGE = 50;
const ALLOWED = ['q', 'sort', 'page', 'type', 'lang', 'year', 'theme', 'country', 'activity'];



/** Reads the library's address: the filters that are well formed, and whether anything had to be dropped. */
export function readLibraryQuery(raw: Record<string, unknown>, languages: readonly string[]) {
  let dropped = Object.keys(raw).some((k) => !ALLOWED.includes(k));
  const take = <T,>(key: string, ok: (v: string) => T | undefined): T | undefined => {
    const v = firstValue(raw[key]).trim();
    if (!v) return undefined;
    const parsed = ok(v);
    if (parsed === undefined) dropped = true;
    return parsed;
  };
  const positive = (v: string) => (/^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : undefined);
  const filters: LibraryFilters = {
    type: take('type', (v) => ((DOCUMENT_TYPES as readonly string[]).includes(v) ? v : undefined)),
    lang: take('lang', (v) => (languages.includes(v) || /^[a-z]{2}$/.test(v) ? v : undefined)),
    year: take('year', (v) => (/^(19|20)\d{2}$/.test(v) ? v : undefined)),
    theme: take('theme', positive),
    country: take('country', (v) => (/^[A-Z]{2}$/.test(v) ? v : undefined)),
    activity: take('activity', positive),
  };
  const q = firstValue(raw.q);
  const sort = take('sort', (v) => (v === 'date' || v === 'relevance' ? v : undefined));
  const page = take('page', positive) ?? 1;
  return { filters, q, sort, page: Math.min(page, MAX_PAGE), dropped };
}

function LibraryView(p: {
  tr: Translator;
  q: string;
  query: ParsedQuery | null;
  message: MessageKey | null;
  sort: 'relevance' | 'date';
  filters: LibraryFilters;
  result: Awaited<ReturnType<typeof libraryPage>>;
  page: number;
  linkQuery: Query;
}): JSX.Element {
  const { tr, result } = p;
  const t = tr.t;
  const wanted = new Set(p.query ? p.query.parts.filter((x) => !x.exclude).flatMap((x) => x.terms) : []);
  const pages = Math.min(MAX_PAGE, Math.max(1, Math.ceil(result.total / PER_PAGE)));
  const link = (extra: Query) => url('documents.list', tr.lang, {}, { ...p.linkQuery, ...extra });
  const hasFilters = Object.values(p.filters).some((v) => v !== undefined);
  const snippetOf = (item: LibraryItem) => {
    if (!wanted.size) return undefined;
    const pieces = snippet(result.bodies.get(item.id) ?? item.description, wanted, tr.lang);
    return pieces.some((x) => x.mark) ? <Highlighted pieces={pieces} /> : undefined;
  };
  return (
    <>
      <h1 safe>{t('documents.title')}</h1>
      <p class="lead" safe>
        {t('documents.intro')}
      </p>
      <form role="search" method="get" action={url('documents.list', tr.lang)} class="search-form" aria-label={t('documents.searchLabel')}>
        <label for="library-q" safe>
          {t('documents.searchField')}
        </label>
        <div class="search-row">
          <input type="search" id="library-q" name="q" value={p.q} maxlength={String(MAX_QUERY * 4)} aria-describedby="library-q-hint" data-testid="library-q" />
          {(Object.entries(p.filters) as [Facet, unknown][]).map(([k, v]) => (v === undefined ? '' : <input type="hidden" name={k} value={String(v)} />))}
          <button type="submit" safe>
            {t('search.button')}
          </button>
        </div>
        <p id="library-q-hint" class="muted hint" safe>
          {t('search.hint')}
        </p>
      </form>
      {p.message ? (
        <p class="notice" role="status" data-testid="library-message" safe>
          {t(p.message)}
        </p>
      ) : (
        ''
      )}
      <div class="list-layout">
        <Facets tr={tr} facets={result.facets} filters={p.filters} query={p.linkQuery} />
        <section aria-labelledby="library-count">
          <div class="search-summary">
            <p id="library-count" class="result-count" role="status" data-testid="library-count" safe>
              {t('documents.count', { count: result.total })}
            </p>
            {p.message ? (
              ''
            ) : (
              <p class="alert-link">
                <a href={url('alerts.new', tr.lang, {}, { scope: 'documents', ...p.linkQuery, sort: undefined })} data-testid="library-alert" safe>
                  {t('alerts.link.documents')}
                </a>
              </p>
            )}
            {p.query && result.total > 1 ? (
              <p class="search-sort">
                <span safe>{t('search.sort')}</span>{' '}
                {p.sort === 'relevance' ? (
                  <>
                    <strong safe>{t('search.sort.relevance')}</strong> · <a href={link({ sort: 'date', page: undefined })} safe>{t('search.sort.date')}</a>
                  </>
                ) : (
                  <>
                    <a href={link({ sort: undefined, page: undefined })} safe>
                      {t('search.sort.relevance')}
                    </a>{' '}
                    · <strong safe>{t('search.sort.date')}</strong>
                  </>
                )}
              </p>
            ) : (
              ''
            )}
          </div>
          {result.total === 0 ? (
            <div class="empty" data-testid="library-empty">
              <p safe>{t('documents.empty')}</p>
              {hasFilters || p.q ? (
                <p>
                  <a href={url('documents.list', tr.lang)} safe>
                    {t('documents.clear')}
                  </a>
                </p>
              ) : (
                ''
              )}
            </div>
          ) : (
            <ul class="cards" data-testid="library-results">
              {result.items.map((item) => (
                <DocumentCard tr={tr} item={item} snippet={snippetOf(item)} />
              ))}
            </ul>
          )}
          {pages > 1 ? (
            <nav aria-label={t('search.pagination')}>
              <ul class="pagination">
                {p.page > 1 ? (
                  <li>
                    <a href={link({ page: p.page - 1 > 1 ? p.page - 1 : undefined })} rel="prev" safe>
                      {t('search.previous')}
                    </a>
                  </li>
                ) : (
                  ''
                )}
                <li>
                  <span aria-current="page" safe>
                    {t('search.pageOf', { page: p.page, pages })}
                  </span>
                </li>
                {p.page < pages ? (
                  <li>
                    <a href={link({ page: p.page + 1 })} rel="next" data-testid="library-next" safe>
                      {t('search.next')}
                    </a>
                  </li>
                ) : (
                  ''
                )}
              </ul>
            </nav>
          ) : (
            ''
          )}
        </section>
      </div>
    </>
  );
}

function DocumentView({ tr, doc }: { tr: Translator; doc: NonNullable<Awaited<ReturnType<typeof documentPage>>> }): JSX.Element {
  const t = tr.t;
  const current = currentFiles(doc.files);
  const older = doc.files.filter((f) => !current.includes(f));
  const foreign = doc.lang !== tr.lang;
  return (
    <article data-testid="document">
      <p>
        <a class="back" href={url('documents.list', tr.lang)} safe>
          {t('documents.back')}
        </a>
      </p>
      <p class="meta-line">
        <span class="tag" safe>
          {t(`documents.type.${doc.type}` as MessageKey)}
        </span>
      </p>
      <h1 lang={foreign ? doc.lang : undefined} safe>
        {doc.title}
      </h1>
      {doc.description ? (
        <p class="summary" lang={foreign ? doc.lang : undefined} safe>
          {doc.description}
        </p>
      ) : (
        ''
      )}
      <dl class="facts" data-testid="document-facts">
        {doc.date ? (
          <>
            <dt safe>{t('documents.field.date')}</dt>
            <dd safe>{formatDocDate(doc.date, tr.lang)}</dd>
          </>
        ) : (
          ''
        )}
        {doc.reference ? (
          <>
            <dt safe>{t('documents.field.reference')}</dt>
            <dd safe>{doc.reference}</dd>
          </>
        ) : (
          ''
        )}
        {doc.themes.length ? (
          <>
            <dt safe>{t('documents.facet.theme')}</dt>
            <dd safe>{doc.themes.map((x) => x.name).join(', ')}</dd>
          </>
        ) : (
          ''
        )}
        {doc.countries.length ? (
          <>
            <dt safe>{t('documents.facet.country')}</dt>
            <dd safe>{doc.countries.map((x) => x.name).join(', ')}</dd>
          </>
        ) : (
          ''
        )}
      </dl>
      <section aria-labelledby="files-title">
        <h2 id="files-title" safe>
          {t('documents.files')}
        </h2>
        {current.length ? (
          <ul class="files" data-testid="document-files">
            {current.map((f) => (
              <li>
                <FileLink tr={tr} file={f} href={fileHref(f)} />
                {f.status === 'draft' ? (
                  <span class="tag" safe>
                    {t('documents.status.draft')}
                  </span>
                ) : (
                  ''
                )}
                {f.textState === 'pending' ? (
                  <span class="muted" safe>{` ${t('documents.textPending')}`}</span>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted" safe>
            {t('documents.noFile')}
          </p>
        )}
      </section>
      {older.length ? (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title" safe>
            {t('documents.versions')}
          </h2>
          <ul class="files" data-testid="document-versions">
            {older.map((f) => (
              <li>
                <span safe>{`${t('documents.version', { version: f.version })} · ${t(f.status === 'draft' ? 'documents.status.draft' : 'documents.status.adopted')} · ${formatDocDate(f.uploadedAt.slice(0, 10), tr.lang)} `}</span>
                <FileLink tr={tr} file={f} href={fileHref(f)} />
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      {doc.activities.length ? (
        <section aria-labelledby="activities-title">
          <h2 id="activities-title" safe>
            {t('documents.activities')}
          </h2>
          <ul data-testid="document-activities">
            {doc.activities.map((a) => (
              <li>
                <a href={url('activities.show', a.lang, { slug: a.slug })} hreflang={a.lang === tr.lang ? undefined : a.lang} safe>
                  {a.title}
                </a>{' '}
                <span class="muted" safe>{`(${formatDateRange(a.start_date, a.end_date, a.date_precision as DatePrecision, tr.lang)})`}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
    </article>
  );
}

/** Loads a public document's file for an anonymous download: null unless the file's document is open to everyone now. */
async function publicFile(request: FastifyRequest, id: number) {
  const { db } = request.server.diwan;
  const file = await findFile(db, id);
  if (!file) return null;
  const now = new Date().toISOString();
  const access = await loadDocumentAccess(db, file.documentId, now);
  return access && isPublicDocument(access, now) ? file : null;
}

/** The library's public pages: the list with search and facets, each document's page, and downloads. */
export function registerDocumentRoutes(app: FastifyInstance): void {
  app.get<{ Params: { lang: string }; Querystring: Record<string, unknown> }>(routePattern('documents.list'), searchRouteOptions(app.diwan.config), async (request, reply) => {
    const { lang } = request.params;
    const { config, db, assets, baseUrl } = app.diwan;
    if (!config.languages.includes(lang)) return sendError(request, reply, 'notFound', 404);
    const tr = translator(lang);
    const read = readLibraryQuery(request.query, config.languages);
    const query = read.q.trim() ? parseQuery(read.q, lang) : null;
    const usable = query && /[\p{L}\p{N}]/u.test(query.text) && searchable(query) ? query : null;
    const message: MessageKey | null = query && !usable && /[\p{L}\p{N}]/u.test(query.text) ? (query.parts.length ? 'search.onlyExcluded' : 'search.onlyStopwords') : null;
    const sort = usable ? (read.sort === 'date' ? 'date' : 'relevance') : 'date';
    const linkQuery: Query = { q: read.q.trim() || undefined, sort: usable && sort === 'date' ? 'date' : undefined, ...read.filters };
    if (read.dropped) return reply.redirect(url('documents.list', lang, {}, { ...linkQuery, page: read.page > 1 ? read.page : undefined }), 301);
    const now = new Date().toISOString();
    const result = await libraryPage(db, { lang, now, filters: read.filters, query: usable, sort, offset: (read.page - 1) * PER_PAGE, limit: PER_PAGE });
    const alternates = Object.fromEntries(config.languages.map((l) => [l, url('documents.list', l)]));
    const html = await (
      <Layout tr={tr} stylesheet={assets.stylesheet} languages={config.languages} nav={await app.diwan.navigation(lang, now)} current="documents" meta={{ title: tr.t('documents.title'), baseUrl, path: url('documents.list', lang), alternates, noindex: !!query }}>
        <LibraryView tr={tr} q={read.q} query={usable} message={message} sort={sort} filters={read.filters} result={result} page={read.page} linkQuery={linkQuery} />
      </Layout>
    );
    // Browsing is kept in the page cache; a search is not (any text makes a new address).
    return sendHtml(request, reply, html, { lang, cacheKey: query ? undefined : request.url });
  });

  app.get<{ Params: { lang: string; slug: string }; Querystring: Record<string, unknown> }>(routePattern('documents.show'), async (request, reply) => {
    const { lang, slug } = request.params;
    const { config, db, assets, baseUrl } = app.diwan;
    if (!config.languages.includes(lang) || !isValidSlug(slug, DOCUMENT_SLUG_MAX_LENGTH)) return sendError(request, reply, 'notFound', 404);
    const now = new Date().toISOString();
    let id = await documentIdBySlug(db, lang, slug);
    if (id === null) {
      const moved = await movedDocumentSlug(db, lang, slug);
      if (moved && moved !== slug) id = await documentIdBySlug(db, lang, moved);
      const access = id === null ? null : await loadDocumentAccess(db, id, now);
      if (moved && access && isPublicDocument(access, now)) return reply.redirect(url('documents.show', lang, { slug: moved }), 301);
      return sendError(request, reply, 'notFound', 404);
    }
    const access = await loadDocumentAccess(db, id, now);
    // A document not open to everyone does not exist for the public site: no title, no hint.
    if (!access || !isPublicDocument(access, now)) return sendError(request, reply, 'notFound', 404);
    if (Object.keys(request.query).length) return reply.redirect(url('documents.show', lang, { slug }), 301);
    const doc = await documentPage(db, id, lang, now);
    if (!doc) return sendError(request, reply, 'notFound', 404);
    const tr = translator(lang);
    const alternates = Object.fromEntries(Object.entries(doc.slugs).filter(([l]) => config.languages.includes(l)).map(([l, s]) => [l, url('documents.show', l, { slug: s })]));
    const html = await (
      <Layout tr={tr} stylesheet={assets.stylesheet} languages={config.languages} nav={await app.diwan.navigation(lang, now)} current="documents" meta={{ title: doc.title, description: doc.description.slice(0, 300) || undefined, baseUrl, path: url('documents.show', lang, { slug }), alternates }}>
        <DocumentView tr={tr} doc={doc} />
      </Layout>
    );
    return sendHtml(request, reply, html, { lang, cacheKey: url('documents.show', lang, { slug }) });
  });

  const download = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const id = parseId(request.params.id);
    if (!id) return sendError(request, reply, 'notFound', 404);
    const file = await publicFile(request, id);
    if (!file) return sendError(request, reply, 'notFound', 404);
    return sendStoredFile(request, reply, app.diwan.files, file, { public: true });
  };
  app.get<{ Params: { id: string } }>('/files/:id/:name', download);
  app.get<{ Params: { id: string } }>('/files/:id', download);
}
