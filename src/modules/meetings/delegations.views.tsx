import type { Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FieldError } from '../../platform/views/forms.js';
import type { Delegate, Invitation } from './delegations.repository.js';
import type { Question } from './questions.js';
import { longDay, Notice, RegistrationFields, StateTag, type Choices } from './registration.views.js';
import { formatDateRange, type DatePrecision } from '../../platform/i18n/dates.js';

type Body = Record<string, unknown>;
const str = (v: Body, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;
const sizeOf = (bytes: number, lang: string) => new Intl.NumberFormat(lang, { style: 'unit', unit: bytes >= 1024 * 1024 ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(bytes >= 1024 * 1024 ? bytes / 1024 / 1024 : Math.max(1, bytes / 1024));

/** A meeting's invitations, as the organiser manages them: who is invited with how many seats, and how they are used. */
export function InvitationsAdmin(p: {
  tr: Translator;
  csrf: string;
  title: string;
  base: string;
  registrationsHref: string;
  invitations: Invitation[];
  names: Map<string, string>;
  heads: Map<number, string>;
  choices: Choices;
  values: Body;
  errors: FieldError[];
  notice: string | null;
  rowError: { id: number; message: string } | null;
}): JSX.Element {
  const t = p.tr.t;
  const nf = new Intl.NumberFormat(p.tr.lang);
  const partnerOf = (i: Invitation) => p.names.get(i.countryCode !== null ? `c:${i.countryCode}` : `o:${i.organisationId}`) ?? '';
  const invited = new Set(p.invitations.map((i) => (i.countryCode !== null ? `c:${i.countryCode}` : `o:${i.organisationId}`)));
  const open = { countries: p.choices.countries.filter((c) => !invited.has(c.value)), organisations: p.choices.organisations.filter((o) => !invited.has(o.value)) };
  return (
    <>
      <p class="back">
        <a href={p.registrationsHref} safe>
          {t('delegation.admin.back')}
        </a>
      </p>
      <Notice text={p.notice} />
      <ErrorSummary tr={p.tr} errors={p.errors} />
      <h1 safe>{t('delegation.admin.title', { title: p.title })}</h1>
      <p safe>{t('delegation.admin.intro')}</p>
      {p.invitations.length ? (
        <table class="list" data-testid="invitations">
          <caption class="visually-hidden" safe>
            {t('delegation.admin.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('delegation.admin.partner')}
              </th>
              <th scope="col" safe>
                {t('delegation.admin.used')}
              </th>
              <th scope="col" safe>
                {t('delegation.admin.head')}
              </th>
              <th scope="col" safe>
                {t('delegation.admin.letter')}
              </th>
              <th scope="col" safe>
                {t('delegation.admin.seats')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.invitations.map((i) => (
              <tr data-testid="invitation-row">
                <td>
                  <a href={`/admin/delegations/${i.id}`} safe>
                    {partnerOf(i)}
                  </a>
                </td>
                <td safe>{t('delegation.admin.usedOf', { seated: i.seated, seats: i.seats, waiting: i.waiting })}</td>
                <td safe>{i.headRegistrationId !== null ? (p.heads.get(i.headRegistrationId) ?? '') : t('delegation.admin.noHead')}</td>
                <td safe>{i.letter ? t('delegation.admin.letterYes') : t('delegation.admin.letterNo')}</td>
                <td>
                  {p.rowError?.id === i.id ? (
                    <p class="field-error" role="alert" safe>
                      {p.rowError.message}
                    </p>
                  ) : (
                    ''
                  )}
                  <form method="post" action={`${p.base}/${i.id}/seats`} class="inline-form">
                    <CsrfField token={p.csrf} />
                    <label for={`seats-${i.id}`} class="visually-hidden" safe>
                      {t('delegation.admin.seatsOf', { partner: partnerOf(i) })}
                    </label>
                    <input id={`seats-${i.id}`} name="seats" inputmode="numeric" value={String(i.seats)} size="4" />{' '}
                    <button class="button secondary" type="submit" safe>
                      {t('delegation.admin.change')}
                    </button>
                  </form>
                  {i.seated + i.waiting === 0 ? (
                    <form method="post" action={`${p.base}/${i.id}/withdraw`} class="inline-form">
                      <CsrfField token={p.csrf} />
                      <button class="button secondary" type="submit" aria-label={t('delegation.admin.withdrawOf', { partner: partnerOf(i) })} safe>
                        {t('delegation.admin.withdraw')}
                      </button>
                    </form>
                  ) : (
                    ''
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" safe>
                {t('delegation.admin.total')}
              </th>
              <td colspan="4" safe>
                {t('delegation.admin.totalOf', { seated: p.invitations.reduce((a, i) => a + i.seated, 0), seats: p.invitations.reduce((a, i) => a + i.seats, 0) })}
              </td>
            </tr>
          </tfoot>
        </table>
      ) : (
        <p data-testid="no-invitations" safe>
          {t('delegation.admin.none')}
        </p>
      )}
      <h2 safe>{t('delegation.admin.add')}</h2>
      <form method="post" action={p.base} novalidate data-testid="invite-form">
        <CsrfField token={p.csrf} />
        <div class={`form-group${errorOf(p.errors, 'partner') ? ' has-error' : ''}`}>
          <label for="partner" safe>
            {t('delegation.field.partner')}
          </label>
          {errorOf(p.errors, 'partner') ? (
            <span class="field-error" id="partner-error" safe>
              {errorOf(p.errors, 'partner')}
            </span>
          ) : (
            ''
          )}
          <select id="partner" name="partner" aria-describedby={errorOf(p.errors, 'partner') ? 'partner-error' : undefined} aria-invalid={errorOf(p.errors, 'partner') ? 'true' : undefined}>
            <option value="" safe>
              {t('registration.choose')}
            </option>
            <optgroup label={t('registration.countries')}>
              {open.countries.map((o) => (
                <option value={o.value} selected={o.value === str(p.values, 'partner')} safe>
                  {o.label}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('registration.organisations')}>
              {open.organisations.map((o) => (
                <option value={o.value} selected={o.value === str(p.values, 'partner')} safe>
                  {o.label}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <TextField id="seats" label={t('delegation.field.seats')} hint={t('delegation.field.seatsHint')} value={str(p.values, 'seats')} error={errorOf(p.errors, 'seats')} width="short" />
        <button class="button" type="submit" safe>
          {t('delegation.admin.invite')}
        </button>
      </form>
      <p class="hint" safe>
        {t('delegation.admin.seatsTotal', { count: nf.format(p.invitations.length) })}
      </p>
    </>
  );
}

/** A focal point's invitations, newest meeting first. */
export function DelegationsList(p: { tr: Translator; partner: string; items: (Invitation & { title: string; startDate: string; endDate: string | null; datePrecision: string })[] }): JSX.Element {
  const t = p.tr.t;
  return (
    <>
      <h1 safe>{t('delegation.list.title')}</h1>
      <p safe>{t('delegation.list.intro', { partner: p.partner })}</p>
      {p.items.length ? (
        <table class="list" data-testid="delegations">
          <caption class="visually-hidden" safe>
            {t('delegation.list.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('delegation.list.meeting')}
              </th>
              <th scope="col" safe>
                {t('delegation.list.dates')}
              </th>
              <th scope="col" safe>
                {t('delegation.admin.used')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((i) => (
              <tr data-testid="delegation-row">
                <td>
                  <a href={`/admin/delegations/${i.id}`} safe>
                    {i.title}
                  </a>
                </td>
                <td safe>{formatDateRange(i.startDate, i.endDate, i.datePrecision as DatePrecision, p.tr.lang)}</td>
                <td safe>{t('delegation.admin.usedOf', { seated: i.seated, seats: i.seats, waiting: i.waiting })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="no-delegations" safe>
          {t('delegation.list.none')}
        </p>
      )}
    </>
  );
}

/** One delegation: its seats, its delegates, the head of delegation, the nomination letter, and the form to nominate. */
export function DelegationPage(p: {
  tr: Translator;
  csrf: string;
  invitation: Invitation;
  partner: { value: string; label: string };
  meeting: { title: string; dates: string; href: string | null };
  delegates: Delegate[];
  listHref: string;
  /** Until when nominations are taken, or null when they are closed. */
  closesOn: string | null;
  lastDay: string;
  choices: Choices;
  values: Body;
  errors: FieldError[];
  headErrors: FieldError[];
  letterErrors: FieldError[];
  maxLetterMb: number;
  notice: string | null;
  registrationsHref: string | null;
  questions: Question[];
}): JSX.Element {
  const t = p.tr.t;
  const i = p.invitation;
  const active = p.delegates.filter((d) => d.state === 'pending' || d.state === 'approved' || d.state === 'waitlisted');
  const base = `/admin/delegations/${i.id}`;
  return (
    <>
      <p class="back">
        <a href={p.listHref} safe>
          {p.registrationsHref ? t('delegation.page.backOrganiser') : t('delegation.page.back')}
        </a>
      </p>
      <Notice text={p.notice} />
      <ErrorSummary tr={p.tr} errors={[...p.headErrors, ...p.letterErrors, ...p.errors]} />
      <h1 safe>{t('delegation.page.title', { partner: p.partner.label, meeting: p.meeting.title })}</h1>
      <p>
        <span safe>{p.meeting.dates}</span>
        {p.meeting.href ? (
          <>
            {' · '}
            <a href={p.meeting.href} safe>
              {t('delegation.page.meetingPage')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <p data-testid="delegation-seats" safe>
        {t('delegation.admin.usedOf', { seated: i.seated, seats: i.seats, waiting: i.waiting })}
      </p>
      <p safe>{p.closesOn ? t('delegation.page.closesOn', { day: longDay(p.closesOn, p.tr.lang) }) : t('delegation.page.closed')}</p>
      <h2 safe>{t('delegation.page.delegates')}</h2>
      {p.delegates.length ? (
        <table class="list" data-testid="delegates">
          <caption class="visually-hidden" safe>
            {t('delegation.page.delegates')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('registration.admin.name')}
              </th>
              <th scope="col" safe>
                {t('registration.field.function')}
              </th>
              <th scope="col" safe>
                {t('registration.admin.state')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.delegates.map((d) => (
              <tr data-testid="delegate-row">
                <td>
                  {p.registrationsHref ? (
                    <a href={`${p.registrationsHref}/${d.id}`} safe>
                      {`${d.familyName}, ${d.givenName}`}
                    </a>
                  ) : (
                    <span safe>{`${d.familyName}, ${d.givenName}`}</span>
                  )}
                  {i.headRegistrationId === d.id ? (
                    <>
                      {' '}
                      <strong class="tag" data-testid="head-tag" safe>
                        {t('delegation.page.headTag')}
                      </strong>
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td safe>{d.function}</td>
                <td>
                  <StateTag tr={p.tr} state={d.state} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="no-delegates" safe>
          {t('delegation.page.noDelegates')}
        </p>
      )}
      {active.length ? (
        <form method="post" action={`${base}/head`} novalidate data-testid="head-form">
          <CsrfField token={p.csrf} />
          <SelectField
            id="head"
            label={t('delegation.field.head')}
            value={i.headRegistrationId !== null ? String(i.headRegistrationId) : ''}
            blank={t('delegation.page.noHeadChoice')}
            options={active.map((d) => ({ value: String(d.id), label: `${d.givenName} ${d.familyName}` }))}
            error={errorOf(p.headErrors, 'head')}
          />
          <button class="button secondary" type="submit" safe>
            {t('delegation.page.saveHead')}
          </button>
        </form>
      ) : (
        ''
      )}
      <h2 safe>{t('delegation.page.letter')}</h2>
      {i.letter ? (
        <p data-testid="letter">
          <a href={`${base}/letter`} safe>
            {i.letter.fileName}
          </a>
          <span safe>{` (${sizeOf(i.letter.size, p.tr.lang)}, ${longDay(i.letter.uploadedAt.slice(0, 10), p.tr.lang)})`}</span>
        </p>
      ) : (
        <p safe>{t('delegation.page.noLetter')}</p>
      )}
      <form method="post" action={`${base}/letter`} enctype="multipart/form-data" novalidate data-testid="letter-form">
        <CsrfField token={p.csrf} />
        <div class={`form-group${errorOf(p.letterErrors, 'letter') ? ' has-error' : ''}`}>
          <label for="letter" safe>
            {i.letter ? t('delegation.field.replaceLetter') : t('delegation.field.letter')}
          </label>
          <span class="hint" id="letter-hint" safe>
            {t('delegation.field.letterHint', { max: p.maxLetterMb })}
          </span>
          {errorOf(p.letterErrors, 'letter') ? (
            <span class="field-error" id="letter-error" safe>
              {errorOf(p.letterErrors, 'letter')}
            </span>
          ) : (
            ''
          )}
          <input type="file" id="letter" name="letter" accept=".pdf,.docx,.odt,.jpg,.jpeg,.png" aria-describedby={errorOf(p.letterErrors, 'letter') ? 'letter-hint letter-error' : 'letter-hint'} />
        </div>
        <button class="button secondary" type="submit" safe>
          {t('delegation.page.upload')}
        </button>
      </form>
      <h2 id="nominate" safe>
        {t('delegation.page.nominate')}
      </h2>
      {p.closesOn ? (
        <form method="post" action={`${base}/nominate`} novalidate data-testid="nominate-form">
          <CsrfField token={p.csrf} />
          <p class="hint" safe>
            {i.seated >= i.seats ? t('delegation.page.full') : t('delegation.page.nominateHint', { left: i.seats - i.seated })}
          </p>
          <RegistrationFields tr={p.tr} values={p.values} errors={p.errors} choices={p.choices} withEmail lastDay={p.lastDay} partner={p.partner} onBehalf questions={p.questions} />
          <button class="button" type="submit" safe>
            {t('delegation.page.send')}
          </button>
        </form>
      ) : (
        <p safe>{t('delegation.page.closed')}</p>
      )}
    </>
  );
}
