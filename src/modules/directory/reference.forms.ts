import { z } from 'zod';
import { firstLanguage, problem, says, type FormErrorOptions } from '../../platform/forms/validation.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { THEME_LEVELS } from '../framework/index.js';
import { COUNTRY_REGIONS, COUNTRY_STATUSES, ORGANISATION_KINDS } from './directory.schemas.js';

/** The lengths reference records' fields may have, in characters. */
export const REFERENCE_LIMITS = { name: 200, abbr: 40, number: 10 } as const;

type Body = Record<string, unknown>;
/** A posted field as typed, trimmed; anything that is not one string is an empty one. */
export const field = (b: Body, k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');

const name = z.string().max(REFERENCE_LIMITS.name, says('form.error.tooLong'));
const names = (languages: readonly string[]) =>
  z.record(z.string(), name).superRefine(
    (n, ctx) => {
      if (!Object.values(n).some(Boolean)) problem(ctx, [firstLanguage(languages)], 'ref.error.name');
    },
    { when: () => true },
  );

/** How problems find their field and label on the reference forms (`names.fr` is `name_fr`). */
export function referenceFormOptions(tr: Translator, order: readonly string[]): FormErrorOptions {
  const labels: Record<string, MessageKey> = { code: 'ref.field.code', region: 'ref.field.region', status: 'ref.field.status', kind: 'ref.field.kind', parent: 'ref.field.parent', level: 'ref.field.level', number: 'ref.field.number' };
  return {
    fieldId: (path) => (path[0] === 'names' ? `name_${String(path[1])}` : path[0] === 'abbrs' ? `abbr_${String(path[1])}` : String(path[0] ?? 'code')),
    label: (f) => {
      const m = /^(name|abbr)_(.+)$/.exec(f);
      if (m) return tr.t(m[1] === 'name' ? 'ref.field.name' : 'ref.field.abbr', { language: tr.t(`lang.${m[2]}` as MessageKey) });
      return labels[f] ? tr.t(labels[f]) : undefined;
    },
    order,
  };
}

const byLanguage = (b: Body, prefix: string, languages: readonly string[]) => Object.fromEntries(languages.map((l) => [l, field(b, `${prefix}_${l}`)]));

/** The country form: a new ISO code (when creating), its region and status, its names. */
export function countryForm(b: Body, languages: readonly string[], codeTaken: ((code: string) => Promise<boolean>) | null) {
  const values = { code: field(b, 'code').toUpperCase(), region: field(b, 'region'), status: field(b, 'status'), names: byLanguage(b, 'name', languages) };
  const schema = z
    .object({
      code: codeTaken
        ? z
            .string()
            .regex(/^[A-Z]{2}$/, says('ref.error.code'))
            .refine(async (c) => !(await codeTaken(c)), says('ref.error.codeTaken'))
        : z.string(),
      region: z.enum(COUNTRY_REGIONS, says('form.error.choose')),
      status: z.enum(COUNTRY_STATUSES, says('form.error.choose')),
      names: names(languages),
    })
    .transform((v) => ({ ...v, names: v.names }));
  return { values, schema, order: ['code', 'name_*', 'region', 'status'] };
}

/** The organisation form: a new code (when creating), its kind, its names and abbreviations. */
export function organisationForm(b: Body, languages: readonly string[], codeTaken: ((code: string) => Promise<boolean>) | null) {
  const values = { code: field(b, 'code'), kind: field(b, 'kind'), retired: field(b, 'retired') === '1', names: byLanguage(b, 'name', languages), abbrs: byLanguage(b, 'abbr', languages) };
  const schema = z
    .object({
      code: codeTaken
        ? z
            .string()
            .regex(/^[a-z0-9-]{2,40}$/, says('ref.error.code'))
            .refine(async (c) => !(await codeTaken(c)), says('ref.error.codeTaken'))
        : z.string(),
      kind: z.enum(ORGANISATION_KINDS, says('form.error.choose')),
      retired: z.boolean(),
      names: names(languages),
      abbrs: z.record(z.string(), z.string().max(REFERENCE_LIMITS.abbr, says('form.error.tooLong'))),
    })
    .transform((v) => ({ code: v.code, kind: v.kind, retired: v.retired, names: Object.fromEntries(languages.map((l) => [l, { name: v.names[l] ?? '', abbr: v.abbrs[l] ?? '' }])) }));
  return { values, schema, order: ['code', 'name_*', 'abbr_*', 'kind'] };
}

/** The theme form: where it sits (a theme of the same framework, never itself), its level, number and names. */
export function themeForm(b: Body, languages: readonly string[], parents: ReadonlySet<number>) {
  const values = { parent: field(b, 'parent'), level: field(b, 'level'), number: field(b, 'number'), retired: field(b, 'retired') === '1', names: byLanguage(b, 'name', languages) };
  const schema = z
    .object({
      parent: z.string().refine((p) => p === '' || parents.has(Number(p)), says('form.error.choose')),
      level: z.enum(THEME_LEVELS, says('form.error.choose')),
      number: z.string().max(REFERENCE_LIMITS.number, says('form.error.tooLong')),
      retired: z.boolean(),
      names: names(languages),
    })
    .transform((v) => ({ parentId: v.parent ? Number(v.parent) : null, level: v.level, number: v.number || null, retired: v.retired, names: v.names }));
  return { values, schema, order: ['parent', 'level', 'number', 'name_*'] };
}
