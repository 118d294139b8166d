import { z } from 'zod';
import { firstLanguage, problem, says, type FormErrorOptions } from '../../platform/forms/validation.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { isTimeZone, wallTimeExists } from './meetings.time.js';

/** What a session is (Indico's session types, as the dialogue's meetings use them). */
export const SESSION_KINDS = ['opening', 'plenary', 'working_group', 'panel', 'closing', 'side_event', 'visit', 'break'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];
/** What a person does in a session. */
export const PERSON_ROLES = ['chair', 'co_chair', 'moderator', 'speaker', 'rapporteur'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** Lengths in characters, people per session, parallel groups and sessions per meeting. */
export const AGENDA_LIMITS = { title: 300, description: 2000, room: 200, name: 200, affiliation: 300, people: 8, tracks: 9, sessions: 200, documents: 20, address: 500, contact: 300, notes: 4000 } as const;

type Body = Record<string, unknown>;
/** A posted field as typed, trimmed; anything that is not one string (a repeated field, a file) is an empty one. */
export const field = (b: Body, k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
/** Every value a repeated field was posted with (checkboxes). */
const values = (b: Body, k: string): string[] => {
  const v = b[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** A real calendar day written YYYY-MM-DD. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}
/** A time of day HH:MM (24 hours); "9:30" is read as 09:30. */
export function readTime(s: string): string | null {
  const m = /^(\d{1,2})[:hH.](\d{2})$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

export interface SessionInput {
  day: string;
  starts: string;
  ends: string;
  kind: SessionKind;
  track: number;
  room: string;
  t: Record<string, { title: string; description: string }>;
  people: { role: PersonRole; name: string; affiliation: string }[];
  documents: number[];
}

/** The session form: day and times, kind, parallel group, room, text per language, people, documents. */
export function sessionForm(b: Body, languages: readonly string[], range: { first: string; last: string }, documents: ReadonlySet<number>, timeZone: string | null = null) {
  const people = Array.from({ length: AGENDA_LIMITS.people }, (_, i) => ({ role: field(b, `person_${i}_role`), name: field(b, `person_${i}_name`), affiliation: field(b, `person_${i}_affiliation`) }));
  const v = {
    day: field(b, 'day'),
    starts: field(b, 'starts'),
    ends: field(b, 'ends'),
    kind: field(b, 'kind'),
    track: field(b, 'track') || '0',
    room: field(b, 'room'),
    t: Object.fromEntries(languages.map((l) => [l, { title: field(b, `t_${l}_title`), description: field(b, `t_${l}_description`) }])),
    people,
    documents: values(b, 'documents'),
  };
  const text = (max: number) => z.string().max(max, says('form.error.tooLong'));
  const schema = z
    .object({
      day: z
        .string()
        .min(1, says('form.error.required'))
        .refine(isDay, says('agenda.error.day'))
        .refine((d) => d >= range.first && d <= range.last, { message: 'agenda.error.dayOutside' as MessageKey, params: { values: { first: range.first, last: range.last } } }),
      starts: z.string().min(1, says('form.error.required')).refine((s) => readTime(s) !== null, says('agenda.error.time')),
      ends: z.string().min(1, says('form.error.required')).refine((s) => readTime(s) !== null, says('agenda.error.time')),
      kind: z.enum(SESSION_KINDS, says('form.error.choose')),
      track: z.string().regex(/^\d$/, says('form.error.choose')),
      room: text(AGENDA_LIMITS.room),
      t: z.record(z.string(), z.object({ title: text(AGENDA_LIMITS.title), description: text(AGENDA_LIMITS.description) })),
      people: z.array(z.object({ role: z.string(), name: text(AGENDA_LIMITS.name), affiliation: text(AGENDA_LIMITS.affiliation) })),
      documents: z.array(z.string()).max(AGENDA_LIMITS.documents, says('form.error.invalid')),
    })
    .superRefine((s, ctx) => {
      const [from, to] = [readTime(s.starts), readTime(s.ends)];
      if (from && to && to <= from) problem(ctx, ['ends'], 'agenda.error.endsBeforeStart');
      // A time the venue's clocks skip (the spring change) names no instant: refused, not guessed.
      if (timeZone && isDay(s.day)) {
        for (const [key, time] of [['starts', from], ['ends', to]] as const) if (time && !wallTimeExists(s.day, time, timeZone)) problem(ctx, [key], 'agenda.error.timeSkipped', { zone: timeZone });
      }
      if (!languages.some((l) => s.t[l]?.title)) problem(ctx, ['t', firstLanguage(languages), 'title'], 'form.error.noLanguage');
      s.people.forEach((p, i) => {
        if (p.name && !(PERSON_ROLES as readonly string[]).includes(p.role)) problem(ctx, ['people', i, 'role'], 'form.error.choose');
        if (!p.name && (p.affiliation || p.role)) problem(ctx, ['people', i, 'name'], 'form.error.required');
      });
      s.documents.forEach((d) => {
        if (!/^\d{1,9}$/.test(d) || !documents.has(Number(d))) problem(ctx, ['documents'], 'agenda.error.document');
      });
    })
    .transform(
      (s): SessionInput => ({
        day: s.day,
        starts: readTime(s.starts)!,
        ends: readTime(s.ends)!,
        kind: s.kind,
        track: Number(s.track),
        room: s.room,
        t: Object.fromEntries(languages.filter((l) => s.t[l]?.title).map((l) => [l, { title: s.t[l]!.title, description: s.t[l]!.description }])),
        people: s.people.filter((p) => p.name).map((p) => ({ role: p.role as PersonRole, name: p.name, affiliation: p.affiliation })),
        documents: [...new Set(s.documents.map(Number))],
      }),
    );
  const order = ['day', 'starts', 'ends', 'kind', 'track', 'room', 't_*', 'person_*', 'documents'];
  return { values: v, schema, order };
}

/** The time zone form: an IANA zone name. */
export function timeZoneForm(b: Body) {
  return { values: { time_zone: field(b, 'time_zone') }, schema: z.object({ time_zone: z.string().min(1, says('form.error.required')).refine(isTimeZone, says('agenda.error.timeZone')) }), order: ['time_zone'] };
}

/** How problems find their field and label on the agenda forms. */
export function agendaFormOptions(tr: Translator, order: readonly string[]): FormErrorOptions {
  const labels: Record<string, MessageKey> = { day: 'agenda.field.day', starts: 'agenda.field.starts', ends: 'agenda.field.ends', kind: 'agenda.field.kind', track: 'agenda.field.track', room: 'agenda.field.room', documents: 'agenda.field.documents', time_zone: 'agenda.field.timeZone' };
  return {
    fieldId: (path) => (path[0] === 't' ? `t_${String(path[1])}_${String(path[2])}` : path[0] === 'people' ? `person_${String(path[1])}_${String(path[2])}` : String(path[0] ?? 'day')),
    label: (f) => {
      const t = /^t_(.+)_(title|description)$/.exec(f);
      if (t) return `${tr.t(t[2] === 'title' ? 'agenda.field.title' : 'agenda.field.description')} (${tr.t(`lang.${t[1]}` as MessageKey)})`;
      const p = /^person_(\d+)_(role|name|affiliation)$/.exec(f);
      if (p) return tr.t(`agenda.field.person.${p[2]}` as MessageKey, { n: Number(p[1]) + 1 });
      return labels[f] ? tr.t(labels[f]) : undefined;
    },
    order,
  };
}

/** Practical information per language: the venue's address, whom to contact, notes for participants. */
export function practicalForm(b: Body, languages: readonly string[]) {
  const values = Object.fromEntries(languages.map((l) => [l, { address: field(b, `p_${l}_address`), contact: field(b, `p_${l}_contact`), notes: field(b, `p_${l}_notes`) }]));
  const text = (max: number) => z.string().max(max, says('form.error.tooLong'));
  const schema = z.record(z.string(), z.object({ address: text(AGENDA_LIMITS.address), contact: text(AGENDA_LIMITS.contact), notes: text(AGENDA_LIMITS.notes) }));
  return { values, schema, order: ['p_*'] };
}

/** How problems of the practical information find their field and label. */
export function practicalFormOptions(tr: Translator): FormErrorOptions {
  return {
    fieldId: (path) => `p_${String(path[0])}_${String(path[1])}`,
    label: (f) => {
      const m = /^p_(.+)_(address|contact|notes)$/.exec(f);
      return m ? `${tr.t(`agenda.field.practical.${m[2]}` as MessageKey)} (${tr.t(`lang.${m[1]}` as MessageKey)})` : undefined;
    },
    order: ['p_*'],
  };
}
