import type { Translator } from '../../platform/i18n/i18n.js';
import { ErrorSummary, TextField, type FieldError } from '../../platform/views/forms.js';
import type { AlertCriterion } from './alerts.describe.js';
import { ALERT_LIMITS, type AlertSearch } from './alerts.schemas.js';

/** What an alert follows, as a list of terms and values. */
export function Criteria({ criteria }: { criteria: readonly AlertCriterion[] }): JSX.Element {
  return (
    <dl class="facts" data-testid="alert-criteria">
      {criteria.map((c) => (
        <>
          <dt safe>{c.label}</dt>
          <dd safe>{c.value}</dd>
        </>
      ))}
    </dl>
  );
}

/** The search's parameters, carried by the form as they came (they are read again on the server). */
function SearchFields({ search }: { search: AlertSearch }): JSX.Element {
  return (
    <>
      <input type="hidden" name="scope" value={search.scope} />
      {[...new URLSearchParams(search.params)].map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
    </>
  );
}

/** The subscription form: the search described, one address, what will happen. */
export function NewAlertView(p: { tr: Translator; action: string; search: AlertSearch; criteria: AlertCriterion[]; email: string; errors: FieldError[]; listHref: string }): JSX.Element {
  const t = p.tr.t;
  const emailError = p.errors.find((e) => e.field === 'email')?.message;
  return (
    <section aria-labelledby="alert-title" class="narrow">
      <ErrorSummary tr={p.tr} errors={p.errors} />
      <h1 id="alert-title" safe>
        {t('alerts.new.title')}
      </h1>
      <p safe>{t('alerts.new.intro')}</p>
      <Criteria criteria={p.criteria} />
      <p>
        <a href={p.listHref} safe>
          {t('alerts.new.seeList')}
        </a>
      </p>
      <form method="post" action={p.action} novalidate data-testid="alert-form">
        <SearchFields search={p.search} />
        <TextField id="email" type="email" autocomplete="email" label={t('alerts.field.email')} hint={t('alerts.field.emailHint')} value={p.email} error={emailError} required />
        <button type="submit" class="button" data-testid="alert-subscribe" safe>
          {t('alerts.new.submit')}
        </button>
      </form>
      <h2 safe>{t('alerts.new.howTitle')}</h2>
      <ul>
        <li safe>{t('alerts.new.how.confirm', { days: ALERT_LIMITS.confirmDays })}</li>
        <li safe>{t('alerts.new.how.daily')}</li>
        <li safe>{t('alerts.new.how.stop')}</li>
        <li safe>{t('alerts.new.how.privacy')}</li>
      </ul>
    </section>
  );
}

/** A page with a title, some paragraphs and an optional action or link. */
export function MessageView(p: { tr: Translator; title: string; paragraphs: string[]; criteria?: AlertCriterion[] | undefined; form?: { action: string; label: string; testId: string; warning?: boolean } | undefined; links?: { href: string; label: string }[] | undefined; testId: string }): JSX.Element {
  return (
    <section aria-labelledby="alert-title" class="narrow" data-testid={p.testId}>
      <h1 id="alert-title" safe>
        {p.title}
      </h1>
      {p.paragraphs.map((text) => (
        <p safe>{text}</p>
      ))}
      {p.criteria ? <Criteria criteria={p.criteria} /> : ''}
      {p.form ? (
        <form method="post" action={p.form.action}>
          <button type="submit" class={p.form.warning ? 'button button-warning' : 'button'} data-testid={p.form.testId} safe>
            {p.form.label}
          </button>
        </form>
      ) : (
        ''
      )}
      {p.links?.length ? (
        <ul class="plain-links">
          {p.links.map((l) => (
            <li>
              <a href={l.href} safe>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </section>
  );
}

/** An address shown on the alert's own page without giving it away whole to whoever holds the link: "a•••@example.org". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${Array.from(email.slice(0, at))[0]}•••${email.slice(at)}`;
}
