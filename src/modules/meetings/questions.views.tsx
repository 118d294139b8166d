import type { MessageKey, Translator } from '../../platform/i18n/i18n.js';
import { CheckboxField, CsrfField, ErrorSummary, SelectField, TextArea, TextField, type FieldError } from '../../platform/views/forms.js';
import { inLang, QUESTION_KINDS, type Question } from './questions.js';
import { Notice } from './registration.views.js';

type Body = Record<string, unknown>;
const str = (v: Body, k: string) => (typeof v[k] === 'string' ? (v[k] as string) : '');
const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** The organiser's questions of a meeting's form: those asked, and a form to add one in every language. */
export function QuestionsAdmin(p: { tr: Translator; csrf: string; title: string; base: string; registrationsHref: string; languages: string[]; questions: Question[]; values: Body; errors: FieldError[]; notice: string | null }): JSX.Element {
  const t = p.tr.t;
  const asked = p.questions.filter((q) => !q.retired);
  return (
    <>
      <p class="back">
        <a href={p.registrationsHref} safe>
          {t('delegation.admin.back')}
        </a>
      </p>
      <Notice text={p.notice} />
      <ErrorSummary tr={p.tr} errors={p.errors} />
      <h1 safe>{t('questions.title', { title: p.title })}</h1>
      <p safe>{t('questions.intro')}</p>
      {asked.length ? (
        <table class="list" data-testid="questions">
          <caption class="visually-hidden" safe>
            {t('questions.caption')}
          </caption>
          <thead>
            <tr>
              <th scope="col" safe>
                {t('questions.question')}
              </th>
              <th scope="col" safe>
                {t('questions.kind')}
              </th>
              <th scope="col" safe>
                {t('questions.required')}
              </th>
              <th scope="col">
                <span class="visually-hidden" safe>
                  {t('questions.actions')}
                </span>
              </th>
            </tr>
          </thead>
          <tbody>
            {asked.map((q) => (
              <tr data-testid="question-row">
                <td>
                  <span safe>{inLang(q.labels, p.tr.lang)}</span>
                  {q.kind === 'choice' ? (
                    <>
                      <br />
                      <span class="hint" safe>
                        {q.options.map((o) => inLang(o, p.tr.lang)).join(' · ')}
                      </span>
                    </>
                  ) : (
                    ''
                  )}
                </td>
                <td safe>{t(`questions.kind.${q.kind}` as MessageKey)}</td>
                <td safe>{t(q.required ? 'registration.yes' : 'registration.no')}</td>
                <td>
                  <form method="post" action={`${p.base}/${q.id}/remove`} class="inline-form">
                    <CsrfField token={p.csrf} />
                    <button class="button secondary" type="submit" aria-label={t('questions.removeOf', { question: inLang(q.labels, p.tr.lang) })} safe>
                      {t('questions.remove')}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p data-testid="no-questions" safe>
          {t('questions.none')}
        </p>
      )}
      <h2 safe>{t('questions.add')}</h2>
      <form method="post" action={p.base} novalidate data-testid="question-form">
        <CsrfField token={p.csrf} />
        <SelectField id="kind" label={t('questions.kind')} value={str(p.values, 'kind') || 'text'} options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`questions.kind.${k}` as MessageKey) }))} error={errorOf(p.errors, 'kind')} />
        <CheckboxField id="required" label={t('questions.mustAnswer')} checked={p.values.required === true} />
        {p.languages.map((lang) => (
          <TextField id={`label_${lang}`} label={t('questions.labelIn', { language: t(`lang.${lang}` as MessageKey) })} value={str(p.values, `label_${lang}`)} lang={lang} error={errorOf(p.errors, `label_${lang}`)} />
        ))}
        {p.languages.map((lang) => (
          <TextArea id={`options_${lang}`} label={t('questions.optionsIn', { language: t(`lang.${lang}` as MessageKey) })} hint={t('questions.optionsHint')} value={str(p.values, `options_${lang}`)} rows={4} lang={lang} error={errorOf(p.errors, `options_${lang}`)} />
        ))}
        <button class="button" type="submit" safe>
          {t('questions.addButton')}
        </button>
      </form>
    </>
  );
}
