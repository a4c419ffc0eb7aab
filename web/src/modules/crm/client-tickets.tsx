// The client card's "Service requests" panel: the client's latest requests, and a new one.
import { useEffect, useState } from 'react';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import type { Client } from './api';
import { TicketForm } from './ticket-form';
import { OverdueMark, TicketStatusBadge } from './ticket-parts';
import { crmErrorMessage, listTickets, type Ticket } from './tickets-api';

/** How many of the client's requests the card lists, newest first. */
const SHOWN = 20;

export function ClientTickets({
  client,
  onCreated,
}: {
  client: Pick<Client, 'id' | 'name'>;
  /** A request was opened: the card's timeline has a new entry. */
  onCreated(): void;
}) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const [tickets, setTickets] = useState<Ticket[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState(0);
  const writable = can('crm.tickets.write');

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    listTickets({ clientId: client.id, sort: '-createdAt', limit: SHOWN }, controller.signal)
      .then((page) => {
        setTickets(page.items);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(crmErrorMessage(reason, i18n));
      });
    return () => controller.abort();
  }, [client.id, token]);

  return (
    <section className="panel" data-testid="card-tickets">
      <h2 className="panel-title">
        {t('crm.card.tickets')}
        {writable ? (
          <span className="crm-panel-badge">
            <Button icon="plus" onClick={() => setCreating(true)} data-testid="card-add-ticket">
              {t('crm.card.addTicket')}
            </Button>
          </span>
        ) : null}
      </h2>
      {error ? (
        <p className="muted">{error}</p>
      ) : tickets === null ? (
        <p className="muted" data-testid="card-tickets-loading">
          {t('common.loading')}
        </p>
      ) : tickets.length === 0 ? (
        <p className="muted">{t('crm.card.noTickets')}</p>
      ) : (
        <ul className="crm-list">
          {tickets.map((ticket) => (
            <li
              key={ticket.id}
              className={ticket.overdue ? 'crm-ticket-row-overdue' : undefined}
              data-testid="card-ticket"
            >
              <div className="crm-list-main">
                <Link to={`/crm/tickets/${encodeURIComponent(ticket.id)}`} className="crm-wrap">
                  <strong>{ticket.number}</strong>
                  {` · ${ticket.subject}`}
                </Link>
                <div className="small muted">
                  {ticket.overdue ? <OverdueMark /> : null}
                  {[t(`crm.ticketKind.${ticket.kind}`), formatDate(ticket.createdAt)].join(' · ')}
                </div>
              </div>
              <TicketStatusBadge status={ticket.status} />
            </li>
          ))}
        </ul>
      )}
      {creating ? (
        <TicketForm
          client={client}
          onClose={() => setCreating(false)}
          onSaved={(saved) => {
            notify('success', t('crm.ticket.created', { number: saved.number }));
            setCreating(false);
            setToken((n) => n + 1);
            onCreated();
          }}
        />
      ) : null}
    </section>
  );
}
