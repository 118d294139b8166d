import type { PropsWithChildren } from '@kitajs/html';
import type { Translator } from '../i18n/i18n.js';
import { OG_LOCALES } from '../i18n/i18n.js';
import { url } from '../http/urls.js';

/** Each language named in itself, for the language switch. */
const AUTONYMS: Record<string, string> = { en: 'English', fr: 'Français', es: 'Español', pt: 'Português', ar: 'العربية' };

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
  current?: 'home' | 'activities' | undefined;
  /** Editable pages shown in the main navigation (About, Partners...). */
  nav?: { href: string; label: string }[] | undefined;
}

/** The frame of every public page: head, skip link, header with navigation and language switch, footer. */
export function Layout({ tr, meta, stylesheet, current, nav, children }: PropsWithChildren<LayoutProps>): JSX.Element {
  const t = tr.t;
  const fullTitle = `${meta.title} – ${t('site.name')}`;
  const others = Object.entries(meta.alternates).filter(([lang]) => lang !== tr.lang);
  const safeJsonLd = meta.jsonLd;
  return (
    <>
      {'<!doctype html>'}
      <html lang={tr.lang} dir="ltr">
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
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={stylesheet} />
          <meta property="og:site_name" content={t('site.name')} />
          <meta property="og:title" content={meta.title} />
          {meta.description ? <meta property="og:description" content={meta.description} /> : ''}
          <meta property="og:type" content={meta.ogType ?? 'website'} />
          <meta property="og:url" content={meta.baseUrl + meta.path} />
          <meta property="og:locale" content={OG_LOCALES[tr.lang] ?? tr.lang} />
          {others.map(([lang]) => (
            <meta property="og:locale:alternate" content={OG_LOCALES[lang] ?? lang} />
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
              {others.length ? (
                <ul class="lang-switch" aria-label={t('nav.language')}>
                  {others.map(([lang, path]) => (
                    <li>
                      <a href={path} hreflang={lang} lang={lang} data-testid={`lang-${lang}`} safe>
                        {AUTONYMS[lang] ?? lang}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : (
                ''
              )}
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
