// Stock movements for a period: what each product had in each warehouse when the period began,
// what came in, what went out, and what was left (Tashkent days). A row opens its movements.
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import { fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { tashkentToday } from '../../app/date-text';
import { PeriodFields, periodBackwards } from '../../app/period-fields';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { EmptyState, PageHeader } from '../../app/ui';
import { type I18n, useI18n } from '../../i18n/i18n';
import { CodeCell, RightCell } from './cells';
import { formatQuantity } from './erp-api';
import { ExportLinks } from './export-links';
import { ProductFilter } from './product-filter';
import type { Movement } from './types';
import { WarehouseFilter } from './warehouse-select';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { productName: 150, closing: 130, closingValue: 130 };

type Shown = 'quantity' | 'value';

type Figure = 'opening' | 'incoming' | 'outgoing' | 'closing';

/** A row's figure in what is shown: the product's unit, or so'm. */
function figureText(i18n: I18n, data: Movement, field: Figure, shown: Shown): string {
  return shown === 'value'
    ? i18n.formatMoney(data[`${field}Value`])
    : formatQuantity(i18n, data[field], data.unit);
}

/** What came in or went out: zero shown muted, the rest signed and coloured. */
function FlowCell({
  data,
  field,
  shown,
}: ICellRendererParams<Movement> & { field: 'incoming' | 'outgoing'; shown: Shown }) {
  const i18n = useI18n();
  if (!data) return null;
  if (/^0(\.0+)?$/.test(shown === 'value' ? data[`${field}Value`] : data[field]))
    return <span className="erp-right muted">0</span>;
  const incoming = field === 'incoming';
  return (
    <span className={`erp-right ${incoming ? 'erp-plus' : 'erp-minus'}`}>
      {incoming ? '+' : '−'}
      {figureText(i18n, data, field, shown)}
    </span>
  );
}

export default function MovementsPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { search: params } = useLocation();
  const today = tashkentToday();
  const [productId, setProductId] = useState(params.get('productId') ?? '');
  const [warehouseId, setWarehouseId] = useState(params.get('warehouseId') ?? '');
  const [from, setFrom] = useState(params.get('from') ?? `${today.slice(0, 8)}01`);
  const [to, setTo] = useState(params.get('to') ?? today);
  const [moved, setMoved] = useState(params.get('moved') === 'true');
  const [shown, setShown] = useState<Shown>(params.get('show') === 'value' ? 'value' : 'quantity');
  const backwards = periodBackwards(from, to);
  const filters = {
    productId,
    warehouseId,
    from,
    to,
    moved: moved ? 'true' : undefined,
  };

  const fetchRows = useCallback<FetchRows<Movement>>(
    (query, signal) =>
      fetchPage<Movement>(
        '/api/erp/stock-movements',
        { ...query, productId, warehouseId, from, to, moved: moved ? true : undefined },
        signal,
      ),
    [productId, warehouseId, from, to, moved],
  );

  const columns = useMemo<ColDef<Movement>[]>(() => {
    const figure = (field: 'opening' | 'closing') => (p: { data?: Movement }) =>
      p.data ? figureText(i18n, p.data, field, shown) : '';
    // Sorted by the figures shown: the server sorts values by their own keys.
    const sortKey = (field: string) => (shown === 'value' ? `${field}Value` : field);
    return [
      {
        field: 'productSku',
        colId: 'product',
        headerName: t('erp.fields.sku'),
        sortable: true,
        width: 120,
        cellRenderer: CodeCell,
      },
      { field: 'productName', headerName: t('erp.fields.product'), flex: 2, minWidth: 100 },
      {
        field: 'warehouseCode',
        colId: 'warehouse',
        headerName: t('erp.fields.warehouse'),
        sortable: true,
        width: 112,
      },
      {
        colId: sortKey('opening'),
        headerName: t('erp.movements.opening'),
        sortable: true,
        // "Остаток на начало" whole.
        width: 168,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueGetter: figure('opening'),
      },
      {
        colId: sortKey('incoming'),
        headerName: t('erp.movements.incoming'),
        sortable: true,
        width: shown === 'value' ? 146 : 120,
        type: 'rightAligned',
        cellRenderer: FlowCell,
        cellRendererParams: { field: 'incoming', shown },
      },
      {
        colId: sortKey('outgoing'),
        headerName: t('erp.movements.outgoing'),
        sortable: true,
        width: shown === 'value' ? 146 : 120,
        type: 'rightAligned',
        cellRenderer: FlowCell,
        cellRendererParams: { field: 'outgoing', shown },
      },
      {
        colId: sortKey('closing'),
        headerName: t('erp.movements.closing'),
        sortable: true,
        width: 168,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueGetter: figure('closing'),
      },
    ];
  }, [t, i18n, shown]);

  const filtered = Boolean(productId || warehouseId || moved);
  return (
    <>
      <PageHeader
        title={t('erp.movements.title')}
        description={t('erp.movements.lead')}
        actions={
          backwards ? null : (
            <ExportLinks
              path="/api/erp/stock-movements/export"
              filters={filters}
              title={t('erp.movements.exportTitle')}
              testId="movements-export"
            />
          )
        }
      />
      <search className="toolbar">
        <ProductFilter value={productId} onChange={setProductId} />
        <WarehouseFilter value={warehouseId} onChange={setWarehouseId} testId="movements-warehouse" />
        <PeriodFields
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
          labels={{ from: t('erp.fields.from'), to: t('erp.fields.to') }}
          testId="movements"
          className="erp-date-field"
        />
        <label className="check erp-toolbar-check">
          <input type="checkbox" checked={moved} onChange={(event) => setMoved(event.target.checked)} />
          <span>{t('erp.movements.movedOnly')}</span>
        </label>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('erp.movements.show')}</legend>
          {(['quantity', 'value'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className={shown === option ? 'segmented-on' : undefined}
              aria-pressed={shown === option}
              onClick={() => setShown(option)}
              data-testid={`movements-show-${option}`}
            >
              {t(option === 'value' ? 'erp.movements.inValue' : 'erp.movements.inQuantity')}
            </button>
          ))}
        </fieldset>
      </search>
      {backwards ? (
        <p className="field-error" id="movements-period-error" data-testid="movements-period-error">
          {t('erp.movements.backwards')}
        </p>
      ) : (
        <DataGrid<Movement>
          phoneColumns={PHONE_COLUMNS}
          testId="movements-grid"
          columns={columns}
          fetchRows={fetchRows}
          filterKey={`${productId}|${warehouseId}|${from}|${to}|${moved}`}
          defaultSort="product"
          getRowId={(row) => `${row.productId}:${row.warehouseId}`}
          onRowClicked={(row) =>
            navigate(
              `/erp/ledger?${new URLSearchParams({
                productId: row.productId,
                warehouseId: row.warehouseId,
                ...(from && { from }),
                ...(to && { to }),
              }).toString()}`,
            )
          }
          countLabel={(total) => t('erp.movements.count', { count: formatNumber(total) })}
          empty={
            filtered ? (
              <EmptyState
                icon="search"
                title={t('erp.movements.emptyFilteredTitle')}
                text={t('erp.movements.emptyFilteredText')}
              />
            ) : (
              <EmptyState
                icon="refresh"
                title={t('erp.movements.emptyTitle')}
                text={t('erp.movements.emptyText')}
              />
            )
          }
        />
      )}
    </>
  );
}
