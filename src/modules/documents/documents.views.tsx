import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { url, type Query } from '../../platform/http/urls.js';
import { formatFileSize } from '../../platform/i18n/sizes.js';
import type { Facet, FacetValue, FileSummary, LibraryFilters, LibraryItem } from './documents.repository.js';

/** A date of a document (YYYY-MM-DD) in the reader's language. */
export function formatDocDate(date: string | null, lang: string): string {
  if (!date) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** The address a file is downloaded from (public documents; others go through the back-office). */
export function fileHref(file: Pick<FileSummary, 'id' | 'fileName'>): string {
  return `/files/${file.id}/${encodeURIComponent(file.fileName)}`;
}

/** What a file is, for a reader: type, language, size and page count, and whether its text is read yet. */
export function fileDetails(tr: Translator, file: FileSummary): string {
  const parts = [tr.t(`documents.kind.${file.kind}` as MessageKey), tr.t(`lang.${file.lang}` as MessageKey), formatFileSize(file.size, tr.lang)];
  if (file.pages !== null) parts.push(tr.t('documents.pages', { count: file.pages }));
  return parts.join(' · ');
}

/** One file with its download link and details. */
export function FileLink({ tr, file, href }: { tr: Translator; file: FileSummary; href: string }): JSX.Element {
  return (
    <span class="file" data-testid="file">
      <a href={href} hreflang={file.lang} download={file.fileName} safe>
        {tr.t('documents.download', { language: tr.t(`lang.${file.lang}` as MessageKey) })}
      </a>{' '}
      <span class="doc-meta" safe>{`(${fileDetails(tr, file)})`}</span>
    </span>
  );
}

/** A document in a list: type, title, date, description and its current files. */
export function DocumentCard({ tr, item, snippet, headingLevel = 2 }: { tr: Translator; item: LibraryItem; snippet?: JSX.Element; headingLevel?: 2 | 3 }): JSX.Element {
  const href = url('documents.show', tr.lang, { slug: item.slug });
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li class="card" data-testid="document-card">
      <p class="meta-line">
        <span class="tag" safe>
          {tr.t(`documents.type.${item.type}` as MessageKey)}
        </span>
        {item.date ? <span safe>{` ${formatDocDate(item.date, tr.lang)}`}</span> : ''}
        {item.reference ? <span class="muted" safe>{` · ${item.reference}`}</span> : ''}
      </p>
      <Heading class="card-title">
        <a href={href} safe>
          {item.title}
        </a>
      </Heading>
      {snippet ? <p class="snippet">{snippet}</p> : item.description ? <p safe>{item.description.length > 300 ? `${item.description.slice(0, 300)}…` : item.description}</p> : ''}
      {item.files.length ? (
        <ul class="files">
          {item.files.map((f) => (
            <li>
              <FileLink tr={tr} file={f} href={fileHref(f)} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted" safe>
          {tr.t('documents.noFile')}
        </p>
      )}
    </li>
  );
}

const FACET_LABELS: Record<Facet, MessageKey> = {
  type: 'documents.facet.type',
  lang: 'documents.facet.lang',
  year: 'documents.facet.year',
  theme: 'documents.facet.theme',
  country: 'documents.facet.country',
  activity: 'documents.facet.activity',
};

function facetLabel(tr: Translator, facet: Facet, v: FacetValue): string {
  if (facet === 'type') return tr.t(`documents.type.${v.value}` as MessageKey);
  if (facet === 'lang') return tr.t(`lang.${v.value}` as MessageKey);
  return v.label;
}

/** The facets as lists of links with counts: a value narrows the list, the chosen one can be removed. */
export function Facets({ tr, facets, filters, query }: { tr: Translator; facets: Record<Facet, FacetValue[]>; filters: LibraryFilters; query: Query }): JSX.Element {
  const link = (facet: Facet, value: string | undefined) => url('documents.list', tr.lang, {}, { ...query, [facet]: value, page: undefined });
  const nf = new Intl.NumberFormat(tr.lang);
  return (
    <nav class="facets" aria-labelledby="facets-title" data-testid="facets">
      <h2 id="facets-title" safe>
        {tr.t('documents.facets')}
      </h2>
      {(Object.keys(FACET_LABELS) as Facet[]).map((facet) => {
        const values = facets[facet];
        const chosen = filters[facet] !== undefined ? String(filters[facet]) : undefined;
        if (!values.length && !chosen) return '';
        return (
          <section class="facet" aria-labelledby={`facet-${facet}`} data-testid={`facet-${facet}`}>
            <h3 id={`facet-${facet}`} safe>
              {tr.t(FACET_LABELS[facet])}
            </h3>
            <ul>
              {values.map((v) =>
                v.value === chosen ? (
                  <li>
                    <strong safe>{`${facetLabel(tr, facet, v)} (${nf.format(v.count)})`}</strong>{' '}
                    <a href={link(facet, undefined)} aria-label={tr.t('documents.facet.remove', { value: facetLabel(tr, facet, v) })} safe>
                      {tr.t('documents.facet.removeShort')}
                    </a>
                  </li>
                ) : (
                  <li>
                    <a href={link(facet, v.value)} safe>
                      {facetLabel(tr, facet, v)}
                    </a>{' '}
                    <span class="muted" safe>{`(${nf.format(v.count)})`}</span>
                  </li>
                ),
              )}
            </ul>
          </section>
        );
      })}
    </nav>
  );
}
