import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { SaveButtons } from '../../platform/views/editorial.js';
import { CsrfField, ErrorSummary, SelectField, TextArea, TextField, richTextLabels, type FieldError } from '../../platform/views/forms.js';
import type { FrameworkNode } from '../framework/index.js';
import { CO_CHAIR_SLOTS, EMPTY_DOCUMENT_ROWS, type ActivityFormValues } from './activities.form.js';
import { ACTIVITY_FORMATS, ACTIVITY_STATUSES, ACTIVITY_TYPES, DATE_PRECISIONS, DOCUMENT_TYPES, FIGURE_QUALIFIERS } from './activities.schemas.js';

export interface FormOptions {
  countries: { value: string; label: string }[];
  parties: { value: string; label: string }[];
  frameworks: FrameworkNode[];
  activities: { value: string; label: string }[];
}

export interface AdminActivityRow {
  id: number;
  title: string;
  start_date: string;
  type: string;
  workflow: string;
  langs: string[];
}

/** The back-office list of activities with workflow, type and title filters. */
export function AdminActivityList({
  tr,
  rows,
  total,
  filters,
  canCreate,
  languages,
  options,
}: {
  tr: Translator;
  rows: AdminActivityRow[];
  total: number;
  filters: { workflow: string; type: string; q: string; theme: string; year: string; country: string; format: string };
  canCreate: boolean;
  languages: string[];
  options: FormOptions;
}): JSX.Element {
  const t = tr.t;
  return (
    <>
      <h1 safe>{t('activityAdmin.list.title')}</h1>
      {canCreate ? (
        <p>
          <a class="button" href="/admin/activities/new" data-testid="new-activity" safe>
            {t('activityAdmin.list.new')}
          </a>
        </p>
      ) : (
        ''
      )}
      <form method="get" action="/admin/activities" class="actions" role="search">
        <div class="form-group">
          <label for="workflow" safe>
            {t('activityAdmin.list.workflow')}
          </label>
          <select id="workflow" name="workflow">
            <option value="">—</option>
            {(['draft', 'in_review', 'published', 'unpublished'] as const).map((w) => (
              <option value={w} selected={filters.workflow === w} safe>
                {t(`workflow.${w}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="form-group">
          <label for="type" safe>
            {t('activityAdmin.field.type')}
          </label>
          <select id="type" name="type">
            <option value="">—</option>
            {ACTIVITY_TYPES.map((v) => (
              <option value={v} selected={filters.type === v} safe>
                {t(`type.${v}`)}
              </option>
            ))}
          </select>
        </div>
        <SelectField
          id="theme"
          label={t('list.filter.theme')}
          value={filters.theme}
          blank="—"
          options={options.frameworks.flatMap((fw) => fw.themes.map((th) => ({ value: th.code, label: `${fw.shortName} · ${th.number ? `${th.number}. ` : ''}${th.name}` })))}
        />
        <TextField id="year" label={t('list.filter.year')} value={filters.year} width="short" />
        <SelectField id="country" label={t('list.filter.country')} value={filters.country} blank="—" options={options.countries} />
        <SelectField id="format" label={t('list.filter.format')} value={filters.format} blank="—" options={ACTIVITY_FORMATS.map((v) => ({ value: v, label: t(`format.${v}`) }))} />
        <div class="form-group">
          <label for="q" safe>
            {t('activityAdmin.list.search')}
          </label>
          <input id="q" name="q" type="search" value={filters.q} />
        </div>
        <button class="button" type="submit" safe>
          {t('activityAdmin.list.filter')}
        </button>
      </form>
      <p class="result-count" role="status" safe>
        {t('activityAdmin.list.count', { count: total })}
      </p>
      <div class="table-wrap">
        <table class="data" data-testid="admin-activities">
          <thead>
            <tr>
              <th scope="col" safe>{t('activityAdmin.col.title')}</th>
              <th scope="col" safe>{t('activityAdmin.col.date')}</th>
              <th scope="col" safe>{t('activityAdmin.col.type')}</th>
              <th scope="col" safe>{t('editorial.col.workflow')}</th>
              <th scope="col" safe>{t('activityAdmin.col.translations')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td>
                  <a href={`/admin/activities/${r.id}`} safe>
                    {r.title || `#${r.id}`}
                  </a>
                </td>
                <td safe>{r.start_date}</td>
                <td safe>{t(`type.${r.type}` as MessageKey)}</td>
                <td>
                  <span class={`state state-${r.workflow}`} safe>
                    {t(`workflow.${r.workflow}` as MessageKey)}
                  </span>
                </td>
                <td safe>{languages.map((l) => `${l.toUpperCase()}${r.langs.includes(l) ? ' ✓' : ' –'}`).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function FigureFields({ tr, values, errors, field, qualifier, labelKey }: { tr: Translator; values: ActivityFormValues; errors: FieldError[]; field: 'participants' | 'countries_count' | 'organisations_count'; qualifier: 'participants_qualifier' | 'countries_qualifier' | 'organisations_qualifier'; labelKey: MessageKey }): JSX.Element {
  const t = tr.t;
  return (
    <div class="side-by-side">
      <TextField id={field} label={t(labelKey)} value={values[field]} error={errors.find((e) => e.field === field)?.message} width="short" />
      <SelectField
        id={qualifier}
        label={t('activityAdmin.field.qualifier', { what: t(labelKey).toLowerCase() })}
        value={values[qualifier]}
        options={FIGURE_QUALIFIERS.map((q) => ({ value: q, label: t(`activityAdmin.qualifier.${q}`) }))}
      />
    </div>
  );
}

/** The whole activity form: every field of the model, with the languages side by side and each translation's state. */
export function ActivityForm({
  tr,
  csrf,
  action,
  values,
  errors,
  options,
  languages,
  states,
  intents = { submit: false, publish: false },
}: {
  tr: Translator;
  csrf: string;
  action: string;
  values: ActivityFormValues;
  errors: FieldError[];
  options: FormOptions;
  languages: string[];
  states: Record<string, 'missing' | 'outdated' | 'done'>;
  /** Buttons that save and then move the record on (shown when the policy allows them). */
  intents?: { submit: boolean; publish: boolean };
}): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const docRows = [...values.documents, ...Array.from({ length: EMPTY_DOCUMENT_ROWS }, () => ({ type: '', url: '', lang: languages[0] ?? 'mul', titles: {} as Record<string, string> }))];
  const langOptions = [...languages, 'mul'].map((l) => ({ value: l, label: t(`lang.${l}` as MessageKey) }));
  return (
    <form method="post" action={action} novalidate data-testid="activity-form" data-rte-labels={richTextLabels(tr)} data-guard-unsaved>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={values.version} />
      <input type="hidden" name="doc_count" value={String(docRows.length)} />
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.when')}</legend>
        <SelectField id="type" label={t('activityAdmin.field.type')} value={values.type} blank="" error={err('type')} options={ACTIVITY_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))} />
        <SelectField id="status" label={t('activityAdmin.field.status')} value={values.status} error={err('status')} options={ACTIVITY_STATUSES.map((v) => ({ value: v, label: t(`status.${v}`) }))} />
        <SelectField id="date_precision" label={t('activityAdmin.field.precision')} value={values.date_precision} options={DATE_PRECISIONS.map((v) => ({ value: v, label: t(`activityAdmin.precision.${v}`) }))} />
        <TextField id="start_date" label={t('activityAdmin.field.start')} hint={t('activityAdmin.field.startHint')} value={values.start_date} error={err('start_date')} width="short" />
        <TextField id="end_date" label={t('activityAdmin.field.end')} hint={t('activityAdmin.field.endHint')} value={values.end_date} error={err('end_date')} width="short" />
        <SelectField id="format" label={t('activityAdmin.field.format')} value={values.format} error={err('format')} options={ACTIVITY_FORMATS.map((v) => ({ value: v, label: t(`format.${v}`) }))} />
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.where')}</legend>
        <SelectField id="country" label={t('activityAdmin.field.country')} value={values.country} blank={t('activityAdmin.field.none')} error={err('country')} options={options.countries} />
        <SelectField id="host" label={t('activityAdmin.field.host')} value={values.host} blank={t('activityAdmin.field.none')} error={err('host')} options={options.parties} />
        {Array.from({ length: CO_CHAIR_SLOTS }, (_, i) => (
          <SelectField id={`co_chair_${i}`} label={t('activityAdmin.field.coChair', { n: i + 1 })} value={values.co_chairs[i] ?? ''} blank={t('activityAdmin.field.none')} options={options.parties} />
        ))}
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.texts')}</legend>
        <div class="side-by-side">
          {languages.map((lang) => {
            const v = values.t[lang] ?? { title: '', slug: '', summary: '', narrative_html: '', city: '', venue: '' };
            const state = states[lang] ?? 'missing';
            return (
              <fieldset lang={lang} data-testid={`texts-${lang}`}>
                <legend>
                  <span safe>{t('form.language', { language: t(`lang.${lang}` as MessageKey) })}</span>{' '}
                  <span class={`state state-${state}`} data-testid={`translation-state-${lang}`} safe>
                    {t(`activityAdmin.translation.${state}`)}
                  </span>
                </legend>
                <TextField id={`t_${lang}_title`} label={t('activityAdmin.field.title')} value={v.title} error={err(`t_${lang}_title`)} />
                <TextField id={`t_${lang}_slug`} label={t('activityAdmin.field.slug')} hint={t('activityAdmin.field.slugHint')} value={v.slug} error={err(`t_${lang}_slug`)} />
                <TextArea id={`t_${lang}_summary`} label={t('activityAdmin.field.summary')} value={v.summary} error={err(`t_${lang}_summary`)} rows={3} />
                <TextArea id={`t_${lang}_narrative_html`} label={t('activityAdmin.field.narrative')} hint={t('form.richTextHint')} value={v.narrative_html} error={err(`t_${lang}_narrative_html`)} rows={12} richText />
                <TextField id={`t_${lang}_city`} label={t('activityAdmin.field.city')} value={v.city} error={err(`t_${lang}_city`)} />
                <TextField id={`t_${lang}_venue`} label={t('activityAdmin.field.venue')} value={v.venue} error={err(`t_${lang}_venue`)} />
              </fieldset>
            );
          })}
        </div>
      </fieldset>
      <fieldset class={`group${err('themes') ? ' has-error' : ''}`} id="themes" tabindex="-1" aria-describedby={err('themes') ? 'themes-error' : undefined}>
        <legend safe>{t('activityAdmin.section.themes')}</legend>
        <p class="hint" safe>
          {t('activityAdmin.section.themesHint')}
        </p>
        {err('themes') ? (
          <span class="field-error" id="themes-error" safe>
            {err('themes')}
          </span>
        ) : (
          ''
        )}
        <div class="checkboxes">
          {options.frameworks.map((fw) => (
            <fieldset>
              <legend safe>{fw.shortName}</legend>
              {fw.themes.map((th) => (
                <label class={`depth-${Math.min(th.depth, 4)}`}>
                  <input type="checkbox" name="themes" value={th.code} checked={values.themes.includes(th.code)} />
                  <span safe>{th.number ? t('theme.numbered', { level: t(`level.${th.level}` as MessageKey), number: th.number, name: th.name }) : th.name}</span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.figures')}</legend>
        <FigureFields tr={tr} values={values} errors={errors} field="participants" qualifier="participants_qualifier" labelKey="activityAdmin.field.participants" />
        <FigureFields tr={tr} values={values} errors={errors} field="countries_count" qualifier="countries_qualifier" labelKey="activityAdmin.field.countries" />
        <FigureFields tr={tr} values={values} errors={errors} field="organisations_count" qualifier="organisations_qualifier" labelKey="activityAdmin.field.organisations" />
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.documents')}</legend>
        <p class="hint" safe>
          {t('activityAdmin.section.documentsHint')}
        </p>
        {docRows.map((d, i) => (
          <fieldset class="card" data-testid="document-row">
            <SelectField id={`doc_${i}_type`} label={t('activityAdmin.field.docType', { n: i + 1 })} value={d.type} blank="" error={err(`doc_${i}_type`)} options={DOCUMENT_TYPES.map((v) => ({ value: v, label: t(`doctype.${v}`) }))} />
            <TextField id={`doc_${i}_url`} label={t('activityAdmin.field.docUrl', { n: i + 1 })} type="url" value={d.url} error={err(`doc_${i}_url`)} />
            <SelectField id={`doc_${i}_lang`} label={t('activityAdmin.field.docLang', { n: i + 1 })} value={d.lang} options={langOptions} />
            {languages.map((l) => (
              <TextField id={`doc_${i}_title_${l}`} label={t('activityAdmin.field.docTitle', { n: i + 1, lang: t(`lang.${l}` as MessageKey) })} value={d.titles[l] ?? ''} error={err(`doc_${i}_title_${l}`)} lang={l} />
            ))}
          </fieldset>
        ))}
      </fieldset>
      <fieldset class="group">
        <legend safe>{t('activityAdmin.section.more')}</legend>
        <TextField id="gallery_url" label={t('activityAdmin.field.gallery')} type="url" value={values.gallery_url} error={err('gallery_url')} />
        <div class="form-group">
          <label for="related" safe>
            {t('activityAdmin.field.related')}
          </label>
          <span class="hint" id="related-hint" safe>
            {t('activityAdmin.field.relatedHint')}
          </span>
          <select id="related" name="related" multiple="multiple" size="8" aria-describedby="related-hint">
            {options.activities.map((o) => (
              <option value={o.value} selected={values.related.includes(o.value)} safe>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <SaveButtons tr={tr} intents={intents} />
    </form>
  );
}

export { ErrorSummary };
