// The start form of a process in a dialog (form-js, in the reader's language): what the process
// needs before it starts, such as the dates of a leave.
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { Button, FormError, Spinner } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { type FormSchema, getForm, type Variables } from './api';
import type { FormView } from './form-viewer';
import { TaskForm } from './task-form';
import { variableIssues } from './variable-issues';

type Props = {
  title: string;
  formId: string;
  /** What the form may show: the page's record ids. */
  data: Variables;
  /** Starts the process with the form's data; a refusal is shown in the dialog. */
  onStart(data: Variables): Promise<void>;
  onClose(): void;
};

export function StartFormDialog({ title, formId, data, onStart, onClose }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const dialog = useRef<HTMLDialogElement>(null);
  const view = useRef<FormView | null>(null);
  const [schema, setSchema] = useState<FormSchema | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Taken once: the page may render again (a new object each time), which must not redraw the form.
  const [initial] = useState(data);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: i18n only words the error.
  useEffect(() => {
    let cancelled = false;
    getForm(formId)
      .then((form) => {
        if (!cancelled) setSchema(form.schema);
      })
      .catch((error: unknown) => {
        if (!cancelled) setGeneral(errorMessage(error, i18n));
      });
    return () => {
      cancelled = true;
    };
  }, [formId]);

  const submit = async () => {
    const form = view.current;
    if (!form) return;
    setGeneral(null);
    const result = form.submit();
    if (!result.valid) {
      setGeneral(t('bpm.task.checkFields'));
      return;
    }
    setBusy(true);
    try {
      await onStart(result.data);
      onClose();
    } catch (error) {
      setBusy(false);
      const byKey = variableIssues(error);
      const unplaced = Object.keys(byKey).length > 0 ? form.showErrors(byKey) : [];
      if (Object.keys(byKey).length === 0) setGeneral(errorMessage(error, i18n));
      else if (unplaced.length > 0) setGeneral(unplaced.map((key) => `${key}: ${byKey[key]}`).join(' '));
      else setGeneral(t('bpm.task.checkFields'));
    }
  };

  return (
    <dialog
      ref={dialog}
      className="bpm-start-dialog"
      aria-labelledby="bpm-start-dialog-title"
      data-testid="start-dialog"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id="bpm-start-dialog-title">{title}</h2>
      <p className="small muted">{t('bpm.start.dialogText')}</p>
      <div
        className="bpm-start-dialog-body"
        // "Some fields need your attention" is about the last try: a change starts a new one.
        onInput={() => setGeneral((message) => (message === t('bpm.task.checkFields') ? null : message))}
      >
        {schema ? (
          <TaskForm
            schema={schema}
            data={initial}
            readOnly={false}
            view={view}
            onError={(error) => setGeneral(errorMessage(error, i18n))}
          />
        ) : general ? null : (
          <Spinner label={t('bpm.task.formLoading')} />
        )}
      </div>
      <FormError message={general} />
      <div className="bpm-start-dialog-actions">
        <Button onClick={onClose} disabled={busy}>
          {t('bpm.start.keep')}
        </Button>
        <Button
          variant="primary"
          icon="check"
          busy={busy}
          disabled={!schema}
          onClick={() => void submit()}
          data-testid="start-dialog-submit"
        >
          {t('bpm.start.submit')}
        </Button>
      </div>
    </dialog>
  );
}
