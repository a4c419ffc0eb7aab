import { type FormEvent, useState } from 'react';
import { api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { useSession } from '../../app/session';
import { Button, Drawer, Field, FormError, TextField } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { ACTIVITY_TYPES, type Activity, type ActivityType, CRM, updateActivity } from './api';
import { Dialog, SelectField, toLocalInput, useOwners } from './parts';

type ActivityFormProps = {
  clientId?: string | null;
  dealId?: string | null;
  onClose(): void;
  onSaved(activity: Activity): void;
};

/** The side panel to plan a call, meeting, e-mail or task, or to write a note. */
export function ActivityForm({ clientId, dealId, onClose, onSaved }: ActivityFormProps) {
  const { t } = useI18n();
  const { user } = useSession();
  const owners = useOwners();
  const errors = useFormErrors();
  const [type, setType] = useState<ActivityType>('call');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [dueAt, setDueAt] = useState(() => {
    const soon = new Date(Date.now() + 60 * 60 * 1000);
    soon.setMinutes(0, 0, 0);
    return toLocalInput(soon);
  });
  const [assigneeId, setAssigneeId] = useState(user?.id ?? '');
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    if (!subject.trim()) {
      errors.setField('subject', t('validation.required'));
      return;
    }
    const due = type === 'note' || !dueAt ? null : new Date(dueAt);
    if (due && Number.isNaN(due.getTime())) {
      errors.setField('dueAt', t('crm.activity.dueInvalid'));
      return;
    }
    setBusy(true);
    api<Activity>('POST', `${CRM}/activities`, {
      type,
      subject: subject.trim(),
      ...(body.trim() ? { body: body.trim() } : {}),
      ...(clientId ? { clientId } : {}),
      ...(dealId ? { dealId } : {}),
      ...(due ? { dueAt: due.toISOString() } : {}),
      ...(assigneeId ? { assigneeId } : {}),
    })
      .then(onSaved)
      .catch((error: unknown) => {
        setBusy(false);
        errors.show(error, { knownFields: ['type', 'subject', 'body', 'dueAt', 'assigneeId'] });
      });
  };

  const formId = 'crm-activity-form';
  return (
    <Drawer
      title={t('crm.activity.createTitle')}
      onClose={onClose}
      testId="activity-drawer"
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form={formId} variant="primary" busy={busy} data-testid="activity-save">
            {t('crm.activity.create')}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <Field label={t('crm.fields.activityType')} name="type" error={errors.fields.type}>
          {() => (
            <div
              className="segmented segmented-wrap"
              role="radiogroup"
              aria-label={t('crm.fields.activityType')}
            >
              {ACTIVITY_TYPES.map((k) => (
                <label key={k} className={type === k ? 'segmented-on' : undefined}>
                  <input
                    type="radio"
                    name="type"
                    value={k}
                    checked={type === k}
                    onChange={() => setType(k)}
                  />
                  {t(`crm.activityType.${k}`)}
                </label>
              ))}
            </div>
          )}
        </Field>
        <TextField
          label={t('crm.fields.subject')}
          name="subject"
          value={subject}
          onChange={setSubject}
          error={errors.fields.subject}
          maxLength={300}
          data-testid="activity-subject"
        />
        {type !== 'note' ? (
          <TextField
            label={t('crm.fields.dueAt')}
            name="dueAt"
            type="datetime-local"
            value={dueAt}
            onChange={setDueAt}
            error={errors.fields.dueAt}
            hint={t('crm.activity.dueHint')}
          />
        ) : null}
        <SelectField
          label={t('crm.fields.assignee')}
          name="assigneeId"
          value={assigneeId}
          onChange={setAssigneeId}
          options={owners}
          error={errors.fields.assigneeId}
        />
        <Field label={t('crm.fields.body')} name="body" error={errors.fields.body}>
          {(control) => (
            <textarea
              className="input"
              rows={4}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              {...control}
            />
          )}
        </Field>
      </form>
    </Drawer>
  );
}

/** Asks for the result of an activity and marks it done. */
export function DoneDialog({
  activity,
  onClose,
  onDone,
}: {
  activity: Pick<Activity, 'id' | 'subject'>;
  onClose(): void;
  onDone(activity: Activity): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title={t('crm.activity.doneTitle', { subject: activity.subject })}
      confirmLabel={t('crm.activity.markDone')}
      busy={busy}
      error={error}
      testId="activity-done-dialog"
      onCancel={onClose}
      onConfirm={() => {
        setBusy(true);
        updateActivity(activity.id, { done: true, ...(result.trim() ? { result: result.trim() } : {}) })
          .then(onDone)
          .catch((reason: unknown) => {
            setBusy(false);
            setError(errorMessage(reason, i18n));
          });
      }}
    >
      <Field label={t('crm.fields.result')} name="result" hint={t('crm.activity.resultHint')}>
        {(control) => (
          <textarea
            className="input"
            rows={3}
            value={result}
            onChange={(e) => setResult(e.target.value)}
            data-testid="activity-result"
            {...control}
          />
        )}
      </Field>
    </Dialog>
  );
}
