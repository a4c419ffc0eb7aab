// Service requests (tickets): opening one for a client, changing it, and the queue that lists
// them. Status moves and comments are in ticket-work.ts.
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, ruleViolation } from '../../server/core/errors.js';
import { isoDateTime, listInput, listOutput, parseSort, queryBoolean } from '../../server/core/list-query.js';
import { LOCALES } from '../../server/core/locale.js';
import { createTranslator } from '../../server/core/messages.js';
import { checkLinks } from './activities.js';
import { type Ctx, defineAction, fieldProblem, optionalText, PERMISSIONS, requireUser } from './define.js';
import { crmMessages } from './messages.js';
import {
  addTicketEvent,
  loadTicket,
  loadTicketDetail,
  lockTicket,
  selectTickets,
  toTicket,
  visibleTickets,
} from './ticket-read.js';
import {
  DUE_HOURS,
  type Ticket,
  ticketChannelSchema,
  ticketDetailSchema,
  ticketKindSchema,
  ticketPrioritySchema,
  ticketSchema,
  ticketStatusSchema,
} from './ticket-schema.js';
import { recordTimeline } from './timeline.js';

const HOUR_MS = 3_600_000;
const translate = createTranslator([crmMessages]);

/** A timeline title in every language, so each reader of the card reads theirs. */
export function ticketTitles(code: string, params: Record<string, string>) {
  return Object.fromEntries(LOCALES.map((locale) => [locale, translate(locale, code, params)]));
}

/** The due time a priority gives a request opened at `openedAt`. */
export function dueFor(priority: Ticket['priority'], openedAt: Date): Date {
  return new Date(openedAt.getTime() + DUE_HOURS[priority] * HOUR_MS);
}

/** A contact must be one of the request's client's. */
async function checkContact(ctx: Ctx, contactId: string, clientId: string): Promise<void> {
  const contact = await ctx.db
    .selectFrom('crm_contacts')
    .select('client_id')
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact || contact.client_id !== clientId) fieldProblem(ctx, 'contactId', 'CONTACT_OTHER_CLIENT');
}

/** The client's and deal's checks of activities, with "unknown client" said on `clientId`. */
async function checkClientAndDeal(ctx: Ctx, clientId: string, dealId: string | null | undefined) {
  try {
    await checkLinks(ctx, clientId, dealId);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) fieldProblem(ctx, 'clientId', 'CLIENT_UNKNOWN');
    throw error;
  }
}

const ticketFields = {
  subject: z.string().trim().min(1).max(300),
  description: optionalText(10000),
  kind: ticketKindSchema,
  channel: ticketChannelSchema,
  priority: ticketPrioritySchema,
  contactId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
  dueAt: isoDateTime.nullable().optional(),
};

export const createTicket = defineAction({
  name: 'createTicket',
  description:
    "Opens a service request for a client: a question, request, complaint or feedback, assigned (by default) to the client's owner and due by its priority.",
  permission: PERMISSIONS.ticketsWrite,
  write: true,
  input: z.object({
    clientId: z.uuid(),
    ...ticketFields,
    kind: ticketKindSchema.default('request'),
    channel: ticketChannelSchema.default('phone'),
    priority: ticketPrioritySchema.default('normal'),
  }),
  output: ticketDetailSchema,
  async run(ctx, input) {
    await checkClientAndDeal(ctx, input.clientId, input.dealId);
    if (input.contactId) await checkContact(ctx, input.contactId, input.clientId);
    let assigneeId = input.assigneeId ?? null;
    if (assigneeId) {
      if (assigneeId !== ctx.actor.id) await requireUser(ctx, assigneeId, 'assigneeId');
    } else if (input.assigneeId === undefined) {
      // The manager who owns the client answers for it, as long as they still work here.
      const owner = await ctx.db
        .selectFrom('crm_clients as c')
        .innerJoin('core_users as u', 'u.id', 'c.owner_id')
        .select('u.id')
        .where('c.id', '=', input.clientId)
        .where('u.active', '=', true)
        .executeTakeFirst();
      assigneeId = owner?.id ?? ctx.actor.id;
    }
    const now = new Date();
    const row = await ctx.db
      .insertInto('crm_tickets')
      .values({
        number: sql<string>`'SR-' || lpad(nextval('crm_ticket_number')::text, 6, '0')`,
        client_id: input.clientId,
        contact_id: input.contactId ?? null,
        deal_id: input.dealId ?? null,
        kind: input.kind,
        channel: input.channel,
        priority: input.priority,
        subject: input.subject,
        description: input.description ?? null,
        assignee_id: assigneeId,
        due_at: input.dueAt ? new Date(input.dueAt) : dueFor(input.priority, now),
        created_by: ctx.actor.id,
        created_at: now,
        updated_at: now,
      })
      .returning(['id', 'number'])
      .executeTakeFirstOrThrow();
    await addTicketEvent(ctx, row.id, { kind: 'created', to: 'new' });
    await recordTimeline(ctx, {
      clientId: input.clientId,
      kind: 'ticket',
      title: `${row.number}: ${input.subject}`,
      titles: ticketTitles('TICKET_OPENED_TITLE', { number: row.number, subject: input.subject }),
      detail: input.description ?? null,
      link: { type: 'ticket', id: row.id },
    });
    const ticket = await loadTicketDetail(ctx, row.id);
    await ctx.emit({
      type: 'crm.ticket.created',
      aggregateType: 'ticket',
      aggregateId: row.id,
      payload: {
        ticketId: row.id,
        number: row.number,
        clientId: input.clientId,
        kind: input.kind,
        priority: input.priority,
        assigneeId,
        dueAt: ticket.dueAt,
      },
    });
    const { history: _history, ...after } = ticket;
    await ctx.audit({ entity: 'ticket', entityId: row.id, before: null, after });
    return ticket;
  },
});

export const getTicket = defineAction({
  name: 'getTicket',
  description: 'A service request with its history, oldest first.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: ticketDetailSchema,
  run: (ctx, input) => loadTicketDetail(ctx, input.id),
});

const revisionInput = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('The revision of the request the caller saw; 409 TICKET_CHANGED when it has changed since.');

export const updateTicket = defineAction({
  name: 'updateTicket',
  description:
    'Changes a service request: its subject, description, kind, channel, priority, contact, deal, assignee or due time. A new priority without a due time sets the due time its service level gives from the opening.',
  permission: PERMISSIONS.ticketsWrite,
  write: true,
  input: z
    .object({ id: z.uuid(), revision: revisionInput, ...ticketFields })
    .partial()
    .required({ id: true }),
  output: ticketDetailSchema,
  async run(ctx, input) {
    const before = await lockTicket(ctx, input.id, input.revision);
    if (before.status === 'closed')
      throw ruleViolation('TICKET_CLOSED', { number: before.number }, { number: before.number });
    if (input.dealId) await checkClientAndDeal(ctx, before.clientId, input.dealId);
    if (input.contactId) await checkContact(ctx, input.contactId, before.clientId);
    if (input.assigneeId && input.assigneeId !== before.assigneeId)
      await requireUser(ctx, input.assigneeId, 'assigneeId');

    const changed = <K extends keyof Ticket>(key: K, value: Ticket[K] | undefined): value is Ticket[K] =>
      value !== undefined && value !== before[key];
    const priorityChanged = changed('priority', input.priority);
    let dueAt: Date | null = null;
    if (input.dueAt) dueAt = new Date(input.dueAt);
    else if (priorityChanged && input.priority) dueAt = dueFor(input.priority, new Date(before.createdAt));
    const dueChanged = dueAt !== null && dueAt.getTime() !== Date.parse(before.dueAt);
    const edited = (['subject', 'description', 'kind', 'channel', 'contactId', 'dealId'] as const).filter(
      (key) => changed(key, input[key]),
    );
    const assigneeChanged = changed('assigneeId', input.assigneeId);
    if (edited.length === 0 && !priorityChanged && !dueChanged && !assigneeChanged) {
      ctx.noAudit('nothing in the request changed');
      return loadTicketDetail(ctx, input.id);
    }
    await ctx.db
      .updateTable('crm_tickets')
      .set((eb) => ({
        revision: eb('revision', '+', 1),
        updated_at: new Date(),
        ...(input.subject !== undefined && { subject: input.subject }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.kind !== undefined && { kind: input.kind }),
        ...(input.channel !== undefined && { channel: input.channel }),
        ...(input.priority !== undefined && { priority: input.priority }),
        ...(input.contactId !== undefined && { contact_id: input.contactId }),
        ...(input.dealId !== undefined && { deal_id: input.dealId }),
        ...(input.assigneeId !== undefined && { assignee_id: input.assigneeId }),
        ...(dueChanged && dueAt && { due_at: dueAt }),
      }))
      .where('id', '=', input.id)
      .execute();
    const after = await loadTicket(ctx, input.id);
    if (assigneeChanged)
      await addTicketEvent(ctx, input.id, {
        kind: 'assigned',
        from: before.assigneeName,
        to: after.assigneeName,
      });
    if (priorityChanged)
      await addTicketEvent(ctx, input.id, { kind: 'priority', from: before.priority, to: after.priority });
    if (dueChanged) await addTicketEvent(ctx, input.id, { kind: 'due', from: before.dueAt, to: after.dueAt });
    if (edited.length > 0) await addTicketEvent(ctx, input.id, { kind: 'edited', to: edited.join(',') });
    await ctx.audit({ entity: 'ticket', entityId: input.id, before, after });
    return loadTicketDetail(ctx, input.id);
  },
});

const ticketSort = {
  dueAt: sql.ref('t.due_at'),
  createdAt: sql.ref('t.created_at'),
  updatedAt: sql.ref('t.updated_at'),
  number: sql.ref('t.number'),
  priority: sql`case t.priority when 'urgent' then 4 when 'high' then 3 when 'normal' then 2 else 1 end`,
} as const;

export const listTickets = defineAction({
  name: 'listTickets',
  description:
    'The service requests the caller may see: by status (or open, or overdue), priority, kind, assignee, client and deal; q matches the number, the subject and the client.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: listInput(
    ['dueAt', 'createdAt', 'updatedAt', 'priority', 'number'],
    {
      status: ticketStatusSchema.optional(),
      open: queryBoolean.optional(),
      overdue: queryBoolean.optional(),
      priority: ticketPrioritySchema.optional(),
      kind: ticketKindSchema.optional(),
      assigneeId: z.uuid().optional(),
      clientId: z.uuid().optional(),
      dealId: z.uuid().optional(),
    },
    'dueAt',
  ),
  output: listOutput(ticketSchema),
  async run(ctx, input) {
    const now = new Date();
    let query = selectTickets(ctx.db).where(visibleTickets(ctx));
    if (input.status) query = query.where('t.status', '=', input.status);
    if (input.open === true) query = query.where('t.status', 'in', ['new', 'inProgress', 'waiting']);
    if (input.open === false) query = query.where('t.status', 'in', ['resolved', 'closed']);
    if (input.overdue === true)
      query = query.where('t.status', 'in', ['new', 'inProgress']).where('t.due_at', '<', now);
    if (input.overdue === false)
      query = query.where((eb) =>
        eb.or([eb('t.status', 'not in', ['new', 'inProgress']), eb('t.due_at', '>=', now)]),
      );
    if (input.priority) query = query.where('t.priority', '=', input.priority);
    if (input.kind) query = query.where('t.kind', '=', input.kind);
    if (input.assigneeId) query = query.where('t.assignee_id', '=', input.assigneeId);
    if (input.clientId) query = query.where('t.client_id', '=', input.clientId);
    if (input.dealId) query = query.where('t.deal_id', '=', input.dealId);
    if (input.q) {
      const pattern = `%${input.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('t.number', 'ilike', pattern),
          eb('t.subject', 'ilike', pattern),
          eb('c.name', 'ilike', pattern),
        ]),
      );
    }
    const { field, direction } = parseSort<keyof typeof ticketSort>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(ticketSort[field], direction)
        .orderBy('t.created_at', 'desc')
        .orderBy('t.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map((row) => toTicket(row, now)), total: Number(count.n) };
  },
});
