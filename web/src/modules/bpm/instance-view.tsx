// The monitor of one instance: the diagram with where it stands and per-element counts, incidents
// with Retry, the variables, the history as a timeline, and Cancel.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, PageLoading, Spinner, useNotify } from '../../app/ui';
import { INTL_LOCALE, type Locale, useI18n } from '../../i18n/i18n';
import {
  cancelInstance,
  definitionXml,
  getInstance,
  type HistoryEntry,
  type Instance,
  retryIncident,
  statistics,
} from './api';
import { ConfirmDialog } from './confirm-dialog';
import { elementNames } from './element-names';
import { StateBadge } from './state-badge';
import { VariablesList } from './variables-list';
import type { ViewerHandle } from './viewer-setup';

const INSTANCES_PATH = '/bpm/instances';
const MANAGE = 'bpm.instances.manage';
const DEPLOY = 'bpm.definitions.deploy';

type Load =
  | { status: 'loading' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; instance: Instance };

/** When a step ended: only the time when it is the day it started, so a timeline line stays short. */
function endOf(entry: HistoryEntry, locale: Locale, formatDateTime: (value: string) => string): string {
  if (!entry.endedAt) return '';
  const started = new Date(entry.startedAt);
  const ended = new Date(entry.endedAt);
  if (started.toDateString() !== ended.toDateString()) return formatDateTime(entry.endedAt);
  return ended.toLocaleTimeString(INTL_LOCALE[locale], { hour: '2-digit', minute: '2-digit', hour12: false });
}

function actorName(entry: HistoryEntry): string | null {
  if (entry.actor && typeof entry.actor === 'object') return entry.actor.name;
  if (typeof entry.actor === 'string') return entry.actor;
  return null;
}

export function InstanceView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [names, setNames] = useState<Record<string, string>>({});

  const reload = useCallback(
    (signal?: AbortSignal) =>
      getInstance(id, signal)
        .then((instance) => setLoad({ status: 'ready', instance }))
        .catch((error: unknown) => {
          if (!signal?.aborted) setLoad({ status: 'failed', error });
        }),
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    void reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  if (load.status === 'loading') return <PageLoading />;
  if (load.status === 'failed')
    return (
      <EmptyState
        page
        icon="alert"
        title={t('bpm.instance.failedTitle')}
        text={errorMessage(load.error, i18n)}
        action={
          <Link className="button button-primary" to={INSTANCES_PATH}>
            {t('bpm.instance.back')}
          </Link>
        }
      />
    );
  return <Monitor instance={load.instance} names={names} onNames={setNames} reload={() => void reload()} />;
}

type MonitorProps = {
  instance: Instance;
  names: Record<string, string>;
  onNames(names: Record<string, string>): void;
  reload(): void;
};

function Monitor({ instance, names, onNames, reload }: MonitorProps) {
  const i18n = useI18n();
  const { t, formatDateTime, locale } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const manage = can(MANAGE);
  const running = instance.state === 'active' || instance.state === 'failed';
  const incidents = instance.incidents.filter((incident) => !incident.state || incident.state === 'open');
  const label = (elementId: string) => names[elementId] ?? elementId;
  const processName = names[instance.processId] ?? instance.processId;

  const retry = (incidentId: string) => {
    setBusy(incidentId);
    setError(null);
    retryIncident(incidentId)
      .then(() => {
        notify('success', t('bpm.instance.retried'));
        reload();
      })
      .catch((reason: unknown) => setError(errorMessage(reason, i18n)))
      .finally(() => setBusy(null));
  };

  const cancel = () => {
    setBusy('cancel');
    setError(null);
    cancelInstance(instance.id)
      .then(() => {
        setConfirming(false);
        notify('success', t('bpm.instance.cancelled'));
        reload();
      })
      .catch((reason: unknown) => setError(errorMessage(reason, i18n)))
      .finally(() => setBusy(null));
  };

  return (
    <>
      <PageHeader
        title={processName}
        description={t('bpm.instance.lead', {
          version: instance.version,
          startedAt: formatDateTime(instance.startedAt),
        })}
        actions={
          <>
            <Link className="button button-ghost" to={INSTANCES_PATH}>
              {t('bpm.instance.back')}
            </Link>
            {can(DEPLOY) ? (
              <Link
                className="button button-ghost"
                to={`/bpm/processes/${encodeURIComponent(instance.processId)}`}
                data-testid="instance-model"
              >
                {t('bpm.instance.model')}
              </Link>
            ) : null}
            {manage && running ? (
              <Button variant="danger" onClick={() => setConfirming(true)} data-testid="instance-cancel">
                {t('bpm.instance.cancel')}
              </Button>
            ) : null}
          </>
        }
      />
      <div className="bpm-instance-facts">
        <StateBadge state={instance.state} />
        {instance.businessKey ? (
          <span>
            {t('bpm.task.businessKey')}: <strong>{instance.businessKey}</strong>
          </span>
        ) : null}
        {instance.endedAt ? (
          <span>{t('bpm.instance.ended', { at: formatDateTime(instance.endedAt) })}</span>
        ) : null}
      </div>
      {confirming ? null : <FormError message={error} />}
      <InstanceDiagram
        instance={instance}
        incidentElements={incidents.map((i) => i.elementId)}
        onNames={onNames}
      />
      {incidents.length > 0 ? (
        <section className="bpm-incidents" data-testid="incidents" aria-labelledby="bpm-incidents-title">
          <h2 id="bpm-incidents-title">{t('bpm.instance.incidentsTitle', { count: incidents.length })}</h2>
          <ul>
            {incidents.map((incident) => (
              <li key={incident.id} className="bpm-incident-item">
                <div className="bpm-incident-text">
                  <strong>{label(incident.elementId)}</strong>
                  <span>{incident.message}</span>
                  <span className="muted small">{formatDateTime(incident.createdAt)}</span>
                </div>
                {manage ? (
                  <Button
                    icon="refresh"
                    busy={busy === incident.id}
                    disabled={busy !== null}
                    onClick={() => retry(incident.id)}
                    data-testid="incident-retry"
                  >
                    {t('bpm.instance.retry')}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div className="bpm-instance-columns">
        <section className="bpm-card" aria-labelledby="bpm-variables-title">
          <h2 id="bpm-variables-title">{t('bpm.task.dataTitle')}</h2>
          <VariablesList variables={instance.variables} testId="instance-variables" />
        </section>
        <section className="bpm-card" aria-labelledby="bpm-history-title">
          <h2 id="bpm-history-title">{t('bpm.instance.historyTitle')}</h2>
          <ol className="bpm-timeline" data-testid="instance-history">
            {instance.history.map((entry) => {
              const actor = actorName(entry);
              const open = entry.endedAt === null;
              return (
                <li key={entry.id} className={open ? 'bpm-timeline-open' : undefined}>
                  <div className="bpm-timeline-head">
                    <strong>{label(entry.elementId)}</strong>
                    {open ? (
                      <span className="badge bpm-state-active">{t('bpm.instance.inProgress')}</span>
                    ) : null}
                    {entry.state === 'terminated' ? (
                      <span className="badge badge-muted">{t('bpm.instance.terminated')}</span>
                    ) : null}
                  </div>
                  <div className="muted small">
                    {formatDateTime(entry.startedAt)}
                    {entry.endedAt ? ` – ${endOf(entry, locale, formatDateTime)}` : ''}
                    {actor ? ` · ${actor}` : ''}
                  </div>
                </li>
              );
            })}
          </ol>
        </section>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={t('bpm.instance.cancelTitle')}
          confirmLabel={t('bpm.instance.cancel')}
          keepLabel={t('bpm.instance.keep')}
          busy={busy === 'cancel'}
          error={error}
          onConfirm={cancel}
          onCancel={() => {
            setConfirming(false);
            setError(null);
          }}
          testId="cancel-dialog"
        >
          <p>{t('bpm.instance.cancelText', { process: processName })}</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

type DiagramProps = {
  instance: Instance;
  incidentElements: string[];
  onNames(names: Record<string, string>): void;
};

/** The diagram of the instance's version, loaded with bpmn-js's viewer on first use. */
function InstanceDiagram({ instance, incidentElements, onNames }: DiagramProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onNamesRef = useRef(onNames);
  onNamesRef.current = onNames;
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;
  const active = instance.activeElements.map((element) => element.elementId).join(',');
  const incidents = incidentElements.join(',');

  useEffect(() => {
    if (!container.current) return;
    let live = true;
    let viewer: ViewerHandle | null = null;
    setReady(false);
    const data = Promise.all([
      definitionXml(instance.processId, instance.version),
      // Counts are a help, not the point: the diagram shows without them.
      statistics(instance.processId, instance.version).catch(() => []),
    ]);
    import('./viewer-setup')
      .then(({ createViewer }) => createViewer(container.current as HTMLElement))
      .then(async (made) => {
        viewer = made;
        if (!live) return;
        const [xml, counts] = await data;
        if (!live) return;
        onNamesRef.current(elementNames(xml));
        // A model written by hand may have no drawing (no BPMNDiagram): nothing to show, not a failure.
        if (!xml.includes('BPMNDiagram')) {
          setError(i18nRef.current.t('bpm.instance.noDrawing'));
          return;
        }
        await made.open(xml);
        if (!live) return;
        made.mark({
          active: active ? active.split(',') : [],
          incidents: incidents ? incidents.split(',') : [],
          counts,
        });
        setReady(true);
      })
      .catch((reason: unknown) => {
        if (live)
          setError(
            i18nRef.current.t('bpm.instance.diagramFailed', {
              reason: errorMessage(reason, i18nRef.current),
            }),
          );
      });
    return () => {
      live = false;
      viewer?.destroy();
    };
  }, [instance.processId, instance.version, active, incidents]);

  return (
    <section className="bpm-card bpm-diagram-card" aria-label={t('bpm.instance.diagram')}>
      <div className="bpm-legend small">
        <span className="bpm-legend-active">{t('bpm.instance.legendActive')}</span>
        <span className="bpm-legend-incident">{t('bpm.instance.legendIncident')}</span>
        <span className="muted">{t('bpm.instance.legendCounts')}</span>
      </div>
      <div className="bpm-diagram" data-testid="instance-diagram" data-ready={ready || undefined}>
        <div ref={container} className="bpm-canvas" />
        {ready || error ? null : (
          <div className="bpm-canvas-loading">
            <Spinner size="large" label={t('bpm.modeler.loading')} />
          </div>
        )}
        {error ? (
          <div className="bpm-canvas-loading">
            <p className="muted" data-testid="diagram-missing">
              {error}
            </p>
          </div>
        ) : null}
      </div>
    </section>
  );
}
