import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { CsrfField } from '../../platform/views/forms.js';
import type { Participant } from './attendance.repository.js';
import { Notice, StateTag } from './registration.views.js';

/** An instant as the desk reads it: the time in the venue's zone (the site's when it has none). */
export const timeAt = (iso: string, lang: string, timeZone: string) => new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone }).format(new Date(iso));

/** The check-in desk: how many have come, a search by name or badge code, and a button per person. Made for a phone. */
export function CheckInPage(p: {
  tr: Translator;
  csrf: string;
  title: string;
  base: string;
  registrationsHref: string | null;
  badgesHref: string;
  query: string;
  results: Participant[];
  recent: Participant[];
  counts: { approved: number; attended: number };
  timeZone: string;
  notice: string | null;
  error: string | null;
}): JSX.Element {
  const t = p.tr.t;
  const row = (x: Participant) => (
    <li class="checkin-person" data-testid="checkin-person">
      <p class="checkin-name">
        <strong safe>{`${x.givenName} ${x.familyName}`}</strong>
        <br />
        <span safe>{[x.delegation, t(`attendance.role.${x.role}` as MessageKey)].filter(Boolean).join(' · ')}</span>
      </p>
      {x.state !== 'approved' ? (
        <StateTag tr={p.tr} state={x.state} />
      ) : x.attendedAt ? (
        <form method="post" action={`${p.base}/${x.id}`} class="checkin-action">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="q" value={p.query} />
          <span class="tag tag-approved" data-testid="attended" safe>
            {t('attendance.attendedAt', { time: timeAt(x.attendedAt, p.tr.lang, p.timeZone) })}
          </span>{' '}
          <button class="button secondary" type="submit" name="action" value="undo" aria-label={t('attendance.undoFor', { name: `${x.givenName} ${x.familyName}` })} safe>
            {t('attendance.undo')}
          </button>
        </form>
      ) : (
        <form method="post" action={`${p.base}/${x.id}`} class="checkin-action">
          <CsrfField token={p.csrf} />
          <input type="hidden" name="q" value={p.query} />
          <button class="button" type="submit" name="action" value="attend" data-testid="check-in-button" aria-label={t('attendance.attendFor', { name: `${x.givenName} ${x.familyName}` })} safe>
            {t('attendance.attend')}
          </button>
        </form>
      )}
    </li>
  );
  return (
    <>
      {p.registrationsHref ? (
        <p class="back">
          <a href={p.registrationsHref} safe>
            {t('delegation.admin.back')}
          </a>
        </p>
      ) : (
        ''
      )}
      <Notice text={p.notice} />
      {p.error ? (
        <div class="error-summary" role="alert" data-testid="checkin-error">
          <p safe>{p.error}</p>
        </div>
      ) : (
        ''
      )}
      <h1 safe>{t('attendance.title', { title: p.title })}</h1>
      <p data-testid="attendance-count" safe>
        {t('attendance.count', { attended: p.counts.attended, approved: p.counts.approved })}
      </p>
      <form method="get" action={p.base} role="search" class="checkin-search">
        <label for="q" safe>
          {t('attendance.search')}
        </label>
        <span class="hint" id="q-hint" safe>
          {t('attendance.searchHint')}
        </span>
        <input id="q" name="q" type="search" value={p.query} autocomplete="off" aria-describedby="q-hint" maxlength="100" />
        <button class="button" type="submit" safe>
          {t('attendance.find')}
        </button>
      </form>
      {p.query ? (
        p.results.length ? (
          <ul class="checkin-list" data-testid="checkin-results" aria-label={t('attendance.results')}>
            {p.results.map(row)}
          </ul>
        ) : (
          <p data-testid="checkin-none" safe>
            {t('attendance.none', { query: p.query })}
          </p>
        )
      ) : (
        ''
      )}
      {p.recent.length ? (
        <>
          <h2 safe>{t('attendance.recent')}</h2>
          <ul class="checkin-list">{p.recent.map(row)}</ul>
        </>
      ) : (
        ''
      )}
      <p>
        <a href={p.badgesHref} data-testid="badges-link" safe>
          {t('attendance.badges.all')}
        </a>
      </p>
    </>
  );
}
