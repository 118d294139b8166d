import ical, { ICalCalendarMethod } from 'ical-generator';
import type { AgendaSession } from './meetings.repository.js';
import { utcOf } from './meetings.time.js';

/** What a calendar file says of a meeting: its title, place, page, days and (when set) sessions and zone. */
export interface CalendarMeeting {
  id: number;
  title: string;
  place: string;
  url: string;
  agendaUrl: string;
  first: string;
  last: string;
  timeZone: string | null;
  sessions: AgendaSession[];
  lang: string;
  /** The host of the site, for the events' UIDs (stable across exports, so calendars update rather than duplicate). */
  host: string;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
const sessionTitle = (s: AgendaSession, lang: string) => s.t[lang]?.title ?? Object.values(s.t)[0]?.title ?? '';

/**
 * The meeting as iCalendar (RFC 5545): one event for the whole meeting and, with `sessions`, one per
 * session. Times are written in UTC (computed from the venue's wall clock and zone), so every
 * calendar shows them right without a VTIMEZONE; a meeting without an agenda is all-day events on
 * its days.
 */
export function meetingCalendar(m: CalendarMeeting, options: { sessions: boolean; only?: number }): string {
  // The calendar's name is written unescaped by ical-generator: one line, whatever the title holds.
  const cal = ical({ prodId: { company: 'Diwan', product: 'agenda', language: m.lang.toUpperCase() }, method: ICalCalendarMethod.PUBLISH, name: m.title.replace(/[\r\n\u2028\u2029]+/g, ' ') });
  const timed = m.timeZone !== null && m.sessions.length > 0;
  const tz = m.timeZone ?? 'UTC';
  if (options.only === undefined) {
    if (timed) {
      const starts = m.sessions.map((s) => utcOf(s.day, s.starts, tz).getTime());
      const ends = m.sessions.map((s) => utcOf(s.day, s.ends, tz).getTime());
      cal.createEvent({ id: `activity-${m.id}@${m.host}`, start: new Date(Math.min(...starts)), end: new Date(Math.max(...ends)), summary: m.title, location: m.place || undefined, url: m.url, description: m.agendaUrl });
    } else {
      cal.createEvent({ id: `activity-${m.id}@${m.host}`, allDay: true, start: new Date(`${m.first}T00:00:00Z`), end: nextDay(m.last), summary: m.title, location: m.place || undefined, url: m.url });
    }
  }
  if (timed && (options.sessions || options.only !== undefined)) {
    for (const s of m.sessions) {
      if (options.only !== undefined && s.id !== options.only) continue;
      const where = [s.room, m.place].filter(Boolean).join(', ');
      cal.createEvent({
        id: `session-${s.id}@${m.host}`,
        start: utcOf(s.day, s.starts, tz),
        end: utcOf(s.day, s.ends, tz),
        summary: `${sessionTitle(s, m.lang)} — ${m.title}`,
        location: where || undefined,
        url: `${m.agendaUrl}#session-${s.id}`,
        description: s.t[m.lang]?.description || undefined,
      });
    }
  }
  return cal.toString();
}
