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
import { FilterSelect, useOwners } from './parts';
import { TicketCardPage } from './ticket-card';
import { TicketForm } from './ticket-form';
import { DueText, TicketPriorityBadge, TicketStatusBadge } from './ticket-parts';
import {
  listTickets,
  TICKET_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  type TicketKind,
  type TicketPriority,
  type TicketStatus,
} from './tickets-api';
import './crm.css';

const BASE = '/crm/tickets';

/** What a phone shows of the list: an overdue subject is marked red (see SUBJECT_CLASS). */
const PHONE_COLUMNS: PhoneColumns = { subject: 170, status: 150 };

const VIEWS = ['open', 'overdue', 'mine', 'all'] as const;
type View = (typeof VIEWS)[number];

const isView = (value: string | null): value is View => VIEWS.includes(value as View);

/**
 * Wide enough for every column: below it (a 1280 px laptop) the kind and the opening time, which
 * the card shows, give their room to the subject.
 */
const ROOMY_QUERY = '(min-width: 1440px)';

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

function StatusCell({ value }: ICellRendererParams<Ticket, TicketStatus>) {
  return value ? <TicketStatusBadge status={value} /> : null;
}

function PriorityCell({ value }: ICellRendererParams<Ticket, TicketPriority>) {
  return value ? <TicketPriorityBadge priority={value} /> : null;
}

function DueCell({ data }: ICellRendererParams<Ticket>) {
  return data ? <DueText ticket={data} compact /> : null;
}

/** The service requests list (server-side paging and sorting) and, below /crm/tickets/<id>, the card. */
export default function TicketsPage() {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(`${BASE}/`) ? decodeURIComponent(pathname.slice(BASE.length + 1)) : '';
  if (rest && rest !== 'new') return <TicketCardPage key={rest} id={rest} />;
  return <TicketsList creating={rest === 'new'} />;
}

function TicketsList({ creating }: { creating: boolean }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { can, user } = useSession();
  const notify = useNotify();
  const { search: params } = useLocation();
  const writable = can('crm.tickets.write');
  const owners = useOwners();
  const roomy = useRoomyScreen();
  const requested = params.get('view');
  const view: View = isView(requested) ? requested : 'open';
  const [q, setQ] = useState('');
  const [status, setStatus] = useState('');
  const [priority, setPriority] = useState('');
  const [kind, setKind] = useState('');
  const [assigneeId, setAssigneeId] = useState('');
  const search = useDebounced(q.trim());

  // The view sets the ground ("Mine" is the user's own queue, so open ones too); a chosen status
  // replaces "open", which would contradict it.
  const query = {
    q: search,
    status,
    priority,
    kind,
    assigneeId: view === 'mine' ? (user?.id ?? '') : assigneeId,
    open: (view === 'open' || view === 'mine') && !status ? 'true' : '',
    overdue: view === 'overdue' ? 'true' : '',
  };
  const filterKey = Object.values(query).join('|');
  // biome-ignore lint/correctness/useExhaustiveDependencies: filterKey stands for the query.
  const fetchRows = useCallback<FetchRows<Ticket>>(
    (page, signal) => listTickets({ ...page, ...query }, signal),
    [filterKey],
  );

  const columns = useMemo<ColDef<Ticket>[]>(
    () => [
      {
        field: 'number',
        colId: 'number',
        headerName: t('crm.fields.number'),
        sortable: true,
        width: 110,
        minWidth: 100,
      },
      {
        field: 'subject',
        colId: 'subject',
        headerName: t('crm.fields.subject'),
        flex: 2,
        minWidth: 180,
        // Overdue shows on the subject too: a phone hides the due column.
        cellClass: (p) => (p.data?.overdue ? 'crm-ticket-cell-overdue' : ''),
      },
      { field: 'clientName', headerName: t('crm.fields.client'), flex: 1.2, minWidth: 120 },
      {
        field: 'kind',
        headerName: t('crm.fields.ticketKind'),
        hide: !roomy,
        width: 125,
        minWidth: 110,
        valueFormatter: (p) => (p.value ? t(`crm.ticketKind.${p.value as TicketKind}`) : ''),
      },
      {
        field: 'priority',
        colId: 'priority',
        headerName: t('crm.fields.priority'),
        sortable: true,
        width: 125,
        minWidth: 115,
        cellRenderer: PriorityCell,
      },
      {
        field: 'status',
        colId: 'status',
        headerName: t('crm.fields.status'),
        flex: 1,
        minWidth: 150,
        cellRenderer: StatusCell,
      },
      { field: 'assigneeName', headerName: t('crm.fields.assignee'), flex: 1, minWidth: 110 },
      {
        field: 'dueAt',
        colId: 'dueAt',
        headerName: t('crm.fields.dueAt'),
        sortable: true,
        width: 160,
        minWidth: 150,
        cellRenderer: DueCell,
      },
      {
        field: 'createdAt',
        colId: 'createdAt',
        headerName: t('crm.fields.createdAt'),
        sortable: true,
        hide: !roomy,
        width: 130,
        minWidth: 115,
        valueFormatter: (p) => formatDateTime(p.value as string),
      },
    ],
    [t, formatDateTime, roomy],
  );

  const filtered = Boolean(search || status || priority || kind || (view !== 'mine' && assigneeId));
  const openNew = () => navigate(`${BASE}/new`);
  const newButton = (testId: string) =>
    writable ? (
      <Button variant="primary" icon="plus" onClick={openNew} data-testid={testId}>
        {t('crm.tickets.new')}
      </Button>
    ) : undefined;
  return (
    <>
      <PageHeader
        title={t('crm.tickets.title')}
        description={t('crm.tickets.lead')}
        actions={newButton('ticket-create')}
      />
      <fieldset className="segmented crm-ticket-views">
        <legend className="visually-hidden">{t('crm.tickets.view')}</legend>
        {VIEWS.map((option) => (
          <button
            key={option}
            type="button"
            className={view === option ? 'segmented-on' : undefined}
            aria-pressed={view === option}
            onClick={() => navigate(option === 'open' ? BASE : `${BASE}?view=${option}`, { replace: true })}
            data-testid={`tickets-view-${option}`}
          >
            {t(`crm.tickets.view.${option}`)}
          </button>
        ))}
      </fieldset>
      <search className="toolbar crm-toolbar">
        <label className="search-box crm-search">
          <Icon name="search" />
          <span className="visually-hidden">{t('common.search')}</span>
          <input
            type="search"
            className="input"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            placeholder={t('crm.tickets.searchPlaceholder')}
            data-testid="tickets-search"
          />
        </label>
        <FilterSelect
          label={t('crm.fields.status')}
          value={status}
          onChange={setStatus}
          all={t('crm.clients.allStatuses')}
          options={TICKET_STATUSES.map((s) => ({ value: s, label: t(`crm.ticketStatus.${s}`) }))}
          testId="tickets-status"
        />
        <FilterSelect
          label={t('crm.fields.priority')}
          value={priority}
          onChange={setPriority}
          all={t('crm.tickets.allPriorities')}
          options={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`crm.ticketPriority.${p}`) }))}
          testId="tickets-priority"
        />
        <FilterSelect
          label={t('crm.fields.ticketKind')}
          value={kind}
          onChange={setKind}
          all={t('crm.tickets.allKinds')}
          options={TICKET_KINDS.map((k) => ({ value: k, label: t(`crm.ticketKind.${k}`) }))}
          testId="tickets-kind"
        />
        {view === 'mine' ? null : (
          <FilterSelect
            label={t('crm.fields.assignee')}
            value={assigneeId}
            onChange={setAssigneeId}
            all={t('crm.tickets.allAssignees')}
            options={owners}
            testId="tickets-assignee"
          />
        )}
      </search>
      <DataGrid<Ticket>
        phoneColumns={PHONE_COLUMNS}
        testId="tickets-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={filterKey}
        defaultSort={view === 'all' ? '-createdAt' : 'dueAt'}
        getRowId={(ticket) => ticket.id}
        onRowClicked={(ticket) => navigate(`${BASE}/${encodeURIComponent(ticket.id)}`)}
        countLabel={(total) => t('crm.tickets.count', { count: i18n.formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('crm.tickets.empty.filtered.title')}
              text={t('crm.tickets.empty.filtered.text')}
            />
          ) : (
            <EmptyState
              icon={view === 'overdue' ? 'check' : 'log'}
              title={t(`crm.tickets.empty.${view}.title`)}
              text={t(`crm.tickets.empty.${view}.text`)}
              action={view === 'open' || view === 'all' ? newButton('tickets-empty-create') : undefined}
            />
          )
        }
      />
      {creating && writable ? (
        <TicketForm
          onClose={() => navigate(BASE)}
          onSaved={(saved) => {
            notify('success', t('crm.ticket.created', { number: saved.number }));
            navigate(`${BASE}/${encodeURIComponent(saved.id)}`);
          }}
        />
      ) : null}
    </>
  );
}
