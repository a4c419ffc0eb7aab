// A modal question before something that cannot be undone (the browser's own <dialog>).
import { type ReactNode, useEffect, useRef } from 'react';
import { Button, FormError } from '../../app/ui';

type Props = {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** What keeps things as they are, said plainly ("Keep it running"), never a second "Cancel". */
  keepLabel: string;
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
  keepLabel,
  busy,
  error,
  onConfirm,
  onCancel,
  testId,
}: Props) {
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
          {keepLabel}
        </Button>
        <Button variant="danger" busy={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
