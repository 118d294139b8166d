/** The calendar file holds whatever a title holds: line breaks cannot add lines or events to it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ICAL from 'ical.js';
import { contentDisposition } from '../../platform/http/download.js';
import { meetingCalendar } from './meetings.calendar.js';

test('a title with line breaks stays one line in the calendar; a non-Latin file name is a valid header', () => {
  const title = 'Evil\r\nBEGIN:VEVENT\r\nSUMMARY:Injected\r\nEND:VEVENT';
  const text = meetingCalendar(
    { id: 1, title, place: 'Dakar', url: 'https://rabat.example/en/a', agendaUrl: 'https://rabat.example/en/a/agenda', first: '2027-03-10', last: '2027-03-11', timeZone: null, sessions: [], lang: 'en', host: 'rabat.example' },
    { sessions: true },
  );
  const cal = new ICAL.Component(ICAL.parse(text));
  assert.equal(cal.getAllSubcomponents('vevent').length, 1);
  assert.doesNotMatch(text, /^SUMMARY:Injected/m);
  assert.match(String(cal.getFirstPropertyValue('name')), /^Evil BEGIN:VEVENT/);
  const header = contentDisposition('اللجوء-2027.ics');
  assert.match(header, /^[\x20-\x7e]+$/, 'only ASCII in the header');
  assert.match(header, /filename\*=UTF-8''%D8%A7/);
});
