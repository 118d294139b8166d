import { z } from 'zod';
import { isValidSlug } from '../../platform/text/slug.js';

export const ACTIVITY_TYPES = [
  'ministerial_conference',
  'senior_officials_meeting',
  'steering_committee',
  'thematic_meeting',
  'technical_workshop',
  'regional_workshop',
  'training',
  'roundtable',
  'consultation',
  'other',
] as const;
export const ACTIVITY_STATUSES = ['planned', 'announced', 'held', 'postponed', 'cancelled'] as const;
export const ACTIVITY_FORMATS = ['in_person', 'virtual', 'hybrid'] as const;
export const DATE_PRECISIONS = ['day', 'month', 'year'] as const;
export const FIGURE_QUALIFIERS = ['exact', 'over', 'nearly', 'around'] as const;
export const DOCUMENT_TYPES = [
  'final_report',
  'list_of_participants',
  'agenda',
  'information_note',
  'concept_note',
  'presentations',
  'conclusions',
  'declaration',
  'other',
] as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[number];
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];
export type ActivityFormat = (typeof ACTIVITY_FORMATS)[number];
export type FigureQualifier = (typeof FIGURE_QUALIFIERS)[number];
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const isoDate = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** Longest slug an activity translation may have, in characters. */
export const ACTIVITY_SLUG_MAX_LENGTH = 120;

/** The lengths an activity's texts may have, in characters: the form, the command and the importer use these. */
export const ACTIVITY_LIMITS = {
  title: 300,
  slug: ACTIVITY_SLUG_MAX_LENGTH,
  summary: 1000,
  narrative_html: 200_000,
  city: 120,
  venue: 200,
  url: 2000,
  documentTitle: 300,
  /** Documents, co-chairs and related activities one activity may list. */
  documents: 100,
  related: 200,
} as const;
/** The largest figure (participants, countries, organisations) an activity may give. */
export const FIGURE_MAX = 1_000_000;

/** A link readers can follow: http or https only, at most ACTIVITY_LIMITS.url characters. */
export const HttpUrlSchema = z
  .string()
  .max(ACTIVITY_LIMITS.url)
  .url()
  .refine((u) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(u), 'only http and https links');

export const FigureSchema = z.object({ value: z.number().int().min(0).max(FIGURE_MAX), qualifier: z.enum(FIGURE_QUALIFIERS) });
export type Figure = z.infer<typeof FigureSchema>;

const PartyRefSchema = z.union([z.object({ country: z.string().regex(/^[A-Z]{2}$/) }), z.object({ organisation: z.string().regex(/^[a-z0-9-]+$/) })]);
export type PartyRef = z.infer<typeof PartyRefSchema>;

export const ActivityTranslationSchema = z.object({
  title: z.string().trim().min(1).max(ACTIVITY_LIMITS.title),
  slug: z.string().refine((s) => isValidSlug(s, ACTIVITY_SLUG_MAX_LENGTH), `a slug is words of lower-case letters or digits joined by hyphens, at most ${ACTIVITY_SLUG_MAX_LENGTH} characters`),
  summary: z.string().trim().max(ACTIVITY_LIMITS.summary).default(''),
  narrative_html: z.string().max(ACTIVITY_LIMITS.narrative_html).nullish(),
  city: z.string().trim().max(ACTIVITY_LIMITS.city).nullish(),
  venue: z.string().trim().max(ACTIVITY_LIMITS.venue).nullish(),
});

export const ActivityDocumentSchema = z.object({
  type: z.enum(DOCUMENT_TYPES),
  lang: z.string().regex(/^([a-z]{2}|mul)$/),
  url: HttpUrlSchema.nullish(),
  size_bytes: z.number().int().min(0).nullish(),
  mime: z.string().max(100).nullish(),
  title: z.record(z.string(), z.string().trim().min(1).max(ACTIVITY_LIMITS.documentTitle)),
});

/** The whole of an activity as the write command takes it (from the demo seeder, importers and forms). */
export const ActivityInputSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]+$/).max(120).nullish(),
    type: z.enum(ACTIVITY_TYPES),
    status: z.enum(ACTIVITY_STATUSES),
    start_date: z.string().regex(isoDate),
    end_date: z.string().regex(isoDate).nullish(),
    date_precision: z.enum(DATE_PRECISIONS),
    format: z.enum(ACTIVITY_FORMATS),
    country: z.string().regex(/^[A-Z]{2}$/).nullish(),
    host: PartyRefSchema.nullish(),
    co_chairs: z.array(PartyRefSchema).default([]),
    themes: z.array(z.string()).default([]),
    participants: FigureSchema.nullish(),
    countries_count: FigureSchema.nullish(),
    organisations_count: FigureSchema.nullish(),
    gallery_url: HttpUrlSchema.nullish(),
    published: z.boolean().default(true),
    t: z.record(z.string().regex(/^[a-z]{2}$/), ActivityTranslationSchema).refine((t) => Object.keys(t).length > 0, 'at least one language'),
    documents: z.array(ActivityDocumentSchema).default([]),
    related: z.array(z.string()).default([]),
    /** Related activities by id (the back-office picks them; not every activity has a key). */
    related_ids: z.array(z.number().int().positive()).default([]),
  })
  .superRefine((a, ctx) => {
    const expected = a.date_precision === 'day' ? 10 : a.date_precision === 'month' ? 7 : 4;
    if (a.start_date.length !== expected) ctx.addIssue({ code: 'custom', path: ['start_date'], message: `start_date must be written at ${a.date_precision} precision` });
    if (a.end_date && a.end_date < a.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'end_date is before start_date' });
  });
export type ActivityInput = z.input<typeof ActivityInputSchema>;
export type ActivityInputParsed = z.output<typeof ActivityInputSchema>;

/** Public list filters as they arrive in the query string; each is checked on its own so one bad value never hides the others. */
export interface ActivityFilters {
  type?: ActivityType | undefined;
  theme?: string | undefined;
  year?: number | undefined;
  country?: string | undefined;
  format?: ActivityFormat | undefined;
}

export const LIST_PAGE_SIZE = 20;
export const FILTER_KEYS = ['type', 'theme', 'year', 'country', 'format'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
