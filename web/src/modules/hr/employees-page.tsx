import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import { EMPLOYEE_STATUSES, type Employee, type EmployeeStatus, listEmployees } from './api';
import { EmployeeCard } from './employee-card';
import { EmployeeForm } from './employee-form';
import { StatusBadge, treeOptions, useOrgNodes } from './form-parts';
import './hr.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { lastName: 150, position: 120 };

const BASE = '/hr/employees';

function StatusCell({ value }: ICellRendererParams<Employee, EmployeeStatus>) {
  return value ? <StatusBadge status={value} /> : null;
}

/** The employees grid (server-side paging, sorting, filtering) and, below /hr/employees/<id>, the card. */
export default function EmployeesPage() {
  const { pathname, search: params } = useLocation();
  const rest = pathname.startsWith(`${BASE}/`) ? decodeURIComponent(pathname.slice(BASE.length + 1)) : '';
  if (rest && rest !== 'new') return <EmployeeCard key={rest} id={rest} />;
  return <EmployeesList creating={rest === 'new'} initialDepartment={params.get('department') ?? ''} />;
}

function EmployeesList({ creating, initialDepartment }: { creating: boolean; initialDepartment: string }) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can('hr.employees.write');
  const { nodes } = useOrgNodes();
  const [q, setQ] = useState('');
  const [department, setDepartment] = useState(initialDepartment);
  const [status, setStatus] = useState('');
  const [reloadToken, setReloadToken] = useState(0);
  const search = useDebounced(q.trim());

  const fetchRows = useCallback<FetchRows<Employee>>(
    (query, signal) =>
      listEmployees(
        {
          ...query,
          q: search,
          departmentId: department,
          includeSubdepartments: department ? true : undefined,
          status,
        },
        signal,
      ),
    [search, department, status],
  );

  const columns = useMemo<ColDef<Employee>[]>(
    () => [
      {
        field: 'fullName',
        colId: 'lastName',
        headerName: t('hr.fields.fullName'),
        sortable: true,
        flex: 2,
        minWidth: 190,
      },
      {
        field: 'position',
        colId: 'position',
        headerName: t('hr.fields.position'),
        sortable: true,
        flex: 2,
        minWidth: 160,
      },
      {
        field: 'departmentName',
        colId: 'department',
        headerName: t('hr.fields.department'),
        sortable: true,
        flex: 2,
        minWidth: 160,
      },
      { field: 'managerName', headerName: t('hr.fields.manager'), flex: 1.5, minWidth: 150 },
      { field: 'workPhone', headerName: t('hr.fields.workPhone'), flex: 1.2, minWidth: 150 },
      {
        field: 'hireDate',
        colId: 'hireDate',
        headerName: t('hr.fields.hireDate'),
        sortable: true,
        width: 150,
        minWidth: 130,
        valueFormatter: (p) => formatDate(p.value),
      },
      {
        field: 'status',
        colId: 'status',
        headerName: t('hr.fields.status'),
        sortable: true,
        width: 170,
        minWidth: 150,
        cellRenderer: StatusCell,
      },
    ],
    [t, formatDate],
  );

  const filtered = Boolean(search || department || status);
  const close = () => navigate(BASE);
  return (
    <>
      <PageHeader
        title={t('hr.employees.title')}
        description={t('hr.employees.lead')}
        actions={
          writable ? (
            <Button
              variant="primary"
              icon="plus"
              onClick={() => navigate(`${BASE}/new`)}
              data-testid="employee-create"
            >
              {t('hr.employees.new')}
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
            placeholder={t('hr.employees.searchPlaceholder')}
            data-testid="employees-search"
          />
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('hr.fields.department')}</span>
          <select
            className="input"
            value={department}
            onChange={(event) => setDepartment(event.target.value)}
            data-testid="employees-department"
          >
            <option value="">{t('hr.employees.allDepartments')}</option>
            {treeOptions(nodes ?? []).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('hr.fields.status')}</span>
          <select className="input" value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">{t('hr.employees.allStatuses')}</option>
            {EMPLOYEE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`hr.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </search>
      <DataGrid<Employee>
        phoneColumns={PHONE_COLUMNS}
        testId="employees-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${search}|${department}|${status}`}
        defaultSort="lastName"
        getRowId={(e) => e.id}
        onRowClicked={(e) => navigate(`${BASE}/${encodeURIComponent(e.id)}`)}
        reloadToken={reloadToken}
        countLabel={(total) => t('hr.employees.count', { count: i18n.formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('hr.employees.emptyFilteredTitle')}
              text={t('hr.employees.emptyFilteredText')}
            />
          ) : (
            <EmptyState
              icon="users"
              title={t('hr.employees.emptyTitle')}
              text={t('hr.employees.emptyText')}
              action={
                writable ? (
                  <Button variant="primary" icon="plus" onClick={() => navigate(`${BASE}/new`)}>
                    {t('hr.employees.new')}
                  </Button>
                ) : undefined
              }
            />
          )
        }
      />
      {creating && writable ? (
        <EmployeeForm
          employee={null}
          departmentId={department || undefined}
          onClose={close}
          onSaved={(saved) => {
            notify('success', t('hr.employee.created', { name: saved.fullName }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : null}
    </>
  );
}
