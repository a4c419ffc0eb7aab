import { type ReactNode, useEffect, useRef } from 'react';
import { Button } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  variant?: 'primary' | 'danger';
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
  testId?: string;
};

/** A modal question (the browser's own <dialog>: focus stays inside, Escape cancels). */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  variant = 'primary',
  busy = false,
  error,
  onConfirm,
  onCancel,
  testId,
}: Props) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="erp-dialog"
      aria-labelledby="erp-dialog-title"
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id="erp-dialog-title">{title}</h2>
      <div className="erp-dialog-body">{children}</div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="erp-dialog-actions">
        <Button onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button
          variant={variant}
          busy={busy}
          onClick={onConfirm}
          data-testid={testId ? `${testId}-confirm` : undefined}
        >
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
