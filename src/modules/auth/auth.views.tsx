import type { Translator } from '../../platform/i18n/i18n.js';
import { CsrfField, ErrorSummary, TextField, type FieldError } from '../../platform/views/forms.js';
import { PASSWORD_MIN } from './passwords.js';

/** Sign-in form, keeping the e-mail address typed. */
export function LoginForm({ tr, csrf, email, next, errors, notice }: { tr: Translator; csrf: string; email: string; next: string; errors: FieldError[]; notice?: string | undefined }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <>
      <h1 safe>{t('auth.login.title')}</h1>
      {notice ? (
        <p class="success" role="status" safe>
          {notice}
        </p>
      ) : (
        ''
      )}
      <ErrorSummary tr={tr} errors={errors} />
      <form method="post" action={`/admin/login?lang=${tr.lang}`} novalidate data-testid="login-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="next" value={next} />
        <TextField id="email" label={t('auth.login.email')} type="email" autocomplete="username" value={email} error={err('email')} />
        <TextField id="password" label={t('auth.login.password')} type="password" autocomplete="current-password" error={err('password')} />
        <button class="button" type="submit" safe>
          {t('auth.login.submit')}
        </button>
      </form>
      <p>
        <a href={`/admin/password/forgot?lang=${tr.lang}`} class="target" safe>
          {t('auth.login.forgot')}
        </a>
      </p>
    </>
  );
}

/** Asks for the e-mail address that should receive a reset link. */
export function ForgotForm({ tr, csrf, email, errors }: { tr: Translator; csrf: string; email: string; errors: FieldError[] }): JSX.Element {
  const t = tr.t;
  return (
    <>
      <h1 safe>{t('auth.forgot.title')}</h1>
      <p safe>{t('auth.forgot.intro')}</p>
      <ErrorSummary tr={tr} errors={errors} />
      <form method="post" action={`/admin/password/forgot?lang=${tr.lang}`} novalidate>
        <CsrfField token={csrf} />
        <TextField id="email" label={t('auth.login.email')} type="email" autocomplete="username" value={email} error={errors.find((e) => e.field === 'email')?.message} />
        <button class="button" type="submit" safe>
          {t('auth.forgot.submit')}
        </button>
      </form>
    </>
  );
}

/** Chooses a new password from a reset or invitation link. */
export function NewPasswordForm({ tr, csrf, action, title, intro, errors }: { tr: Translator; csrf: string; action: string; title: string; intro?: string; errors: FieldError[] }): JSX.Element {
  const t = tr.t;
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  return (
    <>
      <h1 safe>{title}</h1>
      {intro ? <p safe>{intro}</p> : ''}
      <ErrorSummary tr={tr} errors={errors} />
      <form method="post" action={action} novalidate data-testid="password-form">
        <CsrfField token={csrf} />
        <TextField id="password" label={t('auth.reset.password')} hint={t('auth.reset.passwordHint', { min: PASSWORD_MIN })} type="password" autocomplete="new-password" error={err('password')} />
        <TextField id="confirm" label={t('auth.reset.confirm')} type="password" autocomplete="new-password" error={err('confirm')} />
        <button class="button" type="submit" safe>
          {t('auth.reset.submit')}
        </button>
      </form>
    </>
  );
}
