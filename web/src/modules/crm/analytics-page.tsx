// Sales analytics for the head of sales (and each manager's own): the funnel of the deals
// opened in a period, what was won and lost, why, and every manager's and segment's figures.
import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import { tashkentToday } from '../../app/date-text';
import { errorMessage } from '../../app/errors';
import { PeriodFields, periodBackwards } from '../../app/period-fields';
import { Link, useLocation } from '../../app/router';
import { useSession } from '../../app/session';
import { EmptyState, FormError, PageHeader, PageLoading, Spinner } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { type Amounts, amountsText } from './amounts';
import { percent, type SegmentFigures, SegmentTable } from './analytics-segments';
import { CRM, type Pipeline } from './api';
import { FilterSelect, stageName, useOwners, usePipelines } from './parts';
import { PERIOD_PRESETS, presetOf, presetPeriod } from './period-presets';
import './analytics.css';

type CountAndAmount = { count: number; amount: Amounts };
type Analytics = {
  pipelineId: string;
  from: string;
  to: string;
  ownerId: string | null;
  funnel: (CountAndAmount & { stage: string })[];
  opened: CountAndAmount;
  won: CountAndAmount & { averageDays: number | null };
  lost: CountAndAmount;
  winRate: number | null;
  lostReasons: { reason: string; count: number }[];
  managers: {
    ownerId: string;
    name: string | null;
    open: CountAndAmount;
    opened: number;
    won: CountAndAmount;
    lost: number;
    winRate: number | null;
    activitiesDone: number;
    overdue: number;
  }[];
  segments: SegmentFigures[];
};

/** The managers' table's figure columns, in order. */
const MANAGER_COLUMNS = ['opened', 'openNow', 'won', 'lost', 'winRate', 'activitiesDone', 'overdue'] as const;

export default function AnalyticsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { can } = useSession();
  const { search: params } = useLocation();
  const today = tashkentToday();
  const { pipelines, error: pipelinesError } = usePipelines();
  const owners = useOwners();
  const seesAll = can('crm.clients.readAll');
  const [pipelineId, setPipelineId] = useState(params.get('pipelineId') ?? '');
  const [ownerId, setOwnerId] = useState(params.get('ownerId') ?? '');
  const [from, setFrom] = useState(params.get('from') ?? presetPeriod('month', today).from);
  const [to, setTo] = useState(params.get('to') ?? today);
  const [data, setData] = useState<Analytics | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const backwards = periodBackwards(from, to);
  const pipeline = pipelines?.find((p) => p.id === pipelineId) ?? pipelines?.[0];

  useEffect(() => {
    if (!pipeline || backwards) return;
    const controller = new AbortController();
    const query = new URLSearchParams({
      pipelineId: pipeline.id,
      ...(from && { from }),
      ...(to && { to }),
      ...(ownerId && seesAll && { ownerId }),
    });
    setLoading(true);
    api<Analytics>('GET', `${CRM}/analytics?${query.toString()}`, undefined, { signal: controller.signal })
      .then((answer) => {
        setData(answer);
        setError(null);
        setLoading(false);
      })
      .catch((reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason);
        setLoading(false);
      });
    return () => controller.abort();
  }, [pipeline, from, to, ownerId, seesAll, backwards]);

  const header = <PageHeader title={t('crm.analytics.title')} description={t('crm.analytics.lead')} />;
  if (pipelinesError) {
    return (
      <>
        {header}
        <FormError message={errorMessage(pipelinesError, i18n)} />
      </>
    );
  }
  if (!pipelines) return <PageLoading />;
  const preset = presetOf({ from, to }, today);
  const pick = (next: { from: string; to: string }) => {
    setFrom(next.from);
    setTo(next.to);
  };

  return (
    <>
      {header}
      <search className="toolbar crm-analytics-toolbar">
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('crm.analytics.period')}</legend>
          {PERIOD_PRESETS.map((option) => (
            <button
              key={option}
              type="button"
              className={preset === option ? 'segmented-on' : undefined}
              aria-pressed={preset === option}
              onClick={() => pick(presetPeriod(option, today))}
              data-testid={`analytics-preset-${option}`}
            >
              {t(`crm.analytics.preset.${option}`)}
            </button>
          ))}
        </fieldset>
        <PeriodFields
          from={from}
          to={to}
          onFrom={setFrom}
          onTo={setTo}
          labels={{ from: t('crm.analytics.from'), to: t('crm.analytics.to') }}
          testId="analytics"
          className="crm-analytics-date"
        />
        {pipelines.length > 1 ? (
          <FilterSelect
            label={t('crm.fields.pipeline')}
            value={pipeline?.id ?? ''}
            onChange={setPipelineId}
            all={t('crm.fields.pipeline')}
            options={pipelines.map((p) => ({ value: p.id, label: p.name }))}
            testId="analytics-pipeline"
          />
        ) : null}
        {seesAll ? (
          <FilterSelect
            label={t('crm.fields.owner')}
            value={ownerId}
            onChange={setOwnerId}
            all={t('crm.clients.allOwners')}
            options={owners}
            testId="analytics-owner"
          />
        ) : null}
        {loading && data ? <Spinner label={t('common.loading')} /> : null}
      </search>
      {backwards ? (
        <p className="field-error" id="analytics-period-error" data-testid="analytics-period-error">
          {t('crm.analytics.backwards')}
        </p>
      ) : !pipeline ? (
        <EmptyState
          icon="alert"
          title={t('crm.deals.noPipelineTitle')}
          text={t('crm.deals.noPipelineText')}
        />
      ) : error ? (
        <FormError message={errorMessage(error, i18n)} />
      ) : !data ? (
        <PageLoading />
      ) : (
        <Report data={data} pipeline={pipeline} seesAll={seesAll} onManager={(id) => setOwnerId(id)} />
      )}
    </>
  );
}

function Report({
  data,
  pipeline,
  seesAll,
  onManager,
}: {
  data: Analytics;
  pipeline: Pipeline;
  seesAll: boolean;
  onManager(id: string): void;
}) {
  const i18n = useI18n();
  const { t, tOr, formatNumber } = i18n;
  if (data.opened.count + data.won.count + data.lost.count === 0 && data.managers.length === 0) {
    return (
      <EmptyState
        icon="chart"
        title={t('crm.analytics.emptyTitle')}
        text={t('crm.analytics.emptyText')}
        action={
          <Link className="button button-primary" to="/crm/deals">
            {t('crm.analytics.toDeals')}
          </Link>
        }
      />
    );
  }
  const nameOf = (code: string) =>
    stageName(
      tOr,
      pipeline.stages.find((s) => s.code === code),
      code,
    );
  const tiles: [string, string, string | null, string][] = [
    [
      'opened',
      formatNumber(data.opened.count),
      amountsText(i18n, data.opened.amount),
      t('crm.analytics.opened'),
    ],
    ['won', formatNumber(data.won.count), amountsText(i18n, data.won.amount), t('crm.analytics.won')],
    ['lost', formatNumber(data.lost.count), amountsText(i18n, data.lost.amount), t('crm.analytics.lost')],
    ['win-rate', percent(i18n, data.winRate), null, t('crm.analytics.winRate')],
    [
      'days',
      data.won.averageDays === null ? '—' : formatNumber(data.won.averageDays, { maximumFractionDigits: 1 }),
      null,
      t('crm.analytics.averageDays'),
    ],
  ];
  const first = data.funnel[0]?.count ?? 0;
  return (
    <div className="crm-analytics" data-testid="analytics-report">
      <div className="crm-analytics-tiles">
        {tiles.map(([key, figure, amount, label]) => (
          <section key={key} className="panel crm-analytics-tile" data-testid={`analytics-${key}`}>
            <h2 className="crm-analytics-tile-label">{label}</h2>
            <p className="crm-analytics-figure">{figure}</p>
            {amount ? <p className="crm-analytics-amount">{amount}</p> : null}
          </section>
        ))}
      </div>
      <div className="grid-2">
        <section className="panel" data-testid="analytics-funnel">
          <h2 className="panel-title">{t('crm.analytics.funnelTitle')}</h2>
          <p className="panel-text">{t('crm.analytics.funnelText')}</p>
          <ol className="crm-funnel">
            {data.funnel.map((step, i) => {
              const before = i === 0 ? null : data.funnel[i - 1]!.count;
              return (
                <li key={step.stage} className="crm-funnel-step" data-testid={`funnel-${step.stage}`}>
                  <div className="crm-funnel-head">
                    <span className="crm-funnel-stage">{nameOf(step.stage)}</span>
                    <span className="crm-funnel-count">{formatNumber(step.count)}</span>
                  </div>
                  <div className="crm-funnel-track" aria-hidden="true">
                    <div
                      className="crm-funnel-bar"
                      style={{ width: `${first === 0 ? 0 : Math.max(1, (step.count / first) * 100)}%` }}
                    />
                  </div>
                  <div className="crm-funnel-foot">
                    <span>{amountsText(i18n, step.amount)}</span>
                    {before === null ? null : (
                      <span data-testid={`funnel-${step.stage}-conversion`}>
                        {t('crm.analytics.conversion', {
                          share: percent(i18n, before === 0 ? null : step.count / before),
                        })}
                      </span>
                    )}
                  </div>
                </li>
              );
            })}
          </ol>
        </section>
        <section className="panel" data-testid="analytics-reasons">
          <h2 className="panel-title">{t('crm.analytics.reasonsTitle')}</h2>
          {data.lostReasons.length === 0 ? (
            <p className="muted">{t('crm.analytics.reasonsEmpty')}</p>
          ) : (
            <ol className="crm-reasons">
              {data.lostReasons.map((r) => (
                <li key={r.reason}>
                  <span className="crm-reason-text">{r.reason}</span>
                  <span className="badge badge-muted">{formatNumber(r.count)}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <section className="panel" data-testid="analytics-managers">
        <h2 className="panel-title">{t('crm.analytics.managersTitle')}</h2>
        <div className="table-scroll">
          <table className="crm-analytics-table">
            <thead>
              <tr>
                <th scope="col">{t('crm.fields.owner')}</th>
                {MANAGER_COLUMNS.map((key) => (
                  <th key={key} scope="col" className="crm-num">
                    {t(`crm.analytics.${key}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.managers.map((m) => (
                <tr key={m.ownerId} data-testid="analytics-manager">
                  <th scope="row">
                    {seesAll && data.ownerId === null ? (
                      <button type="button" className="crm-manager-link" onClick={() => onManager(m.ownerId)}>
                        {m.name ?? t('crm.analytics.unknownUser')}
                      </button>
                    ) : (
                      (m.name ?? t('crm.analytics.unknownUser'))
                    )}
                  </th>
                  <td className="crm-num">{formatNumber(m.opened)}</td>
                  <td className="crm-num">
                    {formatNumber(m.open.count)}
                    <span className="crm-num-sub">{amountsText(i18n, m.open.amount)}</span>
                  </td>
                  <td className="crm-num">
                    {formatNumber(m.won.count)}
                    <span className="crm-num-sub">{amountsText(i18n, m.won.amount)}</span>
                  </td>
                  <td className="crm-num">{formatNumber(m.lost)}</td>
                  <td className="crm-num">{percent(i18n, m.winRate)}</td>
                  <td className="crm-num">{formatNumber(m.activitiesDone)}</td>
                  <td className={`crm-num${m.overdue > 0 ? ' crm-overdue' : ''}`}>
                    {formatNumber(m.overdue)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <SegmentTable segments={data.segments} />
    </div>
  );
}
