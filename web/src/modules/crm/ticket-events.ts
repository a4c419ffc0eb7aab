// A request's history as sentences in the reader's language: the server keeps statuses and
// priorities as codes and due times as instants, so each reader sees them in their own words.
import type { I18n, MessageKey } from '../../i18n/i18n';
import type { TicketEvent } from './tickets-api';

type Words = Pick<I18n, 't' | 'tOr' | 'formatDateTime'>;

/** What happened, e.g. "Status changed: New → In progress"; a comment's text is shown apart. */
export function eventSentence(event: TicketEvent, i18n: Words): string {
  const { t, tOr } = i18n;
  const { from, to } = event;
  switch (event.kind) {
    case 'created':
      return t('crm.ticket.event.created');
    case 'comment':
      return t('crm.ticket.event.comment');
    case 'status': {
      const name = (code: string | null) => (code ? tOr(`crm.ticketStatus.${code}`, code) : '—');
      return t('crm.ticket.event.status', { from: name(from), to: name(to) });
    }
    case 'priority': {
      const name = (code: string | null) => (code ? tOr(`crm.ticketPriority.${code}`, code) : '—');
      return t('crm.ticket.event.priority', { from: name(from), to: name(to) });
    }
    case 'due': {
      const time = (value: string | null) => (value ? i18n.formatDateTime(value) || value : '—');
      return t('crm.ticket.event.due', { from: time(from), to: time(to) });
    }
    case 'assigned':
      if (from && to) return t('crm.ticket.event.reassigned', { from, to });
      if (to) return t('crm.ticket.event.assigned', { to });
      if (from) return t('crm.ticket.event.unassigned', { from });
      return t('crm.ticket.event.edited');
    default:
      return edited(event, i18n);
  }
}

/** The labels the form gives the fields an edit changed, as the server lists them ("subject,kind"). */
const FIELD_LABELS: Record<string, MessageKey> = {
  subject: 'crm.fields.subject',
  description: 'crm.fields.description',
  kind: 'crm.fields.ticketKind',
  channel: 'crm.fields.channel',
  contactId: 'crm.fields.contact',
  dealId: 'crm.fields.deal',
};

function edited(event: TicketEvent, { t }: Words): string {
  const fields = (event.to ?? '')
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (fields.length === 0) return t('crm.ticket.event.edited');
  const labels = fields.map((field) => {
    const key = FIELD_LABELS[field];
    return key ? t(key) : field;
  });
  return t('crm.ticket.event.editedFields', { fields: labels.join(', ') });
}
