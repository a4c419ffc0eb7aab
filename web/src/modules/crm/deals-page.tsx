import type { ColDef } from 'ag-grid-community';
import { type DragEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../../app/api';
import { DataGrid, type FetchRows } from '../../app/data-grid';
import { errorMessage } from '../../app/errors';
import { Icon } from '../../app/icons';
import type { PhoneColumns } from '../../app/phone-layout';
import { Link, navigate, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, PageLoading, TextField, useNotify } from '../../app/ui';
import { useDebounced } from '../../app/use-debounced';
import { type I18n, useI18n } from '../../i18n/i18n';
import {
  type BoardColumn,
  CRM,
  CURRENCIES,
  type Deal,
  type DealSummary,
  listDeals,
  moveDealStage,
  type Pipeline,
  type Stage,
} from './api';
import { applyMove, moveTargets, planMove } from './board';
import { DealForm } from './deal-form';
import { Dialog, FilterSelect, StageBadge, stageName, useOwners, usePipelines } from './parts';
import { StageEditor } from './stage-editor';
import './crm.css';

/** What a phone shows of the list (see DataGrid). */
const PHONE_COLUMNS: PhoneColumns = { title: 100, stage: 100, amount: 130 };

type View = 'board' | 'grid';
const VIEW_KEY = 'onebox.crm.dealsView';

function savedView(): View {
  try {
    return globalThis.localStorage?.getItem(VIEW_KEY) === 'grid' ? 'grid' : 'board';
  } catch {
    return 'board';
  }
}

/** A refused move in the user's words: our sentence for the known reasons, else the server's. */
export function refusalText(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError && error.code === 'DEAL_STAGE_INVALID') {
    const reason = typeof error.details.reason === 'string' ? error.details.reason : '';
    return i18n.tOr(`crm.board.reason.${reason}`, error.message || i18n.t('crm.board.refused'));
  }
  return errorMessage(error, i18n);
}

/** Deals of a pipeline as a kanban board (drag a card, or use its menu) or as a grid. */
export default function DealsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const { search } = useLocation();
  const highlight = search.get('deal') ?? '';
  const { pipelines, error: pipelinesError, reload: reloadPipelines } = usePipelines();
  const [editingStages, setEditingStages] = useState(false);
  const [editing, setEditing] = useState<Deal | null>(null);
  // The board lists deals without their lines: the form needs the whole deal.
  const editDeal = (dealId: string) => {
    api<Deal>('GET', `${CRM}/deals/${encodeURIComponent(dealId)}`)
      .then(setEditing)
      .catch((reason: unknown) => notify('error', errorMessage(reason, i18n)));
  };
  const owners = useOwners();
  const [pipelineId, setPipelineId] = useState('');
  const [ownerId, setOwnerId] = useState('');
  const [view, setView] = useState<View>(savedView);
  const [creating, setCreating] = useState(false);
  const [reloadToken, setReloadToken] = useState(0);
  const pipeline = pipelines?.find((p) => p.id === pipelineId) ?? pipelines?.[0];

  const changeView = (next: View) => {
    setView(next);
    try {
      globalThis.localStorage?.setItem(VIEW_KEY, next);
    } catch {
      // Not remembered; the board is the default.
    }
  };

  if (pipelinesError) return <FormError message={errorMessage(pipelinesError, i18n)} />;
  if (!pipelines) return <PageLoading />;

  return (
    <>
      <PageHeader
        title={t('crm.deals.title')}
        description={t('crm.deals.lead')}
        actions={
          <>
            {can('crm.pipelines.write') && pipeline ? (
              <Button icon="menu" onClick={() => setEditingStages(true)} data-testid="deal-stages-edit">
                {t('crm.stages.open')}
              </Button>
            ) : null}
            {can('crm.deals.write') ? (
              <Button
                variant="primary"
                icon="plus"
                onClick={() => setCreating(true)}
                data-testid="deal-create"
              >
                {t('crm.deals.new')}
              </Button>
            ) : null}
          </>
        }
      />
      <div className="toolbar crm-toolbar">
        <fieldset className="segmented crm-view-switch">
          <legend className="visually-hidden">{t('crm.deals.view')}</legend>
          <button
            type="button"
            className={view === 'board' ? 'segmented-on' : undefined}
            aria-pressed={view === 'board'}
            onClick={() => changeView('board')}
            data-testid="deals-view-board"
          >
            {t('crm.deals.viewBoard')}
          </button>
          <button
            type="button"
            className={view === 'grid' ? 'segmented-on' : undefined}
            aria-pressed={view === 'grid'}
            onClick={() => changeView('grid')}
            data-testid="deals-view-grid"
          >
            {t('crm.deals.viewGrid')}
          </button>
        </fieldset>
        {pipelines.length > 1 ? (
          <FilterSelect
            label={t('crm.fields.pipeline')}
            value={pipeline?.id ?? ''}
            onChange={setPipelineId}
            all={t('crm.fields.pipeline')}
            options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
          />
        ) : null}
        <FilterSelect
          label={t('crm.fields.owner')}
          value={ownerId}
          onChange={setOwnerId}
          all={t('crm.clients.allOwners')}
          options={owners}
          testId="deals-owner"
        />
      </div>
      {!pipeline ? (
        <EmptyState
          icon="alert"
          title={t('crm.deals.noPipelineTitle')}
          text={t('crm.deals.noPipelineText')}
        />
      ) : view === 'board' ? (
        <Board
          pipeline={pipeline}
          ownerId={ownerId}
          reloadToken={reloadToken}
          highlight={highlight}
          writable={can('crm.deals.write')}
          onCreate={() => setCreating(true)}
          onEdit={editDeal}
        />
      ) : (
        <DealsGrid pipeline={pipeline} ownerId={ownerId} reloadToken={reloadToken} />
      )}
      {editing ? (
        <DealForm
          deal={editing}
          onClose={() => setEditing(null)}
          onSaved={(deal) => {
            notify('success', t('crm.deal.saved', { title: deal.title }));
            setEditing(null);
            setReloadToken((n) => n + 1);
          }}
        />
      ) : null}
      {editingStages && pipeline ? (
        <StageEditor
          pipeline={pipeline}
          onClose={() => setEditingStages(false)}
          onSaved={(saved) => {
            notify('success', t('crm.stages.saved', { name: saved.name }));
            setEditingStages(false);
            reloadPipelines();
            setReloadToken((n) => n + 1);
          }}
        />
      ) : null}
      {creating ? (
        <DealForm
          pipelineId={pipeline?.id}
          onClose={() => setCreating(false)}
          onSaved={(deal) => {
            notify('success', t('crm.deal.created', { title: deal.title }));
            setCreating(false);
            setReloadToken((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}

function Totals({ totals }: { totals: BoardColumn['totalAmount'] }) {
  const { formatMoney } = useI18n();
  const shown = CURRENCIES.filter((c) => totals[c] && Number(totals[c]) !== 0);
  if (shown.length === 0) return <span className="crm-column-total">{formatMoney(0)}</span>;
  return (
    <>
      {shown.map((c) => (
        <span key={c} className="crm-column-total" data-testid={`total-${c}`}>
          {formatMoney(totals[c], c)}
        </span>
      ))}
    </>
  );
}

type Pending = { deal: DealSummary; stage: Stage };

function Board({
  pipeline,
  ownerId,
  reloadToken,
  highlight,
  writable,
  onCreate,
  onEdit,
}: {
  pipeline: Pipeline;
  ownerId: string;
  reloadToken: number;
  highlight: string;
  writable: boolean;
  onCreate(): void;
  onEdit(dealId: string): void;
}) {
  const i18n = useI18n();
  const { t, tOr } = i18n;
  const notify = useNotify();
  const [columns, setColumns] = useState<BoardColumn[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [refusals, setRefusals] = useState<Record<string, string>>({});
  const [moving, setMoving] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [askLost, setAskLost] = useState<Pending | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadToken asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    api<{ columns: BoardColumn[] }>('GET', `${CRM}/deals/board`, undefined, {
      signal: controller.signal,
      query: { pipelineId: pipeline.id, ownerId },
    })
      .then((board) => {
        setColumns(board.columns);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [pipeline.id, ownerId, reloadToken]);

  useEffect(() => {
    if (!highlight || !columns) return;
    document
      .querySelector(`[data-deal-id="${CSS.escape(highlight)}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'center' });
  }, [highlight, columns]);

  const stageOf = useCallback((code: string) => pipeline.stages.find((s) => s.code === code), [pipeline]);
  const nameOf = useCallback((code: string) => stageName(tOr, stageOf(code), code), [stageOf, tOr]);

  const send = useCallback(
    (deal: DealSummary, stage: Stage, lostReason?: string) => {
      setMoving(deal.id);
      setRefusals(({ [deal.id]: _, ...rest }) => rest);
      return moveDealStage(deal.id, stage.code, lostReason)
        .then((moved) => {
          const { lines: _lines, ...summary } = moved;
          setColumns((current) =>
            current ? applyMove(current, { ...deal, ...summary }, deal.stage) : current,
          );
          notify('success', t('crm.board.moved', { title: deal.title, stage: nameOf(stage.code) }));
          return true;
        })
        .catch((reason: unknown) => {
          setRefusals((r) => ({ ...r, [deal.id]: refusalText(reason, i18n) }));
          return false;
        })
        .finally(() => setMoving(null));
    },
    [i18n, nameOf, notify, t],
  );

  const request = useCallback(
    (deal: DealSummary, target: string) => {
      const plan = planMove(deal, target, pipeline.stages);
      if (plan.kind === 'none') return;
      if (plan.kind === 'refused') {
        setRefusals((r) => ({ ...r, [deal.id]: t(`crm.board.reason.${plan.reason}`) }));
        return;
      }
      if (plan.kind === 'askReason') {
        setAskLost({ deal, stage: plan.stage });
        return;
      }
      void send(deal, plan.stage);
    },
    [pipeline.stages, send, t],
  );

  const dealById = useMemo(() => {
    const map = new Map<string, DealSummary>();
    for (const column of columns ?? []) for (const deal of column.deals) map.set(deal.id, deal);
    return map;
  }, [columns]);

  if (error) return <FormError message={errorMessage(error, i18n)} />;
  if (!columns) return <PageLoading />;
  const empty = columns.every((c) => c.count === 0);
  const byStage = new Map(columns.map((c) => [c.stage, c]));

  const onDrop = (event: DragEvent, stage: string) => {
    event.preventDefault();
    setOver(null);
    const id = event.dataTransfer.getData('text/plain') || dragging;
    setDragging(null);
    const deal = id ? dealById.get(id) : undefined;
    if (deal) request(deal, stage);
  };

  return (
    <>
      {empty ? (
        <div className="crm-board-empty">
          <EmptyState
            icon="plus"
            title={t('crm.board.emptyTitle')}
            text={t('crm.board.emptyText')}
            action={
              writable ? (
                <Button variant="primary" icon="plus" onClick={onCreate}>
                  {t('crm.deals.new')}
                </Button>
              ) : undefined
            }
          />
        </div>
      ) : null}
      <div className="crm-board" data-testid="deals-board">
        {pipeline.stages.map((stage) => {
          const column = byStage.get(stage.code) ?? {
            stage: stage.code,
            deals: [],
            count: 0,
            totalAmount: {},
          };
          return (
            <section
              key={stage.code}
              className={`crm-column crm-column-${stage.kind}${over === stage.code ? ' crm-column-over' : ''}`}
              data-testid={`column-${stage.code}`}
              aria-label={nameOf(stage.code)}
              onDragOver={(event) => {
                if (!writable) return;
                event.preventDefault();
                event.dataTransfer.dropEffect = 'move';
                if (over !== stage.code) setOver(stage.code);
              }}
              onDragLeave={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(null);
              }}
              onDrop={(event) => onDrop(event, stage.code)}
            >
              <header className="crm-column-header">
                <h2>
                  {nameOf(stage.code)}
                  <span className="crm-column-count" data-testid={`count-${stage.code}`}>
                    {column.count}
                  </span>
                </h2>
                <div className="crm-column-totals">
                  <Totals totals={column.totalAmount} />
                  <span className="muted small">{`${stage.probability}%`}</span>
                </div>
              </header>
              <ul className="crm-cards">
                {column.deals.map((deal) => (
                  <DealCard
                    key={deal.id}
                    deal={deal}
                    stages={pipeline.stages}
                    nameOf={nameOf}
                    writable={writable}
                    busy={moving === deal.id}
                    highlighted={deal.id === highlight}
                    refusal={refusals[deal.id]}
                    onEdit={() => onEdit(deal.id)}
                    onDismiss={() => setRefusals(({ [deal.id]: _, ...rest }) => rest)}
                    onDragStart={(event) => {
                      event.dataTransfer.setData('text/plain', deal.id);
                      event.dataTransfer.effectAllowed = 'move';
                      setDragging(deal.id);
                    }}
                    onDragEnd={() => {
                      // After the drop handlers: a drop on the bar still finds the dragged deal.
                      window.setTimeout(() => {
                        setDragging(null);
                        setOver(null);
                      }, 0);
                    }}
                    onMove={(target) => request(deal, target)}
                  />
                ))}
                {column.count > column.deals.length ? (
                  <li className="muted small crm-more">
                    {t('crm.board.more', { count: column.count - column.deals.length })}
                  </li>
                ) : null}
              </ul>
            </section>
          );
        })}
      </div>
      {dragging ? (
        // While a card is dragged, the closing stages are also at the bottom of the window: on a
        // board wider than the screen they are otherwise out of reach.
        <div className="crm-dropbar" data-testid="deals-dropbar">
          {pipeline.stages
            .filter((stage) => stage.kind !== 'open')
            .map((stage) => (
              <section
                key={stage.code}
                aria-label={nameOf(stage.code)}
                className={`crm-drop crm-drop-${stage.kind}${over === `bar:${stage.code}` ? ' crm-drop-over' : ''}`}
                data-testid={`drop-${stage.code}`}
                onDragOver={(event) => {
                  event.preventDefault();
                  event.dataTransfer.dropEffect = 'move';
                  if (over !== `bar:${stage.code}`) setOver(`bar:${stage.code}`);
                }}
                onDragLeave={() => setOver(null)}
                onDrop={(event) => onDrop(event, stage.code)}
              >
                {nameOf(stage.code)}
              </section>
            ))}
        </div>
      ) : null}
      {askLost ? (
        <LostDialog
          pending={askLost}
          onCancel={() => setAskLost(null)}
          onConfirm={(reason) =>
            send(askLost.deal, askLost.stage, reason).then((ok) => {
              setAskLost(null);
              return ok;
            })
          }
        />
      ) : null}
    </>
  );
}

function DealCard({
  deal,
  stages,
  nameOf,
  writable,
  busy,
  highlighted,
  refusal,
  onEdit,
  onDismiss,
  onDragStart,
  onDragEnd,
  onMove,
}: {
  deal: DealSummary;
  stages: Stage[];
  nameOf(code: string): string;
  writable: boolean;
  busy: boolean;
  highlighted: boolean;
  refusal: string | undefined;
  onEdit(): void;
  onDismiss(): void;
  onDragStart(event: DragEvent): void;
  onDragEnd(): void;
  onMove(stage: string): void;
}) {
  const { t, formatMoney, formatDate } = useI18n();
  const targets = writable ? moveTargets(deal, stages) : [];
  const overdue =
    deal.expectedCloseDate !== null &&
    stages.find((s) => s.code === deal.stage)?.kind === 'open' &&
    deal.expectedCloseDate < new Date().toISOString().slice(0, 10);
  return (
    <li
      className={`crm-card${busy ? ' crm-card-busy' : ''}${refusal ? ' crm-card-refused' : ''}${highlighted ? ' crm-card-highlight' : ''}`}
      draggable={writable && targets.length > 0 && !busy}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      data-testid="deal-card"
      data-deal-id={deal.id}
      aria-busy={busy || undefined}
    >
      <div className="crm-card-head">
        <div className="crm-card-title">{deal.title}</div>
        {writable ? (
          <button
            type="button"
            className="icon-button crm-card-edit"
            draggable={false}
            onClick={onEdit}
            aria-label={t('crm.deal.editLabel', { title: deal.title })}
            data-testid="deal-card-edit"
          >
            ✎
          </button>
        ) : null}
      </div>
      <Link
        to={`/crm/clients/${encodeURIComponent(deal.clientId)}`}
        className="crm-card-client"
        draggable={false}
      >
        {deal.clientName}
      </Link>
      <div className="crm-card-amount">{formatMoney(deal.amount, deal.currency)}</div>
      <div className="crm-card-meta small muted">
        {deal.expectedCloseDate ? (
          <span className={overdue ? 'crm-overdue-text' : undefined}>
            {formatDate(deal.expectedCloseDate)}
          </span>
        ) : null}
        <span>{deal.ownerName}</span>
      </div>
      {deal.lostReason ? (
        <div className="small muted crm-wrap">{`${t('crm.fields.lostReason')}: ${deal.lostReason}`}</div>
      ) : null}
      {refusal ? (
        <div className="crm-card-refusal" role="alert" data-testid="deal-refusal">
          <Icon name="alert" size={16} />
          <span>{refusal}</span>
          <button type="button" className="icon-button" onClick={onDismiss} aria-label={t('common.close')}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ) : null}
      {targets.length > 0 ? (
        <label className="crm-card-move">
          <span className="visually-hidden">{t('crm.board.moveTo', { title: deal.title })}</span>
          <select
            className="input"
            value=""
            disabled={busy}
            onChange={(event) => {
              if (event.target.value) onMove(event.target.value);
            }}
            data-testid="deal-move"
          >
            <option value="">{t('crm.board.moveMenu')}</option>
            {targets.map((stage) => (
              <option key={stage.code} value={stage.code}>
                {nameOf(stage.code)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </li>
  );
}

function LostDialog({
  pending,
  onCancel,
  onConfirm,
}: {
  pending: Pending;
  onCancel(): void;
  onConfirm(reason: string): Promise<boolean>;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  return (
    <Dialog
      title={t('crm.board.lostTitle', { title: pending.deal.title })}
      confirmLabel={t('crm.board.lostConfirm')}
      variant="danger"
      busy={busy}
      onCancel={onCancel}
      testId="lost-dialog"
      onConfirm={() => {
        if (!reason.trim()) {
          setError(t('crm.board.reason.LOST_NEEDS_REASON'));
          return;
        }
        setBusy(true);
        void onConfirm(reason.trim()).finally(() => setBusy(false));
      }}
    >
      <TextField
        label={t('crm.fields.lostReason')}
        name="lostReason"
        value={reason}
        onChange={setReason}
        error={error}
        hint={t('crm.board.lostHint')}
        maxLength={500}
        data-testid="lost-reason"
      />
    </Dialog>
  );
}

function DealsGrid({
  pipeline,
  ownerId,
  reloadToken,
}: {
  pipeline: Pipeline;
  ownerId: string;
  reloadToken: number;
}) {
  const i18n = useI18n();
  const { t, tOr, formatMoney, formatDate, formatDateTime } = i18n;
  const [q, setQ] = useState('');
  const [stage, setStage] = useState('');
  const search = useDebounced(q.trim());
  const filterKey = `${pipeline.id}|${ownerId}|${search}|${stage}`;
  const fetchRows = useCallback<FetchRows<DealSummary>>(
    (query, signal) => listDeals({ ...query, pipelineId: pipeline.id, ownerId, q: search, stage }, signal),
    [pipeline.id, ownerId, search, stage],
  );
  const columns = useMemo<ColDef<DealSummary>[]>(
    () => [
      { field: 'title', headerName: t('crm.fields.title'), flex: 2, minWidth: 200 },
      { field: 'clientName', headerName: t('crm.fields.client'), flex: 1.5, minWidth: 170 },
      {
        field: 'stage',
        headerName: t('crm.fields.stage'),
        width: 160,
        minWidth: 140,
        cellRenderer: (p: { value: string }) => {
          const s = pipeline.stages.find((x) => x.code === p.value);
          return <StageBadge stage={stageName(tOr, s, p.value)} kind={s?.kind} />;
        },
      },
      {
        field: 'amount',
        colId: 'amount',
        headerName: t('crm.fields.amount'),
        sortable: true,
        width: 180,
        minWidth: 150,
        type: 'rightAligned',
        valueFormatter: (p) => (p.data ? formatMoney(p.data.amount, p.data.currency) : ''),
      },
      {
        field: 'expectedCloseDate',
        colId: 'expectedCloseDate',
        headerName: t('crm.fields.expectedCloseDate'),
        sortable: true,
        width: 160,
        minWidth: 140,
        valueFormatter: (p) => formatDate(p.value as string | null),
      },
      { field: 'ownerName', headerName: t('crm.fields.owner'), flex: 1, minWidth: 140 },
      {
        field: 'updatedAt',
        colId: 'updatedAt',
        headerName: t('crm.fields.updatedAt'),
        sortable: true,
        width: 170,
        minWidth: 150,
        valueFormatter: (p) => formatDateTime(p.value as string),
      },
    ],
    [t, tOr, formatMoney, formatDate, formatDateTime, pipeline],
  );
  return (
    <>
      <search className="toolbar crm-toolbar">
        <label className="search-box crm-search">
          <Icon name="search" />
          <span className="visually-hidden">{t('common.search')}</span>
          <input
            type="search"
            className="input"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('crm.deals.searchPlaceholder')}
          />
        </label>
        <FilterSelect
          label={t('crm.fields.stage')}
          value={stage}
          onChange={setStage}
          all={t('crm.deals.allStages')}
          options={pipeline.stages.map((s) => ({ value: s.code, label: stageName(tOr, s, s.code) }))}
        />
      </search>
      <DataGrid<DealSummary>
        phoneColumns={PHONE_COLUMNS}
        testId="deals-grid"
        columns={columns}
        fetchRows={fetchRows}
        filterKey={filterKey}
        defaultSort="-updatedAt"
        getRowId={(d) => d.id}
        onRowClicked={(d) => {
          navigate(`/crm/clients/${encodeURIComponent(d.clientId)}`);
        }}
        reloadToken={reloadToken}
        countLabel={(total) => t('crm.deals.count', { count: i18n.formatNumber(total) })}
        empty={<EmptyState icon="search" title={t('crm.deals.emptyTitle')} text={t('crm.deals.emptyText')} />}
      />
    </>
  );
}
