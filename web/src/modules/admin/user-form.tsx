import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import type { User } from '../../app/types';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { getLocale, isLocale, LOCALE_NAMES, LOCALES, type Locale, useI18n } from '../../i18n/i18n';
import { useRoleCodes } from './roles-api';

export const MIN_PASSWORD = 8;
const FIELDS = ['email', 'name', 'password', 'roles', 'locale', 'active'];

type Props = {
  /** The user to edit; none to create one. */
  user: User | null;
  readOnly: boolean;
  onClose(): void;
  onSaved(user: User, created: boolean): void;
};

function RolePicker({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string[];
  onChange(roles: string[]): void;
  error: string | undefined;
  disabled: boolean;
}) {
  const { t, tOr } = useI18n();
  const codes = useRoleCodes();
  const all = [...new Set([...codes, ...value])];
  return (
    <fieldset
      className={`field checks${error ? ' field-invalid' : ''}`}
      data-testid="roles-field"
      aria-invalid={Boolean(error)}
    >
      <legend className="field-label">{t('fields.roles')}</legend>
      <div className="check-grid">
        {all.map((code) => (
          <label key={code} className="check">
            <input
              type="checkbox"
              name="roles"
              value={code}
              checked={value.includes(code)}
              disabled={disabled}
              data-testid={`role-${code}`}
              onChange={(event) =>
                onChange(event.target.checked ? [...value, code] : value.filter((role) => role !== code))
              }
            />
            <span>{tOr(`roles.${code}`, code)}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p className="field-error" data-testid="error-roles">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The side panel to create a user or to change one: name, roles, language, active, password. */
export function UserForm({ user, readOnly, onClose, onSaved }: Props) {
  const { t, formatDateTime } = useI18n();
  const errors = useFormErrors();
  const creating = user === null;
  const [email, setEmail] = useState(user?.email ?? '');
  const [name, setName] = useState(user?.name ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<string[]>(user?.roles ?? []);
  const [locale, setLocaleValue] = useState<Locale>(user?.locale ?? getLocale());
  const [active, setActive] = useState(user?.active ?? true);
  const [busy, setBusy] = useState(false);

  const validate = (): boolean => {
    let valid = true;
    const fail = (field: string, message: string) => {
      errors.setField(field, message);
      valid = false;
    };
    if (creating && !email.trim()) fail('email', t('validation.required'));
    else if (creating && !/^\S+@\S+\.\S+$/.test(email.trim())) fail('email', t('validation.email'));
    if (!name.trim()) fail('name', t('validation.required'));
    if (creating ? password.length < MIN_PASSWORD : password.length > 0 && password.length < MIN_PASSWORD) {
      fail('password', t('validation.passwordLength', { min: MIN_PASSWORD }));
    }
    return valid;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!validate()) return;
    setBusy(true);
    const request = creating
      ? api<User>('POST', '/api/admin/users', {
          email: email.trim(),
          name: name.trim(),
          password,
          roles,
          locale,
        })
      : api<User>('PATCH', `/api/admin/users/${encodeURIComponent(user.id)}`, {
          name: name.trim(),
          roles,
          active,
          locale,
          ...(password ? { password } : {}),
        });
    request
      .then((saved) => onSaved(saved, creating))
      .catch((error: unknown) => {
        errors.show(error, {
          knownFields: FIELDS,
          codeFields: { EMAIL_TAKEN: 'email', ROLE_UNKNOWN: 'roles' },
        });
        setBusy(false);
      });
  };

  const formId = 'user-form';
  return (
    <Drawer
      title={creating ? t('users.createTitle') : t('users.editTitle', { name: user.name })}
      onClose={onClose}
      testId="user-drawer"
      footer={
        <>
          <Button onClick={onClose}>{readOnly ? t('common.close') : t('common.cancel')}</Button>
          {readOnly ? null : (
            <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="user-save">
              {creating ? t('users.create') : t('common.save')}
            </Button>
          )}
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        {creating ? (
          <TextField
            label={t('fields.email')}
            name="email"
            type="email"
            autoComplete="off"
            value={email}
            onChange={setEmail}
            error={errors.fields.email}
          />
        ) : (
          <dl className="facts">
            <div>
              <dt>{t('fields.email')}</dt>
              <dd data-testid="user-email">{user.email}</dd>
            </div>
            <div>
              <dt>{t('fields.createdAt')}</dt>
              <dd>{formatDateTime(user.createdAt)}</dd>
            </div>
            <div>
              <dt>{t('fields.lastLoginAt')}</dt>
              <dd>{formatDateTime(user.lastLoginAt) || t('common.never')}</dd>
            </div>
          </dl>
        )}
        <TextField
          label={t('fields.name')}
          name="name"
          autoComplete="off"
          value={name}
          onChange={setName}
          error={errors.fields.name}
          disabled={readOnly}
        />
        <TextField
          label={creating ? t('fields.password') : t('fields.newPassword')}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
          hint={creating ? t('validation.passwordLength', { min: MIN_PASSWORD }) : t('users.passwordKeep')}
          disabled={readOnly}
        />
        <Field label={t('fields.locale')} name="locale" error={errors.fields.locale}>
          {(control) => (
            <select
              className="input"
              value={locale}
              disabled={readOnly}
              onChange={(event) => {
                if (isLocale(event.target.value)) setLocaleValue(event.target.value);
              }}
              {...control}
            >
              {LOCALES.map((code) => (
                <option key={code} value={code}>
                  {LOCALE_NAMES[code]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <RolePicker value={roles} onChange={setRoles} error={errors.fields.roles} disabled={readOnly} />
        {creating ? null : (
          <div className="field">
            <label className="switch">
              <input
                type="checkbox"
                checked={active}
                disabled={readOnly}
                onChange={(event) => setActive(event.target.checked)}
                data-testid="user-active"
              />
              <span>{t('users.activeLabel')}</span>
            </label>
            <p className="field-hint">{t('users.activeHint')}</p>
            {errors.fields.active ? <p className="field-error">{errors.fields.active}</p> : null}
          </div>
        )}
      </form>
    </Drawer>
  );
}
