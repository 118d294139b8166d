import type { PropsWithChildren } from '@kitajs/html';
import type { Translator } from '../i18n/i18n.js';

/** A field error: the field's id (for the summary link) and the message already translated. */
export interface FieldError {
  field: string;
  message: string;
}

/** GOV.UK-style error summary: the first thing read, each message linking to its field. */
export function ErrorSummary({ tr, errors }: { tr: Translator; errors: FieldError[] }): JSX.Element {
  if (!errors.length) return <></>;
  return (
    <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary">
      <h2 safe>{tr.t('form.errorSummary')}</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`} safe>
              {e.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface FieldProps {
  id: string;
  name?: string | undefined;
  label: string;
  value?: string | null | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  type?: 'text' | 'email' | 'password' | 'url' | 'number' | 'date' | 'datetime-local' | undefined;
  autocomplete?: string | undefined;
  required?: boolean | undefined;
  lang?: string | undefined;
  width?: 'short' | 'full' | undefined;
}

function describedBy(p: FieldProps): string | undefined {
  return [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The frame every field shares: a label, then the hint and the error tied to the control by id. */
function FieldFrame({ field, labelId, children }: PropsWithChildren<{ field: FieldProps; labelId?: string }>): JSX.Element {
  return (
    <div class={`form-group${field.error ? ' has-error' : ''}`}>
      <label for={field.id} id={labelId} safe>
        {field.label}
      </label>
      {field.hint ? (
        <span class="hint" id={`${field.id}-hint`} safe>
          {field.hint}
        </span>
      ) : (
        ''
      )}
      {field.error ? (
        <span class="field-error" id={`${field.id}-error`} safe>
          {field.error}
        </span>
      ) : (
        ''
      )}
      {children}
    </div>
  );
}

/** A labelled input with its hint and error, keeping what was typed. */
export function TextField(p: FieldProps): JSX.Element {
  return (
    <FieldFrame field={p}>
      <input
        id={p.id}
        name={p.name ?? p.id}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
        required={p.required}
        lang={p.lang}
        class={p.width === 'short' ? 'input-short' : undefined}
      />
    </FieldFrame>
  );
}

/** A labelled multi-line text area; `richText` lets the editor script enhance it. */
export function TextArea(p: FieldProps & { rows?: number; richText?: boolean }): JSX.Element {
  return (
    <FieldFrame field={p} labelId={`${p.id}-label`}>
      <textarea
        id={p.id}
        name={p.name ?? p.id}
        rows={String(p.rows ?? 4)}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
        lang={p.lang}
        data-rich-text={p.richText ? '' : undefined}
        data-label-id={p.richText ? `${p.id}-label` : undefined}
        safe
      >
        {p.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** A labelled select with a blank choice. */
export function SelectField(p: FieldProps & { options: { value: string; label: string }[]; blank?: string }): JSX.Element {
  return (
    <FieldFrame field={p}>
      <select id={p.id} name={p.name ?? p.id} aria-describedby={describedBy(p)} aria-invalid={p.error ? 'true' : undefined}>
        {p.blank !== undefined ? (
          <option value="" safe>
            {p.blank}
          </option>
        ) : (
          ''
        )}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === (p.value ?? '')} safe>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

/** One yes/no box with its label (and hint and error), posting `1` when ticked. */
export function CheckboxField(p: { id: string; name?: string; label: string; checked: boolean; hint?: string | undefined; error?: string | undefined }): JSX.Element {
  const described = [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`form-group checkbox-item${p.error ? ' has-error' : ''}`}>
      {p.error ? (
        <span class="field-error" id={`${p.id}-error`} safe>
          {p.error}
        </span>
      ) : (
        ''
      )}
      <input type="checkbox" class="checkbox" id={p.id} name={p.name ?? p.id} value="1" checked={p.checked} aria-describedby={described} aria-invalid={p.error ? 'true' : undefined} />{' '}
      <label for={p.id} safe>
        {p.label}
      </label>
      {p.hint ? (
        <span class="hint" id={`${p.id}-hint`} safe>
          {p.hint}
        </span>
      ) : (
        ''
      )}
    </div>
  );
}

/** Several boxes under one legend, posting every ticked value under one name. */
export function CheckboxGroup(p: { id: string; name?: string; legend: string; options: { value: string; label: string }[]; checked: readonly string[]; hint?: string | undefined; error?: string | undefined }): JSX.Element {
  return (
    <fieldset class={`form-group checkboxes-inline${p.error ? ' has-error' : ''}`} id={p.id} aria-describedby={p.hint ? `${p.id}-hint` : undefined}>
      <legend safe>{p.legend}</legend>
      {p.hint ? (
        <span class="hint" id={`${p.id}-hint`} safe>
          {p.hint}
        </span>
      ) : (
        ''
      )}
      {p.error ? (
        <span class="field-error" safe>
          {p.error}
        </span>
      ) : (
        ''
      )}
      {p.options.map((o) => (
        <span class="checkbox-item">
          <input type="checkbox" class="checkbox" id={`${p.id}-${o.value}`} name={p.name ?? p.id} value={o.value} checked={p.checked.includes(o.value)} />{' '}
          <label for={`${p.id}-${o.value}`} safe>
            {o.label}
          </label>
        </span>
      ))}
    </fieldset>
  );
}

/** The hidden CSRF field every form carries. */
export function CsrfField({ token }: { token: string }): JSX.Element {
  return <input type="hidden" name="_csrf" value={token} />;
}

/** The editor's button labels in the reader's language, for the data-rte-labels attribute of a form. */
export function richTextLabels(tr: Translator): string {
  const keys = ['toolbar', 'bold', 'italic', 'h2', 'h3', 'bullets', 'numbers', 'quote', 'link', 'linkPrompt', 'undo', 'redo'] as const;
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, tr.t(`rte.${k}`)])));
}
