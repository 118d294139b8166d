import { z } from 'zod';
import { isValidSlug } from '../../platform/text/slug.js';

/** The kinds of document the library keeps (a type is a catalogue key `documents.type.<type>`). */
export const DOCUMENT_TYPES = [
  'final_report',
  'agenda',
  'list_of_participants',
  'information_note',
  'concept_note',
  'presentation',
  'conclusions',
  'recommendations',
  'declaration',
  'action_plan',
  'publication',
  'photo',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/**
 * Who may open a document: everyone; partners (focal points and the secretariat); the participants
 * of one meeting; the named roles; or whoever may see the activity it belongs to.
 */
export const ACCESS_TIERS = ['public', 'partners', 'participants', 'restricted', 'inherit'] as const;
export type AccessTier = (typeof ACCESS_TIERS)[number];

/** A file's standing within its document: a draft for discussion, or the adopted text. */
export const FILE_STATUSES = ['adopted', 'draft'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

export const DOCUMENT_SLUG_MAX_LENGTH = 120;

/** The lengths a document's texts may have, in characters: the form, the command and the importer use these. */
export const DOCUMENT_LIMITS = {
  title: 300,
  slug: DOCUMENT_SLUG_MAX_LENGTH,
  description: 5000,
  reference: 100,
  /** Activities, themes and countries one document may be linked to. */
  links: 200,
} as const;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export const DocumentTranslationSchema = z.object({
  title: z.string().trim().min(1).max(DOCUMENT_LIMITS.title),
  slug: z.string().refine((s) => isValidSlug(s, DOCUMENT_SLUG_MAX_LENGTH), 'not a slug'),
  description: z.string().max(DOCUMENT_LIMITS.description).default(''),
});

/** A document's content as the write commands take it (its files are added apart). */
export const DocumentInputSchema = z
  .object({
    key: z.string().regex(/^[a-z0-9-]+$/).nullish(),
    type: z.enum(DOCUMENT_TYPES),
    doc_date: z.string().regex(isoDate).nullish(),
    reference: z.string().trim().max(DOCUMENT_LIMITS.reference).nullish(),
    access: z.enum(ACCESS_TIERS).default('restricted'),
    access_roles: z.array(z.string().regex(/^[a-z_]+$/)).max(20).default([]),
    /** The meeting whose participants may open it (participants), or whose visibility it follows (inherit). */
    access_activity_id: z.number().int().positive().nullish(),
    activities: z.array(z.number().int().positive()).max(DOCUMENT_LIMITS.links).default([]),
    themes: z.array(z.number().int().positive()).max(DOCUMENT_LIMITS.links).default([]),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/)).max(DOCUMENT_LIMITS.links).default([]),
    published: z.boolean().default(false),
    t: z.record(z.string().regex(/^[a-z]{2}$/), DocumentTranslationSchema).refine((t) => Object.keys(t).length > 0, 'at least one language'),
  })
  .refine((d) => !(d.access === 'participants' || d.access === 'inherit') || !!d.access_activity_id || d.activities.length > 0, {
    message: 'participants and inherit need a meeting',
    path: ['access_activity_id'],
  });
export type DocumentInput = z.input<typeof DocumentInputSchema>;
export type DocumentInputParsed = z.output<typeof DocumentInputSchema>;
