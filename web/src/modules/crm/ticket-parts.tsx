// Pieces every screen of service requests shows alike: the status and priority badges, the
// overdue mark, the due time and the client's rating.
import { Icon } from '../../app/icons';
import { useI18n } from '../../i18n/i18n';
import type { Ticket, TicketPriority, TicketStatus } from './tickets-api';
import './tickets.css';

export function TicketStatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useI18n();
  const label = t(`crm.ticketStatus.${status}`);
  return (
    <span
      className={`badge crm-ticket-status crm-ticket-status-${status}`}
      title={label}
      data-testid="ticket-status"
    >
      {label}
    </span>
  );
}

export function TicketPriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useI18n();
  const label = t(`crm.ticketPriority.${priority}`);
  return (
    <span className={`badge crm-ticket-priority crm-ticket-priority-${priority}`} title={label}>
      {label}
    </span>
  );
}

export function OverdueMark() {
  const { t } = useI18n();
  return (
    <span className="crm-overdue-mark" data-testid="ticket-overdue">
      {t('crm.ticket.overdue')}
    </span>
  );
}

/**
 * The due time, in red with the overdue mark once the request is late; `compact` (a list's
 * cell) marks it with an icon, the word kept for screen readers and as the tooltip.
 */
export function DueText({
  ticket,
  compact = false,
}: {
  ticket: Pick<Ticket, 'dueAt' | 'overdue'>;
  compact?: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  if (!ticket.overdue) return <span>{formatDateTime(ticket.dueAt)}</span>;
  return (
    <span className="crm-overdue-text" title={compact ? t('crm.ticket.overdue') : undefined}>
      {compact ? (
        <span className="crm-ticket-late" data-testid="ticket-overdue">
          <Icon name="alert" size={15} />
          <span className="visually-hidden">{t('crm.ticket.overdue')}</span>
        </span>
      ) : (
        <OverdueMark />
      )}
      {formatDateTime(ticket.dueAt)}
    </span>
  );
}

/** A rating as five stars, the given ones filled, with "4 / 5" for whoever does not see them. */
export function RatingStars({ rating }: { rating: number }) {
  const { t } = useI18n();
  const label = t('crm.ticket.ratingValue', { rating });
  return (
    <span className="crm-rating" data-testid="ticket-rating">
      <span className="crm-rating-stars" aria-hidden="true">
        {'★'.repeat(rating)}
        <span className="crm-rating-empty">{'★'.repeat(Math.max(0, 5 - rating))}</span>
      </span>
      <span className="crm-rating-text">{label}</span>
    </span>
  );
}

/** The client's rating, 1 to 5 stars or none, as a row of radio buttons. */
export function RatingInput({
  value,
  onChange,
}: {
  value: number | null;
  onChange(value: number | null): void;
}) {
  const { t } = useI18n();
  const choices: (number | null)[] = [null, 1, 2, 3, 4, 5];
  return (
    <fieldset className="crm-rating-input" data-testid="ticket-rating-input">
      <legend className="field-label">{t('crm.fields.rating')}</legend>
      <div className="segmented">
        {choices.map((choice) => (
          <label
            key={choice ?? 'none'}
            className={value === choice ? 'segmented-on' : undefined}
            title={choice === null ? undefined : t('crm.ticket.ratingValue', { rating: choice })}
          >
            <input
              type="radio"
              name="rating"
              value={choice ?? ''}
              checked={value === choice}
              onChange={() => onChange(choice)}
              data-testid={`ticket-rating-${choice ?? 'none'}`}
            />
            {choice === null ? (
              t('crm.ticket.ratingNone')
            ) : (
              <>
                <span aria-hidden="true">{`${choice} ★`}</span>
                <span className="visually-hidden">{t('crm.ticket.ratingValue', { rating: choice })}</span>
              </>
            )}
          </label>
        ))}
      </div>
      <p className="field-hint">{t('crm.ticket.ratingHint')}</p>
    </fieldset>
  );
}
