// When a task is due, and a red mark when that has passed.
import { useI18n } from '../../i18n/i18n';
import type { TaskSummary } from './api';

export function isOverdue(task: Pick<TaskSummary, 'dueAt' | 'overdue'>, now = Date.now()): boolean {
  if (typeof task.overdue === 'boolean') return task.overdue;
  return task.dueAt !== null && new Date(task.dueAt).getTime() < now;
}

export function Due({ task }: { task: Pick<TaskSummary, 'dueAt' | 'overdue'> }) {
  const { t, formatDateTime } = useI18n();
  if (!task.dueAt) return <span className="muted">{t('bpm.tasks.noDue')}</span>;
  const overdue = isOverdue(task);
  return (
    <span
      className={overdue ? 'bpm-due bpm-overdue' : 'bpm-due'}
      data-testid={overdue ? 'task-overdue' : undefined}
    >
      {overdue ? <span className="badge bpm-badge-danger">{t('bpm.tasks.overdue')}</span> : null}
      {formatDateTime(task.dueAt)}
    </span>
  );
}
