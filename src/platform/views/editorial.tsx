import type { FieldConflict } from '../editorial/merge.js';
import type { Translator } from '../i18n/i18n.js';
import { CsrfField } from './forms.js';
import type { WorkflowState } from '../editorial/editorial.js';
import type { EditorialAbilities } from '../editorial/abilities.js';

/** A field's value as a person reads it in a comparison (lists joined, figures with their qualifier). */
export function displayValue(value: unknown, tr: Translator): string {
  if (value === null || value === undefined || value === '') return tr.t('editorial.resolve.empty');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => displayValue(v, tr)).join(', ') : tr.t('editorial.resolve.empty');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.country === 'string') return o.country;
    if (typeof o.organisation === 'string') return o.organisation;
    if (typeof o.value === 'number' && typeof o.qualifier === 'string') return `${o.value} (${o.qualifier})`;
    if (o.title && typeof o.title === 'object') return [o.type, o.lang, o.url, ...Object.values(o.title as Record<string, string>)].filter(Boolean).join(' · ');
    return JSON.stringify(value);
  }
  return String(value);
}

/** The form field name of the choice for one conflicting field. */
export function choiceField(key: string): string {
  return `choice_${key.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}

/** Reads the choices posted by {@link ConflictResolution} for the given conflicts. */
export function readChoices(body: Record<string, unknown>, keys: string[]): Record<string, 'mine' | 'theirs'> {
  const out: Record<string, 'mine' | 'theirs'> = {};
  for (const key of keys) {
    const v = body[choiceField(key)];
    if (v === 'mine' || v === 'theirs') out[key] = v;
  }
  return out;
}

export interface ConflictResolutionProps {
  tr: Translator;
  csrf: string;
  action: string;
  conflicts: FieldConflict[];
  label: (key: string) => string;
  /** This person's whole content, carried to the next step (the server validates it again). */
  mine: unknown;
  baseVersion: number;
  intent: string;
  /** Fields without a choice when the person posted the page. */
  missing?: string[];
}

/**
 * The page shown when two people changed the same fields: everything else is already merged; for
 * each field both changed, the person keeps their version or takes the other one.
 */
export function ConflictResolution({ tr, csrf, action, conflicts, label, mine, baseVersion, intent, missing = [] }: ConflictResolutionProps): JSX.Element {
  const t = tr.t;
  return (
    <section data-testid="conflict">
      {missing.length ? (
        <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary">
          <h2 safe>{t('form.errorSummary')}</h2>
          <ul>
            {missing.map((key) => (
              <li>
                <a href={`#${choiceField(key)}-mine`} safe>
                  {t('editorial.resolve.missingChoice', { field: label(key) })}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        ''
      )}
      <div class="notice" role="status">
        <h2 safe>{t('editorial.resolve.title')}</h2>
        <p safe>{t('editorial.resolve.body')}</p>
      </div>
      <form method="post" action={action} data-testid="resolve-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="base_version" value={String(baseVersion)} />
        <input type="hidden" name="intent" value={intent} />
        <input type="hidden" name="mine" value={JSON.stringify(mine)} />
        {conflicts.map((c) => {
          const name = choiceField(c.key);
          return (
            <fieldset class={`group${missing.includes(c.key) ? ' has-error' : ''}`} data-testid={`conflict-${c.key}`}>
              <legend safe>{label(c.key)}</legend>
              <div class="side-by-side">
                <div>
                  <h3 safe>{t('editorial.resolve.theirs')}</h3>
                  <p class="conflict-value" data-testid="conflict-theirs" safe>
                    {displayValue(c.theirs, tr)}
                  </p>
                </div>
                <div>
                  <h3 safe>{t('editorial.resolve.mine')}</h3>
                  <p class="conflict-value" data-testid="conflict-yours" safe>
                    {displayValue(c.mine, tr)}
                  </p>
                </div>
              </div>
              <div class="radios">
                <div class="radio">
                  <input type="radio" id={`${name}-mine`} name={name} value="mine" />
                  <label for={`${name}-mine`} safe>
                    {t('editorial.resolve.keepMine')}
                  </label>
                </div>
                <div class="radio">
                  <input type="radio" id={`${name}-theirs`} name={name} value="theirs" />
                  <label for={`${name}-theirs`} safe>
                    {t('editorial.resolve.keepTheirs')}
                  </label>
                </div>
              </div>
            </fieldset>
          );
        })}
        <button class="button" type="submit" data-testid="resolve-save" safe>
          {t('editorial.resolve.save')}
        </button>
      </form>
    </section>
  );
}

/** The banner of a published record whose newer revision waits for review. */
export function PendingChanges({ tr, revisionsHref, from, to }: { tr: Translator; revisionsHref?: string; from: number; to: number }): JSX.Element {
  return (
    <p class="notice" role="status" data-testid="pending-changes">
      <strong safe>{tr.t('editorial.pending.badge')}</strong> <span safe>{tr.t('editorial.pending.notice')}</span>{' '}
      {revisionsHref ? (
        <a href={`${revisionsHref}?from=${from}&to=${to}`} safe>
          {tr.t('editorial.pending.compare')}
        </a>
      ) : (
        ''
      )}
    </p>
  );
}

/** The buttons at the foot of an edit form: save, and save then send for review or publish, as the policy allows. */
export function SaveButtons({ tr, intents }: { tr: Translator; intents: { submit: boolean; publish: boolean } }): JSX.Element {
  const extra = (intent: 'submit' | 'publish', label: string) => (
    <button class="button button-secondary" type="submit" name="intent" value={intent} data-testid={`save-${intent}`} safe>
      {label}
    </button>
  );
  return (
    <div class="actions form-actions">
      <button class="button" type="submit" name="intent" value="save" data-testid="save" safe>
        {tr.t('form.save')}
      </button>
      {intents.submit ? extra('submit', tr.t('editorial.saveAndSubmit')) : ''}
      {intents.publish ? extra('publish', tr.t('editorial.saveAndPublish')) : ''}
    </div>
  );
}

/**
 * A record's workflow panel: its state and publication time, the steps this person may take, and
 * publication at a time to come. Sending for review and publishing go through the edit form's
 * buttons when the form is on the page, so unsaved edits are saved first.
 */
/** The publication panel: the state, and the workflow actions the actor may take. */
export function WorkflowPanel({ tr, csrf, action, workflow, publishedAt, can, error }: { tr: Translator; csrf: string; action: string; workflow: WorkflowState; publishedAt: string | null; can: EditorialAbilities; error?: string | undefined }): JSX.Element {
  const t = tr.t;
  const when = publishedAt ? new Intl.DateTimeFormat(tr.locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(publishedAt)) + ' UTC' : '';
  const scheduled = workflow === 'published' && publishedAt !== null && new Date(publishedAt) > new Date();
  const button = (name: string, label: string, cls = 'button') => (
    <form method="post" action={action}>
      <CsrfField token={csrf} />
      <input type="hidden" name="action" value={name} />
      <button class={cls} type="submit" data-testid={`workflow-${name}`} safe>
        {label}
      </button>
    </form>
  );
  return (
    <section class="card" aria-labelledby="workflow-title" data-testid="workflow">
      <h2 id="workflow-title" safe>
        {t('editorial.workflow.title')}
      </h2>
      <p>
        <span class={`state state-${workflow}`} data-testid="workflow-state" safe>
          {t('editorial.workflow.state', { state: t(`workflow.${workflow}`) })}
        </span>{' '}
        {when ? <span safe>{scheduled ? t('editorial.workflow.scheduledAt', { date: when }) : t('editorial.workflow.publishedAt', { date: when })}</span> : ''}
      </p>
      {error ? (
        <p class="field-error" role="alert" safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <div class="actions">
        {can.publishChanges ? button('publish_changes', t('editorial.publishChanges')) : ''}
        {can.discardChanges ? button('discard_changes', t('editorial.discardChanges'), 'button button-secondary') : ''}
        {/* With the edit form on the page, sending and publishing go through its buttons so unsaved edits are saved first. */}
        {can.submit && !can.edit ? button('submit', t('editorial.workflow.submit')) : ''}
        {can.publish && !can.edit ? button('publish', t('editorial.workflow.publish')) : ''}
        {can.returnToDraft ? button('return', t('editorial.workflow.return'), 'button button-secondary') : ''}
        {can.unpublish ? button('unpublish', t('editorial.workflow.unpublish'), 'button button-warning') : ''}
      </div>
      {can.publish ? (
        <form method="post" action={action} class="actions">
          <CsrfField token={csrf} />
          <input type="hidden" name="action" value="schedule" />
          <div class="form-group">
            <label for="publish_at" safe>
              {t('editorial.workflow.scheduleAt')}
            </label>
            <input id="publish_at" name="publish_at" type="datetime-local" />
          </div>
          <button class="button button-secondary" type="submit" data-testid="workflow-schedule" safe>
            {t('editorial.workflow.schedule')}
          </button>
        </form>
      ) : (
        ''
      )}
    </section>
  );
}

