import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { LanguageSelect } from '../../app/language-select';
import { useSession } from '../../app/session';
import type { User } from '../../app/types';
import { Button, FormError, PageHeader, TextField, useNotify } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { TokensPanel } from './tokens-panel';

const MIN_PASSWORD = 8;

function DetailsForm({ user }: { user: User }) {
  const { t, tOr, formatDateTime } = useI18n();
  const { setUser } = useSession();
  const notify = useNotify();
  const errors = useFormErrors();
  const [name, setName] = useState(user.name);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!name.trim()) {
      errors.setField('name', t('validation.required'));
      return;
    }
    setBusy(true);
    api<{ user: User }>('PATCH', '/api/auth/me', { name: name.trim() })
      .then(({ user: me }) => {
        setUser(me);
        notify('success', t('common.saved'));
      })
      .catch((error: unknown) => errors.show(error, { knownFields: ['name'] }))
      .finally(() => setBusy(false));
  };

  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="profile-details">
      <h2 className="panel-title">{t('profile.details')}</h2>
      <FormError message={errors.general} />
      <TextField
        label={t('fields.name')}
        name="name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoComplete="name"
      />
      <dl className="facts">
        <div>
          <dt>{t('fields.email')}</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>{t('fields.roles')}</dt>
          <dd>{user.roles.map((role) => tOr(`roles.${role}`, role)).join(', ') || t('common.none')}</dd>
        </div>
        <div>
          <dt>{t('fields.lastLoginAt')}</dt>
          <dd>{formatDateTime(user.lastLoginAt) || t('common.never')}</dd>
        </div>
      </dl>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}

function PasswordForm() {
  const { t } = useI18n();
  const { setUser } = useSession();
  const notify = useNotify();
  const errors = useFormErrors();
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    let valid = true;
    if (!currentPassword) {
      errors.setField('currentPassword', t('validation.required'));
      valid = false;
    }
    if (password.length < MIN_PASSWORD) {
      errors.setField('password', t('validation.passwordLength', { min: MIN_PASSWORD }));
      valid = false;
    }
    if (confirm !== password) {
      errors.setField('confirm', t('validation.passwordMismatch'));
      valid = false;
    }
    if (!valid) return;
    setBusy(true);
    api<{ user: User }>('PATCH', '/api/auth/me', { currentPassword, password })
      .then(({ user: me }) => {
        setUser(me);
        setCurrentPassword('');
        setPassword('');
        setConfirm('');
        notify('success', t('profile.passwordChanged'));
      })
      .catch((error: unknown) =>
        errors.show(error, {
          knownFields: ['currentPassword', 'password'],
          codeFields: { PASSWORD_WRONG: 'currentPassword', INVALID_CREDENTIALS: 'currentPassword' },
        }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <form className="panel" onSubmit={submit} noValidate data-testid="profile-password">
      <h2 className="panel-title">{t('profile.password')}</h2>
      <FormError message={errors.general} />
      <TextField
        label={t('fields.currentPassword')}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrentPassword}
        error={errors.fields.currentPassword}
      />
      <TextField
        label={t('fields.newPassword')}
        name="password"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        error={errors.fields.password}
        hint={t('validation.passwordLength', { min: MIN_PASSWORD })}
      />
      <TextField
        label={t('fields.confirmPassword')}
        name="confirm"
        type="password"
        autoComplete="new-password"
        value={confirm}
        onChange={setConfirm}
        error={errors.fields.confirm}
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          {t('profile.changePassword')}
        </Button>
      </div>
    </form>
  );
}

/** The user's own page: name, language, password and API tokens. */
export default function ProfilePage() {
  const { t } = useI18n();
  const { user } = useSession();
  if (!user) return null;
  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.lead')} />
      <div className="grid-2">
        <DetailsForm user={user} />
        <section className="panel">
          <h2 className="panel-title">{t('profile.language')}</h2>
          <p className="panel-text">{t('profile.languageText')}</p>
          <LanguageSelect />
        </section>
        <PasswordForm />
        <TokensPanel />
      </div>
    </>
  );
}
