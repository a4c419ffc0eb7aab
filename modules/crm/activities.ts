// Activities (calls, meetings, e-mails, tasks, notes) on clients and deals, "my day",
// reminders, and `crm.activity.due` emitted once per activity when it falls due.
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, notFound } from '../../server/core/errors.js';
import { isoDateTime, listInput, listOutput, parseSort, queryBoolean } from '../../server/core/list-query.js';
import { tashkentDay } from '../../server/core/tashkent-time.js';
import { activityTypeSchema } from './client-schema.js';
import {
  type Ctx,
  defineAction,
  fieldProblem,
  isoOrNull,
  optionalText,
  PERMISSIONS,
  requireClient,
  requireUser,
  restrictedTo,
  type Trx,
  userName,
} from './define.js';
import { recordTimeline } from './timeline.js';

export const activitySchema = z.object({
  id: z.string(),
  type: activityTypeSchema,
  subject: z.string(),
  body: z.string().nullable(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  dealId: z.string().nullable(),
  dealTitle: z.string().nullable(),
  dueAt: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  done: z.boolean(),
  doneAt: z.string().nullable(),
  result: z.string().nullable(),
  createdAt: z.string(),
});
type Activity = z.infer<typeof activitySchema>;

function selectActivities(db: Trx) {
  return db
    .selectFrom('crm_activities as a')
    .leftJoin('crm_clients as c', 'c.id', 'a.client_id')
    .leftJoin('crm_deals as d', 'd.id', 'a.deal_id')
    .select([
      'a.id',
      'a.type',
      'a.subject',
      'a.body',
      'a.client_id',
      'c.name as client_name',
      'a.deal_id',
      'd.title as deal_title',
      'a.due_at',
      'a.assignee_id',
      userName('a.assignee_id').as('assignee_name'),
      'a.done',
      'a.done_at',
      'a.result',
      'a.created_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectActivities>['executeTakeFirstOrThrow']>>;

function toActivity(row: Row): Activity {
  return {
    id: row.id,
    type: row.type,
    subject: row.subject,
    body: row.body,
    clientId: row.client_id,
    clientName: row.client_name,
    dealId: row.deal_id,
    dealTitle: row.deal_title,
    dueAt: isoOrNull(row.due_at),
    assigneeId: row.assignee_id,
    assigneeName: row.assignee_name,
    done: row.done,
    doneAt: isoOrNull(row.done_at),
    result: row.result,
    createdAt: isoOrNull(row.created_at) ?? '',
  };
}

/** Activities the actor may see: assigned to them, or on their clients or deals. */
function visibleActivities(ctx: Ctx) {
  const me = restrictedTo(ctx.actor);
  return me === null
    ? sql<boolean>`true`
    : sql<boolean>`(a.assignee_id = ${me} or c.owner_id = ${me} or d.owner_id = ${me})`;
}

async function loadActivity(ctx: Ctx, id: string): Promise<Activity> {
  const row = await selectActivities(ctx.db)
    .where('a.id', '=', id)
    .where(visibleActivities(ctx))
    .executeTakeFirst();
  if (!row) throw notFound('activity', id);
  return toActivity(row);
}

/** Checks a client and a deal the actor may see and that belong together; answers the client. */
export async function checkLinks(
  ctx: Ctx,
  clientId: string | null | undefined,
  dealId: string | null | undefined,
) {
  let client = clientId ?? null;
  if (clientId) {
    await requireClient(ctx, clientId).catch((error: unknown) => {
      if (error instanceof AppError && error.status === 404) fieldProblem(ctx, 'clientId', 'CLIENT_UNKNOWN');
      throw error;
    });
  }
  if (dealId) {
    const me = restrictedTo(ctx.actor);
    let query = ctx.db
      .selectFrom('crm_deals as d')
      .innerJoin('crm_clients as c', 'c.id', 'd.client_id')
      .select(['d.client_id'])
      .where('d.id', '=', dealId);
    if (me !== null)
      query = query.where((eb) => eb.or([eb('d.owner_id', '=', me), eb('c.owner_id', '=', me)]));
    const deal = await query.executeTakeFirst();
    if (!deal) fieldProblem(ctx, 'dealId', 'DEAL_UNKNOWN');
    if (client && client !== deal.client_id) fieldProblem(ctx, 'dealId', 'DEAL_OTHER_CLIENT');
    client = deal.client_id;
  }
  return client;
}

const activityFields = {
  type: activityTypeSchema,
  subject: z.string().trim().min(1).max(300),
  body: optionalText(10000),
  clientId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  dueAt: isoDateTime.nullable().optional(),
  assigneeId: z.uuid().nullable().optional(),
};

export const createActivity = defineAction({
  name: 'createActivity',
  description: 'Plans or records a call, meeting, e-mail, task or note, on a client or a deal.',
  permission: PERMISSIONS.activitiesWrite,
  write: true,
  input: z.object(activityFields),
  output: activitySchema,
  async run(ctx, input) {
    const clientId = await checkLinks(ctx, input.clientId, input.dealId);
    const assigneeId = input.assigneeId === undefined ? ctx.actor.id : input.assigneeId;
    if (assigneeId && assigneeId !== ctx.actor.id) await requireUser(ctx, assigneeId, 'assigneeId');
    // A note is a record of what happened: it is done when written.
    const done = input.type === 'note';
    const row = await ctx.db
      .insertInto('crm_activities')
      .values({
        type: input.type,
        subject: input.subject,
        body: input.body ?? null,
        client_id: clientId,
        deal_id: input.dealId ?? null,
        due_at: input.dueAt ?? null,
        assignee_id: assigneeId,
        done,
        done_at: done ? new Date() : null,
        result: null,
        due_notified_at: null,
        created_by: ctx.actor.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (clientId) {
      await recordTimeline(ctx, {
        clientId,
        kind: input.type === 'note' ? 'note' : 'activity',
        title: input.subject,
        detail: input.body ?? null,
        link: { type: 'activity', id: row.id },
      });
    }
    const activity = await loadActivity(ctx, row.id);
    await ctx.audit({ entity: 'activity', entityId: row.id, before: null, after: activity });
    return activity;
  },
});

export const updateActivity = defineAction({
  name: 'updateActivity',
  description: 'Changes an activity, or marks it done with its result.',
  permission: PERMISSIONS.activitiesWrite,
  write: true,
  input: z
    .object({ id: z.uuid(), ...activityFields, done: z.boolean(), result: optionalText(4000) })
    .partial()
    .required({ id: true }),
  output: activitySchema,
  async run(ctx, input) {
    const before = await loadActivity(ctx, input.id);
    let clientId = before.clientId;
    if (input.clientId !== undefined || input.dealId !== undefined) {
      clientId = await checkLinks(
        ctx,
        input.clientId === undefined ? before.clientId : input.clientId,
        input.dealId === undefined ? before.dealId : input.dealId,
      );
    }
    if (input.assigneeId && input.assigneeId !== before.assigneeId)
      await requireUser(ctx, input.assigneeId, 'assigneeId');
    const completing = input.done === true && !before.done;
    await ctx.db
      .updateTable('crm_activities')
      .set({
        updated_at: new Date(),
        ...(input.type !== undefined && { type: input.type }),
        ...(input.subject !== undefined && { subject: input.subject }),
        ...(input.body !== undefined && { body: input.body }),
        ...((input.clientId !== undefined || input.dealId !== undefined) && { client_id: clientId }),
        ...(input.dealId !== undefined && { deal_id: input.dealId }),
        ...(input.dueAt !== undefined && { due_at: input.dueAt, due_notified_at: null }),
        ...(input.assigneeId !== undefined && { assignee_id: input.assigneeId }),
        ...(input.done !== undefined && {
          done: input.done,
          done_at: input.done ? (before.doneAt ?? new Date()) : null,
        }),
        ...(input.result !== undefined && { result: input.result }),
      })
      .where('id', '=', input.id)
      .execute();
    const after = await loadActivity(ctx, input.id);
    if (completing && after.clientId) {
      await recordTimeline(ctx, {
        clientId: after.clientId,
        kind: 'activity',
        title: after.subject,
        detail: after.result,
        link: { type: 'activity', id: after.id },
      });
    }
    await ctx.audit({ entity: 'activity', entityId: input.id, before, after });
    return after;
  },
});

const activitySort = { dueAt: 'a.due_at', createdAt: 'a.created_at' } as const;

export const listActivities = defineAction({
  name: 'listActivities',
  description: 'Lists the activities the caller may see, by assignee, client, deal, done and due time.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: listInput(
    ['dueAt', 'createdAt'],
    {
      assigneeId: z.uuid().optional(),
      clientId: z.uuid().optional(),
      dealId: z.uuid().optional(),
      done: queryBoolean.optional(),
      dueBefore: isoDateTime.optional(),
      dueAfter: isoDateTime.optional(),
      type: activityTypeSchema.optional(),
    },
    'dueAt',
  ),
  output: listOutput(activitySchema),
  async run(ctx, input) {
    let query = selectActivities(ctx.db).where(visibleActivities(ctx));
    if (input.assigneeId) query = query.where('a.assignee_id', '=', input.assigneeId);
    if (input.clientId) query = query.where('a.client_id', '=', input.clientId);
    if (input.dealId) query = query.where('a.deal_id', '=', input.dealId);
    if (input.done !== undefined) query = query.where('a.done', '=', input.done);
    if (input.dueBefore) query = query.where('a.due_at', '<', new Date(input.dueBefore));
    if (input.dueAfter) query = query.where('a.due_at', '>=', new Date(input.dueAfter));
    if (input.type) query = query.where('a.type', '=', input.type);
    if (input.q) {
      const pattern = `%${input.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query = query.where((eb) => eb.or([eb('a.subject', 'ilike', pattern), eb('c.name', 'ilike', pattern)]));
    }
    const { field, direction } = parseSort<keyof typeof activitySort>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(activitySort[field], (ob) =>
          direction === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast(),
        )
        .orderBy('a.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toActivity), total: Number(count.n) };
  },
});

const DAY_MS = 86_400_000;
const MY_DAY_LIMIT = 200;

export const getMyDay = defineAction({
  name: 'getMyDay',
  description: "The caller's open activities: overdue, due today (Tashkent time) and the next 7 days.",
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({}),
  output: z.object({
    overdue: z.array(activitySchema),
    today: z.array(activitySchema),
    upcoming: z.array(activitySchema),
  }),
  async run(ctx) {
    const me = ctx.actor.id;
    if (!me) return { overdue: [], today: [], upcoming: [] };
    const now = new Date();
    const { start, end } = tashkentDay(now);
    const mine = () =>
      selectActivities(ctx.db)
        .where('a.assignee_id', '=', me)
        .where('a.done', '=', false)
        .orderBy('a.due_at')
        .orderBy('a.id');
    const [overdue, today, upcoming] = await Promise.all([
      mine().where('a.due_at', '<', start).limit(MY_DAY_LIMIT).execute(),
      mine().where('a.due_at', '>=', start).where('a.due_at', '<', end).limit(MY_DAY_LIMIT).execute(),
      mine()
        .where('a.due_at', '>=', end)
        .where('a.due_at', '<', new Date(end.getTime() + 7 * DAY_MS))
        .limit(MY_DAY_LIMIT)
        .execute(),
    ]);
    return {
      overdue: overdue.map(toActivity),
      today: today.map(toActivity),
      upcoming: upcoming.map(toActivity),
    };
  },
});

const DUE_BATCH = 500;

export const emitDueActivities = defineAction({
  name: 'emitDueActivities',
  description:
    'Emits crm.activity.due once for every open activity that has fallen due (marks due_notified_at).',
  permission: PERMISSIONS.activitiesWrite,
  write: true,
  input: z.object({}),
  output: z.object({ emitted: z.number().int() }),
  async run(ctx) {
    // SKIP LOCKED: two readers at once never emit one activity twice, nor wait on each other.
    const due = await ctx.db
      .selectFrom('crm_activities')
      .select(['id', 'type', 'subject', 'client_id', 'deal_id', 'assignee_id', 'due_at'])
      .where('done', '=', false)
      .where('due_notified_at', 'is', null)
      .where('due_at', '<=', new Date())
      .orderBy('due_at')
      .limit(DUE_BATCH)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) {
      ctx.noAudit('no activity fell due');
      return { emitted: 0 };
    }
    await ctx.db
      .updateTable('crm_activities')
      .set({ due_notified_at: new Date() })
      .where(
        'id',
        'in',
        due.map((a) => a.id),
      )
      .execute();
    for (const a of due) {
      await ctx.emit({
        type: 'crm.activity.due',
        aggregateType: 'activity',
        aggregateId: a.id,
        payload: {
          activityId: a.id,
          type: a.type,
          subject: a.subject,
          clientId: a.client_id,
          dealId: a.deal_id,
          assigneeId: a.assignee_id,
          dueAt: isoOrNull(a.due_at),
        },
      });
    }
    // Marking a notification is bookkeeping, not a change of business data.
    ctx.noAudit('marks that crm.activity.due was emitted');
    return { emitted: due.length };
  },
});

export const listReminders = defineAction({
  name: 'listReminders',
  description:
    "The caller's open activities that fell due since a time (the web polls it); also emits crm.activity.due for every activity that fell due.",
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({ since: isoDateTime.optional() }),
  output: z.object({ items: z.array(activitySchema), now: z.string() }),
  async run(ctx, input) {
    if (ctx.can(PERMISSIONS.activitiesWrite)) await ctx.call('crm.emitDueActivities', {});
    const now = new Date();
    const me = ctx.actor.id;
    if (!me) return { items: [], now: now.toISOString() };
    const since = input.since ? new Date(input.since) : new Date(now.getTime() - DAY_MS);
    const rows = await selectActivities(ctx.db)
      .where('a.assignee_id', '=', me)
      .where('a.done', '=', false)
      .where('a.due_at', '>', since)
      .where('a.due_at', '<=', now)
      .orderBy('a.due_at')
      .limit(100)
      .execute();
    return { items: rows.map(toActivity), now: now.toISOString() };
  },
});
