/**
 * Forms are checked by one zod schema each, whose messages are catalogue keys, never sentences:
 * `formErrors` turns the issues into messages in the reader's language, one per field, in the
 * order of the form, each naming its field. The limits live in the module's schemas (one place for
 * the form, the command and the importer).
 */
import { z } from 'zod';
import { hasMessage, type MessageKey, type Translator, type Values } from '../i18n/i18n.js';
import type { FieldError } from '../views/forms.js';

/** Options for zod's own checks that name a catalogue key: `z.string().max(300, says('form.error.tooLong'))`. */
export const says = (key: MessageKey) => ({ error: key });

/** The first configured language, where a form puts a problem that belongs to no one language (config requires one). */
export function firstLanguage(languages: readonly string[]): string {
  const first = languages[0];
  if (first === undefined) throw new Error('no language is configured');
  return first;
}

/** Adds a problem to a form from a refinement: where it is, the catalogue key, the values it needs. */
export function problem(ctx: z.RefinementCtx, path: PropertyKey[], key: MessageKey, values?: Values): void {
  ctx.addIssue({ code: 'custom', path, message: key, params: values ? { values } : undefined, input: undefined });
}

export interface FormErrorOptions {
  /** The id of the field a path points to (default: its parts joined with "_"). */
  fieldId?: (path: readonly PropertyKey[]) => string;
  /** The label of a field, offered to every message as {field} (see inSentence). */
  label?: (fieldId: string) => string | undefined;
  /** The fields in the order the form shows them (`t_*` names every field that starts so): the summary follows it. */
  order?: readonly string[];
}

function rankIn(order: readonly string[]) {
  return (field: string): number => {
    const i = order.findIndex((o) => (o.endsWith('*') ? field.startsWith(o.slice(0, -1)) : o === field));
    return i < 0 ? order.length : i;
  };
}

/** A label inside a sentence: "Title (English)" becomes "title (English)"; "URL" stays as it is. */
export function inSentence(label: string, locale: string): string {
  const [first = '', second = ''] = [...label];
  return second && second === second.toLocaleUpperCase(locale) && second !== second.toLocaleLowerCase(locale) ? label : first.toLocaleLowerCase(locale) + label.slice(first.length);
}

/** The messages of a failed parse in the reader's language: one per field, first problem first. */
export function formErrors(error: z.ZodError, tr: Translator, options: FormErrorOptions = {}): FieldError[] {
  const fieldId = options.fieldId ?? ((path) => path.map(String).join('_'));
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const field = fieldId(issue.path);
    if (seen.has(field)) continue;
    seen.add(field);
    // zod's own English text must never reach a reader: an issue without a key gets the generic one.
    const key: MessageKey = hasMessage(issue.message) ? issue.message : 'form.error.invalid';
    const values: Values = {};
    const label = options.label?.(field);
    if (label !== undefined) values.field = inSentence(label, tr.locale);
    if (issue.code === 'too_big' && typeof issue.maximum === 'number') values.max = tr.number(issue.maximum);
    if (issue.code === 'too_small' && typeof issue.minimum === 'number') values.min = tr.number(issue.minimum);
    const extra = (issue as { params?: { values?: Values } }).params?.values;
    let message: string;
    try {
      message = tr.t(key, { ...values, ...extra });
    } catch {
      // A message whose values the issue did not carry: say something true rather than fail.
      message = tr.t('form.error.invalid', { field: values.field ?? field });
    }
    errors.push({ field, message });
  }
  if (options.order) {
    const rank = rankIn(options.order);
    errors.sort((a, b) => rank(a.field) - rank(b.field));
  }
  return errors;
}

export type FormCheck<T> = { ok: true; data: T; errors: [] } | { ok: false; data: null; errors: FieldError[] };

/** Parses what a form sent with its schema: the command's input, or the messages to show. */
export async function checkForm<S extends z.ZodType>(schema: S, values: unknown, tr: Translator, options?: FormErrorOptions): Promise<FormCheck<z.output<S>>> {
  const parsed = await schema.safeParseAsync(values);
  if (parsed.success) return { ok: true, data: parsed.data, errors: [] };
  return { ok: false, data: null, errors: formErrors(parsed.error, tr, options) };
}
