// The task inbox (/bpm/tasks): the caller's tasks and their groups', by due date; below
// /bpm/tasks/<id>, one task with its form.

import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { useNavBadge } from '../../app/nav-badges';
import type { PhoneColumns } from '../../app/phone-layout';
import { roleLabels } from '../../app/role-label';
import { navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { EmptyState, PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { listTasks, type TaskSummary } from './api';
import { Due } from './due';
import { INBOX_PATH } from './inbox-count';
import { TaskView } from './task-view';
import './bpm.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { name: 150, dueAt: 120 };

export default function TasksPage() {
  const { pathname } = useLocation();
  const rest = pathname.startsWith(`${INBOX_PATH}/`)
    ? decodeURIComponent(pathname.slice(INBOX_PATH.length + 1))
    : '';
  if (rest) return <TaskView key={rest} id={rest} />;
  return <Inbox />;
}

function DueCell({ data }: ICellRendererParams<TaskSummary>) {
  return data ? <Due task={data} /> : null;
}

/** The step's name, and under it what it is about (the deal and client, whose leave). */
function TaskNameCell({ data }: ICellRendererParams<TaskSummary>) {
  if (!data) return null;
  return (
    <span className="bpm-task-cell" title={data.subject ?? undefined}>
      <strong className="bpm-ellipsis">{data.name ?? data.elementId}</strong>
      {data.subject ? (
        <span className="bpm-ellipsis muted small" data-testid="task-subject">
          {data.subject}
        </span>
      ) : null}
    </span>
  );
}

function Inbox() {
  const { t, tOr, formatDateTime } = useI18n();
  const { user } = useSession();
  const me = user?.email.toLowerCase() ?? '';

  const fetchRows = useCallback<FetchRows<TaskSummary>>((query, signal) => listTasks(query, signal), []);

  // A new count from the poller means tasks came or went: the list follows without a reload.
  const count = useNavBadge(INBOX_PATH);
  const seen = useRef(count);
  const [reloadToken, setReloadToken] = useState(0);
  useEffect(() => {
    if (seen.current === count) return;
    seen.current = count;
    setReloadToken((token) => token + 1);
  }, [count]);

  const columns = useMemo<ColDef<TaskSummary>[]>(
    () => [
      {
        field: 'name',
        headerName: t('bpm.tasks.task'),
        flex: 3,
        minWidth: 240,
        cellRenderer: TaskNameCell,
      },
      {
        colId: 'process',
        headerName: t('bpm.tasks.process'),
        flex: 1.5,
        minWidth: 150,
        valueGetter: (p) => p.data?.processName ?? p.data?.processId ?? '',
      },
      // The overdue badge beside the date: "Muddati oʻtgan 25-noy, 10:07".
      { field: 'dueAt', headerName: t('bpm.tasks.due'), width: 235, cellRenderer: DueCell },
      {
        colId: 'assignee',
        headerName: t('bpm.tasks.assignee'),
        flex: 1,
        minWidth: 120,
        valueGetter: (p) => {
          const task = p.data;
          if (!task) return '';
          if (task.assignee) return task.assignee.toLowerCase() === me ? t('bpm.tasks.you') : task.assignee;
          if (task.candidateGroups.length > 0)
            return t('bpm.tasks.group', { groups: roleLabels(task.candidateGroups, tOr) });
          return t('bpm.tasks.offeredToYou');
        },
      },
      {
        field: 'createdAt',
        headerName: t('bpm.tasks.created'),
        width: 155,
        minWidth: 150,
        valueFormatter: (p) => formatDateTime(p.value),
      },
    ],
    [t, tOr, formatDateTime, me],
  );

  return (
    <>
      <PageHeader title={t('bpm.tasks.title')} description={t('bpm.tasks.lead')} />
      <DataGrid<TaskSummary>
        phoneColumns={PHONE_COLUMNS}
        columns={columns}
        fetchRows={fetchRows}
        filterKey=""
        defaultSort="dueAt"
        reloadToken={reloadToken}
        getRowId={(task) => task.id}
        onRowClicked={(task) => navigate(`${INBOX_PATH}/${encodeURIComponent(task.id)}`)}
        testId="tasks-grid"
        countLabel={(total) => t('bpm.tasks.count', { count: total })}
        empty={<EmptyState icon="check" title={t('bpm.tasks.emptyTitle')} text={t('bpm.tasks.emptyText')} />}
      />
    </>
  );
}
