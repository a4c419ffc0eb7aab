import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { useI18n } from '../../i18n/i18n';
import {
  CLIENT_STATUSES,
  type Client,
  type ClientKind,
  type ClientStatus,
  exportHref,
  listClients,
} from './api';
import { getCampaign } from './campaigns-api';
import { ClientCardPage } from './client-card';
import { ClientForm } from './client-form';
import { ClientStatusBadge, FilterSelect, useOwners, useRegions } from './parts';
import { RegionsEditor } from './regions-editor';
import './crm.css';
import './campaigns.css';
import { formatPhone } from '../../app/phone-text';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { name: 120, phones: 170 };

const BASE = '/crm/clients';

function StatusCell({ value }: ICellRendererParams<Client, ClientStatus>) {
  return value ? <ClientStatusBadge status={value} /> : null;
}

/** The clients grid (server-side paging, sorting, filtering) and, below /crm/clients/<id>, the card. */
export default function ClientsPage() {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(`${BASE}/`) ? decodeURIComponent(pathname.slice(BASE.length + 1)) : '';
  if (rest && rest !== 'new') return <ClientCardPage key={rest} id={rest} />;
  return <ClientsList creating={rest === 'new'} />;
}

function ClientsList({ creating }: { creating: boolean }) {
  const i18n = useI18n();
  const { t, formatDate, formatDateTime } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can('crm.clients.write');
  const [regionsToken, setRegionsToken] = useState(0);
  const [editingRegions, setEditingRegions] = useState(false);
  const regions = useRegions(regionsToken);
  const owners = useOwners();
  // A link (a campaign's card) may bring filters in the address: they are where the list starts.
  const { search: params } = useLocation();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [region, setRegion] = useState(params.get('region') ?? '');
  const [ownerId, setOwnerId] = useState('');
  const [segmentText, setSegment] = useState(params.get('segment') ?? '');
  const [sourceText, setSource] = useState(params.get('source') ?? '');
  const [tagText, setTag] = useState(params.get('tag') ?? '');
  const [kind, setKind] = useState(params.get('kind') ?? '');
  const [campaignId, setCampaignId] = useState(params.get('campaignId') ?? '');
  const campaignName = useCampaignName(campaignId);
  const [reloadToken, setReloadToken] = useState(0);
  const search = useDebounced(q.trim());
  const segment = useDebounced(segmentText.trim());
  const source = useDebounced(sourceText.trim());
  const tag = useDebounced(tagText.trim());
  const filters = { q: search, status, region, ownerId, segment, source, tag, kind, campaignId };
  const filterKey = Object.values(filters).join('|');
  const regionName = useMemo(() => new Map(regions.map((r) => [r.code, r.name])), [regions]);

  // What the list holds; not exact when the server stopped counting at its bound.
  const [count, setCount] = useState<{ total: number; exact: boolean } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the filters.
  const fetchRows = useCallback<FetchRows<Client>>(
    async (query, signal) => {
      const page = await listClients({ ...query, ...filters }, signal);
      const short = page.items.length < (query.limit ?? 50);
      // A short page ends what can be read; past the server's bound that end is the count.
      const end = short ? (query.offset ?? 0) + page.items.length : -1;
      const exact = page.totalExact || end > page.total;
      setCount({ total: page.totalExact ? page.total : Math.max(page.total, end), exact });
      // The grid takes the total as its last row: -1 leaves it open, so paging goes on past the bound.
      return { items: page.items, total: page.totalExact ? page.total : end };
    },
    [filterKey],
  );

  const columns = useMemo<ColDef<Client>[]>(
    () => [
      {
        field: 'name',
        colId: 'name',
        headerName: t('crm.fields.name'),
        sortable: true,
        flex: 2,
        minWidth: 170,
      },
      {
        field: 'phones',
        headerName: t('crm.fields.phones'),
        flex: 1.2,
        minWidth: 125,
        valueFormatter: (p) => (p.value as string[] | undefined)?.map(formatPhone).join(', ') ?? '',
      },
      { field: 'taxId', headerName: t('crm.fields.taxId'), width: 110, minWidth: 100 },
      {
        field: 'region',
        headerName: t('crm.fields.region'),
        flex: 1,
        minWidth: 100,
        valueFormatter: (p) => (p.value ? (regionName.get(p.value as string) ?? String(p.value)) : ''),
      },
      {
        field: 'status',
        headerName: t('crm.fields.status'),
        width: 105,
        minWidth: 100,
        cellRenderer: StatusCell,
      },
      { field: 'ownerName', headerName: t('crm.fields.owner'), flex: 1, minWidth: 100 },
      {
        field: 'nextActivity',
        headerName: t('crm.fields.nextActivity'),
        flex: 1.4,
        minWidth: 140,
        valueFormatter: (p) => {
          const next = p.value as Client['nextActivity'];
          return next ? `${formatDateTime(next.dueAt)} · ${next.subject}` : '';
        },
      },
      {
        field: 'updatedAt',
        colId: 'updatedAt',
        headerName: t('crm.fields.updatedAt'),
        sortable: true,
        width: 120,
        minWidth: 115,
        valueFormatter: (p) => formatDate(p.value as string),
      },
    ],
    [t, formatDate, formatDateTime, regionName],
  );

  const filtered = Object.values(filters).some(Boolean);
  const close = () => navigate(BASE);
  const exportFilters = { ...filters };
  return (
    <>
      <PageHeader
        title={t('crm.clients.title')}
        description={t('crm.clients.lead')}
        actions={
          <>
            <a
              className="button button-secondary"
              href={exportHref('csv', exportFilters)}
              download
              data-testid="clients-export-csv"
            >
              <Icon name="log" />
              {t('crm.clients.exportCsv')}
            </a>
            <a
              className="button button-secondary"
              href={exportHref('xlsx', exportFilters)}
              download
              data-testid="clients-export-xlsx"
            >
              <Icon name="log" />
              {t('crm.clients.exportXlsx')}
            </a>
            {can('crm.settings.write') ? (
              <Button icon="globe" onClick={() => setEditingRegions(true)} data-testid="regions-edit">
                {t('crm.regions.open')}
              </Button>
            ) : null}
            {writable ? (
              <Button
                variant="primary"
                icon="plus"
                onClick={() => navigate(`${BASE}/new`)}
                data-testid="client-create"
              >
                {t('crm.clients.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <search className="toolbar crm-toolbar">
        <label className="search-box crm-search">
          <Icon name="search" />
          <span className="visually-hidden">{t('common.search')}</span>
          <input
            type="search"
            className="input"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            placeholder={t('crm.clients.searchPlaceholder')}
            data-testid="clients-search"
          />
        </label>
        <FilterSelect
          label={t('crm.fields.status')}
          value={status}
          onChange={setStatus}
          all={t('crm.clients.allStatuses')}
          options={CLIENT_STATUSES.map((s) => ({ value: s, label: t(`crm.status.${s}`) }))}
          testId="clients-status"
        />
        <FilterSelect
          label={t('crm.fields.region')}
          value={region}
          onChange={setRegion}
          all={t('crm.clients.allRegions')}
          options={regions.map((r) => ({ value: r.code, label: r.name }))}
        />
        <FilterSelect
          label={t('crm.fields.owner')}
          value={ownerId}
          onChange={setOwnerId}
          all={t('crm.clients.allOwners')}
          options={owners}
        />
        <label className="toolbar-field crm-filter-text">
          <span className="visually-hidden">{t('crm.fields.segment')}</span>
          <input
            className="input"
            value={segmentText}
            onChange={(e) => setSegment(e.target.value)}
            placeholder={t('crm.fields.segment')}
          />
        </label>
        <label className="toolbar-field crm-filter-text">
          <span className="visually-hidden">{t('crm.fields.source')}</span>
          <input
            className="input"
            value={sourceText}
            onChange={(e) => setSource(e.target.value)}
            placeholder={t('crm.fields.source')}
          />
        </label>
        <label className="toolbar-field crm-filter-text">
          <span className="visually-hidden">{t('crm.fields.tag')}</span>
          <input
            className="input"
            value={tagText}
            onChange={(e) => setTag(e.target.value)}
            placeholder={t('crm.fields.tag')}
          />
        </label>
        {kind ? (
          <FilterChip
            text={`${t('crm.fields.kind')}: ${t(`crm.kind.${kind as ClientKind}`)}`}
            onClear={() => setKind('')}
            testId="clients-kind-chip"
          />
        ) : null}
        {campaignId ? (
          <FilterChip
            text={t('crm.clients.campaignFilter', { name: campaignName ?? '…' })}
            onClear={() => {
              setCampaignId('');
              // The address no longer names the campaign: a reload keeps it off.
              if (params.has('campaignId')) {
                const rest = new URLSearchParams(params);
                rest.delete('campaignId');
                const query = rest.toString();
                navigate(query ? `${BASE}?${query}` : BASE, { replace: true });
              }
            }}
            testId="clients-campaign-chip"
          />
        ) : null}
      </search>
      <DataGrid<Client>
        phoneColumns={PHONE_COLUMNS}
        testId="clients-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={filterKey}
        defaultSort="name"
        getRowId={(c) => c.id}
        onRowClicked={(c) => navigate(`${BASE}/${encodeURIComponent(c.id)}`)}
        reloadToken={reloadToken}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('crm.clients.emptyFilteredTitle')}
              text={t('crm.clients.emptyFilteredText')}
            />
          ) : (
            <EmptyState
              icon="users"
              title={t('crm.clients.emptyTitle')}
              text={t('crm.clients.emptyText')}
              action={
                writable ? (
                  <Button variant="primary" icon="plus" onClick={() => navigate(`${BASE}/new`)}>
                    {t('crm.clients.new')}
                  </Button>
                ) : undefined
              }
            />
          )
        }
      />
      {count && count.total > 0 ? (
        <p className="grid-count muted small" data-testid="clients-count">
          {t(count.exact ? 'crm.clients.count' : 'crm.clients.countAtLeast', {
            count: i18n.formatNumber(count.total),
          })}
        </p>
      ) : null}
      {editingRegions ? (
        <RegionsEditor
          onClose={() => setEditingRegions(false)}
          onSaved={() => {
            notify('success', t('crm.regions.saved'));
            setEditingRegions(false);
            setRegionsToken((n) => n + 1);
          }}
        />
      ) : null}
      {creating && writable ? (
        <ClientForm
          client={null}
          onClose={close}
          onSaved={(saved) => {
            notify('success', t('crm.client.created', { name: saved.name }));
            setReloadToken((n) => n + 1);
            navigate(`${BASE}/${encodeURIComponent(saved.id)}`);
          }}
        />
      ) : null}
    </>
  );
}

/** The name of the campaign a filter names, once read. */
function useCampaignName(id: string): string | null {
  const [campaign, setCampaign] = useState<{ id: string; name: string } | null>(null);
  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    getCampaign(id, controller.signal)
      .then((found) => setCampaign({ id: found.id, name: found.name }))
      .catch(() => {
        // The chip keeps its placeholder; the list is filtered all the same.
      });
    return () => controller.abort();
  }, [id]);
  return campaign?.id === id ? campaign.name : null;
}

/** A filter that came with the address, shown as a chip with its remove button. */
function FilterChip({ text, onClear, testId }: { text: string; onClear(): void; testId: string }) {
  const { t } = useI18n();
  return (
    <span className="chip crm-filter-chip" data-testid={testId}>
      <span className="crm-filter-chip-text" title={text}>
        {text}
      </span>
      <button
        type="button"
        className="icon-button crm-filter-chip-clear"
        aria-label={t('crm.clients.clearFilter', { name: text })}
        onClick={onClear}
      >
        <span aria-hidden="true">×</span>
      </button>
    </span>
  );
}
