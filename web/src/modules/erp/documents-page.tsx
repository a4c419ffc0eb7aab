import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import { fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { DateInput } from '../../app/date-input';
import { formatDateText } from '../../app/date-text';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader, PageLoading } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import { CodeCell, RightCell } from './cells';
import { DocumentView, StatusBadge } from './document-view';
import { useRecord } from './erp-api';
import { PostingScreen } from './posting-screen';
import {
  DOCUMENT_STATUSES,
  DOCUMENT_TYPES,
  type DocumentSummary,
  PERMISSIONS,
  type StockDocument,
} from './types';
import { WarehouseFilter } from './warehouse-select';
import './erp.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { number: 100, status: 140, date: 95 };

const BASE = '/erp/documents';

function StatusCell({ value }: ICellRendererParams<DocumentSummary, DocumentSummary['status']>) {
  return value ? <StatusBadge status={value} /> : null;
}

/** One document: a draft opens in the posting screen, a posted one read-only. */
function DocumentPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { can, user } = useSession();
  const loaded = useRecord<StockDocument>(`/api/erp/stock-documents/${encodeURIComponent(id)}`, i18n);
  const [posted, setPosted] = useState<StockDocument | null>(null);
  // A posting's answer has no CRM names nor authors; the draft's read has them (for the same
  // client and deal), and whoever is signed in here has just posted it.
  const names = (doc: StockDocument, read: StockDocument | null) => {
    const authors = {
      createdBy: read?.createdBy,
      postedBy: user ? { id: user.id, name: user.name } : undefined,
    };
    return read && read.clientId === doc.clientId && read.dealId === doc.dealId
      ? { ...doc, ...authors, clientName: read.clientName, dealTitle: read.dealTitle }
      : { ...doc, ...authors };
  };
  const record = posted ? names(posted, loaded.record) : loaded.record;
  const { error, loading } = loaded;
  if (loading || (!record && !error)) return <PageLoading />;
  if (!record) {
    return (
      <EmptyState
        page
        icon="search"
        title={i18n.t('erp.doc.notFound')}
        text={error ?? ''}
        action={
          <Button variant="primary" onClick={() => navigate(BASE)}>
            {i18n.t('erp.doc.back')}
          </Button>
        }
      />
    );
  }
  if (record.status === 'draft' && (can(PERMISSIONS.documentsWrite) || can(PERMISSIONS.documentsPost))) {
    return <PostingScreen key={record.id} draft={record} onPosted={setPosted} />;
  }
  return <DocumentView key={record.id} doc={record} />;
}

/** The list of stock documents, filtered by type, status, warehouse and dates. */
function DocumentsList() {
  const i18n = useI18n();
  const { t, locale, formatNumber, formatSum } = i18n;
  const { can } = useSession();
  const { search: params } = useLocation();
  const [q, setQ] = useState('');
  const [type, setType] = useState(params.get('type') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [warehouseId, setWarehouseId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const search = useDebounced(q.trim());
  const writable = can(PERMISSIONS.documentsWrite);

  const fetchRows = useCallback<FetchRows<DocumentSummary>>(
    (query, signal) =>
      fetchPage<DocumentSummary>(
        '/api/erp/stock-documents',
        { ...query, q: search, type, status, warehouseId, from, to },
        signal,
      ),
    [search, type, status, warehouseId, from, to],
  );

  const columns = useMemo<ColDef<DocumentSummary>[]>(
    () => [
      {
        field: 'number',
        colId: 'number',
        headerName: t('erp.fields.number'),
        sortable: true,
        width: 115,
        cellRenderer: CodeCell,
      },
      {
        field: 'type',
        headerName: t('erp.fields.type'),
        // "Hisobdan chiqarish" whole.
        width: 158,
        valueGetter: (params) =>
          params.data
            ? `${t(`erp.type.${params.data.type}`)}${params.data.reversalOfId ? ` · ${t('erp.doc.reversal')}` : ''}`
            : '',
      },
      // "Bekor qilingan" whole.
      { field: 'status', headerName: t('erp.fields.status'), width: 155, cellRenderer: StatusCell },
      {
        field: 'date',
        colId: 'date',
        headerName: t('erp.fields.date'),
        sortable: true,
        // As the date filters above take it (24.11.2026): short, and the same as typed.
        width: 108,
        valueFormatter: (params) => (params.value ? formatDateText(params.value, locale) : ''),
      },
      {
        colId: 'warehouses',
        headerName: t('erp.fields.warehouse'),
        // "SAM-1 → TSH-1" whole.
        width: 132,
        valueGetter: (params) =>
          params.data
            ? params.data.targetWarehouseCode
              ? `${params.data.warehouseCode} → ${params.data.targetWarehouseCode}`
              : params.data.warehouseCode
            : '',
      },
      {
        // What the document is about: the shipment's client, the write-off's reason, the comment.
        colId: 'comment',
        headerName: t('erp.fields.about'),
        flex: 1,
        minWidth: 100,
        valueGetter: (params) =>
          params.data
            ? [
                params.data.clientName,
                params.data.reason ? t(`erp.reason.${params.data.reason}`) : null,
                params.data.comment,
              ]
                .filter(Boolean)
                .join(' · ')
            : '',
      },
      {
        field: 'amount',
        // The currency once, in the header: "45 000 000" in every cell.
        headerName: `${t('erp.fields.amount')}, ${t('currency.UZS')}`,
        width: 130,
        type: 'rightAligned',
        cellRenderer: RightCell,
        valueFormatter: (params) => (params.value ? formatSum(params.value) : ''),
      },
    ],
    [t, locale, formatSum],
  );

  const filtered = Boolean(search || type || status || warehouseId || from || to);
  const newButton = writable ? (
    <Button variant="primary" icon="plus" onClick={() => navigate(`${BASE}/new`)} data-testid="doc-create">
      {t('erp.documents.new')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title={t('erp.documents.title')}
        description={t('erp.documents.lead')}
        actions={newButton}
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
            placeholder={t('erp.documents.searchPlaceholder')}
          />
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('erp.fields.type')}</span>
          <select
            className="input"
            value={type}
            onChange={(event) => setType(event.target.value)}
            data-testid="docs-type"
          >
            <option value="">{t('erp.common.allTypes')}</option>
            {DOCUMENT_TYPES.map((value) => (
              <option key={value} value={value}>
                {t(`erp.type.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="visually-hidden">{t('erp.fields.status')}</span>
          <select
            className="input"
            value={status}
            onChange={(event) => setStatus(event.target.value)}
            data-testid="documents-status"
          >
            <option value="">{t('erp.common.allStatuses')}</option>
            {DOCUMENT_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`erp.status.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <WarehouseFilter value={warehouseId} onChange={setWarehouseId} />
        <label className="toolbar-field erp-date-field">
          <span className="toolbar-label">{t('erp.fields.from')}</span>
          <DateInput filter value={from} onChange={setFrom} />
        </label>
        <label className="toolbar-field erp-date-field">
          <span className="toolbar-label">{t('erp.fields.to')}</span>
          <DateInput filter value={to} onChange={setTo} />
        </label>
      </search>
      <DataGrid<DocumentSummary>
        phoneColumns={PHONE_COLUMNS}
        testId="documents-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${search}|${type}|${status}|${warehouseId}|${from}|${to}`}
        defaultSort="-createdAt"
        getRowId={(doc) => doc.id}
        onRowClicked={(doc) => navigate(`${BASE}/${encodeURIComponent(doc.id)}`)}
        countLabel={(total) => t('erp.documents.count', { count: formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('erp.documents.emptyFilteredTitle')}
              text={t('erp.documents.emptyFilteredText')}
            />
          ) : (
            <EmptyState
              icon="log"
              title={t('erp.documents.emptyTitle')}
              text={t('erp.documents.emptyText')}
              action={newButton}
            />
          )
        }
      />
    </>
  );
}

/** "/erp/documents" lists; "/erp/documents/<id>" shows one. */
export default function DocumentsPage() {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(`${BASE}/`) ? decodeURIComponent(pathname.slice(BASE.length + 1)) : '';
  return rest ? <DocumentPage key={rest} id={rest} /> : <DocumentsList />;
}
