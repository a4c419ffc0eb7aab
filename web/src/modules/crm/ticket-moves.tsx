// The moves a request may make from its status, as buttons: resolving asks for the resolution
// (and the client's rating), closing for the rating; the others go at once.
import { useState } from 'react';
import { ApiError } from '../../app/api';
import { Button, Field, useNotify } from '../../app/ui';
import { useFormErrors } from '../../app/use-form-errors';
import { useI18n } from '../../i18n/i18n';
import { Dialog } from './parts';
import { RatingInput } from './ticket-parts';
import {
  crmErrorMessage,
  isStale,
  moveTicket,
  NEXT_STATUSES,
  type TicketDetail,
  type TicketMove,
  type TicketStatus,
} from './tickets-api';

type MovesProps = {
  ticket: TicketDetail;
  onMoved(ticket: TicketDetail): void;
  /** The server no longer sees the request as the card shows it: read it again. */
  onStale(): void;
};

export function TicketMoves({ ticket, onMoved, onStale }: MovesProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const notify = useNotify();
  const [asking, setAsking] = useState<'resolved' | 'closed' | null>(null);
  const [busy, setBusy] = useState<TicketStatus | null>(null);

  const done = (moved: TicketDetail) => {
    setAsking(null);
    notify(
      'success',
      t('crm.ticket.moved', { number: moved.number, status: t(`crm.ticketStatus.${moved.status}`) }),
    );
    onMoved(moved);
  };

  const go = (to: TicketStatus) => {
    if (to === 'resolved' || to === 'closed') {
      setAsking(to);
      return;
    }
    setBusy(to);
    moveTicket(ticket, { status: to })
      .then(done)
      .catch((error: unknown) => {
        notify('error', crmErrorMessage(error, i18n));
        if (isStale(error)) onStale();
      })
      .finally(() => setBusy(null));
  };

  const label = (to: TicketStatus) =>
    ticket.status === 'resolved' && to === 'inProgress'
      ? t('crm.ticket.move.reopen')
      : t(`crm.ticket.move.${to as Exclude<TicketStatus, 'new'>}`);

  return (
    <>
      {NEXT_STATUSES[ticket.status].map((to) => (
        <Button
          key={to}
          variant={to === 'resolved' ? 'primary' : 'secondary'}
          busy={busy === to}
          disabled={busy !== null}
          onClick={() => go(to)}
          data-testid={`ticket-move-${to}`}
        >
          {label(to)}
        </Button>
      ))}
      {asking ? (
        <MoveDialog
          ticket={ticket}
          to={asking}
          onClose={() => setAsking(null)}
          onMoved={done}
          onStale={onStale}
        />
      ) : null}
    </>
  );
}

/** Resolving (a resolution, required, and a rating) or closing (a rating) a request. */
function MoveDialog({
  ticket,
  to,
  onClose,
  onMoved,
  onStale,
}: {
  ticket: TicketDetail;
  to: 'resolved' | 'closed';
  onClose(): void;
  onMoved(ticket: TicketDetail): void;
  onStale(): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const errors = useFormErrors();
  const [resolution, setResolution] = useState(ticket.resolution ?? '');
  const [rating, setRating] = useState<number | null>(ticket.rating);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const resolving = to === 'resolved';

  const confirm = () => {
    errors.clear();
    setRefusal(null);
    if (resolving && !resolution.trim()) {
      errors.setField('resolution', t('crm.ticket.resolutionRequired'));
      return;
    }
    const move: TicketMove = {
      status: to,
      ...(resolving ? { resolution: resolution.trim() } : {}),
      // Always sent: "no rating" clears one given when the request was resolved.
      rating,
    };
    setBusy(true);
    moveTicket(ticket, move)
      .then(onMoved)
      .catch((error: unknown) => {
        setBusy(false);
        if (error instanceof ApiError && error.issues.length > 0) {
          errors.show(error, { knownFields: ['resolution', 'rating'] });
          return;
        }
        setRefusal(crmErrorMessage(error, i18n));
        if (isStale(error)) onStale();
      });
  };

  return (
    <Dialog
      title={t(resolving ? 'crm.ticket.resolveTitle' : 'crm.ticket.closeTitle', { number: ticket.number })}
      confirmLabel={t(resolving ? 'crm.ticket.move.resolved' : 'crm.ticket.move.closed')}
      busy={busy}
      error={refusal ?? errors.general}
      onCancel={onClose}
      onConfirm={confirm}
      testId={resolving ? 'ticket-resolve-dialog' : 'ticket-close-dialog'}
    >
      {resolving ? (
        <Field
          label={t('crm.fields.resolution')}
          name="resolution"
          error={errors.fields.resolution}
          hint={t('crm.ticket.resolutionHint')}
        >
          {(control) => (
            <textarea
              className="input"
              rows={4}
              value={resolution}
              onChange={(e) => {
                setResolution(e.target.value);
                if (errors.fields.resolution) errors.setField('resolution', '');
              }}
              data-testid="ticket-resolution"
              {...control}
            />
          )}
        </Field>
      ) : (
        <p>{t('crm.ticket.closeText')}</p>
      )}
      <RatingInput value={rating} onChange={setRating} />
      {errors.fields.rating ? <p className="field-error">{errors.fields.rating}</p> : null}
    </Dialog>
  );
}
