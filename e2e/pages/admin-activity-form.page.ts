import type { Locator, Response } from 'playwright-core';
import type { Lang } from './base.page.js';
import { AdminPage } from './admin.page.js';

/** The texts of one language of an activity, as the form takes them. */
export interface ActivityTexts {
  title?: string;
  summary?: string;
}

/** The fields of the activity form a test fills in (others keep their defaults). */
export interface ActivityFields {
  type?: string;
  startDate?: string;
  format?: string;
  texts?: Partial<Record<Lang, ActivityTexts>>;
  /** Theme codes to tick (e.g. a value of an `input[name=themes]`). */
  themes?: string[];
}

export type WorkflowAction = 'submit' | 'publish' | 'unpublish' | 'return' | 'schedule';

/** One field to resolve: its label, the version saved meanwhile, and the editor's own. */
export interface ConflictRow {
  field: string;
  theirs: string;
  yours: string;
}

/** The back-office page that creates or edits an activity: the form, the publication panel, the conflict table. */
export class ActivityFormPage extends AdminPage {
  get form(): Locator {
    return this.page.getByTestId('activity-form');
  }

  get type(): Locator {
    return this.page.locator('select#type');
  }

  get startDate(): Locator {
    return this.page.locator('#start_date');
  }

  get format(): Locator {
    return this.page.locator('select#format');
  }

  get themeBoxes(): Locator {
    return this.page.locator('input[type=checkbox][name=themes]');
  }

  get saveButton(): Locator {
    return this.page.getByTestId('save');
  }

  get workflowPanel(): Locator {
    return this.page.getByTestId('workflow');
  }

  get workflowState(): Locator {
    return this.page.getByTestId('workflow-state');
  }

  get conflict(): Locator {
    return this.page.getByTestId('conflict');
  }

  get revisionsLink(): Locator {
    return this.page.getByTestId('revisions-link');
  }

  title(lang: Lang): Locator {
    return this.page.locator(`#t_${lang}_title`);
  }

  slug(lang: Lang): Locator {
    return this.page.locator(`#t_${lang}_slug`);
  }

  summary(lang: Lang): Locator {
    return this.page.locator(`#t_${lang}_summary`);
  }

  translationState(lang: Lang): Locator {
    return this.page.getByTestId(`translation-state-${lang}`);
  }

  /** The button for a workflow step: sending for review and publishing are the form's own "Save and …" buttons, so unsaved edits go with them. */
  workflowButton(action: WorkflowAction): Locator {
    return this.page.getByTestId(action === 'submit' || action === 'publish' ? `save-${action}` : `workflow-${action}`);
  }

  /** The step that resolves a conflict: one fieldset per field both people changed. */
  get resolveForm(): Locator {
    return this.page.getByTestId('resolve-form');
  }

  /** Keys of the fields shown to resolve (`t.en.title`...). */
  async conflictKeys(): Promise<string[]> {
    return this.resolveForm.locator('fieldset[data-testid^="conflict-"]').evaluateAll((sets) => sets.map((f) => (f.getAttribute('data-testid') ?? '').slice('conflict-'.length)));
  }

  /** Chooses a side for one conflicting field and saves the resolution. */
  async resolve(choices: Record<string, 'mine' | 'theirs'>): Promise<Response> {
    for (const [key, side] of Object.entries(choices)) await this.page.locator(`#choice_${key.replace(/[^a-zA-Z0-9_]/g, '_')}-${side}`).check();
    return this.submitWith(this.page.getByTestId('resolve-save'));
  }

  previewLink(lang: Lang): Locator {
    return this.page.getByTestId(`preview-${lang}`);
  }

  gotoNew(): Promise<Response> {
    return this.gotoPath('/admin/activities/new');
  }

  gotoEdit(id: number, query = ''): Promise<Response> {
    return this.gotoPath(`/admin/activities/${id}${query}`);
  }

  /** The id of the activity being edited, from the address (/admin/activities/<id>). */
  activityId(): number {
    const m = /^\/admin\/activities\/(\d+)$/.exec(this.url().pathname);
    if (!m) throw new Error(`not on an activity's edit page: ${this.page.url()}`);
    return Number(m[1]);
  }

  /** Fills the given fields; nothing is submitted. */
  async fill(fields: ActivityFields): Promise<void> {
    if (fields.type !== undefined) await this.type.selectOption(fields.type);
    if (fields.startDate !== undefined) await this.startDate.fill(fields.startDate);
    if (fields.format !== undefined) await this.format.selectOption(fields.format);
    for (const [lang, texts] of Object.entries(fields.texts ?? {}) as [Lang, ActivityTexts][]) {
      if (texts.title !== undefined) await this.title(lang).fill(texts.title);
      if (texts.summary !== undefined) await this.summary(lang).fill(texts.summary);
    }
    for (const code of fields.themes ?? []) await this.page.locator(`input[type=checkbox][name=themes][value="${code}"]`).check();
  }

  /** Saves the form; returns the page the server answered with (the edit page after a redirect, or the form with errors or a conflict). */
  save(): Promise<Response> {
    return this.submitWith(this.saveButton);
  }

  /** Uses a button of the publication panel. */
  workflow(action: WorkflowAction): Promise<Response> {
    return this.submitWith(this.workflowButton(action));
  }

  /** The fields to resolve as data: label, the version saved meanwhile, and this person's. */
  async conflictRows(): Promise<ConflictRow[]> {
    return this.resolveForm.locator('fieldset[data-testid^="conflict-"]').evaluateAll((rows) =>
      rows.map((r) => ({
        field: (r.querySelector('legend')?.textContent ?? '').trim(),
        theirs: (r.querySelector('[data-testid="conflict-theirs"]')?.textContent ?? '').trim(),
        yours: (r.querySelector('[data-testid="conflict-yours"]')?.textContent ?? '').trim(),
      })),
    );
  }
}
