import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, type Page } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Icon } from '../../app/icons';
import { Link, navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { ADMIN_ROLE } from '../../app/types';
import {
  Button,
  Drawer,
  EmptyState,
  FormError,
  PageHeader,
  PageLoading,
  TextField,
  useNotify,
} from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import type { Permission, Role } from './roles-api';

const BASE = '/admin/roles';
const WRITE = 'admin.roles.write';

function RoleEditor({
  role,
  permissions,
  writable,
  onSaved,
}: {
  role: Role;
  permissions: Permission[];
  writable: boolean;
  onSaved(role: Role): void;
}) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const notify = useNotify();
  const [granted, setGranted] = useState<Set<string>>(() => new Set(role.permissions));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const locked = role.code === ADMIN_ROLE;
  const editable = writable && !locked;

  const byModule = useMemo(() => {
    const groups = new Map<string, Permission[]>();
    for (const permission of permissions) {
      const list = groups.get(permission.module) ?? [];
      list.push(permission);
      groups.set(permission.module, list);
    }
    return [...groups.entries()];
  }, [permissions]);

  const changed =
    granted.size !== role.permissions.length ||
    role.permissions.some((permission) => !granted.has(permission));

  const toggle = (code: string, on: boolean) => {
    setGranted((previous) => {
      const next = new Set(previous);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });
  };

  const save = () => {
    setBusy(true);
    setError(null);
    api<Role>('PUT', `/api/admin/roles/${encodeURIComponent(role.code)}/permissions`, {
      permissions: [...granted].sort(),
    })
      .then((saved) => {
        notify('success', t('rolesPage.saved', { role: tOr(`roles.${role.code}`, role.code) }));
        onSaved(saved);
      })
      .catch((reason: unknown) => setError(errorMessage(reason, i18n)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="panel role-editor" data-testid="role-editor">
      <header className="role-editor-header">
        <div>
          <h2 className="panel-title">{tOr(`roles.${role.code}`, role.code)}</h2>
          <p className="muted small">
            <code>{role.code}</code>
            {' · '}
            {t('rolesPage.userCount', { count: i18n.formatNumber(role.userCount) })}
          </p>
        </div>
        {editable ? (
          <Button variant="primary" busy={busy} disabled={!changed} onClick={save} data-testid="role-save">
            {t('common.save')}
          </Button>
        ) : null}
      </header>
      {locked ? (
        <p className="notice">
          <Icon name="lock" /> {t('rolesPage.adminLocked')}
        </p>
      ) : null}
      <FormError message={error} />
      {byModule.map(([module, list]) => (
        <fieldset key={module} className="permission-group">
          <legend>{tOr(`modules.${module}`, module)}</legend>
          {list.map((permission) => (
            <label key={permission.code} className="check permission">
              <input
                type="checkbox"
                checked={locked || granted.has(permission.code)}
                disabled={!editable}
                onChange={(event) => toggle(permission.code, event.target.checked)}
              />
              <span>
                <span className="permission-label">
                  {tOr(`permissions.${permission.code}`, permission.code)}
                </span>
                <code className="permission-code">{permission.code}</code>
              </span>
            </label>
          ))}
        </fieldset>
      ))}
    </section>
  );
}

/** Without the list of permissions, those the roles already grant, grouped by their first word. */
function permissionsOf(roles: Role[]): Permission[] {
  const codes = [...new Set(roles.flatMap((role) => role.permissions))].sort();
  return codes.map((code) => ({ code, module: code.split('.')[0] ?? code }));
}

const ROLE_CODE = /^[a-z][a-z0-9_]{1,49}$/;

/** A side panel asking for the code of a new role; its permissions are ticked afterwards. */
function NewRoleForm({ onClose, onCreated }: { onClose(): void; onCreated(role: Role): void }) {
  const { t } = useI18n();
  const errors = useFormErrors();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    const value = code.trim();
    if (!ROLE_CODE.test(value)) {
      errors.setField('code', value ? t('rolesPage.codeInvalid') : t('validation.required'));
      return;
    }
    setBusy(true);
    api<Role>('POST', '/api/admin/roles', { code: value, permissions: [] })
      .then(onCreated)
      .catch((error: unknown) => {
        errors.show(error, { knownFields: ['code'], codeFields: { ROLE_EXISTS: 'code' } });
        setBusy(false);
      });
  };

  return (
    <Drawer
      title={t('rolesPage.newTitle')}
      onClose={onClose}
      testId="role-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="role-form" variant="primary" busy={busy} data-testid="role-create-save">
            {t('users.create')}
          </Button>
        </>
      }
    >
      <form id="role-form" onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <TextField
          label={t('rolesPage.code')}
          name="code"
          value={code}
          onChange={setCode}
          error={errors.fields.code}
          hint={t('rolesPage.codeHint')}
          autoComplete="off"
          spellCheck={false}
        />
      </form>
    </Drawer>
  );
}

/** The roles and, for each, the permissions it grants. */
export default function RolesPage() {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const { can } = useSession();
  const { pathname } = useLocation();
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [permissions, setPermissions] = useState<Permission[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const notify = useNotify();

  const load = useCallback(() => {
    Promise.all([
      api<Page<Role>>('GET', '/api/admin/roles'),
      api<Page<Permission>>('GET', '/api/admin/permissions').catch(() => ({ items: [], total: 0 })),
    ])
      .then(([rolePage, permissionPage]) => {
        setRoles(rolePage.items);
        setPermissions(
          permissionPage.items.length > 0 ? permissionPage.items : permissionsOf(rolePage.items),
        );
      })
      .catch((reason: unknown) => setError(errorMessage(reason, i18n)));
  }, [i18n]);

  useEffect(() => load(), [load]);

  const selectedCode = pathname.startsWith(`${BASE}/`)
    ? decodeURIComponent(pathname.slice(BASE.length + 1))
    : null;
  const selected = roles?.find((role) => role.code === selectedCode) ?? roles?.[0] ?? null;
  const editorRef = useRef<HTMLDivElement>(null);

  // On a narrow screen the editor is below the list: bring the chosen role into view.
  useEffect(() => {
    if (selectedCode && window.matchMedia('(max-width: 900px)').matches) {
      editorRef.current?.scrollIntoView({ block: 'start' });
    }
  }, [selectedCode]);

  return (
    <>
      <PageHeader
        title={t('rolesPage.title')}
        description={t('rolesPage.lead')}
        actions={
          can(WRITE) ? (
            <Button variant="primary" icon="plus" onClick={() => setCreating(true)} data-testid="role-create">
              {t('rolesPage.new')}
            </Button>
          ) : null
        }
      />
      <FormError message={error} />
      {roles === null ? (
        error ? null : (
          <PageLoading />
        )
      ) : roles.length === 0 ? (
        <EmptyState icon="shield" title={t('rolesPage.emptyTitle')} text={t('rolesPage.emptyText')} />
      ) : (
        <div className="master-detail">
          <nav className="panel role-list" aria-label={t('rolesPage.title')}>
            <ul>
              {roles.map((role) => (
                <li key={role.code}>
                  <Link
                    to={`${BASE}/${encodeURIComponent(role.code)}`}
                    className={`role-link${role === selected ? ' role-link-active' : ''}`}
                    aria-current={role === selected ? 'page' : undefined}
                    data-testid={`role-link-${role.code}`}
                  >
                    <span className="role-name">{tOr(`roles.${role.code}`, role.code)}</span>
                    <span className="muted small">
                      {role.builtin
                        ? t('rolesPage.userCount', { count: i18n.formatNumber(role.userCount) })
                        : `${t('rolesPage.custom')} · ${t('rolesPage.userCount', { count: i18n.formatNumber(role.userCount) })}`}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
          <div ref={editorRef} className="role-editor-anchor">
            {selected ? (
              <RoleEditor
                key={`${selected.code}:${selected.permissions.join(',')}`}
                role={selected}
                permissions={permissions}
                writable={can(WRITE)}
                onSaved={(saved) =>
                  setRoles((list) => list?.map((role) => (role.code === saved.code ? saved : role)) ?? null)
                }
              />
            ) : null}
          </div>
        </div>
      )}
      {creating ? (
        <NewRoleForm
          onClose={() => setCreating(false)}
          onCreated={(role) => {
            setCreating(false);
            setRoles((list) => [...(list ?? []), role]);
            notify('success', t('rolesPage.created', { role: role.code }));
            navigate(`${BASE}/${encodeURIComponent(role.code)}`);
          }}
        />
      ) : null}
    </>
  );
}
