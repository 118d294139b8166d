import { z } from 'zod';
import type { Db } from '../../platform/db/database.js';
import { firstLanguage, problem, says } from '../../platform/forms/validation.js';
import { roleCodes } from './roles.reference-data.js';
import { isValidEmail, normaliseEmail } from './users.commands.js';

/** The lengths an account's fields may have, in characters. */
export const ACCOUNT_LIMITS = { email: 254, name: 200 } as const;
export const ACCOUNT_FIELDS = ['email', 'name', 'role', 'country', 'organisation', 'lang', 'status'] as const;

/** The account form as typed (trimmed strings), shown back unchanged when it has a problem. */
export type AccountValues = Record<(typeof ACCOUNT_FIELDS)[number], string>;

/** Reads the posted account form: every field a string, as typed (trimmed), nothing cut. */
export function readAccount(body: unknown, defaultLanguage: string): AccountValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  return { email: s('email'), name: s('name'), role: s('role'), country: s('country'), organisation: s('organisation'), lang: s('lang') || defaultLanguage, status: s('status') || 'active' };
}

/** The roles, countries and organisations the form may name (read once per check). */
export async function accountChoices(db: Db) {
  const [roles, countries, organisations] = await Promise.all([
    roleCodes(db),
    db.selectFrom('countries').select('code').execute(),
    db.selectFrom('organisations').select('id').execute(),
  ]);
  return { roles: new Set(roles), countries: new Set(countries.map((c) => c.code)), organisations: new Set(organisations.map((o) => String(o.id))) };
}

/**
 * The account form's schema (invitation and edit). Out comes what the commands take: the binding
 * of a focal point to a country or an organisation that exists, an interface language.
 */
export function accountFormSchema(known: Awaited<ReturnType<typeof accountChoices>>, languages: readonly string[], invite: boolean) {
  return z
    .object({
      email: z.string().max(ACCOUNT_LIMITS.email, says('form.error.tooLong')),
      name: z.string().min(1, says('users.error.name')).max(ACCOUNT_LIMITS.name, says('form.error.tooLong')),
      role: z.string().refine((r) => known.roles.has(r), says('user.error.role')),
      country: z.string().refine((c) => c === '' || known.countries.has(c), says('form.error.choose')),
      organisation: z.string().refine((o) => o === '' || known.organisations.has(o), says('form.error.choose')),
      lang: z.string().catch(firstLanguage(languages)),
      status: z.enum(['active', 'disabled']).catch('active'),
    })
    .superRefine(
      (v, ctx) => {
        if (invite && !isValidEmail(normaliseEmail(v.email ?? ''))) problem(ctx, ['email'], 'user.error.email');
        if (v.role === 'focal_point' && !v.country && !v.organisation) problem(ctx, ['country'], 'users.error.bound');
      },
      { when: () => true },
    )
    .transform((v) => ({
      email: normaliseEmail(v.email),
      name: v.name,
      role: v.role,
      countryCode: v.country || null,
      organisationId: v.organisation ? Number(v.organisation) : null,
      lang: languages.includes(v.lang) ? v.lang : firstLanguage(languages),
      status: v.status,
    }));
}
