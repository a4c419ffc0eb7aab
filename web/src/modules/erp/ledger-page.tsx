import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import { fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { DateInput } from '../../app/date-input';
import type { PhoneColumns } from '../../app/phone-layout';
import { Link, useLocation } from '../../app/router';
import { EmptyState, PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { RightCell } from './cells';
import { formatQuantity } from './erp-api';
import { ExportLinks } from './export-links';
import { ProductFilter } from './product-filter';
import type { LedgerEntry } from './types';
import { WarehouseFilter } from './warehouse-select';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { product: 100, quantity: 90, balanceAfter: 100 };

function DocumentCell({ data }: ICellRendererParams<LedgerEntry>) {
  const { t } = useI18n();
  if (!data) return null;
  return (
    <Link
      to={`/erp/documents/${encodeURIComponent(data.documentId)}`}
      className="erp-doc-link"
      title={`${data.documentNumber} · ${t(`erp.type.${data.documentType}`)}`}
      onClick={(event) => event.stopPropagation()}
    >
      <span className="erp-sku">{data.documentNumber}</span>
      <span className="muted small">{t(`erp.type.${data.documentType}`)}</span>
    </Link>
  );
}

function QuantityCell({ data }: ICellRendererParams<LedgerEntry>) {
  const i18n = useI18n();
  if (!data) return null;
  return (
    <span className={`erp-right ${data.quantity.startsWith('-') ? 'erp-minus' : 'erp-plus'}`}>
      {formatQuantity(i18n, data.quantity, undefined, { signed: true })}
    </span>
  );
}

/** Every movement of stock, newest first, with the balance after it. */
export default function LedgerPage() {
  const i18n = useI18n();
  const { t, formatNumber, formatDateTime } = i18n;
  const { search: params } = useLocation();
  const [productId, setProductId] = useState(params.get('productId') ?? '');
  const [warehouseId, setWarehouseId] = useState(params.get('warehouseId') ?? '');
  const [documentId, setDocumentId] = useState(params.get('documentId') ?? '');
  // Plain dates: the server reads them as Tashkent days, as the movements report does.
  const [from, setFrom] = useState(params.get('from') ?? '');
  const [to, setTo] = useState(params.get('to') ?? '');

  const fetchRows = useCallback<FetchRows<LedgerEntry>>(
    (query, signal) =>
      fetchPage<LedgerEntry>(
        '/api/erp/stock-ledger',
        { ...query, productId, warehouseId, documentId, from, to },
        signal,
      ),
    [productId, warehouseId, documentId, from, to],
  );

  const columns = useMemo<ColDef<LedgerEntry>[]>(
    () => [
      {
        field: 'postedAt',
        colId: 'postedAt',
        headerName: t('erp.fields.postedAt'),
        sortable: true,
        // This year's dates ("24 нояб., 18:11") whole; another year's ("24 нояб. 2025 г., 09:12")
        // lose their time to the ellipsis, for room for the value.
        width: 175,
        valueFormatter: (p) => formatDateTime(p.value),
      },
      { colId: 'document', headerName: t('erp.fields.document'), width: 195, cellRenderer: DocumentCell },
      {
        colId: 'product',
        headerName: t('erp.fields.product'),
        flex: 2,
        minWidth: 100,
        valueGetter: (p) => (p.data ? `${p.data.productSku} · ${p.data.productName}` : ''),
      },
      { field: 'warehouseCode', headerName: t('erp.fields.warehouse'), width: 80 },
      {
        colId: 'quantity',
        headerName: t('erp.fields.quantity'),
        // "Количество" whole (the longest).
        width: 130,
        type: 'rightAligned',
        cellRenderer: QuantityCell,
      },
      {
        field: 'balanceAfter',
        headerName: t('erp.fields.balanceAfter'),
        width: 140,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (p) => formatQuantity(i18n, p.value),
      },
      {
        field: 'value',
        headerName: t('erp.fields.value'),
        width: 135,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (p) => i18n.formatMoney(p.value),
      },
    ],
    [t, i18n, formatDateTime],
  );

  const filtered = Boolean(productId || warehouseId || documentId || from || to);
  return (
    <>
      <PageHeader
        title={t('erp.ledger.title')}
        description={t('erp.ledger.lead')}
        actions={
          <ExportLinks
            path="/api/erp/stock-ledger/export"
            filters={{ productId, warehouseId, documentId, from, to }}
            title={t('erp.ledger.exportTitle')}
            testId="ledger-export"
          />
        }
      />
      <search className="toolbar">
        <ProductFilter value={productId} onChange={setProductId} />
        <WarehouseFilter value={warehouseId} onChange={setWarehouseId} />
        <label className="toolbar-field erp-date-field">
          <span className="toolbar-label">{t('erp.fields.from')}</span>
          <DateInput filter value={from} onChange={setFrom} />
        </label>
        <label className="toolbar-field erp-date-field">
          <span className="toolbar-label">{t('erp.fields.to')}</span>
          <DateInput filter value={to} onChange={setTo} />
        </label>
        {documentId ? (
          <span className="chip erp-filter-chip">
            <span>{t('erp.fields.document')}</span>
            <button
              type="button"
              className="icon-button erp-chip-clear"
              aria-label={t('erp.common.clear')}
              onClick={() => setDocumentId('')}
            >
              <span aria-hidden="true">×</span>
            </button>
          </span>
        ) : null}
      </search>
      <DataGrid<LedgerEntry>
        phoneColumns={PHONE_COLUMNS}
        testId="ledger-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${productId}|${warehouseId}|${documentId}|${from}|${to}`}
        defaultSort="-postedAt"
        getRowId={(entry) => entry.id}
        countLabel={(total) => t('erp.ledger.count', { count: formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('erp.ledger.emptyFilteredTitle')}
              text={t('erp.ledger.emptyFilteredText')}
            />
          ) : (
            <EmptyState icon="refresh" title={t('erp.ledger.emptyTitle')} text={t('erp.ledger.emptyText')} />
          )
        }
      />
    </>
  );
}
