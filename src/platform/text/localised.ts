import { z } from 'zod';

/** A text in several languages, keyed by language code: `{ en: "...", fr: "..." }`. */
export const LocalisedTextSchema = z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1));
