import { type FormEvent, useEffect, useState } from 'react';
import { BrandMark } from '../../app/icons';
import { LanguageSelect } from '../../app/language-select';
import { useSession } from '../../app/session';
import { Button, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';

const FIELDS = ['email', 'password'];

/** The first page: e-mail and password; stays on the same address, which opens once signed in. */
export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const errors = useFormErrors();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    document.title = `${t('auth.signIn.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!email.trim()) errors.setField('email', t('validation.required'));
    if (!password) errors.setField('password', t('validation.required'));
    if (!email.trim() || !password) return;
    setBusy(true);
    signIn(email.trim(), password).catch((error: unknown) => {
      errors.show(error, { knownFields: FIELDS });
      setBusy(false);
    });
  };

  return (
    <div className="sign-in">
      <section className="sign-in-aside" aria-hidden="true">
        <div className="sign-in-aside-inner">
          <BrandMark large />
          <p className="sign-in-aside-title">{t('app.name')}</p>
          <p className="sign-in-aside-text">{t('app.tagline')}</p>
          <ul className="sign-in-aside-list">
            <li>{t('auth.signIn.pointCrm')}</li>
            <li>{t('auth.signIn.pointErp')}</li>
            <li>{t('auth.signIn.pointBpm')}</li>
          </ul>
        </div>
      </section>
      <section className="sign-in-main">
        <div className="sign-in-top">
          <LanguageSelect />
        </div>
        <form className="sign-in-card" onSubmit={submit} noValidate data-testid="sign-in-form">
          <div className="sign-in-brand">
            <BrandMark />
            <span className="brand-name">{t('app.name')}</span>
          </div>
          <h1>{t('auth.signIn.title')}</h1>
          <p className="sign-in-lead">{t('auth.signIn.lead')}</p>
          <FormError message={errors.general} />
          <TextField
            label={t('fields.email')}
            name="email"
            type="email"
            autoComplete="username"
            inputMode="email"
            value={email}
            onChange={setEmail}
            error={errors.fields.email}
            required
          />
          <TextField
            label={t('fields.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={errors.fields.password}
            required
          />
          <Button
            type="submit"
            variant="primary"
            busy={busy}
            className="button-block"
            data-testid="sign-in-submit"
          >
            {busy ? t('auth.signIn.busy') : t('auth.signIn.submit')}
          </Button>
        </form>
      </section>
    </div>
  );
}
