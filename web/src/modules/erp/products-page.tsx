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
import { BelowMark } from './below-mark';
import { CodeCell, RightCell } from './cells';
import { DrawerStatus } from './drawer-status';
import { formatQuantity, useRecord } from './erp-api';
import { ProductForm } from './product-form';
import { compareQuantities, subtractQuantities } from './quantity';
import { ReorderReceiptButton } from './reorder-receipt';
import { PERMISSIONS, type Product, UNITS } from './types';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { name: 150, onHand: 130 };

function ActiveCell({ value }: ICellRendererParams<Product, boolean>) {
  const { t } = useI18n();
  if (value === undefined || value === null) return null;
  return (
    <span className={`badge ${value ? 'badge-success' : 'badge-muted'}`}>
      {value ? t('erp.common.active') : t('erp.common.inactive')}
    </span>
  );
}

/** Whether a product's total stock is below its (non-zero) reorder level. */
export function belowReorder(product: Pick<Product, 'onHand' | 'reorderLevel'>): boolean {
  return (
    compareQuantities(product.reorderLevel, '0') > 0 &&
    compareQuantities(product.onHand, product.reorderLevel) < 0
  );
}

function OnHandCell({ data }: ICellRendererParams<Product>) {
  const i18n = useI18n();
  if (!data) return null;
  return <BelowMark below={belowReorder(data)}>{formatQuantity(i18n, data.onHand, data.unit)}</BelowMark>;
}

/**
 * Products, with their create/edit side panel. `reorder` presets the "below reorder level"
 * filter: the list of what to order.
 */
export function ProductsView({ base, reorder }: { base: string; reorder: boolean }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can(PERMISSIONS.productsWrite);
  const canDraft = can(PERMISSIONS.documentsWrite);
  const { pathname } = useLocation();
  const selection = pathname.startsWith(`${base}/`)
    ? decodeURIComponent(pathname.slice(base.length + 1))
    : null;
  const selected = useRecord<Product>(
    selection && selection !== 'new' ? `/api/erp/products/${encodeURIComponent(selection)}` : null,
    i18n,
  );
  const [q, setQ] = useState('');
  const [active, setActive] = useState(reorder ? 'true' : '');
  const [unit, setUnit] = useState('');
  const [below, setBelow] = useState(reorder);
  const [reloadToken, setReloadToken] = useState(0);
  const search = useDebounced(q.trim());

  const fetchRows = useCallback<FetchRows<Product>>(
    (query, signal) =>
      fetchPage<Product>(
        '/api/erp/products',
        { ...query, q: search, active, unit, belowReorder: below ? true : undefined },
        signal,
      ),
    [search, active, unit, below],
  );

  const columns = useMemo<ColDef<Product>[]>(
    () => [
      {
        field: 'sku',
        colId: 'sku',
        headerName: t('erp.fields.sku'),
        sortable: true,
        width: 120,
        cellRenderer: CodeCell,
      },
      {
        field: 'name',
        colId: 'name',
        headerName: t('erp.fields.name'),
        sortable: true,
        flex: 1,
        minWidth: 160,
      },
      {
        field: 'unit',
        headerName: t('erp.fields.unitShort'),
        width: 75,
        valueFormatter: (params) =>
          params.value ? t(`erp.unitShort.${params.value as Product['unit']}`) : '',
      },
      ...(reorder
        ? []
        : [
            {
              field: 'barcode',
              headerName: t('erp.fields.barcode'),
              width: 140,
              cellRenderer: CodeCell,
            } as const,
          ]),
      {
        field: 'reorderLevel',
        // The full name ("Qayta buyurtma darajasi") is the form's; the column's is short.
        headerName: t('erp.fields.reorderAt'),
        width: 145,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (params) => (params.data ? formatQuantity(i18n, params.value, params.data.unit) : ''),
      },
      {
        colId: 'onHand',
        headerName: t('erp.fields.onHand'),
        // "20 000 dona" and "17 980,25 kg" whole, with the below-level mark.
        width: 140,
        cellRenderer: OnHandCell,
      },
      reorder
        ? {
            // What to order: what brings the stock back up to the level.
            colId: 'missing',
            headerName: t('erp.fields.missing'),
            width: 150,
            type: 'rightAligned',
            cellRenderer: RightCell,
            valueGetter: (params) =>
              params.data && compareQuantities(params.data.onHand, params.data.reorderLevel) < 0
                ? subtractQuantities(params.data.reorderLevel, params.data.onHand)
                : null,
            valueFormatter: (params) =>
              params.data && params.value ? formatQuantity(i18n, params.value, params.data.unit) : '',
          }
        : { field: 'active', headerName: t('erp.fields.status'), width: 105, cellRenderer: ActiveCell },
    ],
    [t, i18n, reorder],
  );

  const filtered = Boolean(search || unit || (active && !reorder) || (below && !reorder));
  const close = () => navigate(base);
  const addButton = writable ? (
    <Button
      variant="primary"
      icon="plus"
      onClick={() => navigate(`${base}/new`)}
      data-testid="product-create"
    >
      {t('erp.products.new')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={reorder ? t('erp.products.reorderTitle') : t('erp.products.title')}
        description={reorder ? t('erp.products.reorderLead') : t('erp.products.lead')}
        actions={
          <>
            {reorder && canDraft ? <ReorderReceiptButton /> : null}
            {!reorder && writable ? (
              <Button icon="plus" onClick={() => navigate('/erp/import')} data-testid="product-import">
                {t('erp.import.button')}
              </Button>
            ) : null}
            {addButton}
          </>
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
            placeholder={t('erp.products.searchPlaceholder')}
            data-testid="products-search"
          />
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('erp.fields.unit')}</span>
          <select className="input" value={unit} onChange={(event) => setUnit(event.target.value)}>
            <option value="">{t('erp.common.allUnits')}</option>
            {UNITS.map((value) => (
              <option key={value} value={value}>
                {t(`erp.unit.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('erp.fields.status')}</span>
          <select className="input" value={active} onChange={(event) => setActive(event.target.value)}>
            <option value="">{t('erp.common.allStatuses')}</option>
            <option value="true">{t('erp.common.active')}</option>
            <option value="false">{t('erp.common.inactive')}</option>
          </select>
        </label>
        <label className="check erp-toolbar-check">
          <input
            type="checkbox"
            checked={below}
            onChange={(event) => setBelow(event.target.checked)}
            data-testid="products-below"
          />
          <span>{t('erp.common.belowReorder')}</span>
        </label>
      </search>
      <DataGrid<Product>
        phoneColumns={PHONE_COLUMNS}
        testId="products-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${search}|${active}|${unit}|${below}`}
        defaultSort="sku"
        getRowId={(product) => product.id}
        onRowClicked={(product) => navigate(`${base}/${encodeURIComponent(product.id)}`)}
        reloadToken={reloadToken}
        countLabel={(total) => t('erp.products.count', { count: formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('erp.products.emptyFilteredTitle')}
              text={t('erp.products.emptyFilteredText')}
            />
          ) : reorder || below ? (
            <EmptyState
              icon="check"
              title={t('erp.products.reorderEmptyTitle')}
              text={t('erp.products.reorderEmptyText')}
            />
          ) : (
            <EmptyState
              icon="plus"
              title={t('erp.products.emptyTitle')}
              text={t('erp.products.emptyText')}
              action={addButton}
            />
          )
        }
      />
      {selection === 'new' && writable ? (
        <ProductForm
          product={null}
          readOnly={false}
          onClose={close}
          onSaved={(product) => {
            notify('success', t('erp.products.created', { sku: product.sku }));
            setReloadToken((n) => n + 1);
            close();
          }}
        />
      ) : selection && selected.record ? (
        <ProductForm
          key={selected.record.id}
          product={selected.record}
          readOnly={!writable}
          showStock={can(PERMISSIONS.stockRead)}
          onClose={close}
          onSaved={(product) => {
            notify('success', t('erp.products.saved', { sku: product.sku }));
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

export default function ProductsPage() {
  return <ProductsView base="/erp/products" reorder={false} />;
}
