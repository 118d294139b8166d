import type { Db } from '../../platform/db/database.js';
import { translator, type MessageKey } from '../../platform/i18n/i18n.js';
import { url } from '../../platform/http/urls.js';
import type { MailAttachment, MailMessage } from '../../platform/mail/mailer.js';
import { meetingCalendar } from './meetings.calendar.js';
import { loadMeeting, meetingDays, publicSessionsOf } from './meetings.repository.js';
import type { RegistrationState } from './registration.schemas.js';

/** Why a registrant gets a mail: their registration arrived, was asked for again, or changed state. */
export type RegistrationMailKind = 'received' | 'nominated' | 'again' | 'changed' | 'promoted' | 'cancelled';

/** The meeting as a mail names it: title and address in a language, and its calendar file. */
export interface MailMeeting {
  title: string;
  pageUrl: string;
  calendar: MailAttachment | null;
}

/** The meeting as the mails to a registrant in `lang` name it (another language's title when it has none in theirs). */
export async function mailMeeting(db: Db, baseUrl: string, activityId: number, lang: string): Promise<MailMeeting> {
  const meeting = await loadMeeting(db, activityId);
  const rows = await db.selectFrom('activity_translations').select(['lang', 'title', 'slug', 'city', 'venue']).where('activity_id', '=', activityId).execute();
  const own = rows.find((r) => r.lang === lang) ?? rows[0];
  if (!meeting || !own) return { title: `#${activityId}`, pageUrl: baseUrl, calendar: null };
  const pageUrl = baseUrl + url('activities.show', own.lang, { slug: own.slug });
  const days = meetingDays(meeting);
  const calendar = days
    ? {
        filename: 'meeting.ics',
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: meetingCalendar(
          {
            id: meeting.id,
            title: own.title,
            place: [own.venue, own.city].filter(Boolean).join(', '),
            url: pageUrl,
            agendaUrl: baseUrl + url('activities.agenda', own.lang, { slug: own.slug }),
            first: days.first,
            last: days.last,
            timeZone: meeting.timeZone,
            sessions: meeting.timeZone ? await publicSessionsOf(db, meeting) : [],
            lang: own.lang,
            host: new URL(baseUrl).host,
          },
          { sessions: false },
        ),
      }
    : null;
  return { title: own.title, pageUrl, calendar };
}

/**
 * The mail to a registrant: what happened, where the registration stands, and their personal link
 * (the message's secret: the outbox forgets it once the mail is sent). An approval carries the
 * meeting's calendar file.
 */
export function registrationMail(input: { kind: RegistrationMailKind; state: RegistrationState; lang: string; email: string; name: string; meeting: MailMeeting; token: string; baseUrl: string; registrationId: number }): MailMessage {
  const tr = translator(input.lang);
  const link = input.baseUrl + url('registrations.show', input.lang, { token: input.token });
  const values = { meeting: input.meeting.title, name: input.name };
  const lines = [
    tr.t('registration.mail.greeting', values),
    '',
    tr.t(`registration.mail.${input.kind}` as MessageKey, values),
    tr.t(`registration.mail.state.${input.state}` as MessageKey, values),
    '',
    tr.t('registration.mail.link'),
    link,
    '',
    tr.t('registration.mail.meeting'),
    input.meeting.pageUrl,
  ];
  if (input.state === 'approved' && input.meeting.calendar) lines.push('', tr.t('registration.mail.calendar'));
  lines.push('', tr.t(input.kind === 'nominated' ? 'registration.mail.privateNominated' : 'registration.mail.private'));
  return {
    to: input.email,
    subject: tr.t(`registration.mail.subject.${input.kind === 'changed' || input.kind === 'promoted' ? input.state : input.kind}` as MessageKey, values),
    text: lines.join('\n'),
    purpose: `registration_${input.kind}`,
    secret: link,
    attachments: input.state === 'approved' && input.meeting.calendar ? [input.meeting.calendar] : undefined,
    about: `registration:${input.registrationId}`,
  };
}
