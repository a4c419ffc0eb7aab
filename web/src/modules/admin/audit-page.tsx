import type { ColDef } from 'ag-grid-community';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { actingProcess, actorLabel } from '../../app/actor-label';
import { api, fetchPage } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { DateInput } from '../../app/date-input';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Drawer, EmptyState, PageHeader } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { INTL_LOCALE, useI18n } from '../../i18n/i18n';
import { MODULES, RECORD_PAGES } from '../index';
import { actionLabel, entityLabel } from './action-label';
import { AuditDiff } from './audit-diff';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { at: 140, action: 120 };

export type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
};

/** A kind of record the log holds, with the module that names it. */
type EntityKind = { entity: string; module: string };

/** A date input's day as the start (or the end) of that day in the browser's time zone. */
function dayBound(day: string, end: boolean): string | undefined {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (end) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

/** Every write, who made it and when, with the record before and after. */
export default function AuditPage() {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const [q, setQ] = useState('');
  const [entity, setEntity] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const search = useDebounced(q.trim());
  const [kinds, setKinds] = useState<EntityKind[]>([]);

  useEffect(() => {
    const controller = new AbortController();
    api<{ items: EntityKind[] }>('GET', '/api/admin/audit/entities', undefined, { signal: controller.signal })
      .then((answer) => setKinds(answer.items))
      // Without the list the filter offers "all" only; the log itself still reads.
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  const kindOptions = useMemo(
    () =>
      kinds
        .map((kind) => ({ value: kind.entity, label: entityLabel(i18n, kind.module, kind.entity) }))
        .sort((a, b) => a.label.localeCompare(b.label, INTL_LOCALE[i18n.locale])),
    [kinds, i18n],
  );

  const fetchRows = useCallback<FetchRows<AuditEntry>>(
    (query, signal) =>
      fetchPage<AuditEntry>(
        '/api/admin/audit',
        {
          ...query,
          q: search,
          entity: entity || undefined,
          from: dayBound(from, false),
          to: dayBound(to, true),
        },
        signal,
      ),
    [search, entity, from, to],
  );

  const actorName = useCallback(
    (entry: AuditEntry) => actorLabel(entry.actorName, t) ?? entry.actorId ?? t('audit.system'),
    [t],
  );

  const columns = useMemo<ColDef<AuditEntry>[]>(
    () => [
      {
        field: 'at',
        colId: 'at',
        headerName: t('audit.at'),
        sortable: true,
        initialSort: 'desc',
        minWidth: 180,
        flex: 1,
        valueFormatter: (params) => formatDateTime(params.value),
      },
      {
        colId: 'actor',
        headerName: t('audit.actor'),
        minWidth: 160,
        flex: 1,
        valueGetter: (params) => (params.data ? actorName(params.data) : ''),
      },
      {
        field: 'action',
        colId: 'action',
        headerName: t('audit.action'),
        sortable: true,
        minWidth: 200,
        flex: 1.5,
        valueFormatter: (params) => (params.value ? actionLabel(i18n, String(params.value)) : ''),
      },
      {
        field: 'entity',
        colId: 'entity',
        headerName: t('audit.entity'),
        sortable: true,
        minWidth: 170,
        flex: 1,
        valueGetter: (params) =>
          params.data ? entityLabel(i18n, params.data.action, params.data.entity) : '',
      },
      { field: 'entityId', headerName: t('audit.entityId'), minWidth: 140, flex: 1 },
    ],
    [i18n, t, formatDateTime, actorName],
  );

  const filtered = Boolean(search || entity || from || to);

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.lead')} />
      <search className="toolbar">
        <label className="search-box">
          <Icon name="search" />
          <span className="visually-hidden">{t('common.search')}</span>
          <input
            type="search"
            className="input"
            value={q}
            onChange={(event) => setQ(event.target.value)}
            placeholder={t('audit.searchPlaceholder')}
            data-testid="audit-search"
          />
        </label>
        <label className="toolbar-field">
          <span className="toolbar-label">{t('audit.entity')}</span>
          <select
            className="input"
            value={entity}
            onChange={(event) => setEntity(event.target.value)}
            data-testid="audit-entity"
          >
            <option value="">{t('audit.allEntities')}</option>
            {kindOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="toolbar-field">
          <span className="toolbar-label">{t('audit.from')}</span>
          <DateInput filter value={from} max={to || undefined} onChange={setFrom} />
        </label>
        <label className="toolbar-field">
          <span className="toolbar-label">{t('audit.to')}</span>
          <DateInput filter value={to} min={from || undefined} onChange={setTo} />
        </label>
      </search>
      <DataGrid<AuditEntry>
        phoneColumns={PHONE_COLUMNS}
        testId="audit-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={`${search}|${entity}|${from}|${to}`}
        defaultSort="-at"
        getRowId={(entry) => entry.id}
        onRowClicked={setSelected}
        countLabel={(total) => t('audit.count', { count: i18n.formatNumber(total) })}
        empty={
          filtered ? (
            <EmptyState
              icon="search"
              title={t('audit.emptyFilteredTitle')}
              text={t('audit.emptyFilteredText')}
            />
          ) : (
            <EmptyState icon="log" title={t('audit.emptyTitle')} text={t('audit.emptyText')} />
          )
        }
      />
      {selected ? (
        <Drawer
          title={actionLabel(i18n, selected.action)}
          onClose={() => setSelected(null)}
          testId="audit-drawer"
        >
          <dl className="facts">
            <div>
              <dt>{t('audit.at')}</dt>
              <dd>{formatDateTime(selected.at)}</dd>
            </div>
            <div>
              <dt>{t('audit.actor')}</dt>
              <dd>
                <ActorFact entry={selected} label={actorName(selected)} />
              </dd>
            </div>
            <div>
              <dt>{t('audit.entity')}</dt>
              <dd>{entityLabel(i18n, selected.action, selected.entity)}</dd>
            </div>
            <div>
              <dt>{t('audit.entityId')}</dt>
              <dd>
                <RecordLink entity={selected.entity} id={selected.entityId} />
              </dd>
            </div>
            <div>
              <dt>{t('audit.action')}</dt>
              <dd>
                <code>{selected.action}</code>
              </dd>
            </div>
            {selected.requestId ? (
              <div>
                <dt>{t('audit.requestId')}</dt>
                <dd>
                  <code>{selected.requestId}</code>
                </dd>
              </div>
            ) : null}
          </dl>
          <AuditDiff before={selected.before} after={selected.after} action={selected.action} />
        </Drawer>
      ) : null}
    </>
  );
}

/**
 * Who made an entry, in the drawer: a process step links to its instance; other system work
 * also shows whom the system acted for, as the server recorded it.
 */
function ActorFact({ entry, label }: { entry: AuditEntry; label: string }) {
  const recordPath = useRecordPath();
  const instance = actingProcess(entry.actorName);
  const path = instance ? recordPath('bpm_instance', instance) : null;
  if (path) return <Link to={path}>{label}</Link>;
  if (!entry.actorName?.startsWith('system for ')) return <>{label}</>;
  return (
    <>
      {label} <code className="muted small">{entry.actorName}</code>
    </>
  );
}

/** The page a record opens on (`RECORD_PAGES`), when there is one the reader may open. */
function useRecordPath(): (entity: string, id: string) => string | null {
  const { can } = useSession();
  return (entity, id) => {
    const base = RECORD_PAGES[entity];
    const page = base ? MODULES.find((entry) => entry.path === base) : undefined;
    return page && can(page.permission) ? `${base}/${encodeURIComponent(id)}` : null;
  };
}

/** The audited record's id, a link to its page when it has one the reader may open. */
function RecordLink({ entity, id }: { entity: string; id: string }) {
  const path = useRecordPath()(entity, id);
  if (!path) return <code>{id}</code>;
  return (
    <Link to={path} data-testid="audit-record-link">
      <code>{id}</code>
    </Link>
  );
}
