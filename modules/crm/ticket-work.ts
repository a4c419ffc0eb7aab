// Working a service request: moving it through its statuses (resolving needs what was done,
// closing may take the client's rating) and commenting on it.
import { z } from 'zod';
import { ruleViolation } from '../../server/core/errors.js';
import { defineAction, fieldProblem, optionalText, PERMISSIONS } from './define.js';
import { addTicketEvent, loadTicketDetail, lockTicket } from './ticket-read.js';
import { NEXT_STATUSES, ticketDetailSchema, ticketStatusSchema } from './ticket-schema.js';
import { ticketTitles } from './tickets.js';
import { recordTimeline } from './timeline.js';

/** The client's card tells of a request's end, and of its reopening. */
const TIMELINE_TITLE = {
  resolved: 'TICKET_RESOLVED_TITLE',
  closed: 'TICKET_CLOSED_TITLE',
  reopened: 'TICKET_REOPENED_TITLE',
} as const;

export const changeTicketStatus = defineAction({
  name: 'changeTicketStatus',
  description:
    'Moves a service request to another status: in progress, waiting for the client, resolved (with the resolution), reopened from resolved, or closed (final). A rating (1-5) may come with resolved or closed.',
  permission: PERMISSIONS.ticketsWrite,
  write: true,
  input: z.object({
    id: z.uuid(),
    status: ticketStatusSchema,
    revision: z.number().int().positive().optional(),
    resolution: optionalText(4000),
    rating: z.number().int().min(1).max(5).nullable().optional(),
  }),
  output: ticketDetailSchema,
  async run(ctx, input) {
    const before = await lockTicket(ctx, input.id, input.revision);
    if (input.status === before.status) {
      ctx.noAudit('the request already has this status');
      return loadTicketDetail(ctx, input.id);
    }
    if (!NEXT_STATUSES[before.status].includes(input.status)) {
      throw ruleViolation('TICKET_STATUS_INVALID', { from: before.status, to: input.status });
    }
    if (input.status === 'resolved' && !input.resolution)
      fieldProblem(ctx, 'resolution', 'RESOLUTION_REQUIRED');
    const ending = input.status === 'resolved' || input.status === 'closed';
    if (input.rating != null && !ending) fieldProblem(ctx, 'rating', 'RATING_NOT_NOW');
    const reopened = before.status === 'resolved' && input.status === 'inProgress';
    const now = new Date();
    await ctx.db
      .updateTable('crm_tickets')
      .set((eb) => ({
        status: input.status,
        revision: eb('revision', '+', 1),
        updated_at: now,
        // Leaving "new" is the first answer the client gets, if no comment came first.
        responded_at: before.respondedAt ?? now,
        ...(input.status === 'resolved' && { resolved_at: now, resolution: input.resolution }),
        ...(reopened && { resolved_at: null, resolution: null, rating: null }),
        ...(input.status === 'closed' && { closed_at: now }),
        ...(input.rating !== undefined && ending && { rating: input.rating }),
      }))
      .where('id', '=', input.id)
      .execute();
    await addTicketEvent(ctx, input.id, {
      kind: 'status',
      from: before.status,
      to: input.status,
      text: input.status === 'resolved' ? input.resolution : null,
    });
    const timelineKey = reopened
      ? 'reopened'
      : input.status === 'resolved' || input.status === 'closed'
        ? input.status
        : null;
    if (timelineKey) {
      await recordTimeline(ctx, {
        clientId: before.clientId,
        kind: 'ticket',
        title: `${before.number}: ${before.subject}`,
        titles: ticketTitles(TIMELINE_TITLE[timelineKey], { number: before.number, subject: before.subject }),
        detail: input.status === 'resolved' ? (input.resolution ?? null) : null,
        link: { type: 'ticket', id: input.id },
      });
    }
    const after = await loadTicketDetail(ctx, input.id);
    await ctx.emit({
      type: 'crm.ticket.statusChanged',
      aggregateType: 'ticket',
      aggregateId: input.id,
      payload: {
        ticketId: input.id,
        number: before.number,
        clientId: before.clientId,
        from: before.status,
        to: input.status,
        assigneeId: after.assigneeId,
      },
    });
    const { history: _history, ...changed } = after;
    await ctx.audit({ entity: 'ticket', entityId: input.id, before, after: changed });
    return after;
  },
});

export const addTicketComment = defineAction({
  name: 'addTicketComment',
  description: "Adds a comment to a service request's history (also on a closed one).",
  permission: PERMISSIONS.ticketsWrite,
  write: true,
  input: z.object({ id: z.uuid(), text: z.string().trim().min(1).max(4000) }),
  output: ticketDetailSchema,
  async run(ctx, input) {
    // Locked so that the first answer's time is set once when two people comment at once.
    const before = await lockTicket(ctx, input.id);
    await addTicketEvent(ctx, input.id, { kind: 'comment', text: input.text });
    await ctx.db
      .updateTable('crm_tickets')
      .set({ updated_at: new Date(), responded_at: before.respondedAt ?? new Date() })
      .where('id', '=', input.id)
      .execute();
    await ctx.audit({ entity: 'ticket', entityId: input.id, before: null, after: { comment: input.text } });
    return loadTicketDetail(ctx, input.id);
  },
});
