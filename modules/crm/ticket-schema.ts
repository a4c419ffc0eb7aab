// The shapes of service requests (tickets) in the API: a client's question, request, complaint
// or feedback, worked through its statuses by an assignee, with its history.
import { z } from 'zod';

export const TICKET_KINDS = ['question', 'request', 'complaint', 'feedback'] as const;
export const TICKET_CHANNELS = ['phone', 'email', 'web', 'messenger', 'visit'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['new', 'inProgress', 'waiting', 'resolved', 'closed'] as const;
/** Statuses the service still owes the client something in. */
export const OPEN_TICKET_STATUSES = ['new', 'inProgress', 'waiting'] as const;

export const ticketKindSchema = z.enum(TICKET_KINDS);
export const ticketChannelSchema = z.enum(TICKET_CHANNELS);
export const ticketPrioritySchema = z.enum(TICKET_PRIORITIES);
export const ticketStatusSchema = z.enum(TICKET_STATUSES);

export type TicketKind = z.infer<typeof ticketKindSchema>;
export type TicketChannel = z.infer<typeof ticketChannelSchema>;
export type TicketPriority = z.infer<typeof ticketPrioritySchema>;
export type TicketStatus = z.infer<typeof ticketStatusSchema>;

/** Hours from opening to the due time when none is given: the service level of each priority. */
export const DUE_HOURS: Record<TicketPriority, number> = { urgent: 4, high: 24, normal: 72, low: 168 };

/**
 * Where each status may go. Resolved may reopen (the client says it is not solved); closed is
 * final: a new request is opened instead, so closed figures never change afterwards.
 */
export const NEXT_STATUSES: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['inProgress', 'waiting', 'resolved'],
  inProgress: ['waiting', 'resolved'],
  waiting: ['inProgress', 'resolved'],
  resolved: ['inProgress', 'closed'],
  closed: [],
};

export const TICKET_EVENT_KINDS = [
  'created',
  'status',
  'comment',
  'assigned',
  'priority',
  'due',
  'edited',
] as const;
export type TicketEventKind = (typeof TICKET_EVENT_KINDS)[number];

export const ticketEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.enum(TICKET_EVENT_KINDS),
  /**
   * The value before and after (a status, a priority, an assignee's name, a due time); for
   * "edited", `to` lists the fields changed, comma-separated (`subject,description`).
   */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** A comment's text, or the resolution given with "resolved". */
  text: z.string().nullable(),
  actorName: z.string().nullable(),
});
export type TicketEvent = z.infer<typeof ticketEventSchema>;

export const ticketSchema = z.object({
  id: z.string(),
  number: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  dealId: z.string().nullable(),
  dealTitle: z.string().nullable(),
  kind: ticketKindSchema,
  channel: ticketChannelSchema,
  priority: ticketPrioritySchema,
  status: ticketStatusSchema,
  subject: z.string(),
  description: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueAt: z.string(),
  /** Open (new or in progress) and past its due time; waiting for the client does not count. */
  overdue: z.boolean(),
  respondedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  /** The client's satisfaction, 1-5, given when the request is resolved or closed. */
  rating: z.number().int().nullable(),
  revision: z.number().int(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const ticketDetailSchema = ticketSchema.extend({ history: z.array(ticketEventSchema) });
export type TicketDetail = z.infer<typeof ticketDetailSchema>;
