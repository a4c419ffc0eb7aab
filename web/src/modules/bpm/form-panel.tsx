// A user task's form in the modeler: which form it shows, and the form-js editor to change it.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Button, FormError, Spinner } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { type FormSchema, getForm } from './api';
import type { FormEditorHandle } from './form-editor';
import type { SelectedElement } from './modeler-setup';

type Props = {
  element: SelectedElement;
  /** Forms edited in this modeler, by formId (not deployed yet). */
  forms: ReadonlyMap<string, FormSchema>;
  onSave(schema: FormSchema): void;
};

function blankForm(formId: string): FormSchema {
  return { id: formId, type: 'default', components: [] };
}

export function FormPanel({ element, forms, onSave }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const edited = element.formId ? forms.has(element.formId) : false;
  return (
    <section className="bpm-card bpm-side-card" data-testid="form-panel">
      <h2>{t('bpm.modeler.formTitle')}</h2>
      <p className="small">
        {element.formId ? (
          <>
            <code>{element.formId}</code>
            {edited ? <span className="badge bpm-badge-warn">{t('bpm.modeler.formEdited')}</span> : null}
          </>
        ) : (
          <span className="muted">{t('bpm.modeler.formNone')}</span>
        )}
      </p>
      <Button icon="log" onClick={() => setEditing(true)} data-testid="form-edit">
        {element.formId ? t('bpm.modeler.formEdit') : t('bpm.modeler.formCreate')}
      </Button>
      {editing ? (
        <FormEditorDialog
          formId={element.formId ?? `Form_${element.id}`}
          known={element.formId ? forms.get(element.formId) : undefined}
          onCancel={() => setEditing(false)}
          onSave={(schema) => {
            onSave(schema);
            setEditing(false);
          }}
        />
      ) : null}
    </section>
  );
}

type DialogProps = {
  formId: string;
  known: FormSchema | undefined;
  onCancel(): void;
  onSave(schema: FormSchema): void;
};

function FormEditorDialog({ formId, known, onCancel, onSave }: DialogProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const dialog = useRef<HTMLDialogElement>(null);
  const container = useRef<HTMLDivElement>(null);
  const editor = useRef<FormEditorHandle | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const i18nRef = useRef(i18n);
  i18nRef.current = i18n;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  useEffect(() => {
    let live = true;
    // The form as deployed last, when it exists; a new one starts empty.
    const schema = known
      ? Promise.resolve(known)
      : getForm(formId)
          .then((answer) => answer.schema)
          .catch((reason: unknown) => {
            if (reason instanceof ApiError && reason.status === 404) return blankForm(formId);
            throw reason;
          });
    Promise.all([schema, import('./form-editor')])
      .then(([loaded, { openFormEditor }]) => {
        if (!live || !container.current) return;
        return openFormEditor(container.current, { ...loaded, id: formId }).then((handle) => {
          if (!live) return handle.destroy();
          editor.current = handle;
          setReady(true);
        });
      })
      .catch((reason: unknown) => {
        if (live) setError(errorMessage(reason, i18nRef.current));
      });
    return () => {
      live = false;
      editor.current?.destroy();
      editor.current = null;
    };
  }, [formId, known]);

  return (
    <dialog
      ref={dialog}
      className="bpm-form-dialog"
      aria-labelledby="bpm-form-dialog-title"
      data-testid="form-editor"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <header className="bpm-form-dialog-header">
        <h2 id="bpm-form-dialog-title">{t('bpm.modeler.formDialogTitle', { formId })}</h2>
        <p className="muted small">{t('bpm.modeler.formDialogLead')}</p>
      </header>
      <div className="bpm-form-editor">
        {ready || error ? null : <Spinner size="large" label={t('bpm.modeler.loading')} />}
        <div ref={container} className="bpm-form-editor-host" />
      </div>
      <FormError message={error} />
      <footer className="bpm-form-dialog-actions">
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button
          variant="primary"
          disabled={!ready}
          onClick={() => {
            if (editor.current) onSave(editor.current.save());
          }}
          data-testid="form-editor-save"
        >
          {t('bpm.modeler.formUse')}
        </Button>
      </footer>
    </dialog>
  );
}
