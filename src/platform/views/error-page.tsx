import type { Translator } from '../i18n/i18n.js';
import type { MessageKey } from '../i18n/i18n.js';
import { url } from '../http/urls.js';
import { Layout, SiteSearch } from './layout.js';

import type { ErrorKind } from '../http/errors.js';

/** An error page in the visitor's language, with ways forward and no internals. */
export function ErrorPage({ tr, kind, stylesheet, baseUrl, path, languages, nav }: { tr: Translator; kind: ErrorKind; stylesheet: string; baseUrl: string; path: string; languages: string[]; nav?: { href: string; label: string }[] }): JSX.Element {
  const t = tr.t;
  const title = t(`error.${kind}.title` as MessageKey);
  const alternates = Object.fromEntries(languages.map((l) => [l, url('home', l)]));
  return (
    <Layout tr={tr} stylesheet={stylesheet} nav={nav} languages={languages} meta={{ title, baseUrl, path, alternates, noindex: true }}>
      <h1 data-testid="error-title" safe>{title}</h1>
      <p safe>{t(`error.${kind}.body` as MessageKey)}</p>
      {kind === 'notFound' ? <SiteSearch tr={tr} q="" id="not-found-search" label="error.notFound.search" /> : ''}
      <ul class="link-list">
        <li>
          <a href={url('home', tr.lang)} safe>{t('error.notFound.home')}</a>
        </li>
        <li>
          <a href={url('activities.list', tr.lang)} safe>{t('error.notFound.activities')}</a>
        </li>
      </ul>
    </Layout>
  );
}
