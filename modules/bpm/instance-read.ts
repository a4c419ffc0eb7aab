// Reading instances: the list and one instance with variables, incidents and history. Admins
// (bpm.instances.read) see every instance; anyone else those they started or have or had a task in.
import { type ExpressionBuilder, sql } from 'kysely';
import { z } from 'zod';
import { forbidden, isAppError, notFound } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import type { Ctx } from './engine.js';
import { PERMISSIONS } from './permissions.js';
import { type BpmTables, INSTANCE_STATES } from './schema.js';
import { me } from './task-actions.js';

const defineAction = actionsOf<BpmTables>();

const variablesSchema = z.record(z.string(), z.unknown());
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const jsonArray = (item: string) => sql<string[]>`${JSON.stringify([item])}::jsonb`;

type WithInstance = ExpressionBuilder<BpmTables & { i: BpmTables['bpm_instances'] }, 'i'>;

/**
 * The condition that the instance `i` is the caller's to read, or null when they read every one.
 * Theirs: they started it, or one of its tasks is or was assigned to, offered to or completed by them.
 */
function visibleTo(ctx: Ctx): ((eb: WithInstance) => ReturnType<WithInstance['or']>) | null {
  if (ctx.can(PERMISSIONS.instancesRead)) return null;
  const who = me(ctx);
  return (eb) =>
    eb.or([
      eb('i.started_by', '=', who.id),
      eb.exists(
        eb
          .selectFrom('bpm_user_tasks as t')
          .select('t.id')
          .whereRef('t.instance_id', '=', 'i.id')
          .where((te) =>
            te.or([
              te(te.fn('lower', ['t.assignee']), '=', who.email),
              te('t.completed_by', '=', who.id),
              te('t.candidate_users', '@>', jsonArray(who.email)),
              te('t.candidate_group_users', '@>', jsonArray(who.email)),
              ...who.roles.map((role) => te('t.candidate_groups', '@>', jsonArray(role))),
            ]),
          ),
      ),
    ]);
}

const summary = z.object({
  id: z.string(),
  processId: z.string(),
  version: z.number(),
  state: z.enum(INSTANCE_STATES),
  businessKey: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  openIncidents: z.number().int(),
});

export const listInstances = defineAction({
  name: 'listInstances',
  description:
    'Instances, newest first, filtered by process, state and business key: all for admins, else those you started or have a task in.',
  permission: PERMISSIONS.instancesReadOwn,
  write: false,
  input: z.object({
    processId: z.string().max(200).optional(),
    state: z.enum(INSTANCE_STATES).optional(),
    businessKey: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(0).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  output: z.object({ items: z.array(summary), total: z.number().int() }),
  async run(ctx, input) {
    let query = ctx.db.selectFrom('bpm_instances as i');
    if (input.processId) query = query.where('i.process_id', '=', input.processId);
    if (input.state) query = query.where('i.state', '=', input.state);
    if (input.businessKey) query = query.where('i.business_key', '=', input.businessKey);
    const visible = visibleTo(ctx);
    if (visible) query = query.where((eb) => visible(eb));
    const count = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const total = Number(count.n);
    if (input.limit === 0 || total <= input.offset) return { items: [], total };
    const rows = await query
      .select([
        'i.id',
        'i.process_id',
        'i.version',
        'i.business_key',
        'i.state',
        'i.started_at',
        'i.ended_at',
      ])
      .select((eb) =>
        eb
          .selectFrom('bpm_incidents as n')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('n.instance_id', '=', 'i.id')
          .where('n.state', '=', 'open')
          .as('open_incidents'),
      )
      .orderBy('i.started_at', 'desc')
      .orderBy('i.id')
      .limit(input.limit)
      .offset(input.offset)
      .execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        processId: r.process_id,
        version: r.version,
        state: r.state,
        businessKey: r.business_key,
        startedAt: r.started_at.toISOString(),
        endedAt: iso(r.ended_at),
        openIncidents: Number(r.open_incidents ?? 0),
      })),
      total,
    };
  },
});

/** E-mails of the users who acted, asked of the accounts module (as the system: names are no secret here). */
async function actorEmails(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const emails = new Map<string, string>();
  for (const id of ids) {
    try {
      const user = await ctx.callAsSystem<{ email: string }>('admin.getUser', { id }, 'bpm instance history');
      emails.set(id, user.email);
    } catch (error) {
      if (!(isAppError(error) && error.status === 404)) throw error;
    }
  }
  return emails;
}

const elementSchema = z.object({ elementId: z.string(), elementType: z.string() });

export const getInstance = defineAction({
  name: 'getInstance',
  description:
    'An instance: state, variables, active elements, incidents and the history of its elements with who acted (yours, or any for admins).',
  permission: PERMISSIONS.instancesReadOwn,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: z.object({
    id: z.string(),
    processId: z.string(),
    version: z.number(),
    businessKey: z.string().nullable(),
    /** The calling instance when this one runs a call activity's process. */
    parentInstanceId: z.string().nullable(),
    state: z.enum(INSTANCE_STATES),
    variables: variablesSchema,
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    activeElements: z.array(elementSchema.extend({ id: z.string(), state: z.string() })),
    incidents: z.array(
      z.object({
        id: z.string(),
        elementId: z.string(),
        code: z.string(),
        message: z.string(),
        state: z.enum(['open', 'resolved']),
        createdAt: z.string(),
      }),
    ),
    history: z.array(
      elementSchema.extend({
        id: z.string(),
        scopeId: z.string().nullable(),
        state: z.string(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
        actorId: z.string().nullable(),
        /** The acting user's e-mail; null for the system (timers, jobs). */
        actor: z.string().nullable(),
      }),
    ),
  }),
  async run(ctx, input) {
    const instance = await ctx.db
      .selectFrom('bpm_instances as i')
      .selectAll('i')
      .where('i.id', '=', input.id)
      .executeTakeFirst();
    if (!instance) throw notFound('bpm_instance', input.id);
    const visible = visibleTo(ctx);
    if (visible) {
      const mine = await ctx.db
        .selectFrom('bpm_instances as i')
        .select('i.id')
        .where('i.id', '=', input.id)
        .where((eb) => visible(eb))
        .executeTakeFirst();
      if (!mine) throw forbidden(PERMISSIONS.instancesRead);
    }
    const elements = await ctx.db
      .selectFrom('bpm_element_instances')
      .selectAll()
      .where('instance_id', '=', input.id)
      .orderBy('seq')
      .execute();
    const incidents = await ctx.db
      .selectFrom('bpm_incidents')
      .selectAll()
      .where('instance_id', '=', input.id)
      .orderBy('created_at')
      .execute();
    const actors = await actorEmails(ctx, [
      ...new Set(elements.map((e) => e.actor_id).filter((id): id is string => id !== null)),
    ]);
    return {
      id: instance.id,
      processId: instance.process_id,
      version: instance.version,
      businessKey: instance.business_key,
      parentInstanceId: instance.parent_instance_id,
      state: instance.state,
      variables: instance.variables,
      startedAt: instance.started_at.toISOString(),
      endedAt: iso(instance.ended_at),
      activeElements: elements
        .filter((e) => e.state === 'active' || e.state === 'waiting')
        .map((e) => ({ id: e.id, elementId: e.element_id, elementType: e.element_type, state: e.state })),
      incidents: incidents.map((i) => ({
        id: i.id,
        elementId: i.element_id,
        code: i.code,
        message: i.message,
        state: i.state,
        createdAt: i.created_at.toISOString(),
      })),
      history: elements.map((e) => ({
        id: e.id,
        elementId: e.element_id,
        elementType: e.element_type,
        scopeId: e.scope_id,
        state: e.state,
        startedAt: e.started_at.toISOString(),
        endedAt: iso(e.ended_at),
        actorId: e.actor_id,
        actor: e.actor_id ? (actors.get(e.actor_id) ?? null) : null,
      })),
    };
  },
});
