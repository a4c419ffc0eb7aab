// Process models (/bpm/processes): the deployed definitions with their running instances and
// incidents; "New process" and "Upload .bpmn" open the modeler, below /bpm/processes/<id>.
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import type { PhoneColumns } from '../../app/phone-layout';
import { navigate, useLocation } from '../../app/router';
import { Button, EmptyState, FormError, PageHeader, PageLoading } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { type Definition, listDefinitions } from './api';
import './bpm.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { name: 150, activeInstances: 90 };

const ModelerPage = lazy(() => import('./modeler-page'));

export const PROCESSES_PATH = '/bpm/processes';
export const NEW_PROCESS = 'new';

export default function ProcessesPage() {
  const { pathname } = useLocation();
  // An uploaded file waits here while the modeler opens it (not deployed until the admin says so).
  const [uploaded, setUploaded] = useState<{ xml: string; fileName: string } | null>(null);
  const rest = pathname.startsWith(`${PROCESSES_PATH}/`)
    ? decodeURIComponent(pathname.slice(PROCESSES_PATH.length + 1))
    : '';
  if (rest)
    return (
      <Suspense fallback={<PageLoading />}>
        <ModelerPage
          key={rest}
          processId={rest === NEW_PROCESS ? null : rest}
          uploaded={rest === NEW_PROCESS ? uploaded : null}
        />
      </Suspense>
    );
  return (
    <ProcessList
      onUpload={(file) => {
        setUploaded(file);
        navigate(`${PROCESSES_PATH}/${NEW_PROCESS}`);
      }}
    />
  );
}

function CountCell({ value, colDef }: ICellRendererParams<Definition, number>) {
  if (value === undefined || value === null) return null;
  const danger = colDef?.colId === 'openIncidents' && value > 0;
  return <span className={danger ? 'badge bpm-badge-danger' : undefined}>{value}</span>;
}

function ProcessList({ onUpload }: { onUpload(file: { xml: string; fileName: string }): void }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);

  const fetchRows = useCallback<FetchRows<Definition>>(async (query, signal) => {
    const items = await listDefinitions(false, signal);
    const offset = query.offset ?? 0;
    return { items: items.slice(offset, offset + (query.limit ?? 50)), total: items.length };
  }, []);

  const columns = useMemo<ColDef<Definition>[]>(
    () => [
      {
        colId: 'name',
        headerName: t('bpm.processes.name'),
        flex: 2,
        minWidth: 200,
        valueGetter: (p) => p.data?.name || p.data?.processId || '',
      },
      { field: 'processId', headerName: t('bpm.processes.processId'), flex: 1.5, minWidth: 170 },
      { field: 'version', headerName: t('bpm.processes.version'), width: 110, minWidth: 100 },
      {
        field: 'deployedAt',
        headerName: t('bpm.processes.deployedAt'),
        width: 155,
        minWidth: 150,
        valueFormatter: (p) => formatDateTime(p.value),
      },
      {
        field: 'activeInstances',
        colId: 'activeInstances',
        headerName: t('bpm.processes.running'),
        width: 130,
        minWidth: 110,
        cellRenderer: CountCell,
      },
      {
        field: 'openIncidents',
        colId: 'openIncidents',
        headerName: t('bpm.processes.incidents'),
        width: 130,
        minWidth: 110,
        cellRenderer: CountCell,
      },
    ],
    [t, formatDateTime],
  );

  const readFile = (file: File | undefined) => {
    if (!file) return;
    setError(null);
    file
      .text()
      .then((xml) => {
        if (!xml.includes('definitions')) {
          setError(t('bpm.processes.notBpmn', { file: file.name }));
          return;
        }
        onUpload({ xml, fileName: file.name });
      })
      .catch(() => setError(t('bpm.processes.notBpmn', { file: file.name })));
  };

  const newButton = (testId: string) => (
    <Button
      variant="primary"
      icon="plus"
      onClick={() => navigate(`${PROCESSES_PATH}/${NEW_PROCESS}`)}
      data-testid={testId}
    >
      {t('bpm.processes.new')}
    </Button>
  );

  return (
    <>
      <PageHeader
        title={t('bpm.processes.title')}
        description={t('bpm.processes.lead')}
        actions={
          <>
            <Button icon="log" onClick={() => input.current?.click()} data-testid="process-upload">
              {t('bpm.processes.upload')}
            </Button>
            {newButton('process-new')}
          </>
        }
      />
      <input
        ref={input}
        type="file"
        accept=".bpmn,.xml,application/xml,text/xml"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="process-upload-input"
        onChange={(event) => {
          readFile(event.target.files?.[0]);
          event.target.value = '';
        }}
      />
      <FormError message={error} />
      <DataGrid<Definition>
        phoneColumns={PHONE_COLUMNS}
        columns={columns}
        fetchRows={fetchRows}
        filterKey=""
        getRowId={(definition) => definition.id}
        onRowClicked={(definition) =>
          navigate(`${PROCESSES_PATH}/${encodeURIComponent(definition.processId)}`)
        }
        testId="processes-grid"
        countLabel={(total) => t('bpm.processes.count', { count: total })}
        empty={
          <EmptyState
            icon="refresh"
            title={t('bpm.processes.emptyTitle')}
            text={t('bpm.processes.emptyText')}
            action={newButton('process-new-empty')}
          />
        }
      />
    </>
  );
}
