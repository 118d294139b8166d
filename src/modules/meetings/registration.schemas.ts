import { z } from 'zod';
import { problem, says, type FormErrorOptions } from '../../platform/forms/validation.js';
import { formatDateRange } from '../../platform/i18n/dates.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { field, isDay } from './meetings.schemas.js';

/** Where a registration stands. Pending and approved registrations hold a seat; waitlisted ones wait for one. */
export const REGISTRATION_STATES = ['pending', 'approved', 'waitlisted', 'declined', 'cancelled'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];
/** The states that hold a seat. */
export const SEATED: readonly RegistrationState[] = ['pending', 'approved'];
/** What an organiser may decide on a registration. */
export const DECISIONS = ['approved', 'waitlisted', 'declined', 'cancelled'] as const;
export type Decision = (typeof DECISIONS)[number];

/** How seats are given: each registrant approved by the organiser, or in order of arrival. */
export const APPROVAL_MODES = ['manual', 'auto'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

/** Forms of address, gender (optional, for statistics only) and the working languages a registrant may name. */
export const TITLES = ['ms', 'mr', 'dr', 'prof', 'he'] as const;
export const GENDERS = ['woman', 'man', 'other'] as const;
export const WORKING_LANGUAGES = ['en', 'fr', 'ar', 'pt', 'es'] as const;

/** Lengths in characters, and the largest form body in bytes (read only after the origin and rate checks). */
export const REGISTRATION_LIMITS = { name: 100, function: 200, institution: 200, email: 254, phone: 40, needs: 1000, passport: 20, capacity: 100_000, bodyBytes: 32 * 1024 } as const;

/**
 * The ISO 3166-1 alpha-2 codes, for nationality: a registrant may hold any passport, not only one of
 * the dialogue's countries. Names come from Intl.DisplayNames in the reader's language.
 */
export const ISO_COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ' +
  'DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ ' +
  'OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
  'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

type Body = Record<string, unknown>;
const values = (b: Body, k: string): string[] => {
  const v = b[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};
const ticked = (b: Body, k: string) => field(b, k) === '1';

/**
 * Control characters (other than line breaks and tabs in the longer texts) are refused, and so are
 * the invisible ones that reorder or hide text (bidi overrides and isolates, zero-width space, BOM):
 * a name must read the same in a list as it was typed. Joiners (U+200C, U+200D) stay: some scripts
 * and emoji need them.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const LINE_BREAK = /[\r\n\t]/;
const EMAIL = /^[^\s@<>()[\]\\,;:"\p{Cc}]+@[^\s@<>()[\]\\,;:"\p{Cc}]+\.[^\s@<>()[\]\\,;:"\p{Cc}.][^\s@<>()[\]\\,;:"\p{Cc}]*$/u;

/** Who a registrant represents: one of the dialogue's countries (`c:SN`) or organisations (`o:12`). */
export type Represents = { country: string; organisation: null } | { country: null; organisation: number };

/** What a registrant gives. Passport details only when a visa support letter is asked for. */
export interface RegistrationInput {
  title: string;
  givenName: string;
  familyName: string;
  gender: string;
  function: string;
  institution: string;
  represents: Represents;
  email: string;
  phone: string;
  languages: string[];
  dietary: string;
  accessibility: string;
  travelSupport: boolean;
  visaLetter: boolean;
  passport: { nationality: string; number: string; expiry: string } | null;
  consentPublic: boolean;
  consentData: boolean;
  /** Answers to the organiser's questions, by question (checked apart: see questions.ts). */
  answers?: ReadonlyMap<number, string>;
}

/** The passport number as kept: letters and digits, upper case, without spaces or hyphens. */
const passportNumber = (s: string) => s.replace(/[\s-]/g, '').toUpperCase();

/**
 * The registration form. `choices` are the countries and organisations a registrant may represent
 * (`c:XX`, `o:N`); `lastDay` is the meeting's last day, which a passport must outlast. `withEmail`
 * is false when a registrant corrects their registration: the address is who they are, and stays.
 */
export function registrationForm(b: Body, options: { choices: ReadonlySet<string>; lastDay: string; withEmail: boolean; lang: string }) {
  const v = {
    title: field(b, 'title'),
    given_name: field(b, 'given_name'),
    family_name: field(b, 'family_name'),
    gender: field(b, 'gender'),
    function: field(b, 'function'),
    institution: field(b, 'institution'),
    represents: field(b, 'represents'),
    email: field(b, 'email'),
    phone: field(b, 'phone'),
    languages: values(b, 'languages'),
    dietary: field(b, 'dietary'),
    accessibility: field(b, 'accessibility'),
    travel_support: ticked(b, 'travel_support'),
    visa_letter: ticked(b, 'visa_letter'),
    nationality: field(b, 'nationality'),
    passport_number: field(b, 'passport_number'),
    passport_expiry: field(b, 'passport_expiry'),
    consent_public: ticked(b, 'consent_public'),
    consent_data: ticked(b, 'consent_data'),
  };
  const line = (max: number, required = false) =>
    z
      .string()
      .min(required ? 1 : 0, says('form.error.required'))
      .max(max, says('form.error.tooLong'))
      .refine((s) => !CONTROL.test(s) && !LINE_BREAK.test(s), says('registration.error.characters'));
  const text = (max: number) => z.string().max(max, says('form.error.tooLong')).refine((s) => !CONTROL.test(s), says('registration.error.characters'));
  const oneOf = (list: readonly string[]) => z.string().refine((s) => s === '' || list.includes(s), says('form.error.choose'));
  const schema = z
    .object({
      title: oneOf(TITLES),
      given_name: line(REGISTRATION_LIMITS.name, true),
      family_name: line(REGISTRATION_LIMITS.name, true),
      gender: oneOf(GENDERS),
      function: line(REGISTRATION_LIMITS.function),
      institution: line(REGISTRATION_LIMITS.institution),
      represents: z.string().min(1, says('form.error.choose')).refine((s) => options.choices.has(s), says('form.error.choose')),
      email: options.withEmail
        ? z
            .string()
            .min(1, says('registration.error.emailMissing'))
            .max(REGISTRATION_LIMITS.email, says('form.error.tooLong'))
            .regex(EMAIL, says('registration.error.emailInvalid'))
            .refine((s) => !CONTROL.test(s), says('registration.error.emailInvalid'))
        : z.string(),
      phone: z
        .string()
        .max(REGISTRATION_LIMITS.phone, says('form.error.tooLong'))
        .refine((s) => s === '' || /^\+?[\d\s().-]{5,}$/.test(s), says('registration.error.phone')),
      languages: z.array(z.string()).refine((l) => l.every((x) => (WORKING_LANGUAGES as readonly string[]).includes(x)), says('form.error.choose')),
      dietary: text(REGISTRATION_LIMITS.needs),
      accessibility: text(REGISTRATION_LIMITS.needs),
      travel_support: z.boolean(),
      visa_letter: z.boolean(),
      nationality: z.string(),
      passport_number: z.string(),
      passport_expiry: z.string(),
      consent_public: z.boolean(),
      consent_data: z.boolean(),
    })
    .superRefine((s, ctx) => {
      if (!s.consent_data) problem(ctx, ['consent_data'], 'registration.error.consent');
      if (!s.visa_letter) return;
      if (!ISO_COUNTRIES.includes(s.nationality)) problem(ctx, ['nationality'], 'form.error.choose');
      const number = passportNumber(s.passport_number);
      if (!number) problem(ctx, ['passport_number'], 'form.error.required');
      else if (!/^[A-Z0-9]{5,20}$/.test(number)) problem(ctx, ['passport_number'], 'registration.error.passportNumber');
      if (!s.passport_expiry) problem(ctx, ['passport_expiry'], 'form.error.required');
      else if (!isDay(s.passport_expiry)) problem(ctx, ['passport_expiry'], 'registration.error.date');
      else if (s.passport_expiry <= options.lastDay) problem(ctx, ['passport_expiry'], 'registration.error.passportExpiry', { day: formatDateRange(options.lastDay, null, 'day', options.lang) });
    })
    .transform(
      (s): RegistrationInput => ({
        title: s.title,
        givenName: s.given_name,
        familyName: s.family_name,
        gender: s.gender,
        function: s.function,
        institution: s.institution,
        represents: s.represents.startsWith('c:') ? { country: s.represents.slice(2), organisation: null } : { country: null, organisation: Number(s.represents.slice(2)) },
        email: s.email,
        phone: s.phone,
        languages: [...new Set(s.languages)],
        dietary: s.dietary,
        accessibility: s.accessibility,
        travelSupport: s.travel_support,
        visaLetter: s.visa_letter,
        passport: s.visa_letter ? { nationality: s.nationality, number: passportNumber(s.passport_number), expiry: s.passport_expiry } : null,
        consentPublic: s.consent_public,
        consentData: s.consent_data,
      }),
    );
  const order = ['title', 'given_name', 'family_name', 'gender', 'function', 'institution', 'represents', 'email', 'phone', 'languages', 'dietary', 'accessibility', 'travel_support', 'visa_letter', 'nationality', 'passport_number', 'passport_expiry', 'consent_public', 'consent_data'];
  return { values: v, schema, order };
}

/** How problems of the registration form find their field and label. */
export function registrationFormOptions(tr: Translator, order: readonly string[]): FormErrorOptions {
  return { label: (f) => (order.includes(f) ? tr.t(`registration.field.${f}` as MessageKey) : undefined), order };
}

/** The address as compared: one registration per address and meeting, whatever its case. */
export const emailKey = (email: string) => email.trim().normalize('NFC').toLowerCase();

/** Who may use the public form: everyone, those given its link, or no one (delegations nominated by their focal points only). */
export const REGISTRATION_FORMS = ['public', 'link', 'invited'] as const;
export type RegistrationFormAccess = (typeof REGISTRATION_FORMS)[number];

export interface RegistrationSettings {
  open: boolean;
  form: RegistrationFormAccess;
  /** The last day registrations are taken (to its end, in the meeting's time zone), or null for until the meeting. */
  closesOn: string | null;
  capacity: number | null;
  approval: ApprovalMode;
}

/** The organiser's registration settings: open or not, last day, seats, how seats are given. */
export function settingsForm(b: Body, meeting: { lastDay: string; lang: string }) {
  const v = { open: ticked(b, 'open'), form: field(b, 'form') || 'public', closes_on: field(b, 'closes_on'), capacity: field(b, 'capacity'), approval: field(b, 'approval') || 'manual' };
  const schema = z
    .object({
      open: z.boolean(),
      form: z.enum(REGISTRATION_FORMS, says('form.error.choose')),
      closes_on: z
        .string()
        .refine((s) => s === '' || isDay(s), says('registration.error.date'))
        .refine((s) => s === '' || s <= meeting.lastDay, { message: 'registration.error.closesAfter' as MessageKey, params: { values: { day: formatDateRange(meeting.lastDay, null, 'day', meeting.lang) } } }),
      capacity: z.string().refine((s) => s === '' || (/^\d{1,6}$/.test(s) && Number(s) >= 1 && Number(s) <= REGISTRATION_LIMITS.capacity), says('registration.error.capacity')),
      approval: z.enum(APPROVAL_MODES, says('form.error.choose')),
    })
    .transform((s): RegistrationSettings => ({ open: s.open, form: s.form, closesOn: s.closes_on || null, capacity: s.capacity ? Number(s.capacity) : null, approval: s.approval }));
  const order = ['open', 'form', 'closes_on', 'capacity', 'approval'];
  return { values: v, schema, order };
}

/** How problems of the settings form find their field and label. */
export function settingsFormOptions(tr: Translator, order: readonly string[]): FormErrorOptions {
  return { label: (f) => (order.includes(f) ? tr.t(`registration.settings.${f}` as MessageKey) : undefined), order };
}
