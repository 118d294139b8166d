import { z } from 'zod';
import { LocalisedTextSchema } from '../../platform/text/localised.js';

export const THEME_LEVELS = ['pillar', 'domain', 'objective', 'action', 'priority'] as const;
export type ThemeLevel = (typeof THEME_LEVELS)[number];

export type ThemeFixture = {
  code: string;
  level: ThemeLevel;
  number?: string | null | undefined;
  name: Record<string, string>;
  children?: ThemeFixture[] | undefined;
};

export const ThemeFixtureSchema: z.ZodType<ThemeFixture> = z.lazy(() =>
  z.object({
    code: z.string().regex(/^[a-z0-9-]+\.[a-z0-9]+$/),
    level: z.enum(THEME_LEVELS),
    number: z.string().nullish(),
    name: LocalisedTextSchema,
    children: z.array(ThemeFixtureSchema).optional(),
  }),
);

export const FrameworkFixtureSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  adopted_on: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  period_start: z.number().int().nullable(),
  period_end: z.number().int().nullable(),
  name: LocalisedTextSchema,
  short_name: LocalisedTextSchema,
  themes: z.array(ThemeFixtureSchema),
});
export type FrameworkFixture = z.infer<typeof FrameworkFixtureSchema>;
