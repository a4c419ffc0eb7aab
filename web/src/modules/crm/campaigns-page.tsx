// Marketing campaigns: the list with each one's figures (leads, conversion, won, cost per lead,
// ROI) and, below /crm/campaigns/<id>, the card.
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { formatDateText } from '../../app/date-text';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, PageHeader, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { type I18n, useI18n } from '../../i18n/i18n';
import { amountsText } from './amounts';
import { CampaignCardPage } from './campaign-card';
import { CampaignForm } from './campaign-form';
import { CampaignStatusBadge, percentText, periodText, RoiText } from './campaign-parts';
import {
  CAMPAIGN_CHANNELS,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStatus,
  listCampaigns,
} from './campaigns-api';
import { FilterSelect } from './parts';
import './crm.css';

const BASE = '/crm/campaigns';

/** What a phone shows of the list: the campaign, what it brought and whether it paid back. */
const PHONE_COLUMNS: PhoneColumns = { name: 170, leads: 80, roi: 100 };

/**
 * Wide enough for every column: below it (a 1280 or 1440 px laptop) the budget and the cost per
 * lead, which the card shows, give their room to the others, and the channel moves under the name.
 */
const ROOMY_QUERY = '(min-width: 1600px)';

function useRoomyScreen(): boolean {
  const [roomy, setRoomy] = useState(() => globalThis.matchMedia?.(ROOMY_QUERY).matches ?? true);
  useEffect(() => {
    const media = globalThis.matchMedia?.(ROOMY_QUERY);
    if (!media) return;
    const update = () => setRoomy(media.matches);
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return roomy;
}

/** "20.03 – 31.03.2026": a period as short as a list's cell wants it, the year said once. */
function shortPeriod(i18n: I18n, campaign: Pick<Campaign, 'startsOn' | 'endsOn'>): string {
  const { startsOn, endsOn } = campaign;
  if (!startsOn || !endsOn) return periodText(i18n, campaign);
  const start = formatDateText(startsOn, i18n.locale);
  const sameYear = startsOn.slice(0, 4) === endsOn.slice(0, 4);
  return `${sameYear ? start.slice(0, 5) : start} – ${formatDateText(endsOn, i18n.locale)}`;
}

/** The name and, under it, the code (and the channel, when its column is hidden). */
function NameCell({ data, showChannel }: ICellRendererParams<Campaign> & { showChannel: boolean }) {
  const { t } = useI18n();
  if (!data) return null;
  const under = showChannel ? `${data.code} · ${t(`crm.campaignChannel.${data.channel}`)}` : data.code;
  return (
    <span className="crm-campaign-cell" title={data.name}>
      <strong className="crm-ellipsis">{data.name}</strong>
      <span className="crm-ellipsis muted small">{under}</span>
    </span>
  );
}

function StatusCell({ value }: ICellRendererParams<Campaign, CampaignStatus>) {
  return value ? <CampaignStatusBadge status={value} /> : null;
}

function RoiCell({ data }: ICellRendererParams<Campaign>) {
  return data ? <RoiText roi={data.results.roi} /> : null;
}

/** The campaigns list (server-side paging and sorting) and, below /crm/campaigns/<id>, the card. */
export default function CampaignsPage() {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(`${BASE}/`) ? decodeURIComponent(pathname.slice(BASE.length + 1)) : '';
  if (rest && rest !== 'new') return <CampaignCardPage key={rest} id={rest} />;
  return <CampaignsList creating={rest === 'new'} />;
}

function CampaignsList({ creating }: { creating: boolean }) {
  const i18n = useI18n();
  const { t, formatNumber, formatMoney } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const writable = can('crm.campaigns.write');
  const roomy = useRoomyScreen();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [channel, setChannel] = useState('');
  const search = useDebounced(q.trim());

  const query = { q: search, status, channel };
  const filterKey = Object.values(query).join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the query.
  const fetchRows = useCallback<FetchRows<Campaign>>(
    (page, signal) => listCampaigns({ ...page, ...query }, signal),
    [filterKey],
  );

  const columns = useMemo<ColDef<Campaign>[]>(
    () => [
      {
        field: 'name',
        colId: 'name',
        headerName: t('crm.fields.campaign'),
        sortable: true,
        flex: 2,
        minWidth: 170,
        cellRenderer: NameCell,
        cellRendererParams: { showChannel: !roomy },
      },
      {
        field: 'channel',
        headerName: t('crm.fields.channel'),
        hide: !roomy,
        width: 130,
        minWidth: 120,
        valueFormatter: (p) => (p.value ? t(`crm.campaignChannel.${p.value as Campaign['channel']}`) : ''),
      },
      {
        field: 'status',
        headerName: t('crm.fields.status'),
        // "Rejalashtirilgan" whole in its badge.
        width: 165,
        minWidth: 160,
        cellRenderer: StatusCell,
      },
      {
        colId: 'startsOn',
        headerName: t('crm.fields.period'),
        sortable: true,
        // "20.03 – 31.03.2026" whole.
        width: 175,
        minWidth: 170,
        valueGetter: (p) => (p.data ? shortPeriod(i18n, p.data) || '—' : ''),
      },
      {
        field: 'budget',
        headerName: t('crm.fields.budget'),
        type: 'rightAligned',
        hide: !roomy,
        width: 140,
        minWidth: 130,
        valueFormatter: (p) => (p.data?.budget ? formatMoney(p.data.budget, p.data.currency) : '—'),
      },
      {
        colId: 'leads',
        headerName: t('crm.fields.leads'),
        type: 'rightAligned',
        width: 80,
        minWidth: 75,
        valueGetter: (p) => (p.data ? formatNumber(p.data.results.leads) : ''),
      },
      {
        colId: 'conversion',
        headerName: t('crm.fields.conversion'),
        type: 'rightAligned',
        width: 115,
        minWidth: 110,
        valueGetter: (p) => (p.data ? percentText(i18n, p.data.results.conversionRate) : ''),
      },
      {
        colId: 'won',
        headerName: t('crm.fields.wonAmount'),
        type: 'rightAligned',
        flex: 1,
        minWidth: 145,
        valueGetter: (p) => {
          const won = p.data?.results.deals.won;
          if (!won) return '';
          return won.count === 0 ? '—' : amountsText(i18n, won.amount);
        },
      },
      {
        colId: 'costPerLead',
        headerName: t('crm.fields.costPerLead'),
        type: 'rightAligned',
        hide: !roomy,
        width: 140,
        minWidth: 130,
        valueGetter: (p) => {
          const cost = p.data?.results.costPerLead;
          return cost && p.data ? formatMoney(cost, p.data.currency) : '—';
        },
      },
      {
        colId: 'roi',
        headerName: t('crm.fields.roi'),
        type: 'rightAligned',
        width: 100,
        minWidth: 90,
        cellRenderer: RoiCell,
      },
    ],
    [t, i18n, formatNumber, formatMoney, roomy],
  );

  const filtered = Boolean(search || status || channel);
  const openNew = () => navigate(`${BASE}/new`);
  const newButton = (testId: string) =>
    writable ? (
      <Button variant="primary" icon="plus" onClick={openNew} data-testid={testId}>
        {t('crm.campaigns.new')}
      </Button>
    ) : undefined;
  return (
    <>
      <PageHeader
        title={t('crm.campaigns.title')}
        description={t('crm.campaigns.lead')}
        actions={newButton('campaign-create')}
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
            placeholder={t('crm.campaigns.searchPlaceholder')}
            data-testid="campaigns-search"
          />
        </label>
        <FilterSelect
          label={t('crm.fields.status')}
          value={status}
          onChange={setStatus}
          all={t('crm.clients.allStatuses')}
          options={CAMPAIGN_STATUSES.map((s) => ({ value: s, label: t(`crm.campaignStatus.${s}`) }))}
          testId="campaigns-status"
        />
        <FilterSelect
          label={t('crm.fields.channel')}
          value={channel}
          onChange={setChannel}
          all={t('crm.campaigns.allChannels')}
          options={CAMPAIGN_CHANNELS.map((c) => ({ value: c, label: t(`crm.campaignChannel.${c}`) }))}
          testId="campaigns-channel"
        />
      </search>
      <DataGrid<Campaign>
        phoneColumns={PHONE_COLUMNS}
        testId="campaigns-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={filterKey}
        defaultSort="-startsOn"
        getRowId={(campaign) => campaign.id}
        onRowClicked={(campaign) => navigate(`${BASE}/${encodeURIComponent(campaign.id)}`)}
        countLabel={(total) => t('crm.campaigns.count', { count: formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('crm.campaigns.empty.filtered.title')}
              text={t('crm.campaigns.empty.filtered.text')}
            />
          ) : (
            <EmptyState
              icon="megaphone"
              title={t('crm.campaigns.empty.title')}
              text={t(writable ? 'crm.campaigns.empty.text' : 'crm.campaigns.empty.readerText')}
              action={newButton('campaigns-empty-create')}
            />
          )
        }
      />
      {creating && writable ? (
        <CampaignForm
          onClose={() => navigate(BASE)}
          onSaved={(saved) => {
            notify('success', t('crm.campaign.created', { name: saved.name }));
            navigate(`${BASE}/${encodeURIComponent(saved.id)}`);
          }}
        />
      ) : null}
    </>
  );
}
