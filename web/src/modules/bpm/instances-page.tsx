// Running processes (/bpm/instances): instances filtered by process and state; below
// /bpm/instances/<id>, the monitor of one instance.
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { EmptyState, PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import {
  type Definition,
  INSTANCE_STATES,
  type InstanceSummary,
  listDefinitions,
  listInstances,
} from './api';
import { InstanceView } from './instance-view';
import { StateBadge } from './state-badge';
import './bpm.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { process: 150, state: 110 };

export const INSTANCES_PATH = '/bpm/instances';

export default function InstancesPage() {
  const { pathname, search } = useLocation();
  const rest = pathname.startsWith(`${INSTANCES_PATH}/`)
    ? decodeURIComponent(pathname.slice(INSTANCES_PATH.length + 1))
    : '';
  if (rest) return <InstanceView key={rest} id={rest} />;
  return <InstanceList initialProcess={search.get('processId') ?? ''} />;
}

function StateCell({ data }: ICellRendererParams<InstanceSummary>) {
  return data ? <StateBadge state={data.state} /> : null;
}

function IncidentsCell({ value }: ICellRendererParams<InstanceSummary, number>) {
  if (!value) return null;
  return <span className="badge bpm-badge-danger">{value}</span>;
}

function InstanceList({ initialProcess }: { initialProcess: string }) {
  const { t, formatDateTime } = useI18n();
  const [processId, setProcessId] = useState(initialProcess);
  const [state, setState] = useState('');
  const [definitions, setDefinitions] = useState<Definition[]>([]);

  useEffect(() => {
    listDefinitions(false)
      .then(setDefinitions)
      .catch(() => setDefinitions([]));
  }, []);
  const names = useMemo(
    () => new Map(definitions.map((d) => [d.processId, d.name || d.processId])),
    [definitions],
  );

  const fetchRows = useCallback<FetchRows<InstanceSummary>>(
    (query, signal) => listInstances({ ...query, processId, state }, signal),
    [processId, state],
  );

  const columns = useMemo<ColDef<InstanceSummary>[]>(
    () => [
      {
        colId: 'process',
        headerName: t('bpm.tasks.process'),
        flex: 2,
        // "Bitimdan joʻnatishgacha · v1" whole.
        minWidth: 240,
        valueGetter: (p) =>
          p.data ? `${names.get(p.data.processId) ?? p.data.processId} · v${p.data.version}` : '',
      },
      { field: 'businessKey', headerName: t('bpm.task.businessKey'), flex: 1, minWidth: 120 },
      {
        field: 'state',
        headerName: t('bpm.instances.state'),
        // "Yakunlangan" and "Bekor qilingan" as badges.
        width: 160,
        minWidth: 150,
        cellRenderer: StateCell,
      },
      {
        field: 'openIncidents',
        headerName: t('bpm.processes.incidents'),
        width: 115,
        minWidth: 110,
        cellRenderer: IncidentsCell,
      },
      {
        field: 'startedAt',
        headerName: t('bpm.instances.startedAt'),
        width: 155,
        minWidth: 150,
        valueFormatter: (p) => formatDateTime(p.value),
      },
      {
        field: 'endedAt',
        headerName: t('bpm.instances.endedAt'),
        width: 155,
        minWidth: 150,
        valueFormatter: (p) => formatDateTime(p.value),
      },
    ],
    [t, formatDateTime, names],
  );

  return (
    <>
      <PageHeader title={t('bpm.instances.title')} description={t('bpm.instances.lead')} />
      <search className="toolbar">
        <label className="toolbar-field">
          <span className="toolbar-label">{t('bpm.tasks.process')}</span>
          <select
            className="input"
            value={processId}
            onChange={(event) => setProcessId(event.target.value)}
            data-testid="instances-process"
          >
            <option value="">{t('bpm.instances.allProcesses')}</option>
            {definitions.map((d) => (
              <option key={d.processId} value={d.processId}>
                {d.name || d.processId}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="toolbar-label">{t('bpm.instances.state')}</span>
          <select
            className="input"
            value={state}
            onChange={(event) => setState(event.target.value)}
            data-testid="instances-state"
          >
            <option value="">{t('bpm.instances.allStates')}</option>
            {INSTANCE_STATES.map((s) => (
              <option key={s} value={s}>
                {t(`bpm.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </search>
      <DataGrid<InstanceSummary>
        phoneColumns={PHONE_COLUMNS}
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${processId}|${state}`}
        getRowId={(instance) => instance.id}
        onRowClicked={(instance) => navigate(`${INSTANCES_PATH}/${encodeURIComponent(instance.id)}`)}
        testId="instances-grid"
        countLabel={(total) => t('bpm.instances.count', { count: total })}
        empty={
          <EmptyState
            icon="refresh"
            title={processId || state ? t('bpm.instances.emptyFiltered') : t('bpm.instances.emptyTitle')}
            text={processId || state ? t('bpm.instances.emptyFilteredText') : t('bpm.instances.emptyText')}
          />
        }
      />
    </>
  );
}
