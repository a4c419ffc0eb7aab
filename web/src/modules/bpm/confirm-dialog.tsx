// A modal question before something that cannot be undone (the browser's own <dialog>).
import { type ReactNode, useEffect, useRef } from 'react';
import { Button, FormError } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  error: string | null;
  onConfirm(): void;
  onCancel(): void;
  testId: string;
};

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy,
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
      className="bpm-confirm"
      aria-labelledby={`${testId}-title`}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={`${testId}-title`}>{title}</h2>
      <div>{children}</div>
      <FormError message={error} />
      <div className="bpm-actions bpm-confirm-actions">
        <Button onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </Button>
        <Button variant="danger" busy={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
