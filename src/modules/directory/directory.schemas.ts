import { z } from 'zod';
import { LocalisedTextSchema } from '../../platform/text/localised.js';

export const COUNTRY_REGIONS = ['north_africa', 'west_africa', 'central_africa', 'east_africa', 'southern_africa', 'europe'] as const;
export const COUNTRY_STATUSES = ['partner', 'observer', 'former', 'other'] as const;
export const ORGANISATION_KINDS = ['partner', 'observer', 'secretariat', 'other'] as const;


export const CountryFixtureSchema = z.object({
  code: z.string().regex(/^[A-Z]{2}$/),
  region: z.enum(COUNTRY_REGIONS),
  status: z.enum(COUNTRY_STATUSES),
  founder: z.boolean(),
  name: LocalisedTextSchema,
});
export type CountryFixture = z.infer<typeof CountryFixtureSchema>;

export const OrganisationFixtureSchema = z.object({
  code: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.enum(ORGANISATION_KINDS),
  name: LocalisedTextSchema,
  abbr: z.record(z.string(), z.string()).optional(),
});
export type OrganisationFixture = z.infer<typeof OrganisationFixtureSchema>;
