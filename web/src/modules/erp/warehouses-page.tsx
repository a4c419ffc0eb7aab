import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import { fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import { CodeCell } from './cells';
import { DrawerStatus } from './drawer-status';
import { useRecord } from './erp-api';
import { PERMISSIONS, type Warehouse } from './types';
import { WarehouseForm } from './warehouse-form';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { code: 80, name: 150 };

const BASE = '/erp/warehouses';

function ActiveCell({ value }: ICellRendererParams<Warehouse, boolean>) {
  const { t } = useI18n();
  if (value === undefined || value === null) return null;
  return (
    <span className={`badge ${value ? 'badge-success' : 'badge-muted'}`}>
      {value ? t('erp.common.active') : t('erp.common.inactive')}
    </span>
  );
}

/** Warehouses, with their create/edit side panel. */
export default function WarehousesPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can(PERMISSIONS.warehousesWrite);
  const { pathname } = useLocation();
  const selection = pathname.startsWith(`${BASE}/`)
    ? decodeURIComponent(pathname.slice(BASE.length + 1))
    : null;
  const selected = useRecord<Warehouse>(
    selection && selection !== 'new' ? `/api/erp/warehouses/${encodeURIComponent(selection)}` : null,
    i18n,
  );
  const [q, setQ] = useState('');
  const [reloadToken, setReloadToken] = useState(0);
  const search = useDebounced(q.trim());

  const fetchRows = useCallback<FetchRows<Warehouse>>(
    (query, signal) => fetchPage<Warehouse>('/api/erp/warehouses', { ...query, q: search }, signal),
    [search],
  );

  const columns = useMemo<ColDef<Warehouse>[]>(
    () => [
      {
        field: 'code',
        colId: 'code',
        headerName: t('erp.fields.code'),
        sortable: true,
        width: 140,
        cellRenderer: CodeCell,
      },
      {
        field: 'name',
        colId: 'name',
        headerName: t('erp.fields.name'),
        sortable: true,
        flex: 1,
        minWidth: 180,
      },
      { field: 'address', headerName: t('erp.fields.address'), flex: 2, minWidth: 180 },
      {
        colId: 'keepers',
        headerName: t('erp.warehouses.keepers'),
        flex: 2,
        minWidth: 180,
        valueGetter: (p) =>
          p.data
            ? p.data.keepers.length > 0
              ? p.data.keepers.map((k) => k.name).join(', ')
              : t('erp.warehouses.keepersAnyone')
            : '',
        cellClassRules: { muted: (p) => p.data?.keepers.length === 0 },
      },
      { field: 'active', headerName: t('erp.fields.status'), width: 130, cellRenderer: ActiveCell },
    ],
    [t],
  );

  const close = () => navigate(BASE);
  const addButton = writable ? (
    <Button
      variant="primary"
      icon="plus"
      onClick={() => navigate(`${BASE}/new`)}
      data-testid="warehouse-create"
    >
      {t('erp.warehouses.new')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('erp.warehouses.title')}
        description={t('erp.warehouses.lead')}
        actions={addButton}
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
            placeholder={t('erp.warehouses.searchPlaceholder')}
          />
        </label>
      </search>
      <DataGrid<Warehouse>
        phoneColumns={PHONE_COLUMNS}
        testId="warehouses-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={search}
        defaultSort="code"
        getRowId={(warehouse) => warehouse.id}
        onRowClicked={(warehouse) => navigate(`${BASE}/${encodeURIComponent(warehouse.id)}`)}
        reloadToken={reloadToken}
        countLabel={(total) => t('erp.warehouses.count', { count: formatNumber(total) })}
        empty={
          search ? (
            <EmptyState
              icon="search"
              title={t('erp.warehouses.emptyFilteredTitle')}
              text={t('erp.warehouses.emptyFilteredText')}
            />
          ) : (
            <EmptyState
              icon="home"
              title={t('erp.warehouses.emptyTitle')}
              text={t('erp.warehouses.emptyText')}
              action={addButton}
            />
          )
        }
      />
      {selection === 'new' && writable ? (
        <WarehouseForm
          warehouse={null}
          readOnly={false}
          onClose={close}
          onSaved={(warehouse) => {
            notify('success', t('erp.warehouses.created', { code: warehouse.code }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : selection && selected.record ? (
        <WarehouseForm
          key={selected.record.id}
          warehouse={selected.record}
          readOnly={!writable}
          onClose={close}
          onSaved={(warehouse) => {
            notify('success', t('erp.warehouses.saved', { code: warehouse.code }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : selection && selection !== 'new' ? (
        <DrawerStatus loading={selected.loading || !selected.error} error={selected.error} onClose={close} />
      ) : null}
    </>
  );
}
