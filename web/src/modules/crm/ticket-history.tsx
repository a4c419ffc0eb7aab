// A request's history, oldest first as a conversation reads, and the box to add a comment below.
import { type FormEvent, useState } from 'react';
import { actorLabel } from '../../app/actor-label';
import { Button, Field, FormError } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { eventSentence } from './ticket-events';
import { commentTicket, crmErrorMessage, type TicketDetail, type TicketEvent } from './tickets-api';

export function TicketHistory({ history }: { history: TicketEvent[] }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  return (
    <ol className="crm-ticket-history" data-testid="ticket-history">
      {history.map((event) => (
        <li
          key={event.id}
          className={`crm-ticket-event crm-ticket-event-${event.kind}`}
          data-testid="ticket-event"
          data-kind={event.kind}
        >
          <div className="crm-ticket-event-head">
            <strong className="crm-wrap">{eventSentence(event, i18n)}</strong>
            <span className="muted small">
              {formatDateTime(event.at)}
              {event.actorName ? ` · ${actorLabel(event.actorName, t)}` : ''}
            </span>
          </div>
          {event.text ? (
            <p className="crm-ticket-event-text crm-wrap">
              {event.kind === 'status' ? (
                <span className="muted">{`${t('crm.fields.resolution')}: `}</span>
              ) : null}
              {event.text}
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** "Add a comment": Ctrl+Enter (or Cmd+Enter) sends, as in a messenger. */
export function CommentBox({ ticketId, onAdded }: { ticketId: string; onAdded(ticket: TicketDetail): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    commentTicket(ticketId, text.trim())
      .then((ticket) => {
        setText('');
        onAdded(ticket);
      })
      .catch((reason: unknown) => setError(crmErrorMessage(reason, i18n)))
      .finally(() => setBusy(false));
  };

  return (
    <form className="crm-ticket-comment" onSubmit={send} data-testid="ticket-comment-form">
      <FormError message={error} />
      <Field label={t('crm.ticket.comment')} name="text" hint={t('crm.ticket.commentHint')}>
        {(control) => (
          <textarea
            className="input"
            rows={3}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
              e.preventDefault();
              send();
            }}
            data-testid="ticket-comment"
            {...control}
          />
        )}
      </Field>
      <Button type="submit" busy={busy} disabled={!text.trim()} data-testid="ticket-comment-send">
        {t('crm.ticket.comment')}
      </Button>
    </form>
  );
}
