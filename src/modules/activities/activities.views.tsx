import type { Translator, MessageKey } from '../../platform/i18n/i18n.js';
import { MeetingOutcomeBlock, PracticalInfo, RegistrationBlock } from '../meetings/index.js';
import { url, type Query } from '../../platform/http/urls.js';
import type { ActivityCard, ActivityDetailView } from './activities.presenter.js';
import type { ActivityDetail, ActivityListView } from './activities.service.js';
import { FILTER_KEYS } from './activities.schemas.js';
import { FileLink, fileHref } from '../documents/index.js';

/** One activity in a list: title link, date, place, type and status. */
export function ActivityCardView({ card, tr, headingLevel = 3 }: { card: ActivityCard; tr: Translator; headingLevel?: 2 | 3 }): JSX.Element {
  const heading = (
    <a href={card.href} data-testid="activity-link" lang={card.textLang !== tr.lang ? card.textLang : undefined} safe>
      {card.title}
    </a>
  );
  return (
    <li class="card" data-testid="activity-card">
      <p class="meta-line">
        <span class="tag" safe>
          {card.typeLabel}
        </span>{' '}
        {card.status === 'held' ? '' : <span class={`tag status-${card.status}`} safe>{card.statusLabel}</span>}
      </p>
      {headingLevel === 2 ? <h2>{heading}</h2> : <h3>{heading}</h3>}
      <p class="meta-line">
        <time datetime={card.dateIso} safe>
          {card.dateText}
        </time>
        {card.place ? <span safe>{` · ${card.place}`}</span> : ''}
        {card.formatLabel && card.place !== tr.t('activity.online') ? <span safe>{` · ${card.formatLabel}`}</span> : ''}
      </p>
      {card.summary ? (
        <p lang={card.textLang !== tr.lang ? card.textLang : undefined} safe>
          {card.summary}
        </p>
      ) : (
        ''
      )}
    </li>
  );
}

function Select({ id, label, hint, value, options, anyLabel }: { id: string; label: string; hint?: string; value: string | undefined; options: { value: string; label: string; group?: string }[]; anyLabel: string }): JSX.Element {
  const groups: (string | undefined)[] = [...new Set(options.map((o) => o.group))];
  const renderOption = (o: { value: string; label: string }) => (
    <option value={o.value} selected={o.value === value} safe>
      {o.label}
    </option>
  );
  const safeUngrouped = options.filter((o) => o.group === undefined).map(renderOption);
  const safeOptionList = groups.map((g) =>
          g === undefined ? (
            safeUngrouped
          ) : (
            <optgroup label={g}>{options.filter((o) => o.group === g).map(renderOption)}</optgroup>
          ),
        );
  return (
    <div class="field">
      <label for={id} safe>
        {label}
      </label>
      {hint ? (
        <span class="hint" id={`${id}-hint`} safe>
          {hint}
        </span>
      ) : (
        ''
      )}
      <select id={id} name={id} aria-describedby={hint ? `${id}-hint` : undefined}>
        <option value="" safe>
          {anyLabel}
        </option>
        {safeOptionList}
      </select>
    </div>
  );
}

function pageWindow(page: number, pages: number): number[] {
  const out = new Set<number>([1, pages]);
  for (let p = page - 2; p <= page + 2; p++) if (p >= 1 && p <= pages) out.add(p);
  return [...out].sort((a, b) => a - b);
}

function Pagination({ tr, page, pages, query }: { tr: Translator; page: number; pages: number; query: Query }): JSX.Element {
  if (pages <= 1) return <></>;
  const link = (p: number) => url('activities.list', tr.lang, {}, { ...query, page: p > 1 ? p : undefined });
  const nums = pageWindow(page, pages);
  return (
    <nav aria-label={tr.t('list.pagination')}>
      <ul class="pagination">
        {page > 1 && page <= pages ? (
          <li>
            <a href={link(page - 1)} rel="prev" data-testid="page-prev" safe>
              {tr.t('list.previous')}
            </a>
          </li>
        ) : (
          ''
        )}
        {nums.map((p, i) => (
          <>
            {i > 0 && p - (nums[i - 1] ?? p) > 1 ? <li aria-hidden="true">…</li> : ''}
            <li>
              {p === page ? (
                <a href={link(p)} aria-current="page" aria-label={tr.t('list.pageOf', { page: p, pages })} safe>
                  {String(p)}
                </a>
              ) : (
                <a href={link(p)} aria-label={tr.t('list.goToPage', { page: p })} safe>
                  {String(p)}
                </a>
              )}
            </li>
          </>
        ))}
        {page < pages ? (
          <li>
            <a href={link(page + 1)} rel="next" data-testid="page-next" safe>
              {tr.t('list.next')}
            </a>
          </li>
        ) : (
          ''
        )}
      </ul>
    </nav>
  );
}

/** The public list of activities with its filters, count, empty state and pagination. */
export function ActivityListPage({ tr, view }: { tr: Translator; view: ActivityListView }): JSX.Element {
  const t = tr.t;
  const { parsed, options } = view;
  const f = parsed.filters;
  const themeOptions = options.frameworks.flatMap((fw) =>
    fw.themes.map((th) => ({
      value: th.code,
      label: `${'\u2003'.repeat(th.depth)}${th.number ? `${t(`level.${th.level}` as MessageKey)} ${th.number} – ` : ''}${th.name}`,
      group: fw.shortName,
    })),
  );
  const hasFilters = FILTER_KEYS.some((k) => f[k] !== undefined);
  const pastEnd = view.total > 0 && parsed.page > view.pages;
  return (
    <>
      <h1 safe>{t('list.title')}</h1>
      <p class="lead" safe>
        {t('list.intro')}
      </p>
      {parsed.errors.length ? (
        <div class="notice" role="alert" data-testid="filter-errors">
          <p safe>{t('list.invalid')}</p>
          <ul>
            {parsed.errors.map((e) => (
              <li safe>{t(`list.invalid.${e.key}` as MessageKey, { value: e.value })}</li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      <div class="list-layout">
        <form class="filters" method="get" action={url('activities.list', tr.lang)} role="search" aria-labelledby="filters-title" data-testid="filters">
          <h2 id="filters-title" safe>
            {t('list.filters')}
          </h2>
          <Select id="type" label={t('list.filter.type')} value={f.type} options={options.types} anyLabel={t('list.filter.any')} />
          <Select id="theme" label={t('list.filter.theme')} value={f.theme} options={themeOptions} anyLabel={t('list.filter.any')} />
          <Select id="year" label={t('list.filter.year')} value={f.year ? String(f.year) : undefined} options={options.years} anyLabel={t('list.filter.any')} />
          <Select id="country" label={t('list.filter.country')} hint={t('list.filter.countryHint')} value={f.country} options={options.countries} anyLabel={t('list.filter.any')} />
          <Select id="format" label={t('list.filter.format')} value={f.format} options={options.formats} anyLabel={t('list.filter.any')} />
          <button class="button" type="submit" safe>
            {t('list.filter.apply')}
          </button>
          {hasFilters ? (
            <p>
              <a href={url('activities.list', tr.lang)} class="target" data-testid="clear-filters" safe>
                {t('list.filter.clear')}
              </a>
            </p>
          ) : (
            ''
          )}
        </form>
        <section aria-labelledby="results-count">
          <p id="results-count" class="result-count" role="status" data-testid="result-count" safe>
            {t('list.count', { count: view.total })}
          </p>
          {view.total === 0 ? (
            <div class="empty" data-testid="empty-state">
              <p safe>{t('list.empty')}</p>
              <p>
                <span safe>{t('list.emptyHint')}</span>{' '}
                <a href={url('activities.list', tr.lang)} safe>
                  {t('list.filter.clear')}
                </a>
              </p>
            </div>
          ) : pastEnd ? (
            <div class="empty" data-testid="page-empty">
              <p safe>{t('list.pageEmpty', { page: parsed.page, last: view.pages })}</p>
              <p>
                <a href={url('activities.list', tr.lang, {}, parsed.query)} safe>
                  {t('list.pageBack')}
                </a>
              </p>
            </div>
          ) : (
            <ul class="cards">
              {view.cards.map((card) => (
                <ActivityCardView card={card} tr={tr} headingLevel={2} />
              ))}
            </ul>
          )}
          <Pagination tr={tr} page={parsed.page} pages={view.pages} query={parsed.query} />
        </section>
      </div>
    </>
  );
}

/** schema.org Event for an activity, for search engines and citation tools. */
export function activityJsonLd(v: ActivityDetailView, pageUrl: string, organiser: string): Record<string, unknown> {
  const physical = {
    '@type': 'Place',
    name: [v.place.venue, v.place.city].filter(Boolean).join(', ') || v.place.country?.name || undefined,
    address: { '@type': 'PostalAddress', addressLocality: v.place.city ?? undefined, addressCountry: v.place.country?.code ?? undefined },
  };
  const virtual = { '@type': 'VirtualLocation', url: pageUrl };
  const format = v.format.code;
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: v.title,
    description: v.summary || undefined,
    url: pageUrl,
    inLanguage: v.textLang,
    startDate: v.dates.startIso,
    endDate: v.dates.endIso ?? undefined,
    eventStatus: `https://schema.org/${v.status.code === 'cancelled' ? 'EventCancelled' : v.status.code === 'postponed' ? 'EventPostponed' : 'EventScheduled'}`,
    eventAttendanceMode: `https://schema.org/${format === 'virtual' ? 'OnlineEventAttendanceMode' : format === 'hybrid' ? 'MixedEventAttendanceMode' : 'OfflineEventAttendanceMode'}`,
    location: format === 'virtual' ? virtual : format === 'hybrid' ? [physical, virtual] : physical,
    organizer: { '@type': 'Organization', name: organiser },
  };
}

/** The library's types under the names an activity's own document list uses. */
const LIBRARY_TYPE_OF: Record<string, string> = { presentation: 'presentations' };

/** The public page of one activity: every part of the founding page, in the reader's language. */
export function ActivityPage({ d, backHref }: { d: Pick<ActivityDetail, 'tr' | 'view' | 'library' | 'meeting'>; backHref: string }): JSX.Element {
  const { tr, view: v } = d;
  const t = tr.t;
  // An entry not yet online whose document the library now holds (same type) is replaced by it.
  const inLibrary = new Set(d.library.map((doc) => LIBRARY_TYPE_OF[doc.type] ?? doc.type));
  const listed = v.documents.filter((doc) => doc.url !== null || !inLibrary.has(doc.type));
  const textLang = v.textLang;
  const foreign = !v.translated;
  const place = v.place.text;
  const host = v.host?.label ?? '';
  const coChairs = v.coChairs.map((c) => c.label);
  // Figures counted from the check-in replace the ones an editor typed.
  const figures = d.meeting.outcome ? [] : v.figures.map((f) => f.text);
  const safeNarrative = v.narrativeHtml;
  return (
    <article data-testid="activity">
      <a class="back" href={backHref} data-testid="back-link" safe>
        {t('activity.back')}
      </a>
      <h1 lang={foreign ? textLang : undefined} safe>
        {v.title}
      </h1>
      {foreign ? (
        <p class="notice" safe>
          {t('activity.notTranslated', { language: v.textLangLabel })}
        </p>
      ) : (
        ''
      )}
      {v.summary ? (
        <p class="summary" lang={foreign ? textLang : undefined} safe>
          {v.summary}
        </p>
      ) : (
        ''
      )}
      <dl class="facts" data-testid="facts">
        <dt safe>{t('activity.date')}</dt>
        <dd>
          <time datetime={v.dates.startIso} data-testid="activity-date" safe>
            {v.dates.text}
          </time>
        </dd>
        {place ? (
          <>
            <dt safe>{t('activity.place')}</dt>
            <dd data-testid="activity-place">
              <span safe>{place}</span>
              {v.place.venue ? <span safe>{` (${v.place.venue})`}</span> : ''}
            </dd>
          </>
        ) : (
          ''
        )}
        <dt safe>{t('activity.format')}</dt>
        <dd safe>{v.format.label}</dd>
        <dt safe>{t('activity.type')}</dt>
        <dd safe>{v.type.label}</dd>
        <dt safe>{t('activity.status')}</dt>
        <dd safe>{v.status.label}</dd>
        {host ? (
          <>
            <dt safe>{t('activity.host')}</dt>
            <dd safe>{host}</dd>
          </>
        ) : (
          ''
        )}
        {coChairs.length ? (
          <>
            <dt safe>{t('activity.coChairs')}</dt>
            <dd data-testid="co-chairs" safe>
              {coChairs.join(', ')}
            </dd>
          </>
        ) : (
          ''
        )}
        {v.themes.length ? (
          <>
            <dt safe>{t('activity.themes')}</dt>
            <dd data-testid="themes">
              <ul>
                {v.themes.map((th) => (
                  <li>
                    <a href={th.href} safe>
                      {th.label}
                    </a>{' '}
                    <span class="muted" safe>{`(${th.framework.name})`}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : (
          ''
        )}
        {figures.length ? (
          <>
            <dt safe>{t('activity.participation')}</dt>
            <dd data-testid="figures" safe>
              {figures.join(', ')}
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {d.meeting.agendaHref || d.meeting.calendarHref ? (
        <p class="agenda-actions" data-testid="meeting-links">
          {d.meeting.agendaHref ? (
            <a class="button" href={d.meeting.agendaHref} safe>
              {t('agenda.seeAgenda')}
            </a>
          ) : (
            ''
          )}
          {d.meeting.agendaHref && d.meeting.calendarHref ? ' ' : ''}
          {d.meeting.calendarHref ? (
            <a href={d.meeting.calendarHref} safe>
              {t('agenda.calendar')}
            </a>
          ) : (
            ''
          )}
        </p>
      ) : (
        ''
      )}
      {d.meeting.registration ? <RegistrationBlock tr={tr} registration={d.meeting.registration.state} href={d.meeting.registration.href} /> : ''}
      {d.meeting.outcome ? <MeetingOutcomeBlock tr={tr} outcome={d.meeting.outcome} /> : ''}
      {d.meeting.practical ? <PracticalInfo tr={tr} info={d.meeting.practical.info} lang={d.meeting.practical.lang} timeZone={d.meeting.practical.timeZone} /> : ''}
      {d.library.length ? (
        <section aria-labelledby="library-title" data-testid="activity-library">
          <h2 id="library-title" safe>
            {t('activity.libraryDocuments')}
          </h2>
          <ol class="documents">
            {d.library.map((doc) => (
              <li data-testid="library-document">
                <a href={url('documents.show', tr.lang, { slug: doc.slug })} safe>
                  {doc.title}
                </a>{' '}
                <span class="doc-meta" safe>{`(${t(`documents.type.${doc.type}` as MessageKey)})`}</span>
                {doc.files.length ? (
                  <ul class="files">
                    {doc.files.map((f) => (
                      <li>
                        <FileLink tr={tr} file={f} href={fileHref(f)} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  ''
                )}
              </li>
            ))}
          </ol>
        </section>
      ) : (
        ''
      )}
      {safeNarrative ? (
        <div class="narrative" lang={foreign ? textLang : undefined} data-testid="narrative">
          {safeNarrative}
        </div>
      ) : (
        ''
      )}
      <section aria-labelledby="documents-title">
        <h2 id="documents-title" safe>
          {t('activity.documents')}
        </h2>
        {listed.length ? (
          <ol class="documents" data-testid="documents">
            {listed.map((doc) => {
              const title = doc.title;
              const details = [doc.typeLabel, doc.langLabel, doc.sizeText].filter(Boolean).join(' · ');
              return (
                <li data-testid="document">
                  {doc.url ? (
                    <a href={doc.url} hreflang={doc.lang === 'mul' ? undefined : doc.lang} safe>
                      {title}
                    </a>
                  ) : (
                    <span safe>{title}</span>
                  )}{' '}
                  <span class="doc-meta" safe>
                    {`(${details}${doc.url ? '' : ` · ${t('activity.documentUnavailable')}`})`}
                  </span>
                </li>
              );
            })}
          </ol>
        ) : (
          <p class="muted" safe>
            {t('activity.documentsNone')}
          </p>
        )}
      </section>
      {v.galleryUrl ? (
        <section aria-labelledby="photos-title">
          <h2 id="photos-title" safe>
            {t('activity.photos')}
          </h2>
          <p>
            <a href={v.galleryUrl} rel="noopener" safe>
              {t('activity.photosLink')}
            </a>
          </p>
        </section>
      ) : (
        ''
      )}
      {v.related.length ? (
        <section aria-labelledby="related-title">
          <h2 id="related-title" safe>
            {t('activity.related')}
          </h2>
          <ul class="cards" data-testid="related">
            {v.related.map((card) => (
              <ActivityCardView card={card} tr={tr} />
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <p>
        <a class="back" href={backHref} safe>
          {t('activity.back')}
        </a>
      </p>
    </article>
  );
}
