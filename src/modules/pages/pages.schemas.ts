import { z } from 'zod';
import { isValidSlug } from '../../platform/text/slug.js';

/** Addresses the site uses itself, which a page may not take. */
export const RESERVED_SLUGS = ['activities', 'admin', 'api', 'assets', 'countries', 'documents', 'feeds', 'healthz', 'meetings', 'pages', 'search', 'sitemap'];

/** Longest slug a page translation may have, in characters. */
export const PAGE_SLUG_MAX_LENGTH = 100;

/** The lengths a page's texts may have, in characters: the form and the command use these. */
export const PAGE_LIMITS = { title: 200, slug: PAGE_SLUG_MAX_LENGTH, body_html: 200_000 } as const;

export const PageTranslationSchema = z.object({
  title: z.string().trim().min(1).max(PAGE_LIMITS.title),
  slug: z
    .string()
    .refine((s) => isValidSlug(s, PAGE_SLUG_MAX_LENGTH), 'not a slug')
    .refine((s) => !RESERVED_SLUGS.includes(s), 'reserved address'),
  body_html: z.string().max(PAGE_LIMITS.body_html).default(''),
});

/** A static page (About, Partners, Governance...) as the write commands take it. */
export const PageInputSchema = z.object({
  key: z.string().regex(/^[a-z0-9-]+$/).nullish(),
  nav_position: z.number().int().min(1).max(99).nullish(),
  published: z.boolean().default(false),
  t: z.record(z.string().regex(/^[a-z]{2}$/), PageTranslationSchema).refine((t) => Object.keys(t).length > 0, 'at least one language'),
});
export type PageInput = z.input<typeof PageInputSchema>;
export type PageInputParsed = z.output<typeof PageInputSchema>;
