import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, SelectField, TextArea, TextField, type FieldError } from '../../platform/views/forms.js';
import type { AgendaSession } from './meetings.repository.js';
import { AGENDA_LIMITS, PERSON_ROLES, SESSION_KINDS } from './meetings.schemas.js';
import { utcOf, zoneName } from './meetings.time.js';

/** A day of the agenda as a heading: "Tuesday 10 March 2026", "mardi 10 mars 2026". */
const dayFormat = new Map<string, Intl.DateTimeFormat>();
export function dayHeading(day: string, locale: string): string {
  let f = dayFormat.get(locale);
  if (!f) dayFormat.set(locale, (f = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(`${day}T00:00:00Z`));
}

const titleOf = (s: AgendaSession, lang: string) => s.t[lang]?.title ?? Object.values(s.t)[0]?.title ?? '';
const langOf = (s: AgendaSession, lang: string) => (s.t[lang] ? lang : Object.keys(s.t)[0]);

/** The sessions of each day, in time slots: a slot is the sessions that start together (parallel groups side by side). */
export function agendaDays(sessions: readonly AgendaSession[]): { day: string; slots: { starts: string; sessions: AgendaSession[] }[] }[] {
  const days = new Map<string, Map<string, AgendaSession[]>>();
  for (const s of sessions) {
    let slots = days.get(s.day);
    if (!slots) days.set(s.day, (slots = new Map()));
    // Parallel groups starting at one time share a slot; whole-meeting sessions stand alone.
    const key = s.track > 0 ? `${s.starts}|parallel` : `${s.starts}|${s.id}`;
    const list = slots.get(key) ?? [];
    list.push(s);
    slots.set(key, list);
  }
  return [...days].map(([day, slots]) => ({ day, slots: [...slots.values()].map((list) => ({ starts: list[0]!.starts, sessions: list.sort((a, b) => a.track - b.track || a.id - b.id) })) }));
}

export interface AgendaDocument {
  id: number;
  title: string;
  href: string;
}

function SessionView({ tr, s, documents, calendarHref }: { tr: Translator; s: AgendaSession; documents: ReadonlyMap<number, AgendaDocument>; calendarHref: string }): JSX.Element {
  const lang = langOf(s, tr.lang);
  const docs = s.documents.map((id) => documents.get(id)).filter((d): d is AgendaDocument => !!d);
  const description = s.t[tr.lang]?.description ?? '';
  return (
    <article class="agenda-session" id={`session-${s.id}`} data-testid="agenda-session">
      <h3 lang={lang === tr.lang ? undefined : lang} safe>
        {titleOf(s, tr.lang)}
      </h3>
      <p class="agenda-kind">
        <span safe>{tr.t('agenda.times', { starts: s.starts, ends: s.ends })}</span> · <span safe>{tr.t(`agenda.kind.${s.kind}` as MessageKey)}</span>
        {s.track > 0 ? (
          <>
            {' · '}
            <span safe>{tr.t('agenda.track.n', { n: s.track })}</span>
          </>
        ) : (
          ''
        )}
        {s.room ? (
          <>
            {' · '}
            <span safe>{tr.t('agenda.room', { room: s.room })}</span>
          </>
        ) : (
          ''
        )}
      </p>
      {description ? <p safe>{description}</p> : ''}
      {s.people.length ? (
        <ul class="agenda-people">
          {s.people.map((p) => (
            <li>
              <span safe>{tr.t(`agenda.role.${p.role}` as MessageKey)}</span>: <strong safe>{p.name}</strong>
              {p.affiliation ? <span safe>{`, ${p.affiliation}`}</span> : ''}
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      {docs.length ? (
        <p>
          <span safe>{tr.t('agenda.documents')}</span>:{' '}
          {docs.map((d, i) => (
            <>
              {i ? ', ' : ''}
              <a href={d.href} safe>
                {d.title}
              </a>
            </>
          ))}
        </p>
      ) : (
        ''
      )}
      <p class="agenda-actions">
        <a href={calendarHref} safe>
          {tr.t('agenda.session.calendar')}
        </a>
      </p>
    </article>
  );
}

/** The public agenda of a meeting: its days, time slots and parallel sessions, times in the venue's zone. */
export function AgendaPage(p: {
  tr: Translator;
  title: string;
  meetingHref: string;
  calendarHref: string;
  /** The printed agenda (PDF), when this server can print. */
  pdfHref: string | null;
  timeZone: string;
  sessions: readonly AgendaSession[];
  documents: ReadonlyMap<number, AgendaDocument>;
}): JSX.Element {
  const { tr } = p;
  const first = p.sessions[0];
  const zone = first ? `${p.timeZone}, ${zoneName(utcOf(first.day, first.starts, p.timeZone), p.timeZone, tr.locale)}` : p.timeZone;
  return (
    <>
      <p class="back">
        <a href={p.meetingHref} safe>
          {tr.t('agenda.back')}
        </a>
      </p>
      <h1 safe>{tr.t('agenda.titleOf', { title: p.title })}</h1>
      <p safe>{tr.t('agenda.timesIn', { zone })}</p>
      <p class="agenda-actions">
        <a class="button" href={p.calendarHref} safe>
          {tr.t('agenda.calendar')}
        </a>
        {p.pdfHref ? (
          <>
            {' '}
            <a href={p.pdfHref} data-testid="agenda-pdf" safe>
              {tr.t('agenda.pdf')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      {agendaDays(p.sessions).map((d) => (
        <section class="agenda-day" aria-labelledby={`day-${d.day}`}>
          <h2 id={`day-${d.day}`} safe>
            {dayHeading(d.day, tr.locale)}
          </h2>
          {d.slots.map((slot) => (
            <div class="agenda-slot">
              <p class="agenda-time" safe>
                {slot.starts}
              </p>
              {slot.sessions.length > 1 || slot.sessions[0]!.track > 0 ? (
                <ul class="agenda-parallel" aria-label={tr.t('agenda.parallel')}>
                  {slot.sessions.map((s) => (
                    <li>
                      <SessionView tr={tr} s={s} documents={p.documents} calendarHref={`${p.calendarHref}?session=${s.id}`} />
                    </li>
                  ))}
                </ul>
              ) : (
                <SessionView tr={tr} s={slot.sessions[0]!} documents={p.documents} calendarHref={`${p.calendarHref}?session=${slot.sessions[0]!.id}`} />
              )}
            </div>
          ))}
        </section>
      ))}
    </>
  );
}

type Values = Record<string, unknown>;
const str = (v: Values, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
const errorOf = (errors: readonly FieldError[], id: string) => errors.find((e) => e.field === id)?.message;

/** The back-office agenda: the time zone form and the list of sessions by day. */
export function AgendaAdmin(p: {
  tr: Translator;
  csrf: string;
  title: string;
  base: string;
  meetingHref: string;
  publicHref: string | null;
  timeZone: string | null;
  zoneValue: string;
  zoneErrors: FieldError[];
  days: { first: string; last: string } | null;
  sessions: readonly AgendaSession[];
  notice: string | null;
  languages: readonly string[];
  practical: Values;
  practicalErrors: FieldError[];
}): JSX.Element {
  const { tr } = p;
  return (
    <>
      <p>
        <a href={p.meetingHref} safe>
          {tr.t('agenda.admin.meeting')}
        </a>
        {p.publicHref ? (
          <>
            {' · '}
            <a href={p.publicHref} safe>
              {tr.t('agenda.seeAgenda')}
            </a>
          </>
        ) : (
          ''
        )}
      </p>
      <h1 safe>{tr.t('agenda.admin.title', { title: p.title })}</h1>
      {p.notice ? (
        <p class="success" role="status" data-testid="notice" safe>
          {p.notice}
        </p>
      ) : (
        ''
      )}
      <p safe>{tr.t('agenda.admin.intro')}</p>
      {p.days && p.sessions.some((s) => s.day < p.days!.first || s.day > p.days!.last) ? (
        <p class="warning" role="status" data-testid="sessions-outside" safe>
          {tr.t('agenda.admin.outside', { count: p.sessions.filter((s) => s.day < p.days!.first || s.day > p.days!.last).length })}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary tr={tr} errors={p.zoneErrors} />
      <form method="post" action={`${p.base}/time-zone`} novalidate>
        <CsrfField token={p.csrf} />
        <TextField id="time_zone" label={tr.t('agenda.field.timeZone')} hint={tr.t('agenda.field.timeZoneHint')} value={p.zoneValue} error={errorOf(p.zoneErrors, 'time_zone')} />
        <button class="button" type="submit" safe>
          {tr.t('form.save')}
        </button>
      </form>
      {!p.days ? (
        <p safe>{tr.t('agenda.admin.noDays')}</p>
      ) : !p.timeZone ? (
        <p safe>{tr.t('agenda.admin.zoneFirst')}</p>
      ) : (
        <p>
          <a class="button" href={`${p.base}/sessions/new`} safe>
            {tr.t('agenda.admin.add')}
          </a>
        </p>
      )}
      <h2 id="practical" safe>
        {tr.t('agenda.practical.title')}
      </h2>
      <p safe>{tr.t('agenda.practical.intro')}</p>
      <ErrorSummary tr={tr} errors={p.practicalErrors} />
      <form method="post" action={`${p.base}/practical`} novalidate>
        <CsrfField token={p.csrf} />
        {p.languages.map((l) => (
          <fieldset lang={l}>
            <legend safe>{tr.t('form.language', { language: tr.t(`lang.${l}` as MessageKey) })}</legend>
            <TextField id={`p_${l}_address`} label={`${tr.t('agenda.field.practical.address')} (${tr.t(`lang.${l}` as MessageKey)})`} value={str(p.practical, `p_${l}_address`)} error={errorOf(p.practicalErrors, `p_${l}_address`)} lang={l} />
            <TextField id={`p_${l}_contact`} label={`${tr.t('agenda.field.practical.contact')} (${tr.t(`lang.${l}` as MessageKey)})`} value={str(p.practical, `p_${l}_contact`)} error={errorOf(p.practicalErrors, `p_${l}_contact`)} lang={l} />
            <TextArea
              id={`p_${l}_notes`}
              label={`${tr.t('agenda.field.practical.notes')} (${tr.t(`lang.${l}` as MessageKey)})`}
              hint={tr.t('agenda.field.practical.notesHint')}
              value={str(p.practical, `p_${l}_notes`)}
              error={errorOf(p.practicalErrors, `p_${l}_notes`)}
              lang={l}
              rows={5}
            />
          </fieldset>
        ))}
        <button class="button" type="submit" safe>
          {tr.t('form.save')}
        </button>
      </form>
      <h2 safe>{tr.t('agenda.title')}</h2>
      {p.sessions.length === 0 ? (
        <p safe>{tr.t('agenda.admin.empty')}</p>
      ) : (
        agendaDays(p.sessions).map((d) => (
          <section aria-labelledby={`day-${d.day}`}>
            <h2 id={`day-${d.day}`} safe>
              {dayHeading(d.day, tr.locale)}
            </h2>
            <table class="data" data-testid="agenda-sessions">
              <thead>
                <tr>
                  <th scope="col" safe>
                    {tr.t('agenda.field.starts')}
                  </th>
                  <th scope="col" safe>
                    {tr.t('agenda.field.title')}
                  </th>
                  <th scope="col" safe>
                    {tr.t('agenda.field.kind')}
                  </th>
                  <th scope="col" safe>
                    {tr.t('agenda.field.track')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.slots.flatMap((slot) =>
                  slot.sessions.map((s) => (
                    <tr>
                      <td safe>{tr.t('agenda.times', { starts: s.starts, ends: s.ends })}</td>
                      <td>
                        <a href={`${p.base}/sessions/${s.id}`} safe>
                          {titleOf(s, tr.lang)}
                        </a>
                      </td>
                      <td safe>{tr.t(`agenda.kind.${s.kind}` as MessageKey)}</td>
                      <td safe>{s.track > 0 ? tr.t('agenda.track.n', { n: s.track }) : String('–')}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        ))
      )}
    </>
  );
}

/** The form of one session (new or existing); `values` are the posted or stored fields by their names. */
export function SessionForm(p: {
  tr: Translator;
  csrf: string;
  action: string;
  base: string;
  heading: string;
  languages: readonly string[];
  values: Values;
  errors: FieldError[];
  days: { first: string; last: string };
  documents: { id: number; title: string }[];
  deleteAction: string | null;
}): JSX.Element {
  const { tr, values, errors } = p;
  const chosen = new Set((Array.isArray(values.documents) ? values.documents : [values.documents]).filter((x): x is string => typeof x === 'string'));
  return (
    <>
      <p>
        <a href={p.base} safe>
          {tr.t('agenda.admin.back')}
        </a>
      </p>
      <h1 safe>{p.heading}</h1>
      <ErrorSummary tr={tr} errors={errors} />
      <form method="post" action={p.action} novalidate>
        <CsrfField token={p.csrf} />
        <TextField id="day" label={tr.t('agenda.field.day')} hint={tr.t('agenda.field.dayHint', { first: p.days.first, last: p.days.last })} value={str(values, 'day')} error={errorOf(errors, 'day')} width="short" />
        <TextField id="starts" label={tr.t('agenda.field.starts')} hint={tr.t('agenda.field.timeHint')} value={str(values, 'starts')} error={errorOf(errors, 'starts')} width="short" />
        <TextField id="ends" label={tr.t('agenda.field.ends')} value={str(values, 'ends')} error={errorOf(errors, 'ends')} width="short" />
        <SelectField id="kind" label={tr.t('agenda.field.kind')} value={str(values, 'kind')} error={errorOf(errors, 'kind')} options={SESSION_KINDS.map((k) => ({ value: k, label: tr.t(`agenda.kind.${k}`) }))} />
        <SelectField
          id="track"
          label={tr.t('agenda.field.track')}
          hint={tr.t('agenda.field.trackHint')}
          value={str(values, 'track') || '0'}
          error={errorOf(errors, 'track')}
          options={Array.from({ length: AGENDA_LIMITS.tracks + 1 }, (_, n) => ({ value: String(n), label: n ? tr.t('agenda.track.n', { n }) : tr.t('agenda.track.none') }))}
        />
        <TextField id="room" label={tr.t('agenda.field.room')} value={str(values, 'room')} error={errorOf(errors, 'room')} />
        {p.languages.map((l) => (
          <fieldset lang={l}>
            <legend safe>{tr.t('form.language', { language: tr.t(`lang.${l}` as MessageKey) })}</legend>
            <TextField id={`t_${l}_title`} label={`${tr.t('agenda.field.title')} (${tr.t(`lang.${l}` as MessageKey)})`} value={str(values, `t_${l}_title`)} error={errorOf(errors, `t_${l}_title`)} lang={l} />
            <TextArea id={`t_${l}_description`} label={`${tr.t('agenda.field.description')} (${tr.t(`lang.${l}` as MessageKey)})`} value={str(values, `t_${l}_description`)} error={errorOf(errors, `t_${l}_description`)} lang={l} rows={3} />
          </fieldset>
        ))}
        <fieldset>
          <legend safe>{tr.t('agenda.field.people')}</legend>
          <p class="hint" safe>
            {tr.t('agenda.field.peopleHint', { max: AGENDA_LIMITS.people })}
          </p>
          {Array.from({ length: AGENDA_LIMITS.people }, (_, i) => (
            <fieldset class="person-row">
              <legend safe>{tr.t('agenda.field.personRow', { n: i + 1 })}</legend>
              <SelectField id={`person_${i}_role`} label={tr.t('agenda.field.roleLabel')} value={str(values, `person_${i}_role`)} error={errorOf(errors, `person_${i}_role`)} blank="–" options={PERSON_ROLES.map((r) => ({ value: r, label: tr.t(`agenda.role.${r}`) }))} />
              <TextField id={`person_${i}_name`} label={tr.t('agenda.field.nameLabel')} value={str(values, `person_${i}_name`)} error={errorOf(errors, `person_${i}_name`)} />
              <TextField id={`person_${i}_affiliation`} label={tr.t('agenda.field.affiliationLabel')} value={str(values, `person_${i}_affiliation`)} error={errorOf(errors, `person_${i}_affiliation`)} />
            </fieldset>
          ))}
        </fieldset>
        <fieldset id="documents" aria-describedby={errorOf(errors, 'documents') ? 'documents-error' : undefined}>
          <legend safe>{tr.t('agenda.field.documents')}</legend>
          {errorOf(errors, 'documents') ? (
            <p class="error-message" id="documents-error" safe>
              {errorOf(errors, 'documents')}
            </p>
          ) : (
            ''
          )}
          {p.documents.length === 0 ? (
            <p class="hint" safe>
              {tr.t('agenda.admin.noDocuments')}
            </p>
          ) : (
            p.documents.map((d) => (
              <div class="form-group">
                <label>
                  <input type="checkbox" class="checkbox" name="documents" value={String(d.id)} checked={chosen.has(String(d.id))} /> <span safe>{d.title}</span>
                </label>
              </div>
            ))
          )}
        </fieldset>
        <button class="button" type="submit" safe>
          {tr.t('form.save')}
        </button>
      </form>
      {p.deleteAction ? (
        <form method="post" action={p.deleteAction}>
          <CsrfField token={p.csrf} />
          <button class="button secondary" type="submit" safe>
            {tr.t('agenda.admin.delete')}
          </button>
        </form>
      ) : (
        ''
      )}
    </>
  );
}

/** The page shown while the printed agenda is being made (it reloads itself), or when this server cannot print. */
export function PdfPending({ tr, agendaHref, available, againHref }: { tr: Translator; agendaHref: string; available: boolean; againHref: string }): JSX.Element {
  return (
    <>
      <h1 safe>{available ? tr.t('agenda.pdfPreparing') : tr.t('agenda.pdfUnavailable')}</h1>
      <p data-testid="agenda-pdf-status" safe>
        {available ? tr.t('agenda.pdfPreparingBody') : tr.t('agenda.pdfUnavailableBody')}
      </p>
      {available ? (
        <p>
          <a href={againHref} data-testid="agenda-pdf-again" safe>
            {tr.t('attendance.print.again')}
          </a>
        </p>
      ) : (
        ''
      )}
      <p>
        <a href={agendaHref} safe>
          {tr.t('agenda.backToAgenda')}
        </a>
      </p>
    </>
  );
}

/** The practical information on the meeting's page: address, local time zone, contact, notes in paragraphs. */
export function PracticalInfo({ tr, info, lang, timeZone }: { tr: Translator; info: { address: string; contact: string; notes: string }; lang: string; timeZone: string | null }): JSX.Element {
  const foreign = lang !== tr.lang ? lang : undefined;
  return (
    <section aria-labelledby="practical" data-testid="practical">
      <h2 id="practical" safe>
        {tr.t('agenda.practical.title')}
      </h2>
      <dl class="facts">
        {info.address ? (
          <>
            <dt safe>{tr.t('agenda.practical.address')}</dt>
            <dd lang={foreign} safe>
              {info.address}
            </dd>
          </>
        ) : (
          ''
        )}
        {timeZone ? (
          <>
            <dt safe>{tr.t('agenda.practical.timeZone')}</dt>
            <dd safe>{timeZone}</dd>
          </>
        ) : (
          ''
        )}
        {info.contact ? (
          <>
            <dt safe>{tr.t('agenda.practical.contact')}</dt>
            <dd lang={foreign} safe>
              {info.contact}
            </dd>
          </>
        ) : (
          ''
        )}
      </dl>
      {info.notes
        .split(/\n\s*\n/)
        .map((para) => para.trim())
        .filter(Boolean)
        .map((para) => (
          <p lang={foreign} safe>
            {para}
          </p>
        ))}
    </section>
  );
}
