import { formatDateRange } from '../../platform/i18n/dates.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { CheckboxField, CheckboxGroup, CsrfField, ErrorSummary, SelectField, TextArea, TextField, type FieldError } from '../../platform/views/forms.js';
import type { Registration } from './registration.repository.js';
import { inLang, questionField, type Question } from './questions.js';
import { GENDERS, ISO_COUNTRIES, REGISTRATION_FORMS, REGISTRATION_STATES, TITLES, WORKING_LANGUAGES, type RegistrationState } from './registration.schemas.js';

type Body = Record<string, unknown>;
const str = (v: Body, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
const list = (v: Body, k: string) => (Array.isArray(v[k]) ? (v[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);
const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

export interface Choices {
  countries: { value: string; label: string }[];
  organisations: { value: string; label: string }[];
}

/** A day (YYYY-MM-DD) written out in a language, as the rest of the site writes days ("11 March 2027"). */
export function longDay(day: string, lang: string): string {
  return formatDateRange(day, null, 'day', lang);
}

/** The countries a passport may be from, named in the reader's language. */
function nationalities(lang: string): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([lang], { type: 'region' });
  const collator = new Intl.Collator(lang);
  return ISO_COUNTRIES.map((c) => ({ value: c, label: names.of(c) ?? c })).sort((a, b) => collator.compare(a.label, b.label));
}

/** A message after an action (saved, decided), read out by screen readers. */
export function Notice({ text }: { text: string | null }): JSX.Element {
  return text ? (
    <div class="notice" role="status" data-testid="notice">
      <p safe>{text}</p>
    </div>
  ) : (
    <></>
  );
}

/**
 * The registration form's fields. A focal point nominating a delegate fills them `onBehalf`: the
 * delegation is fixed (`partner`) and the consents are the delegate's, as the focal point reports them.
 */
export function RegistrationFields({
  tr,
  values,
  errors,
  choices,
  withEmail,
  lastDay,
  partner,
  onBehalf = false,
  questions = [],
}: {
  tr: Translator;
  values: Body;
  errors: FieldError[];
  choices: Choices;
  withEmail: boolean;
  lastDay: string;
  partner?: { value: string; label: string };
  onBehalf?: boolean;
  questions?: Question[];
}): JSX.Element {
  const t = tr.t;
  const f = (k: string) => t(`registration.field.${k}` as MessageKey);
  const represents = str(values, 'represents');
  const consent = (k: 'consent_public' | 'consent_data') => (onBehalf ? t(`delegation.field.${k}` as MessageKey) : f(k));
  return (
    <>
      <fieldset class="group">
        <legend safe>{t('registration.section.you')}</legend>
        <SelectField id="title" label={f('title')} value={str(values, 'title')} blank={t('registration.none')} options={TITLES.map((x) => ({ value: x, label: t(`registration.title.${x}` as MessageKey) }))} error={errorOf(errors, 'title')} />
        <TextField id="given_name" label={f('given_name')} value={str(values, 'given_name')} autocomplete="given-name" required error={errorOf(errors, 'given_name')} />
        <TextField id="family_name" label={f('family_name')} value={str(values, 'family_name')} autocomplete="family-name" required error={errorOf(errors, 'family_name')} />
        <SelectField id="gender" label={f('gender')} hint={t('registration.hint.gender')} value={str(values, 'gender')} blank={t('registration.gender.none')} options={GENDERS.map((x) => ({ value: x, label: t(`registration.gender.${x}` as MessageKey) }))} error={errorOf(errors, 'gender')} />
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('registration.section.role')}</legend>
        <TextField id="function" label={f('function')} value={str(values, 'function')} autocomplete="organization-title" error={errorOf(errors, 'function')} />
        <TextField id="institution" label={f('institution')} value={str(values, 'institution')} autocomplete="organization" error={errorOf(errors, 'institution')} />
        {partner ? (
          <p>
            <input type="hidden" name="represents" value={partner.value} />
            <span safe>{t('delegation.field.delegation')}</span> <strong safe>{partner.label}</strong>
          </p>
        ) : (
        <div class={`form-group${errorOf(errors, 'represents') ? ' has-error' : ''}`}>
          <label for="represents" safe>
            {f('represents')}
          </label>
          {errorOf(errors, 'represents') ? (
            <span class="field-error" id="represents-error" safe>
              {errorOf(errors, 'represents')}
            </span>
          ) : (
            ''
          )}
          <select id="represents" name="represents" aria-describedby={errorOf(errors, 'represents') ? 'represents-error' : undefined} aria-invalid={errorOf(errors, 'represents') ? 'true' : undefined}>
            <option value="" safe>
              {t('registration.choose')}
            </option>
            <optgroup label={t('registration.countries')}>
              {choices.countries.map((o) => (
                <option value={o.value} selected={o.value === represents} safe>
                  {o.label}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('registration.organisations')}>
              {choices.organisations.map((o) => (
                <option value={o.value} selected={o.value === represents} safe>
                  {o.label}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        )}
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('registration.section.contact')}</legend>
        {withEmail ? (
          <TextField id="email" type="email" label={f('email')} hint={t('registration.hint.email')} value={str(values, 'email')} autocomplete="email" required error={errorOf(errors, 'email')} />
        ) : (
          <p>
            <span safe>{`${f('email')}: `}</span>
            <strong safe>{str(values, 'email')}</strong>
          </p>
        )}
        <TextField id="phone" label={f('phone')} hint={t('registration.hint.phone')} value={str(values, 'phone')} autocomplete="tel" error={errorOf(errors, 'phone')} />
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('registration.section.needs')}</legend>
        <CheckboxGroup id="languages" legend={f('languages')} options={WORKING_LANGUAGES.map((l) => ({ value: l, label: new Intl.DisplayNames([tr.lang], { type: 'language' }).of(l) ?? l }))} checked={list(values, 'languages')} error={errorOf(errors, 'languages')} />
        <TextArea id="dietary" label={f('dietary')} value={str(values, 'dietary')} rows={2} error={errorOf(errors, 'dietary')} />
        <TextArea id="accessibility" label={f('accessibility')} value={str(values, 'accessibility')} rows={2} error={errorOf(errors, 'accessibility')} />
      </fieldset>
      {questions.length ? (
        <fieldset class="group" data-testid="organiser-questions">
          <legend safe>{t('questions.section')}</legend>
          {questions.map((q) => {
            const id = questionField(q);
            const label = `${inLang(q.labels, tr.lang)}${q.required ? t('questions.requiredMark') : ''}`;
            const value = str(values, id);
            const error = errorOf(errors, id);
            if (q.kind === 'choice') return <SelectField id={id} label={label} value={value} blank={t('registration.choose')} options={q.options.map((o, i) => ({ value: String(i), label: inLang(o, tr.lang) }))} error={error} />;
            if (q.kind === 'yes_no') return <SelectField id={id} label={label} value={value} blank={t('registration.choose')} options={[{ value: 'yes', label: t('registration.yes') }, { value: 'no', label: t('registration.no') }]} error={error} />;
            if (q.kind === 'date') return <TextField id={id} type="date" label={label} value={value} error={error} width="short" />;
            return <TextArea id={id} label={label} value={value} rows={2} error={error} />;
          })}
        </fieldset>
      ) : (
        ''
      )}
      <fieldset class="group">
        <legend safe>{t('registration.section.travel')}</legend>
        <CheckboxField id="travel_support" label={f('travel_support')} checked={values.travel_support === true} error={errorOf(errors, 'travel_support')} />
        <CheckboxField id="visa_letter" label={f('visa_letter')} hint={t('registration.hint.visa')} checked={values.visa_letter === true} error={errorOf(errors, 'visa_letter')} />
        <SelectField id="nationality" label={f('nationality')} value={str(values, 'nationality')} blank={t('registration.choose')} options={nationalities(tr.lang)} error={errorOf(errors, 'nationality')} />
        <TextField id="passport_number" label={f('passport_number')} value={str(values, 'passport_number')} autocomplete="off" error={errorOf(errors, 'passport_number')} />
        <TextField id="passport_expiry" type="date" label={f('passport_expiry')} hint={t('registration.hint.expiry', { day: longDay(lastDay, tr.lang) })} value={str(values, 'passport_expiry')} error={errorOf(errors, 'passport_expiry')} />
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('registration.section.consent')}</legend>
        <CheckboxField id="consent_public" label={consent('consent_public')} hint={t('registration.hint.public')} checked={values.consent_public === true} error={errorOf(errors, 'consent_public')} />
        <CheckboxField id="consent_data" label={consent('consent_data')} hint={t('registration.hint.data')} checked={values.consent_data === true} error={errorOf(errors, 'consent_data')} />
      </fieldset>
    </>
  );
}

/** The public registration form of a meeting. */
export function RegisterPage(p: { tr: Translator; title: string; meetingHref: string; action: string; values: Body; errors: FieldError[]; choices: Choices; lastDay: string; closesOn: string; questions: Question[] }): JSX.Element {
  const t = p.tr.t;
  return (
    <div class="narrow">
      <p class="back">
        <a href={p.meetingHref} safe>
          {t('registration.back')}
        </a>
      </p>
      <ErrorSummary tr={p.tr} errors={p.errors} />
      <h1 safe>{t('registration.titleOf', { title: p.title })}</h1>
      <p safe>{t('registration.intro', { day: longDay(p.closesOn, p.tr.lang) })}</p>
      <form method="post" action={p.action} novalidate data-testid="registration-form">
        <RegistrationFields tr={p.tr} values={p.values} errors={p.errors} choices={p.choices} withEmail lastDay={p.lastDay} questions={p.questions} />
        <button class="button" type="submit" data-testid="registration-submit" safe>
          {t('registration.submit')}
        </button>
      </form>
    </div>
  );
}

/** A short page with a title, paragraphs and links (sent, closed, unknown link). */
export function RegistrationMessage(p: { tr: Translator; title: string; paragraphs: string[]; links?: { href: string; label: string }[]; testId: string }): JSX.Element {
  return (
    <div class="narrow" data-testid={p.testId}>
      <h1 safe>{p.title}</h1>
      {p.paragraphs.map((x) => (
        <p safe>{x}</p>
      ))}
      {p.links?.length ? (
        <ul>
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
    </div>
  );
}

/** The registration's fields as form values, for the registrant's page and the organiser's. */
export function registrationValues(r: Registration, passport: { nationality: string; number: string; expiry: string } | null): Body {
  return {
    title: r.title,
    given_name: r.givenName,
    family_name: r.familyName,
    gender: r.gender,
    function: r.function,
    institution: r.institution,
    represents: r.countryCode ? `c:${r.countryCode}` : r.organisationId !== null ? `o:${r.organisationId}` : '',
    email: r.email,
    phone: r.phone,
    languages: r.languages,
    dietary: r.dietary,
    accessibility: r.accessibility,
    travel_support: r.travelSupport,
    visa_letter: r.visaLetter,
    nationality: passport?.nationality ?? '',
    passport_number: passport?.number ?? '',
    passport_expiry: passport?.expiry ?? '',
    consent_public: r.consentPublic,
    consent_data: r.consentData,
  };
}

/** The state as a tag, in words. */
export function StateTag({ tr, state }: { tr: Translator; state: RegistrationState }): JSX.Element {
  return (
    <strong class={`tag tag-${state}`} data-testid="registration-state" safe>
      {tr.t(`registration.state.${state}` as MessageKey)}
    </strong>
  );
}

/** A registrant's own page: where the registration stands, their details to correct, and cancelling. */
export function OwnRegistrationPage(p: {
  tr: Translator;
  title: string;
  meetingHref: string;
  registration: Registration;
  values: Body;
  errors: FieldError[];
  choices: Choices;
  lastDay: string;
  action: string;
  cancelAction: string;
  dataHref: string;
  questions: Question[];
  /** A nominated delegate's delegation, fixed. */
  partner?: { value: string; label: string } | undefined;
  changeable: boolean;
  notice: string | null;
}): JSX.Element {
  const t = p.tr.t;
  const r = p.registration;
  return (
    <div class="narrow">
      <Notice text={p.notice} />
      <ErrorSummary tr={p.tr} errors={p.errors} />
      <h1 safe>{t('registration.own.title', { title: p.title })}</h1>
      <p>
        <span safe>{`${t('registration.own.state')} `}</span>
        <StateTag tr={p.tr} state={r.state} />
      </p>
      <p safe>{t(`registration.own.explain.${r.state}` as MessageKey)}</p>
      <p>
        <a href={p.meetingHref} safe>
          {t('registration.own.meeting')}
        </a>
        {' · '}
        <a href={p.dataHref} data-testid="own-data" safe>
          {t('registration.data.own')}
        </a>
      </p>
      {p.changeable ? (
        <>
          <h2 safe>{t('registration.own.correct')}</h2>
          <form method="post" action={p.action} novalidate data-testid="registration-correct">
            <RegistrationFields tr={p.tr} values={p.values} errors={p.errors} choices={p.choices} withEmail={false} lastDay={p.lastDay} questions={p.questions} {...(p.partner ? { partner: p.partner } : {})} />
            <button class="button" type="submit" data-testid="registration-save" safe>
              {t('registration.own.save')}
            </button>
          </form>
          <h2 safe>{t('registration.own.cancelTitle')}</h2>
          <form method="post" action={p.cancelAction} data-testid="registration-cancel">
            <p safe>{t('registration.own.cancelBody')}</p>
            <button class="button button-warning" type="submit" data-testid="registration-cancel-submit" safe>
              {t('registration.own.cancel')}
            </button>
          </form>
        </>
      ) : (
        ''
      )}
    </div>
  );
}

/** The organiser's list: settings, counts by state, and the registrations in one state or all. */
export function RegistrationsAdmin(p: {
  tr: Translator;
  csrf: string;
  title: string;
  base: string;
  meetingHref: string;
  counts: Record<RegistrationState, number>;
  capacity: number | null;
  phase: string;
  settings: Body;
  settingsErrors: FieldError[];
  state: RegistrationState | null;
  items: Registration[];
  total: number;
  page: number;
  pageSize: number;
  names: Map<string, string>;
  publicHref: string | null;
  /** The form's address with its key, when it is by link. */
  linkHref: string | null;
  invitationsHref: string;
  invitations: number;
  /** The visa support letters of everyone who asked, for readers of passport details. */
  visaHref: string | null;
  /** The zone dates are read in: the venue's, else the site's. */
  timeZone: string;
  notice: string | null;
}): JSX.Element {
  const t = p.tr.t;
  const taken = p.counts.pending + p.counts.approved;
  const nf = new Intl.NumberFormat(p.tr.lang);
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const pageHref = (n: number) => `${p.base}?${new URLSearchParams({ ...(p.state ? { state: p.state } : {}), ...(n > 1 ? { page: String(n) } : {}) }).toString()}`;
  return (
    <>
      <p class="back">
        <a href={p.meetingHref} safe>
          {t('agenda.admin.meeting')}
        </a>
      </p>
      <Notice text={p.notice} />
      <ErrorSummary tr={p.tr} errors={p.settingsErrors} />
      <h1 safe>{t('registration.admin.title', { title: p.title })}</h1>
      <p>
        <span safe>{`${t('registration.admin.phase')} `}</span>
        <strong data-testid="meeting-phase" safe>
          {t(`registration.phase.${p.phase}` as MessageKey)}
        </strong>
        {p.publicHref ? (
          <>
            {' · '}
            <a href={p.publicHref} safe>
              {t('registration.admin.publicForm')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <p data-testid="seats" safe>
        {p.capacity === null ? t('registration.admin.seatsOpen', { taken }) : t('registration.admin.seats', { taken, capacity: p.capacity })}
      </p>
      <p>
        <a href={p.invitationsHref} data-testid="invitations-link" safe>
          {t('delegation.admin.link', { count: p.invitations })}
        </a>
        {' · '}
        <a href={`${p.meetingHref}/check-in`} data-testid="check-in-link" safe>
          {t('attendance.link')}
        </a>
        {' · '}
        <a href={`${p.base}/questions`} data-testid="questions-link" safe>
          {t('questions.link')}
        </a>
      </p>
      <p data-testid="participant-lists">
        <span safe>{`${t('lists.title')} `}</span>
        <a href={`${p.meetingHref}/participants.xlsx`} data-testid="list-xlsx" safe>
          {t('lists.xlsx')}
        </a>
        {' · '}
        <a href={`${p.meetingHref}/participants.csv`} data-testid="list-csv" safe>
          {t('lists.csv')}
        </a>
        {' · '}
        <a href={`${p.meetingHref}/prints/participants?lang=${p.tr.lang}`} data-testid="list-pdf" safe>
          {t('lists.pdf')}
        </a>
        {' · '}
        <a href={`${p.meetingHref}/prints/certificates?lang=${p.tr.lang}`} data-testid="certificates" safe>
          {t('lists.certificates')}
        </a>
        {p.visaHref ? (
          <>
            {' · '}
            <a href={p.visaHref} data-testid="visa-letters" safe>
              {t('letters.visa.all')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <ul class="state-counts" data-testid="state-counts">
        <li>
          <a href={p.base} aria-current={p.state === null ? 'page' : undefined} safe>
            {`${t('registration.admin.all')} (${nf.format(Object.values(p.counts).reduce((a, b) => a + b, 0))})`}
          </a>
        </li>
        {REGISTRATION_STATES.map((s) => (
          <li>
            <a href={`${p.base}?state=${s}`} aria-current={p.state === s ? 'page' : undefined} data-testid={`count-${s}`} safe>
              {`${t(`registration.state.${s}` as MessageKey)} (${nf.format(p.counts[s])})`}
            </a>
          </li>
        ))}
      </ul>
      {p.items.length ? (
        <table class="list" data-testid="registrations">
          <caption class="visually-hidden" safe>
            {t('registration.admin.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('registration.admin.name')}
              </th>
              <th scope="col" safe>
                {t('registration.field.represents')}
              </th>
              <th scope="col" safe>
                {t('registration.admin.state')}
              </th>
              <th scope="col" safe>
                {t('registration.admin.received')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.items.map((r) => (
              <tr data-testid="registration-row">
                <td>
                  <a href={`${p.base}/${r.id}`} safe>
                    {`${r.familyName}, ${r.givenName}`}
                  </a>
                </td>
                <td safe>{p.names.get(r.countryCode ? `c:${r.countryCode}` : `o:${r.organisationId}`) ?? ''}</td>
                <td>
                  <StateTag tr={p.tr} state={r.state} />
                </td>
                <td safe>{new Intl.DateTimeFormat(p.tr.lang, { dateStyle: 'long', timeZone: p.timeZone }).format(new Date(r.createdAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p safe>{t('registration.admin.none')}</p>
      )}
      {pages > 1 ? (
        <nav aria-label={t('registration.admin.pages')}>
          <p>
            {p.page > 1 ? (
              <a href={pageHref(p.page - 1)} rel="prev" safe>
                {t('registration.admin.previous')}
              </a>
            ) : (
              ''
            )}{' '}
            <span safe>{t('registration.admin.pageOf', { page: p.page, pages })}</span>{' '}
            {p.page < pages ? (
              <a href={pageHref(p.page + 1)} rel="next" safe>
                {t('registration.admin.next')}
              </a>
            ) : (
              ''
            )}
          </p>
        </nav>
      ) : (
        ''
      )}
      <h2 safe>{t('registration.settings.title')}</h2>
      <form method="post" action={`${p.base}/settings`} novalidate data-testid="registration-settings">
        <CsrfField token={p.csrf} />
        <CheckboxField id="open" label={t('registration.settings.open')} hint={t('registration.settings.openHint')} checked={p.settings.open === true} error={errorOf(p.settingsErrors, 'open')} />
        <TextField id="closes_on" type="date" label={t('registration.settings.closes_on')} hint={t('registration.settings.closesHint')} value={str(p.settings, 'closes_on')} error={errorOf(p.settingsErrors, 'closes_on')} width="short" />
        <TextField id="capacity" label={t('registration.settings.capacity')} hint={t('registration.settings.capacityHint')} value={str(p.settings, 'capacity')} error={errorOf(p.settingsErrors, 'capacity')} width="short" />
        <SelectField id="form" label={t('registration.settings.form')} hint={t('registration.settings.formHint')} value={str(p.settings, 'form') || 'public'} options={REGISTRATION_FORMS.map((m) => ({ value: m, label: t(`registration.settings.form.${m}` as MessageKey) }))} error={errorOf(p.settingsErrors, 'form')} />
        {p.linkHref ? (
          <p data-testid="form-link">
            <span safe>{`${t('registration.settings.link')} `}</span>
            <code safe>{p.linkHref}</code>
          </p>
        ) : (
          ''
        )}
        <SelectField id="approval" label={t('registration.settings.approval')} value={str(p.settings, 'approval') || 'manual'} options={(['manual', 'auto'] as const).map((m) => ({ value: m, label: t(`registration.settings.approval.${m}` as MessageKey) }))} error={errorOf(p.settingsErrors, 'approval')} />
        <button class="button" type="submit" safe>
          {t('form.save')}
        </button>
      </form>
    </>
  );
}

/** One registration, as the organiser sees it: details, passport (with the permission), and the decisions open. */
export function RegistrationAdmin(p: {
  tr: Translator;
  csrf: string;
  base: string;
  registration: Registration;
  represents: string;
  passport: { nationality: string; number: string; expiry: string } | 'hidden' | null;
  decisions: readonly string[];
  /** Links to what else concerns this person (their badge, their data). */
  links: { href: string; label: string; testId: string }[];
  /** Where the form erasing the person's details posts, when the reader may erase them. */
  eraseAction: string | null;
  /** The answers to the organiser's questions, labelled in the reader's language. */
  answers: { label: string; text: string }[];
  notice: string | null;
  error: string | null;
}): JSX.Element {
  const t = p.tr.t;
  const r = p.registration;
  const yes = (b: boolean) => t(b ? 'registration.yes' : 'registration.no');
  const rows: [string, string][] = [
    [t('registration.field.title'), r.title ? t(`registration.title.${r.title}` as MessageKey) : ''],
    [t('registration.field.given_name'), r.givenName],
    [t('registration.field.family_name'), r.familyName],
    [t('registration.field.gender'), r.gender ? t(`registration.gender.${r.gender}` as MessageKey) : ''],
    [t('registration.field.function'), r.function],
    [t('registration.field.institution'), r.institution],
    [t('registration.field.represents'), p.represents],
    [t('registration.field.email'), r.email],
    [t('registration.field.phone'), r.phone],
    [t('registration.field.languages'), r.languages.map((l) => new Intl.DisplayNames([p.tr.lang], { type: 'language' }).of(l) ?? l).join(', ')],
    [t('registration.field.dietary'), r.dietary],
    [t('registration.field.accessibility'), r.accessibility],
    [t('registration.field.travel_support'), yes(r.travelSupport)],
    [t('registration.field.visa_letter'), yes(r.visaLetter)],
    [t('registration.field.consent_public'), yes(r.consentPublic)],
    [t('registration.admin.language'), new Intl.DisplayNames([p.tr.lang], { type: 'language' }).of(r.lang) ?? r.lang],
    ...p.answers.map((a): [string, string] => [a.label, a.text]),
  ];
  return (
    <>
      <p class="back">
        <a href={p.base} safe>
          {t('registration.admin.back')}
        </a>
      </p>
      <Notice text={p.notice} />
      {p.error ? (
        <div class="error-summary" role="alert" data-testid="decision-error">
          <p safe>{p.error}</p>
        </div>
      ) : (
        ''
      )}
      <h1 safe>{`${r.givenName} ${r.familyName}`}</h1>
      <p>
        <span safe>{`${t('registration.admin.state')}: `}</span>
        <StateTag tr={p.tr} state={r.state} />
      </p>
      {p.links.length ? (
        <ul class="inline-links">
          {p.links.map((l) => (
            <li>
              <a href={l.href} data-testid={l.testId} safe>
                {l.label}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <dl class="facts">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <>
              <dt safe>{k}</dt>
              <dd safe>{v}</dd>
            </>
          ))}
      </dl>
      {r.visaLetter ? (
        <section aria-labelledby="passport" data-testid="passport">
          <h2 id="passport" safe>
            {t('registration.admin.passport')}
          </h2>
          {p.passport === 'hidden' ? (
            <p safe>{t('registration.admin.passportHidden')}</p>
          ) : p.passport ? (
            <dl class="facts">
              <dt safe>{t('registration.field.nationality')}</dt>
              <dd safe>{new Intl.DisplayNames([p.tr.lang], { type: 'region' }).of(p.passport.nationality) ?? p.passport.nationality}</dd>
              <dt safe>{t('registration.field.passport_number')}</dt>
              <dd safe>{p.passport.number}</dd>
              <dt safe>{t('registration.field.passport_expiry')}</dt>
              <dd safe>{longDay(p.passport.expiry, p.tr.lang)}</dd>
            </dl>
          ) : (
            <p safe>{t('registration.admin.passportGone')}</p>
          )}
        </section>
      ) : (
        ''
      )}
      {p.decisions.length ? (
        <section aria-labelledby="decide">
          <h2 id="decide" safe>
            {t('registration.admin.decide')}
          </h2>
          <div class="actions">
            {p.decisions.map((d) => (
              <form method="post" action={`${p.base}/${r.id}/decide`} class="inline">
                <CsrfField token={p.csrf} />
                <input type="hidden" name="decision" value={d} />
                <button class={`button${d === 'declined' || d === 'cancelled' ? ' secondary' : ''}`} type="submit" data-testid={`decide-${d}`} safe>
                  {t(`registration.decide.${d}` as MessageKey)}
                </button>
              </form>
            ))}
          </div>
        </section>
      ) : (
        ''
      )}
      {r.erasedAt ? (
        <p data-testid="erased" safe>
          {t('registration.erase.erasedOn', { day: longDay(r.erasedAt.slice(0, 10), p.tr.lang) })}
        </p>
      ) : p.eraseAction ? (
        <section aria-labelledby="erase">
          <h2 id="erase" safe>
            {t('registration.erase.title')}
          </h2>
          <p safe>{t('registration.erase.intro')}</p>
          <form method="post" action={p.eraseAction} novalidate data-testid="erase-form">
            <CsrfField token={p.csrf} />
            <CheckboxField id="confirm" label={t('registration.erase.confirm')} checked={false} />
            <button class="button secondary" type="submit" safe>
              {t('registration.erase.button')}
            </button>
          </form>
        </section>
      ) : (
        ''
      )}
    </>
  );
}

/** On a meeting's public page: registration open until a day, with the form; or closed. */
export function RegistrationBlock({ tr, registration, href }: { tr: Translator; registration: { open: true; closesOn: string; byInvitation: boolean } | { open: false }; href: string }): JSX.Element {
  if (registration.open && registration.byInvitation)
    return (
      <p class="registration-closed" data-testid="registration-invited-note" safe>
        {tr.t('registration.activity.invited', { day: longDay(registration.closesOn, tr.lang) })}
      </p>
    );
  return registration.open ? (
    <p class="registration-open" data-testid="registration-open">
      <span safe>{`${tr.t('registration.activity.open', { day: longDay(registration.closesOn, tr.lang) })} `}</span>
      <a class="button" href={href} safe>
        {tr.t('registration.activity.register')}
      </a>
    </p>
  ) : (
    <p class="registration-closed" data-testid="registration-closed-note" safe>
      {tr.t('registration.activity.closed')}
    </p>
  );
}
