// One service request: what it is about, who works on it by when, the moves its status allows,
// and its history with the comment box.
import { useEffect, useState } from 'react';
import { CardLoadError, Facts } from '../../app/record-card';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { TicketForm } from './ticket-form';
import { CommentBox, TicketHistory } from './ticket-history';
import { TicketMoves } from './ticket-moves';
import { DueText, OverdueMark, RatingStars, TicketPriorityBadge, TicketStatusBadge } from './ticket-parts';
import { getTicket, type TicketDetail } from './tickets-api';

const LIST = '/crm/tickets';

export function TicketCardPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState(false);
  const [token, setToken] = useState(0);
  const reload = () => setToken((n) => n + 1);

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    getTicket(id, controller.signal)
      .then((answer) => {
        setTicket(answer);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [id, token]);

  const back = (
    <p className="small">
      <Link to={LIST}>{`← ${t('crm.ticket.back')}`}</Link>
    </p>
  );
  if (error) return <CardLoadError error={error} backTo={LIST} backLabel={t('crm.ticket.back')} />;
  if (!ticket) return <PageLoading />;

  const writable = can('crm.tickets.write');
  const closed = ticket.status === 'closed';
  const time = (value: string | null) => (value ? formatDateTime(value) : null);
  return (
    <div className="crm-ticket-page" data-testid="ticket-card">
      {back}
      <PageHeader
        title={`${ticket.number} · ${ticket.subject}`}
        description={[ticket.clientName, t(`crm.ticketKind.${ticket.kind}`)].join(' · ')}
        actions={
          writable ? (
            <>
              <TicketMoves ticket={ticket} onMoved={setTicket} onStale={reload} />
              {closed ? null : (
                <Button onClick={() => setEditing(true)} data-testid="ticket-edit">
                  {t('crm.common.edit')}
                </Button>
              )}
            </>
          ) : null
        }
      />
      <div className="crm-ticket-badges">
        <TicketStatusBadge status={ticket.status} />
        <TicketPriorityBadge priority={ticket.priority} />
        {ticket.overdue ? <OverdueMark /> : null}
      </div>
      {closed ? <p className="notice">{t('crm.ticket.closedNote')}</p> : null}
      <div className="grid-2">
        <section className="panel" data-testid="ticket-facts">
          <h2 className="panel-title">{t('crm.ticket.details')}</h2>
          <Facts
            rows={[
              [
                t('crm.fields.client'),
                <Link key="client" to={`/crm/clients/${encodeURIComponent(ticket.clientId)}`}>
                  {ticket.clientName}
                </Link>,
              ],
              [t('crm.fields.contact'), ticket.contactName],
              [
                t('crm.fields.deal'),
                ticket.dealId ? (
                  <Link key="deal" to={`/crm/deals?deal=${encodeURIComponent(ticket.dealId)}`}>
                    {ticket.dealTitle ?? ticket.dealId}
                  </Link>
                ) : null,
              ],
              [t('crm.fields.ticketKind'), t(`crm.ticketKind.${ticket.kind}`)],
              [t('crm.fields.channel'), t(`crm.ticketChannel.${ticket.channel}`)],
              [t('crm.fields.assignee'), ticket.assigneeName],
              [t('crm.fields.dueAt'), <DueText key="due" ticket={ticket} />],
              [
                t('crm.fields.createdAt'),
                [time(ticket.createdAt), ticket.createdByName].filter(Boolean).join(' · '),
              ],
              [t('crm.fields.respondedAt'), time(ticket.respondedAt)],
              [t('crm.fields.resolvedAt'), time(ticket.resolvedAt)],
              [t('crm.fields.closedAt'), time(ticket.closedAt)],
              [
                t('crm.fields.rating'),
                ticket.rating ? <RatingStars key="rating" rating={ticket.rating} /> : null,
              ],
            ]}
          />
        </section>
        <section className="panel" data-testid="ticket-description">
          <h2 className="panel-title">{t('crm.fields.description')}</h2>
          <p className="crm-ticket-text crm-wrap">{ticket.description ?? t('crm.ticket.noDescription')}</p>
          {ticket.resolution ? (
            <>
              <h3 className="section-title">{t('crm.fields.resolution')}</h3>
              <p className="crm-ticket-text crm-wrap" data-testid="ticket-resolution-text">
                {ticket.resolution}
              </p>
            </>
          ) : null}
        </section>
      </div>
      <section className="panel crm-section" data-testid="ticket-history-panel">
        <h2 className="panel-title">{t('crm.ticket.history')}</h2>
        <TicketHistory history={ticket.history} />
        {writable ? <CommentBox ticketId={ticket.id} onAdded={setTicket} /> : null}
      </section>
      {editing && !closed ? (
        <TicketForm
          ticket={ticket}
          onClose={() => setEditing(false)}
          onStale={reload}
          onSaved={(saved) => {
            notify('success', t('crm.ticket.saved', { number: saved.number }));
            setEditing(false);
            setTicket(saved);
          }}
        />
      ) : null}
    </div>
  );
}
