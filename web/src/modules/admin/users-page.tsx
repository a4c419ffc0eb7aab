import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { errorMessage } from '../../app/errors';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import type { User } from '../../app/types';
import { Button, EmptyState, PageHeader, Spinner, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import { useRoleCodes } from './roles-api';
import { UserForm } from './user-form';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { name: 150, active: 100 };

const BASE = '/admin/users';
const WRITE = 'admin.users.write';

function RolesCell({ value }: ICellRendererParams<User, string[]>) {
  const { tOr } = useI18n();
  return (
    <span className="chips">
      {(value ?? []).map((role) => (
        <span key={role} className="chip">
          {tOr(`roles.${role}`, role)}
        </span>
      ))}
    </span>
  );
}

function ActiveCell({ value }: ICellRendererParams<User, boolean>) {
  const { t } = useI18n();
  if (value === undefined || value === null) return null;
  return (
    <span className={`badge ${value ? 'badge-success' : 'badge-muted'}`}>
      {value ? t('users.active') : t('users.inactive')}
    </span>
  );
}

/** Which user the address points at: "/admin/users/new", "/admin/users/<id>" or none. */
function useSelection(): string | null {
  const { pathname } = useLocation();
  const rest = pathname.slice(BASE.length + 1);
  return pathname.startsWith(`${BASE}/`) && rest ? decodeURIComponent(rest) : null;
}

/** Loads the user the address points at, for the side panel. */
function useSelectedUser(id: string | null) {
  const i18n = useI18n();
  const [state, setState] = useState<{ user: User | null; error: string | null; loading: boolean }>({
    user: null,
    error: null,
    loading: false,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: i18n only words the error; a new language needs no reload.
  useEffect(() => {
    if (!id || id === 'new') {
      setState({ user: null, error: null, loading: false });
      return;
    }
    const controller = new AbortController();
    setState({ user: null, error: null, loading: true });
    api<User>('GET', `/api/admin/users/${encodeURIComponent(id)}`, undefined, { signal: controller.signal })
      .then((user) => setState({ user, error: null, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const notFound = error instanceof ApiError && error.status === 404;
        setState({
          user: null,
          error: notFound ? i18n.t('errors.NOT_FOUND') : errorMessage(error, i18n),
          loading: false,
        });
      });
    return () => controller.abort();
  }, [id]);
  return state;
}

/** Admins list, find, create and change users and their roles here. */
export default function UsersPage() {
  const i18n = useI18n();
  const { t, tOr, formatDateTime, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can(WRITE);
  const roleCodes = useRoleCodes();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [active, setActive] = useState('');
  const [reloadToken, setReloadToken] = useState(0);
  const search = useDebounced(q.trim());
  const selection = useSelection();
  const selected = useSelectedUser(selection);

  const fetchRows = useCallback<FetchRows<User>>(
    (query, signal) => fetchPage<User>('/api/admin/users', { ...query, q: search, role, active }, signal),
    [search, role, active],
  );

  const columns = useMemo<ColDef<User>[]>(
    () => [
      { field: 'name', colId: 'name', headerName: t('fields.name'), sortable: true, flex: 2, minWidth: 160 },
      {
        field: 'email',
        colId: 'email',
        headerName: t('fields.email'),
        sortable: true,
        flex: 2,
        minWidth: 180,
      },
      { field: 'roles', headerName: t('fields.roles'), flex: 2, minWidth: 160, cellRenderer: RolesCell },
      {
        field: 'active',
        headerName: t('fields.status'),
        width: 150,
        minWidth: 150,
        cellRenderer: ActiveCell,
      },
      {
        field: 'lastLoginAt',
        colId: 'lastLoginAt',
        headerName: t('fields.lastLoginAt'),
        sortable: true,
        flex: 1,
        minWidth: 180,
        valueFormatter: (params) => (params.data ? formatDateTime(params.value) || t('common.never') : ''),
      },
      {
        field: 'createdAt',
        colId: 'createdAt',
        headerName: t('fields.createdAt'),
        sortable: true,
        flex: 1,
        minWidth: 130,
        valueFormatter: (params) => formatDate(params.value),
      },
    ],
    [t, formatDate, formatDateTime],
  );

  const filtered = Boolean(search || role || active);
  const close = () => navigate(BASE);

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.lead')}
        actions={
          writable ? (
            <Button
              variant="primary"
              icon="plus"
              onClick={() => navigate(`${BASE}/new`)}
              data-testid="user-create"
            >
              {t('users.new')}
            </Button>
          ) : null
        }
      />
      <search className="toolbar">
        <label className="search-box">
          <Icon name="search" />
          <span className="visually-hidden">{t('common.search')}</span>
          <input
            type="search"
            className="input"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            placeholder={t('users.searchPlaceholder')}
            data-testid="users-search"
          />
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('fields.role')}</span>
          <select
            className="input"
            value={role}
            onChange={(event) => setRole(event.target.value)}
            data-testid="users-role-filter"
          >
            <option value="">{t('users.allRoles')}</option>
            {roleCodes.map((code) => (
              <option key={code} value={code}>
                {tOr(`roles.${code}`, code)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('fields.status')}</span>
          <select className="input" value={active} onChange={(event) => setActive(event.target.value)}>
            <option value="">{t('users.allStatuses')}</option>
            <option value="true">{t('users.active')}</option>
            <option value="false">{t('users.inactive')}</option>
          </select>
        </label>
      </search>
      <DataGrid<User>
        phoneColumns={PHONE_COLUMNS}
        testId="users-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${search}|${role}|${active}`}
        defaultSort="-createdAt"
        getRowId={(user) => user.id}
        onRowClicked={(user) => navigate(`${BASE}/${encodeURIComponent(user.id)}`)}
        reloadToken={reloadToken}
        countLabel={(total) => t('users.count', { count: i18n.formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('users.emptyFilteredTitle')}
              text={t('users.emptyFilteredText')}
            />
          ) : (
            <EmptyState
              icon="users"
              title={t('users.emptyTitle')}
              text={t('users.emptyText')}
              action={
                writable ? (
                  <Button variant="primary" icon="plus" onClick={() => navigate(`${BASE}/new`)}>
                    {t('users.new')}
                  </Button>
                ) : undefined
              }
            />
          )
        }
      />
      {selection === 'new' && writable ? (
        <UserForm
          user={null}
          readOnly={false}
          onClose={close}
          onSaved={(user) => {
            notify('success', t('users.created', { name: user.name }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : selection && selected.user ? (
        <UserForm
          key={selected.user.id}
          user={selected.user}
          readOnly={!writable}
          onClose={close}
          onSaved={(user) => {
            notify('success', t('users.saved', { name: user.name }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : selection && (selected.loading || selected.error) ? (
        <div className="drawer-layer">
          <div className="drawer-backdrop" onClick={close} aria-hidden="true" />
          <div
            className="drawer drawer-status"
            role="dialog"
            aria-modal="true"
            aria-label={t('users.editTitle', { name: '' })}
          >
            {selected.loading ? <Spinner size="large" /> : <p className="form-error">{selected.error}</p>}
            {selected.error ? <Button onClick={close}>{t('common.close')}</Button> : null}
          </div>
        </div>
      ) : null}
    </>
  );
}
