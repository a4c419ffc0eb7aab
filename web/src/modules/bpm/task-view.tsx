// One task: its form beside what it is about; claim, give back, complete, then the next step.

import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { roleLabels } from '../../app/role-label';
import { Link, navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { AboutCards } from './about-cards';
import { claimTask, completeTask, getTask, type Task, tasksOfInstance, unclaimTask } from './api';
import { Due } from './due';
import type { FormView } from './form-viewer';
import { INBOX_PATH, refreshInboxCount } from './inbox-count';
import { TaskForm } from './task-form';
import { variableIssues } from './variable-issues';
import { VariablesList } from './variables-list';

type Load = { status: 'loading' } | { status: 'failed'; error: unknown } | { status: 'ready'; task: Task };

export function TaskView({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, tOr, formatDateTime } = i18n;
  const { user } = useSession();
  const notify = useNotify();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [busy, setBusy] = useState<'claim' | 'unclaim' | 'complete' | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const view = useRef<FormView | null>(null);

  const reload = useCallback(
    (signal?: AbortSignal) =>
      getTask(id, signal)
        .then((task) => setLoad({ status: 'ready', task }))
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
  if (load.status === 'failed' || load.task.state === 'completed' || load.task.state === 'cancelled') {
    const error = load.status === 'failed' ? load.error : null;
    const gone = !error || (error instanceof ApiError && (error.status === 404 || error.status === 409));
    return (
      <EmptyState
        page
        icon={gone ? 'check' : 'alert'}
        title={gone ? t('bpm.task.goneTitle') : t('bpm.task.failedTitle')}
        text={gone ? t('bpm.task.goneText') : errorMessage(error, i18n)}
        action={
          <Link className="button button-primary" to={INBOX_PATH}>
            {t('bpm.task.backToInbox')}
          </Link>
        }
      />
    );
  }

  const task = load.task;
  const me = user?.email.toLowerCase() ?? '';
  const mine = task.assignee?.toLowerCase() === me;
  const offered = task.assignee === null;
  // Only a task offered to several people can be given back; one assigned by the model stays.
  const shared = task.candidateGroups.length > 0 || task.candidateUsers.length > 0;
  const processLabel = task.processName ?? task.processId;

  const act = (kind: 'claim' | 'unclaim', run: (taskId: string) => Promise<unknown>) => {
    setBusy(kind);
    setGeneral(null);
    run(task.id)
      .then(() => reload())
      .then(() => refreshInboxCount())
      .catch((error: unknown) => setGeneral(errorMessage(error, i18n)))
      .finally(() => setBusy(null));
  };

  const complete = async () => {
    setGeneral(null);
    let variables = {};
    if (task.form) {
      const form = view.current;
      if (!form) return;
      const result = form.submit();
      if (!result.valid) {
        setGeneral(t('bpm.task.checkFields'));
        return;
      }
      variables = result.data;
    }
    setBusy('complete');
    try {
      const done = await completeTask(task.id, variables);
      void refreshInboxCount();
      // The guided flow: the same instance's next step for this person opens at once.
      const next = (await tasksOfInstance(done.processInstanceId).catch(() => [])).find(
        (other) => other.id !== task.id,
      );
      if (next) {
        notify('success', t('bpm.task.nextStep', { name: next.name ?? next.elementId }));
        navigate(`${INBOX_PATH}/${encodeURIComponent(next.id)}`);
      } else {
        notify('success', t('bpm.task.completed', { name: task.name ?? task.elementId }));
        navigate(INBOX_PATH);
      }
    } catch (error) {
      setBusy(null);
      const byKey = variableIssues(error);
      const unplaced = Object.keys(byKey).length > 0 && view.current ? view.current.showErrors(byKey) : [];
      if (Object.keys(byKey).length === 0) setGeneral(errorMessage(error, i18n));
      else if (unplaced.length > 0) setGeneral(unplaced.map((key) => `${key}: ${byKey[key]}`).join(' '));
      else setGeneral(t('bpm.task.checkFields'));
    }
  };

  return (
    <>
      <PageHeader
        title={task.name ?? task.elementId}
        description={[task.subject, t('bpm.task.lead', { process: processLabel })]
          .filter(Boolean)
          .join(' — ')}
        actions={
          <Link className="button button-ghost" to={INBOX_PATH} data-testid="task-back">
            {t('bpm.task.backToInbox')}
          </Link>
        }
      />
      {offered ? (
        <div className="bpm-banner" data-testid="task-offered">
          <span>
            {task.candidateGroups.length > 0
              ? t('bpm.task.offeredToGroup', { groups: roleLabels(task.candidateGroups, tOr) })
              : t('bpm.task.offeredToYou')}
          </span>
          <Button
            variant="primary"
            busy={busy === 'claim'}
            disabled={busy !== null}
            onClick={() => act('claim', claimTask)}
            data-testid="task-claim"
          >
            {t('bpm.task.claim')}
          </Button>
        </div>
      ) : !mine ? (
        <div className="bpm-banner" data-testid="task-taken">
          {t('bpm.task.assignedTo', { assignee: task.assignee ?? '' })}
        </div>
      ) : null}
      <div className="bpm-task">
        <section className="bpm-card bpm-task-main" aria-labelledby="bpm-task-form-title">
          <h2 id="bpm-task-form-title">{t('bpm.task.formTitle')}</h2>
          {task.form ? (
            <TaskForm
              schema={task.form}
              data={task.variables}
              readOnly={!mine}
              view={view}
              onError={(error) => setGeneral(errorMessage(error, i18n))}
            />
          ) : (
            <p className="muted" data-testid="task-no-form">
              {t('bpm.task.noForm')}
            </p>
          )}
          <FormError message={general} />
          <div className="bpm-actions">
            <Button
              variant="primary"
              icon="check"
              busy={busy === 'complete'}
              disabled={!mine || busy !== null}
              onClick={() => void complete()}
              data-testid="task-complete"
            >
              {t('bpm.task.complete')}
            </Button>
            {mine && shared ? (
              <Button
                variant="ghost"
                busy={busy === 'unclaim'}
                disabled={busy !== null}
                onClick={() => act('unclaim', unclaimTask)}
                data-testid="task-unclaim"
              >
                {t('bpm.task.unclaim')}
              </Button>
            ) : null}
          </div>
        </section>
        <aside
          className="bpm-card bpm-task-about"
          aria-labelledby="bpm-task-about-title"
          data-testid="task-about"
        >
          <h2 id="bpm-task-about-title">{t('bpm.task.aboutTitle')}</h2>
          <dl className="bpm-facts">
            <div>
              <dt>{t('bpm.tasks.process')}</dt>
              <dd>{processLabel}</dd>
            </div>
            {task.businessKey ? (
              <div>
                <dt>{t('bpm.task.businessKey')}</dt>
                <dd>{task.businessKey}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('bpm.tasks.due')}</dt>
              <dd>
                <Due task={task} />
              </dd>
            </div>
            <div>
              <dt>{t('bpm.tasks.created')}</dt>
              <dd>{formatDateTime(task.createdAt)}</dd>
            </div>
          </dl>
          <AboutCards variables={task.variables} />
          {/* The raw data is for the curious: the cards above say what matters. */}
          <details className="bpm-data" data-testid="task-data">
            <summary>{t('bpm.task.dataToggle')}</summary>
            <VariablesList variables={task.variables} testId="task-variables" />
          </details>
        </aside>
      </div>
    </>
  );
}
