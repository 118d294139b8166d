import { escapeHtml } from '@kitajs/html';
import type { FastifyInstance } from 'fastify';
import { sendError, sendHtml } from '../../platform/app.js';
import { translator, type Translator } from '../../platform/i18n/i18n.js';
import { formatDateRange } from '../../platform/i18n/dates.js';
import { firstValue, routePattern, url } from '../../platform/http/urls.js';
import { searchRouteOptions } from '../../platform/http/rate-limit.js';
import type { SearchSource } from '../../platform/module.js';
import { Layout } from '../../platform/views/layout.js';
import { searchIndex, sourcesOf, type SearchHit, type SearchSort } from './search.index.js';
import { MAX_QUERY, parseQuery, searchable, snippet, type ParsedQuery } from './search.text.js';

export const RESULTS_PER_PAGE = 20;
/** Deeper pages are not offered (a search that needs them needs other words). */
const MAX_PAGE = 50;



type Outcome =
  | { kind: 'start' }
  | { kind: 'message'; message: 'search.onlyExcluded' | 'search.onlyStopwords' }
  | { kind: 'results'; total: number; hits: SearchHit[]; page: number; pages: number };

/** Text with the matched words marked, every piece escaped. */
export function Highlighted({ pieces }: { pieces: { text: string; mark: boolean }[] }): JSX.Element {
  return <>{pieces.map((p) => (p.mark ? <mark safe>{p.text}</mark> : escapeHtml(p.text)))}</>;
}

function SearchForm({ tr, q, sort, id }: { tr: Translator; q: string; sort: SearchSort; id: string }): JSX.Element {
  return (
    <form role="search" method="get" action={url('search', tr.lang)} class="search-form" aria-label={tr.t('search.title')}>
      <label for={id} safe>
        {tr.t('search.field')}
      </label>
      <div class="search-row">
        <input type="search" id={id} name="q" value={q} maxlength={String(MAX_QUERY * 4)} aria-describedby={`${id}-hint`} data-testid="search-page-input" />
        {sort === 'date' ? <input type="hidden" name="sort" value="date" /> : ''}
        <button type="submit" safe>
          {tr.t('search.button')}
        </button>
      </div>
      <p id={`${id}-hint`} class="muted hint" safe>
        {tr.t('search.hint')}
      </p>
    </form>
  );
}

function Result({ tr, hit, source, wanted }: { tr: Translator; hit: SearchHit; source: SearchSource | undefined; wanted: Set<string> }): JSX.Element {
  const href = url(source?.route ?? 'pages.show', tr.lang, { slug: hit.slug });
  const title = snippet(hit.title, wanted, tr.lang, 1000);
  const passage = snippet(hit.body, wanted, tr.lang);
  const date = hit.date && source?.entity === 'activity' ? formatDateRange(hit.date, null, 'day', tr.lang) : '';
  return (
    <li class="card" data-testid="search-result">
      <p class="muted">
        <span safe>{source ? tr.t(source.label) : hit.source}</span>
        {date ? <span safe>{` · ${date}`}</span> : ''}
      </p>
      <h2 class="result-title">
        <a href={href}>
          <Highlighted pieces={title} />
        </a>
      </h2>
      {passage.length ? (
        <p class="snippet">
          <Highlighted pieces={passage} />
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

function SearchPage({ tr, q, query, sort, outcome, sources }: { tr: Translator; q: string; query: ParsedQuery | null; sort: SearchSort; outcome: Outcome; sources: SearchSource[] }): JSX.Element {
  const wanted = new Set(query ? query.parts.filter((p) => !p.exclude).flatMap((p) => p.terms) : []);
  const bySource = new Map(sources.map((s) => [s.entity, s]));
  const link = (params: { page?: number; sort?: SearchSort }) =>
    url('search', tr.lang, {}, { q, sort: (params.sort ?? sort) === 'date' ? 'date' : undefined, page: params.page && params.page > 1 ? params.page : undefined });
  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title" safe>
        {tr.t('search.title')}
      </h1>
      <SearchForm tr={tr} q={q} sort={sort} id="search-q" />
      {query?.shortened ? (
        <p class="notice" role="status" safe>
          {tr.t('search.shortened', { max: MAX_QUERY, parts: 12 })}
        </p>
      ) : (
        ''
      )}
      {outcome.kind === 'start' ? (
        <p data-testid="search-start" safe>
          {tr.t('search.start')}
        </p>
      ) : outcome.kind === 'message' ? (
        <p class="notice" role="status" data-testid="search-message" safe>
          {tr.t(outcome.message)}
        </p>
      ) : (
        <>
          <div class="search-summary">
            <p role="status" data-testid="search-count" safe>
              {tr.t('search.results', { count: outcome.total, query: query?.text ?? q })}
            </p>
            <p class="alert-link">
              <a href={url('alerts.new', tr.lang, {}, { scope: 'search', q })} data-testid="search-alert" safe>
                {tr.t('alerts.link.search')}
              </a>
            </p>
            {outcome.total > 1 ? (
              <p class="search-sort">
                <span safe>{tr.t('search.sort')}</span>{' '}
                {sort === 'relevance' ? (
                  <>
                    <strong safe>{tr.t('search.sort.relevance')}</strong> · <a href={link({ sort: 'date' })} safe>{tr.t('search.sort.date')}</a>
                  </>
                ) : (
                  <>
                    <a href={link({ sort: 'relevance' })} safe>
                      {tr.t('search.sort.relevance')}
                    </a>{' '}
                    · <strong safe>{tr.t('search.sort.date')}</strong>
                  </>
                )}
              </p>
            ) : (
              ''
            )}
          </div>
          {outcome.total === 0 ? (
            <p data-testid="search-nothing" safe>
              {tr.t('search.nothing')}
            </p>
          ) : (
            <ol class="cards results" start={String((outcome.page - 1) * RESULTS_PER_PAGE + 1)}>
              {outcome.hits.map((hit) => (
                <Result tr={tr} hit={hit} source={bySource.get(hit.source)} wanted={wanted} />
              ))}
            </ol>
          )}
          {outcome.pages > 1 ? (
            <nav aria-label={tr.t('search.pagination')}>
              <ul class="pagination">
                {outcome.page > 1 ? (
                  <li>
                    <a href={link({ page: outcome.page - 1 })} rel="prev" safe>
                      {tr.t('search.previous')}
                    </a>
                  </li>
                ) : (
                  ''
                )}
                <li>
                  <span aria-current="page" safe>
                    {tr.t('search.pageOf', { page: outcome.page, pages: outcome.pages })}
                  </span>
                </li>
                {outcome.page < outcome.pages ? (
                  <li>
                    <a href={link({ page: outcome.page + 1 })} rel="next" data-testid="search-next" safe>
                      {tr.t('search.next')}
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
        </>
      )}
    </section>
  );
}

/** `/{lang}/search?q=...`: one search over every source the modules offer, in the reader's language. */
export function registerSearchRoutes(app: FastifyInstance): void {
  app.get<{ Params: { lang: string }; Querystring: Record<string, unknown> }>(routePattern('search'), searchRouteOptions(app.diwan.config), async (request, reply) => {
    const { lang } = request.params;
    const { config, db, assets, baseUrl, modules } = app.diwan;
    if (!config.languages.includes(lang)) return sendError(request, reply, 'notFound', 404);
    const tr = translator(lang);
    const q = firstValue(request.query.q);
    const sort: SearchSort = firstValue(request.query.sort) === 'date' ? 'date' : 'relevance';
    const pageAsked = Number.parseInt(firstValue(request.query.page), 10);
    const page = Number.isFinite(pageAsked) && pageAsked >= 1 ? Math.min(pageAsked, MAX_PAGE) : 1;
    const sources = sourcesOf(modules);
    const query = q.trim() ? parseQuery(q, lang) : null;
    let outcome: Outcome;
    if (!query || !/[\p{L}\p{N}]/u.test(query.text)) outcome = { kind: 'start' };
    else if (!searchable(query)) {
      // Nothing to look for: every part left is an exclusion, or every word was too common (stop words).
      outcome = { kind: 'message', message: query.parts.length ? 'search.onlyExcluded' : 'search.onlyStopwords' };
    } else {
      const { total, hits } = await searchIndex(db, { lang, query, now: new Date().toISOString(), offset: (page - 1) * RESULTS_PER_PAGE, limit: RESULTS_PER_PAGE, sort });
      outcome = { kind: 'results', total, hits, page, pages: Math.min(MAX_PAGE, Math.max(1, Math.ceil(total / RESULTS_PER_PAGE))) };
    }
    const title = query ? tr.t('search.titleFor', { query: query.text }) : tr.t('search.title');
    const alternates = Object.fromEntries(config.languages.map((l) => [l, url('search', l, {}, { q: q || undefined })]));
    const html = await (
      <Layout
        tr={tr}
        stylesheet={assets.stylesheet}
        languages={config.languages}
        nav={await app.diwan.navigation(lang)}
        searchQuery={q}
        meta={{ title, baseUrl, path: url('search', lang), alternates, noindex: true }}
      >
        <SearchPage tr={tr} q={q} query={query} sort={sort} outcome={outcome} sources={sources} />
      </Layout>
    );
    // Results are never kept in the shared page cache: any text makes a new address.
    return sendHtml(request, reply, html, { lang });
  });
}
