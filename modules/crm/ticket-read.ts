// Reading service requests: the one query every answer comes from, who sees which request,
// and the request with its history.
import { sql } from 'kysely';
import { conflict, notFound } from '../../server/core/errors.js';
import { iso } from '../../server/core/list-query.js';
import { type Ctx, isoOrNull, restrictedTo, type Trx, userName } from './define.js';
import type { Ticket, TicketDetail } from './ticket-schema.js';

export function selectTickets(db: Trx) {
  return db
    .selectFrom('crm_tickets as t')
    .innerJoin('crm_clients as c', 'c.id', 't.client_id')
    .leftJoin('crm_contacts as k', 'k.id', 't.contact_id')
    .leftJoin('crm_deals as d', 'd.id', 't.deal_id')
    .select([
      't.id',
      't.number',
      't.client_id',
      'c.name as client_name',
      't.contact_id',
      'k.name as contact_name',
      't.deal_id',
      'd.title as deal_title',
      't.kind',
      't.channel',
      't.priority',
      't.status',
      't.subject',
      't.description',
      't.assignee_id',
      userName('t.assignee_id').as('assignee_name'),
      't.due_at',
      't.responded_at',
      't.resolved_at',
      't.closed_at',
      't.resolution',
      't.rating',
      't.revision',
      userName('t.created_by').as('created_by_name'),
      't.created_at',
      't.updated_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectTickets>['executeTakeFirstOrThrow']>>;

/** New or in progress past the due time; waiting on the client stops the service's clock. */
export function isOverdue(status: string, dueAt: Date, now: Date): boolean {
  return (status === 'new' || status === 'inProgress') && dueAt.getTime() < now.getTime();
}

export function toTicket(row: Row, now = new Date()): Ticket {
  return {
    id: row.id,
    number: row.number,
    clientId: row.client_id,
    clientName: row.client_name,
    contactId: row.contact_id,
    contactName: row.contact_name,
    dealId: row.deal_id,
    dealTitle: row.deal_title,
    kind: row.kind,
    channel: row.channel,
    priority: row.priority,
    status: row.status,
    subject: row.subject,
    description: row.description,
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    dueAt: iso(row.due_at),
    overdue: isOverdue(row.status, row.due_at, now),
    respondedAt: isoOrNull(row.responded_at),
    resolvedAt: isoOrNull(row.resolved_at),
    closedAt: isoOrNull(row.closed_at),
    resolution: row.resolution,
    rating: row.rating,
    revision: row.revision,
    createdByName: row.created_by_name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Requests the actor may see: assigned to them or on clients they own (`t`, `c` aliases). */
export function visibleTickets(ctx: Ctx) {
  const me = restrictedTo(ctx.actor);
  return me === null ? sql<boolean>`true` : sql<boolean>`(t.assignee_id = ${me} or c.owner_id = ${me})`;
}

export async function loadTicket(ctx: Ctx, id: string): Promise<Ticket> {
  const row = await selectTickets(ctx.db)
    .where('t.id', '=', id)
    .where(visibleTickets(ctx))
    .executeTakeFirst();
  if (!row) throw notFound('ticket', id);
  return toTicket(row);
}

export async function loadTicketDetail(ctx: Ctx, id: string): Promise<TicketDetail> {
  const ticket = await loadTicket(ctx, id);
  const events = await ctx.db
    .selectFrom('crm_ticket_events')
    .select(['id', 'at', 'kind', 'from_value', 'to_value', 'text', 'actor_name'])
    .where('ticket_id', '=', id)
    .orderBy('id')
    .execute();
  return {
    ...ticket,
    history: events.map((e) => ({
      id: String(e.id),
      at: iso(e.at),
      kind: e.kind,
      from: e.from_value,
      to: e.to_value,
      text: e.text,
      actorName: e.actor_name,
    })),
  };
}

/**
 * Locks a request the actor may see, so two people changing it take turns, and refuses a
 * change made on a revision another has changed since (`409 TICKET_CHANGED`).
 */
export async function lockTicket(ctx: Ctx, id: string, seenRevision?: number): Promise<Ticket> {
  const locked = await ctx.db
    .selectFrom('crm_tickets as t')
    .innerJoin('crm_clients as c', 'c.id', 't.client_id')
    .select(['t.id', 't.number', 't.revision'])
    .where('t.id', '=', id)
    .where(visibleTickets(ctx))
    .forUpdate('t')
    .executeTakeFirst();
  if (!locked) throw notFound('ticket', id);
  if (seenRevision !== undefined && seenRevision !== locked.revision) {
    throw conflict(
      'TICKET_CHANGED',
      { field: 'revision', revision: locked.revision },
      { number: locked.number },
    );
  }
  return loadTicket(ctx, id);
}

/** Appends a line of a request's history. */
export async function addTicketEvent(
  ctx: Ctx,
  ticketId: string,
  event: {
    kind: TicketDetail['history'][number]['kind'];
    from?: string | null;
    to?: string | null;
    text?: string | null;
  },
): Promise<void> {
  await ctx.db
    .insertInto('crm_ticket_events')
    .values({
      ticket_id: ticketId,
      kind: event.kind,
      from_value: event.from ?? null,
      to_value: event.to ?? null,
      text: event.text ?? null,
      actor_id: ctx.actor.id,
      actor_name: ctx.actor.name,
    })
    .execute();
}
