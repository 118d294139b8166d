import { z } from 'zod';
import { problem, says, type FormErrorOptions } from '../../platform/forms/validation.js';
import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './passwords.js';
import { ACCOUNT_LIMITS } from './users.form.js';

/** The named fields of a posted form, each as one string (anything else is an empty one). */
export function readFields<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, typeof b[n] === 'string' ? (b[n] as string) : ''])) as Record<K, string>;
}

const email = z
  .string()
  .transform((e) => e.trim())
  .pipe(z.string().min(1, says('auth.login.emailMissing')).max(ACCOUNT_LIMITS.email, says('form.error.tooLong')));

/** Sign-in: an address and a password; where to go next is checked by safeNext, never refused. */
export const LoginFormSchema = z.object({
  email,
  password: z.string().min(1, says('auth.login.passwordMissing')).max(PASSWORD_MAX, says('user.error.password.tooLong')),
  next: z.string(),
});

/** "Forgot your password": an address. */
export const ForgotFormSchema = z.object({ email });

/** A new password, typed twice. */
export const NewPasswordFormSchema = z
  .object({
    password: z.string().min(PASSWORD_MIN, says('user.error.password.tooShort')).max(PASSWORD_MAX, says('user.error.password.tooLong')),
    confirm: z.string(),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.confirm) problem(ctx, ['confirm'], 'auth.reset.mismatch');
  });

/** The labels of the sign-in and password forms' fields, for messages that name them. */
export function authFormOptions(tr: Translator): FormErrorOptions {
  const labels: Record<string, MessageKey> = { email: 'auth.login.email', password: 'auth.login.password', confirm: 'auth.reset.confirm' };
  return { label: (f) => (labels[f] ? tr.t(labels[f]) : undefined) };
}
