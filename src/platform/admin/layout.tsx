import type { PropsWithChildren } from '@kitajs/html';
import type { Translator } from '../i18n/i18n.js';
import { autonym } from '../i18n/languages.js';
import type { Actor } from '../policy.js';
import { CsrfField } from '../views/forms.js';
import type { AdminNavEntry } from '../module.js';

export interface AdminLayoutProps {
  tr: Translator;
  title: string;
  stylesheet: string;
  actor: Actor | null;
  csrf: string;
  current?: string | undefined;
  /** One module script at most, allowed by this response's CSP nonce. */
  script?: { src: string; nonce: string } | undefined;
  /** The configured languages: the header offers each one other than the page's. */
  languages?: string[] | undefined;
  /** The modules' navigation entries; each shows to the actors it allows. */
  entries?: readonly AdminNavEntry[] | undefined;
}

/** The frame of every back-office page: header with the account and sign-out, navigation by ability. */
export function AdminLayout({ tr, title, stylesheet, actor, csrf, current, script, languages = [], entries = [], children }: PropsWithChildren<AdminLayoutProps>): JSX.Element {
  const t = tr.t;
  const nav = [...entries.filter((n) => n.visible(actor)).map((n) => ({ href: n.href, key: n.id, label: t(n.label) })), { href: `/${tr.lang}/`, key: 'site', label: t('admin.nav.site') }];
  const otherLanguages = languages.filter((l) => l !== tr.lang);
  const fullTitle = `${title} – ${t('admin.title')}`;
  return (
    <>
      {'<!doctype html>'}
      <html lang={tr.lang} dir={tr.dir}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title safe>{fullTitle}</title>
          <link rel="icon" href="data:," />
          <link rel="stylesheet" href={stylesheet} />
          {script ? <script type="module" src={script.src} nonce={script.nonce}></script> : ''}
        </head>
        <body>
          <a class="skip" href="#main" safe>
            {t('nav.skip')}
          </a>
          <header class="site-header admin-header">
            <div class="wrap header-row">
              <a class="brand" href="/admin/">
                <span class="brand-name" safe>{`${t('site.name')} · ${t('admin.title')}`}</span>
              </a>
              <div class="admin-bar">
                {actor ? (
                  <>
                    <span data-testid="signed-in-as" safe>
                      {t('admin.signedInAs', { name: actor.displayName })}
                    </span>
                    {otherLanguages.length ? (
                      <form method="post" action="/admin/language" class="admin-languages" aria-label={t('nav.language')}>
                        <CsrfField token={csrf} />
                        {otherLanguages.map((l) => (
                          <button class="link-button" type="submit" name="to" value={l} lang={l} data-testid={`admin-lang-${l}`} safe>
                            {autonym(l)}
                          </button>
                        ))}
                      </form>
                    ) : (
                      ''
                    )}
                    <form method="post" action="/admin/logout">
                      <CsrfField token={csrf} />
                      <button class="link-button" type="submit" data-testid="logout" safe>
                        {t('admin.logout')}
                      </button>
                    </form>
                  </>
                ) : (
                  otherLanguages.map((l) => (
                    <a href={`?lang=${l}`} lang={l} hreflang={l} data-testid={`admin-lang-${l}`} safe>
                      {autonym(l)}
                    </a>
                  ))
                )}
              </div>
            </div>
            {actor ? (
              <nav class="wrap main-nav" aria-label={t('admin.nav')}>
                <ul>
                  {nav.map((n) => (
                      <li>
                        <a href={n.href} aria-current={current === n.key ? 'page' : undefined} safe>
                          {n.label}
                        </a>
                      </li>
                    ))}
                </ul>
              </nav>
            ) : (
              ''
            )}
          </header>
          <main id="main" class="wrap" tabindex="-1">
            {children}
          </main>
        </body>
      </html>
    </>
  );
}
