import type { PropsWithChildren } from '@kitajs/html';
import type { MessageKey, Translator } from '../i18n/i18n.js';
import { autonym, ogLocaleOf } from '../i18n/languages.js';
import { url } from '../http/urls.js';

export interface PageMeta {
  title: string;
  description?: string | undefined;
  /** Absolute base URL of the site (scheme and host), for canonical and Open Graph links. */
  baseUrl: string;
  /** Path of this page in this language. */
  path: string;
  /** Path of the same page in every language it exists in, for hreflang and the language switch. */
  alternates: Record<string, string>;
  ogType?: 'website' | 'article' | undefined;
  /** Serialised JSON-LD (already escaped for a script element), when the page describes a thing. */
  jsonLd?: string | undefined;
  noindex?: boolean | undefined;
}

export interface LayoutProps {
  tr: Translator;
  meta: PageMeta;
  stylesheet: string;
  current?: 'home' | 'activities' | 'documents' | undefined;
  /** Editable pages shown in the main navigation (About, Partners...). */
  nav?: { href: string; label: string }[] | undefined;
  /**
   * Every language the site is published in, in the configured order, for the language switch.
   * Without it the switch offers only the languages of `meta.alternates`.
   */
  languages?: string[] | undefined;
  /** What the header's search box shows (the search page passes the query). */
  searchQuery?: string | undefined;
}

/**
 * The language switch: every language in order, the current one marked, each other one linking
 * to this page in that language when it exists and to that language's home page otherwise.
 */
function LanguageSwitch({ tr, languages, alternates }: { tr: Translator; languages: string[]; alternates: Record<string, string> }): JSX.Element {
  if (!languages.some((l) => l !== tr.lang)) return <></>;
  return (
    <ul class="lang-switch" aria-label={tr.t('nav.language')}>
      {languages.map((lang) =>
        lang === tr.lang ? (
          <li>
            <span aria-current="true" lang={lang} data-testid="lang-current" safe>
              {autonym(lang)}
            </span>
          </li>
        ) : (
          <li>
            <a href={alternates[lang] ?? url('home', lang)} hreflang={lang} lang={lang} data-testid={`lang-${lang}`} safe>
              {autonym(lang)}
            </a>
          </li>
        ),
      )}
    </ul>
  );
}

/** The search box of the header (and of the page not found): a plain form, no script needed. */
export function SiteSearch({ tr, q, id, label = 'nav.searchLabel' }: { tr: Translator; q: string; id: string; label?: MessageKey }): JSX.Element {
  return (
    <form role="search" method="get" action={url('search', tr.lang)} class="site-search" aria-label={tr.t(label)}>
      <label for={id} class="visually-hidden" safe>
        {tr.t(label)}
      </label>
      <input type="search" id={id} name="q" value={q} data-testid={`${id}-input`} />
      <button type="submit" safe>
        {tr.t('nav.search')}
      </button>
    </form>
  );
}

/** The frame of every public page: head, skip link, header with navigation and language switch, footer. */
export function Layout({ tr, meta, stylesheet, current, nav, languages, searchQuery, children }: PropsWithChildren<LayoutProps>): JSX.Element {
  const t = tr.t;
  const fullTitle = `${meta.title} – ${t('site.name')}`;
  const others = Object.entries(meta.alternates).filter(([lang]) => lang !== tr.lang);
  const safeJsonLd = meta.jsonLd;
  return (
    <>
      {'<!doctype html>'}
      <html lang={tr.lang} dir={tr.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{fullTitle}</title>
          {meta.description ? <meta name="description" content={meta.description} /> : ''}
          {meta.noindex ? <meta name="robots" content="noindex" /> : ''}
          <link rel="canonical" href={meta.baseUrl + meta.path} />
          {Object.entries(meta.alternates).map(([lang, path]) => (
            <link rel="alternate" hreflang={lang} href={meta.baseUrl + path} />
          ))}
          {/* For readers of any other language: the page in the site's first language that has it. */}
          {Object.keys(meta.alternates).length > 1 ? <link rel="alternate" hreflang="x-default" href={meta.baseUrl + (meta.alternates[(languages ?? []).find((l) => meta.alternates[l]) ?? ''] ?? Object.values(meta.alternates)[0]!)} /> : ''}
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={stylesheet} />
          <meta property="og:site_name" content={t('site.name')} />
          <meta property="og:title" content={meta.title} />
          {meta.description ? <meta property="og:description" content={meta.description} /> : ''}
          <meta property="og:type" content={meta.ogType ?? 'website'} />
          <meta property="og:url" content={meta.baseUrl + meta.path} />
          <meta property="og:locale" content={ogLocaleOf(tr.lang)} />
          {others.map(([lang]) => (
            <meta property="og:locale:alternate" content={ogLocaleOf(lang)} />
          ))}
          {safeJsonLd ? <script type="application/ld+json">{safeJsonLd}</script> : ''}
        </head>
        <body>
          <a class="skip" href="#main" safe>
            {t('nav.skip')}
          </a>
          <header class="site-header">
            <div class="wrap header-row">
              <a class="brand" href={url('home', tr.lang)}>
                <span class="brand-name" safe>{t('site.name')}</span>
                <span class="brand-tagline" safe>{t('site.tagline')}</span>
              </a>
              <LanguageSwitch tr={tr} languages={languages ?? [tr.lang, ...others.map(([lang]) => lang)]} alternates={meta.alternates} />
              <SiteSearch tr={tr} q={searchQuery ?? ''} id="site-search" />
            </div>
            <nav class="wrap main-nav" aria-label={t('nav.main')}>
              <ul>
                <li>
                  <a href={url('home', tr.lang)} aria-current={current === 'home' ? 'page' : undefined} safe>
                    {t('nav.home')}
                  </a>
                </li>
                <li>
                  <a href={url('activities.list', tr.lang)} aria-current={current === 'activities' ? 'page' : undefined} safe>
                    {t('nav.activities')}
                  </a>
                </li>
                <li>
                  <a href={url('documents.list', tr.lang)} aria-current={current === 'documents' ? 'page' : undefined} safe>
                    {t('nav.documents')}
                  </a>
                </li>
                {(nav ?? []).map((item) => (
                  <li>
                    <a href={item.href} aria-current={meta.path === item.href ? 'page' : undefined} safe>
                      {item.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <main id="main" class="wrap" tabindex="-1">
            {children}
          </main>
          <footer class="site-footer">
            <div class="wrap">
              <p safe>{t('footer.about')}</p>
              <p class="muted" safe>{t('site.poweredBy')}</p>
            </div>
          </footer>
        </body>
      </html>
    </>
  );
}

/** Serialises JSON-LD so that it cannot close its script element. */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
