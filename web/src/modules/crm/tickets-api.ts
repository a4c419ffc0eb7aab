// Service requests (tickets) as the web app uses them: the shapes of modules/crm/ticket-schema.ts
// (the web app does not import server code, so they are repeated here) and the calls of API.md.
import { ApiError, api, type ListQuery, type Page } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { hasKey, type I18n } from '../../i18n/i18n';
import { CRM } from './api';

export const TICKET_KINDS = ['question', 'request', 'complaint', 'feedback'] as const;
export const TICKET_CHANNELS = ['phone', 'email', 'web', 'messenger', 'visit'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['new', 'inProgress', 'waiting', 'resolved', 'closed'] as const;

export type TicketKind = (typeof TICKET_KINDS)[number];
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Hours from opening to the due time the server sets when none is given, by priority. */
export const DUE_HOURS: Record<TicketPriority, number> = { urgent: 4, high: 24, normal: 72, low: 168 };

/** Where each status may go, as the server allows it; closed is final. */
export const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['inProgress', 'waiting', 'resolved'],
  inProgress: ['waiting', 'resolved'],
  waiting: ['inProgress', 'resolved'],
  resolved: ['inProgress', 'closed'],
  closed: [],
};

export type TicketEventKind = 'created' | 'status' | 'comment' | 'assigned' | 'priority' | 'due' | 'edited';

export type TicketEvent = {
  id: string;
  at: string;
  kind: TicketEventKind;
  /** The value before (a status, a priority, an assignee's name, a due time), where it changed. */
  from: string | null;
  to: string | null;
  /** A comment's text, or the resolution given with "resolved". */
  text: string | null;
  actorName: string | null;
};

export type Ticket = {
  id: string;
  number: string;
  clientId: string;
  clientName: string;
  contactId: string | null;
  contactName: string | null;
  dealId: string | null;
  dealTitle: string | null;
  kind: TicketKind;
  channel: TicketChannel;
  priority: TicketPriority;
  status: TicketStatus;
  subject: string;
  description: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: string;
  /** Open (new or in progress) and past its due time; waiting for the client does not count. */
  overdue: boolean;
  respondedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  resolution: string | null;
  /** The client's satisfaction, 1-5. */
  rating: number | null;
  revision: number;
  createdByName: string | null;
  createdAt: string;
  updatedAt: string;
};

export type TicketDetail = Ticket & { history: TicketEvent[] };

/** What a new request takes; the server fills kind, channel, priority, assignee and due time. */
export type NewTicket = {
  clientId: string;
  subject: string;
  kind?: TicketKind;
  channel?: TicketChannel;
  priority?: TicketPriority;
  description?: string;
  contactId?: string;
  dealId?: string;
  assigneeId?: string;
  dueAt?: string;
};

export type TicketPatch = Partial<{
  subject: string;
  description: string | null;
  kind: TicketKind;
  channel: TicketChannel;
  priority: TicketPriority;
  contactId: string | null;
  dealId: string | null;
  assigneeId: string | null;
  dueAt: string;
}>;

export type TicketMove = { status: TicketStatus; resolution?: string; rating?: number | null };

const TICKETS = `${CRM}/tickets`;
const one = (id: string) => `${TICKETS}/${encodeURIComponent(id)}`;

export const listTickets = (query: ListQuery, signal?: AbortSignal) =>
  api<Page<Ticket>>('GET', TICKETS, undefined, { query, signal });

export const getTicket = (id: string, signal?: AbortSignal) =>
  api<TicketDetail>('GET', one(id), undefined, { signal });

export const createTicket = (ticket: NewTicket) => api<TicketDetail>('POST', TICKETS, ticket);

/** Changes a request as last read: `revision` makes the server refuse it if someone changed it since. */
export const updateTicket = (ticket: Pick<Ticket, 'id' | 'revision'>, patch: TicketPatch) =>
  api<TicketDetail>('PATCH', one(ticket.id), { ...patch, revision: ticket.revision });

export const moveTicket = (ticket: Pick<Ticket, 'id' | 'revision'>, move: TicketMove) =>
  api<TicketDetail>('POST', `${one(ticket.id)}/status`, { ...move, revision: ticket.revision });

export const commentTicket = (id: string, text: string) =>
  api<TicketDetail>('POST', `${one(id)}/comments`, { text });

/** Codes after which the card no longer shows the request as it is: read it again. */
const STALE_CODES = new Set(['TICKET_CHANGED', 'TICKET_CLOSED', 'TICKET_STATUS_INVALID']);

export function isStale(error: unknown): boolean {
  return error instanceof ApiError && STALE_CODES.has(error.code);
}

/**
 * Our sentence for a CRM error code (`crm.errors.<CODE>`), naming the statuses of a refused move
 * in the reader's language; else the app's usual one.
 */
export function crmErrorMessage(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError && hasKey(`crm.errors.${error.code}`)) {
    const { from, to } = error.details;
    if (error.code !== 'TICKET_STATUS_INVALID') return i18n.tOr(`crm.errors.${error.code}`, error.message);
    // Without both statuses our sentence would have gaps: the server's own says it then.
    if (typeof from === 'string' && typeof to === 'string') {
      return i18n.tOr(`crm.errors.${error.code}`, error.message, {
        from: i18n.tOr(`crm.ticketStatus.${from}`, from),
        to: i18n.tOr(`crm.ticketStatus.${to}`, to),
      });
    }
  }
  return errorMessage(error, i18n);
}
