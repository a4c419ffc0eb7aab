import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import { BelowMark } from './below-mark';
import { CodeCell, RightCell } from './cells';
import { formatQuantity } from './erp-api';
import { ExportLinks } from './export-links';
import { ProductFilter } from './product-filter';
import { type Balance, PERMISSIONS, type Product } from './types';
import { WarehouseFilter } from './warehouse-select';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { productName: 90, warehouse: 70, available: 130 };

type Row = Balance & { below: boolean };

/** The products below their reorder level, read by the cells (loaded beside the grid's pages). */
const BelowReorder = createContext<Set<string>>(new Set());

function AvailableCell({ data }: ICellRendererParams<Row>) {
  const i18n = useI18n();
  const belowIds = useContext(BelowReorder);
  if (!data) return null;
  return (
    <BelowMark below={data.below || belowIds.has(data.productId)}>
      <strong>{formatQuantity(i18n, data.available, data.unit)}</strong>
    </BelowMark>
  );
}

/** The ids of products whose total stock is below their reorder level, to mark their rows. */
function useBelowReorder(token: string): Set<string> {
  const [ids, setIds] = useState<Set<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: `token` asks again when the list reloads.
  useEffect(() => {
    const controller = new AbortController();
    fetchPage<Product>('/api/erp/products', { belowReorder: true, limit: 500 }, controller.signal)
      .then((page) => setIds(new Set(page.items.map((product) => product.id))))
      .catch(() => {});
    return () => controller.abort();
  }, [token]);
  return ids;
}

/** On hand, reserved and available per product and warehouse. */
export default function BalancesPage() {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { can } = useSession();
  const { search: params } = useLocation();
  const [q, setQ] = useState('');
  const [productId, setProductId] = useState(params.get('productId') ?? '');
  const [warehouseId, setWarehouseId] = useState(params.get('warehouseId') ?? '');
  const [below, setBelow] = useState(params.get('belowReorder') === 'true');
  const search = useDebounced(q.trim());
  const filterKey = `${search}|${productId}|${warehouseId}|${below}`;
  const belowIds = useBelowReorder(filterKey);
  // The stock value of everything the filters leave (the server sums it beside the count).
  const [totalValue, setTotalValue] = useState<string | null>(null);

  const fetchRows = useCallback<FetchRows<Row>>(
    async (query, signal) => {
      const page = await fetchPage<Balance, { totalValue: string }>(
        '/api/erp/stock-balances',
        { ...query, q: search, productId, warehouseId, belowReorder: below ? true : undefined },
        signal,
      );
      setTotalValue(page.totalValue);
      return { total: page.total, items: page.items.map((item) => ({ ...item, below: below })) };
    },
    [search, productId, warehouseId, below],
  );

  const columns = useMemo<ColDef<Row>[]>(() => {
    const quantity = (field: 'quantity' | 'reserved') => (params: { data?: Row }) =>
      params.data ? formatQuantity(i18n, params.data[field], params.data.unit) : '';
    return [
      {
        field: 'productSku',
        colId: 'product',
        headerName: t('erp.fields.sku'),
        sortable: true,
        width: 120,
        cellRenderer: CodeCell,
      },
      {
        field: 'productName',
        headerName: t('erp.fields.product'),
        flex: 2,
        minWidth: 130,
      },
      {
        field: 'warehouseCode',
        colId: 'warehouse',
        headerName: t('erp.fields.warehouse'),
        sortable: true,
        width: 112,
      },
      {
        colId: 'quantity',
        headerName: t('erp.fields.onHand'),
        sortable: true,
        width: 115,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueGetter: quantity('quantity'),
      },
      {
        colId: 'reserved',
        headerName: t('erp.fields.reserved'),
        width: 105,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueGetter: quantity('reserved'),
      },
      {
        colId: 'available',
        headerName: t('erp.fields.available'),
        sortable: true,
        flex: 1,
        minWidth: 115,
        cellRenderer: AvailableCell,
      },
      {
        field: 'averageCost',
        headerName: t('erp.fields.averageCost'),
        width: 135,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (p) => (p.value === null ? '' : i18n.formatMoney(p.value)),
      },
      {
        field: 'value',
        colId: 'value',
        headerName: t('erp.fields.value'),
        sortable: true,
        width: 150,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (p) => i18n.formatMoney(p.value),
      },
    ];
  }, [t, i18n]);

  const filtered = Boolean(search || productId || warehouseId || below);
  return (
    <>
      <PageHeader
        title={t('erp.balances.title')}
        description={t('erp.balances.lead')}
        actions={
          <ExportLinks
            path="/api/erp/stock-balances/export"
            filters={{ q: search, productId, warehouseId, belowReorder: below ? 'true' : undefined }}
            title={t('erp.balances.exportTitle')}
            testId="balances-export"
          />
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
            placeholder={t('erp.balances.searchPlaceholder')}
            data-testid="balances-search"
          />
        </label>
        <ProductFilter value={productId} onChange={setProductId} />
        <WarehouseFilter value={warehouseId} onChange={setWarehouseId} testId="balances-warehouse" />
        <label className="check erp-toolbar-check">
          <input type="checkbox" checked={below} onChange={(event) => setBelow(event.target.checked)} />
          <span>{t('erp.common.belowReorder')}</span>
        </label>
      </search>
      <BelowReorder.Provider value={belowIds}>
        <DataGrid<Row>
          phoneColumns={PHONE_COLUMNS}
          testId="balances-grid"
          columns={columns}
          fetchRows={fetchRows}
          filterKey={filterKey}
          defaultSort="product"
          getRowId={(row) => `${row.productId}:${row.warehouseId}`}
          onRowClicked={(row) =>
            navigate(
              `/erp/ledger?productId=${encodeURIComponent(row.productId)}&warehouseId=${encodeURIComponent(row.warehouseId)}`,
            )
          }
          countLabel={(total) =>
            totalValue === null
              ? t('erp.balances.count', { count: formatNumber(total) })
              : t('erp.balances.countValue', {
                  count: formatNumber(total),
                  value: i18n.formatMoney(totalValue),
                })
          }
          empty={
            filtered ? (
              <EmptyState
                icon="search"
                title={t('erp.balances.emptyFilteredTitle')}
                text={t('erp.balances.emptyFilteredText')}
              />
            ) : (
              <EmptyState
                icon="check"
                title={t('erp.balances.emptyTitle')}
                text={t('erp.balances.emptyText')}
                action={
                  can(PERMISSIONS.documentsWrite) ? (
                    <Button
                      variant="primary"
                      icon="plus"
                      onClick={() => navigate('/erp/documents/new?type=receipt')}
                    >
                      {t('erp.balances.postReceipt')}
                    </Button>
                  ) : undefined
                }
              />
            )
          }
        />
      </BelowReorder.Provider>
    </>
  );
}
