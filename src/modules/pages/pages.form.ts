import { z } from 'zod';
import { firstLanguage, problem, says } from '../../platform/forms/validation.js';
import { isValidSlug } from '../../platform/text/slug.js';
import { PAGE_LIMITS, RESERVED_SLUGS } from './pages.schemas.js';

/**
 * The page form's schema: what the form sent (as strings) in, the write command's input out.
 * Messages are catalogue keys; the limits are PAGE_LIMITS, the ones the command applies.
 */
export function pageFormSchema(languages: readonly string[], slugTaken: (lang: string, slug: string) => Promise<boolean>) {
  const translation = z.object({
    title: z.string().max(PAGE_LIMITS.title, says('form.error.tooLong')),
    slug: z.string().max(PAGE_LIMITS.slug, says('form.error.tooLong')),
    body_html: z.string().max(PAGE_LIMITS.body_html, says('form.error.tooLong')),
  });
  return z
    .object({
      version: z.string(),
      nav: z.string().refine((n) => n === '' || (/^\d{1,2}$/.test(n) && Number(n) >= 1), says('pages.error.nav')),
      t: z.record(z.string(), translation),
    })
    .superRefine(
      async (v, ctx) => {
        let written = 0;
        for (const l of languages) {
          const tv = v.t?.[l];
          if (!tv || (!tv.title && !tv.slug && !tv.body_html.trim())) continue;
          written++;
          if (!tv.title) {
            problem(ctx, ['t', l, 'title'], 'form.error.required');
            continue;
          }
          if (!isValidSlug(tv.slug, PAGE_LIMITS.slug)) problem(ctx, ['t', l, 'slug'], 'form.error.slug');
          else if (RESERVED_SLUGS.includes(tv.slug)) problem(ctx, ['t', l, 'slug'], 'pages.error.reserved');
          else if (await slugTaken(l, tv.slug)) problem(ctx, ['t', l, 'slug'], 'pages.error.slugTaken');
        }
        if (!written) problem(ctx, ['t', firstLanguage(languages), 'title'], 'form.error.noLanguage');
      },
      { when: () => true },
    )
    .transform((v) => ({
      nav_position: v.nav === '' ? null : Number(v.nav),
      t: Object.fromEntries(languages.flatMap((l) => (v.t[l]?.title ? [[l, v.t[l]]] : []))) as Record<string, { title: string; slug: string; body_html: string }>,
    }));
}
