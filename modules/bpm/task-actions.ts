// The task inbox: list, read (with form and variables), claim, unclaim and complete user tasks.
// A task is the caller's when assigned to them, or, unassigned, offered to one of their roles,
// to their HR department or to them by name.
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { conflict, forbidden, notFound, validationFailed } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import { type Ctx, loadProcess, Step } from './engine.js';
import type { Vars } from './feel.js';
import { loadForm, missingRequired } from './forms.js';
import { nameIn } from './model.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';

const defineAction = actionsOf<BpmTables>();

const variablesSchema = z.record(z.string(), z.unknown());
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A task's state as the API names it. */
const TASK_STATE = { open: 'active', completed: 'completed', cancelled: 'cancelled' } as const;
const taskState = z.enum(['active', 'completed', 'cancelled']);

type TaskRow = Selectable<BpmTables['bpm_user_tasks']>;

type Offer = {
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  candidate_group_users: string[];
};

export function me(ctx: Ctx): { id: string | null; email: string; roles: readonly string[]; admin: boolean } {
  if (ctx.actor.kind !== 'user')
    return { id: null, email: '', roles: [], admin: ctx.actor.kind === 'system' };
  return {
    id: ctx.actor.id,
    email: ctx.actor.email.toLowerCase(),
    roles: ctx.actor.roles,
    admin: ctx.actor.roles.includes('admin'),
  };
}

/** Whether the caller may work on a task: theirs, or unassigned and offered to them. */
function mayWork(ctx: Ctx, task: Offer): boolean {
  const who = me(ctx);
  if (task.assignee) return task.assignee.toLowerCase() === who.email;
  return (
    task.candidate_groups.some((g) => who.roles.includes(g)) ||
    task.candidate_users.some((u) => u.toLowerCase() === who.email) ||
    task.candidate_group_users.includes(who.email)
  );
}

const jsonArray = (item: string) => sql<string[]>`${JSON.stringify([item])}::jsonb`;

const listItem = z.object({
  id: z.string(),
  elementId: z.string(),
  name: z.string().nullable(),
  /** What the task is about ("Choraklik buyurtma · Urganch Qurilish"), from its model. */
  subject: z.string().nullable(),
  processInstanceId: z.string(),
  processId: z.string(),
  processName: z.string().nullable(),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  candidateUsers: z.array(z.string()),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  formId: z.string().nullable(),
  state: taskState,
  createdAt: z.string(),
});

/** Task and process names in the caller's language, from the models' `name:<locale>` properties. */
async function namesIn(
  ctx: Ctx,
  rows: { id: string; element_id: string; definition_id: string }[],
): Promise<Map<string, { name: string | null; processName: string | null }>> {
  const out = new Map<string, { name: string | null; processName: string | null }>();
  for (const row of rows) {
    // compiled models are cached per definition: a page of tasks parses each model once at most
    const process = await loadProcess(ctx, row.definition_id);
    out.set(row.id, {
      name: nameIn(process.nodes[row.element_id], ctx.locale),
      processName: nameIn(process, ctx.locale),
    });
  }
  return out;
}

export const listTasks = defineAction({
  name: 'listTasks',
  description:
    "The caller's inbox: open tasks assigned to them, or unassigned and offered to one of their roles, their HR department or them; by due date (none last), then age.",
  permission: PERMISSIONS.tasks,
  write: false,
  input: z.object({
    processInstanceId: z.uuid().optional(),
    assignee: z.string().max(320).optional(),
    candidateGroup: z.string().max(200).optional(),
    /** 0 answers only the total (the shell's inbox badge). */
    limit: z.coerce.number().int().min(0).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  output: z.object({ items: z.array(listItem), total: z.number().int() }),
  async run(ctx, input) {
    const who = me(ctx);
    let query = ctx.db
      .selectFrom('bpm_user_tasks as t')
      .innerJoin('bpm_instances as i', 'i.id', 't.instance_id')
      .where('t.state', '=', 'open');
    if (input.processInstanceId) query = query.where('t.instance_id', '=', input.processInstanceId);
    if (input.assignee) query = query.where(sql`lower(t.assignee)`, '=', input.assignee.toLowerCase());
    if (input.candidateGroup)
      query = query.where('t.candidate_groups', '@>', jsonArray(input.candidateGroup));
    query = query.where(({ eb, or, and, fn }) =>
      or([
        eb(fn('lower', ['t.assignee']), '=', who.email),
        and([
          eb('t.assignee', 'is', null),
          or([
            ...who.roles.map((role) => eb('t.candidate_groups', '@>', jsonArray(role))),
            eb('t.candidate_users', '@>', jsonArray(who.email)),
            eb('t.candidate_group_users', '@>', jsonArray(who.email)),
          ]),
        ]),
      ]),
    );
    const count = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const total = Number(count.n);
    if (input.limit === 0 || total <= input.offset) return { items: [], total };
    const rows = await query
      .innerJoin('bpm_definitions as d', 'd.id', 'i.definition_id')
      .select([
        't.id',
        't.element_id',
        't.name',
        't.instance_id',
        'i.process_id',
        'd.name as process_name',
        'i.definition_id',
        't.assignee',
        't.candidate_groups',
        't.candidate_users',
        't.due_at',
        't.subject',
        't.form_id',
        't.state',
        't.created_at',
      ])
      .orderBy('t.due_at', (ob) => ob.asc().nullsLast())
      .orderBy('t.created_at')
      .orderBy('t.id')
      .limit(input.limit)
      .offset(input.offset)
      .execute();
    const now = Date.now();
    const names = await namesIn(ctx, rows);
    return {
      items: rows.map((r) => ({
        id: r.id,
        elementId: r.element_id,
        name: names.get(r.id)?.name ?? r.name,
        subject: r.subject,
        processInstanceId: r.instance_id,
        processId: r.process_id,
        processName: names.get(r.id)?.processName ?? r.process_name,
        assignee: r.assignee,
        candidateGroups: r.candidate_groups,
        candidateUsers: r.candidate_users,
        dueAt: iso(r.due_at),
        overdue: r.due_at !== null && r.due_at.getTime() < now,
        formId: r.form_id,
        state: TASK_STATE[r.state],
        createdAt: r.created_at.toISOString(),
      })),
      total,
    };
  },
});

/** What the task sees: process variables, then each enclosing scope's, then its own (io inputs). */
async function taskVariables(ctx: Ctx, instanceVars: Vars, elementInstanceId: string): Promise<Vars> {
  const chain: Vars[] = [];
  for (let id: string | null = elementInstanceId; id; ) {
    const row: { scope_id: string | null; variables: Vars } | undefined = await ctx.db
      .selectFrom('bpm_element_instances')
      .select(['scope_id', 'variables'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) break;
    chain.unshift(row.variables);
    id = row.scope_id;
  }
  return Object.assign({}, instanceVars, ...chain);
}

export const getTask = defineAction({
  name: 'getTask',
  description:
    'A task with its form (the version current when it was created) and the variables it sees; yours, offered to you, or completed by you.',
  permission: PERMISSIONS.tasks,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: listItem.omit({ overdue: true }).extend({
    overdue: z.boolean(),
    businessKey: z.string().nullable(),
    formVersion: z.number().nullable(),
    form: z.record(z.string(), z.unknown()).nullable(),
    variables: variablesSchema,
    completedAt: z.string().nullable(),
  }),
  async run(ctx, input) {
    const task = await ctx.db
      .selectFrom('bpm_user_tasks as t')
      .innerJoin('bpm_instances as i', 'i.id', 't.instance_id')
      .innerJoin('bpm_definitions as d', 'd.id', 'i.definition_id')
      .selectAll('t')
      .select([
        'i.process_id',
        'i.business_key',
        'i.variables as instance_variables',
        'd.name as process_name',
        'i.definition_id',
      ])
      .where('t.id', '=', input.id)
      .executeTakeFirst();
    if (!task) throw notFound('bpm_task', input.id);
    const who = me(ctx);
    if (!who.admin && !mayWork(ctx, task) && !(who.id && task.completed_by === who.id))
      throw forbidden(PERMISSIONS.tasks);
    const form = task.form_id ? await loadForm(ctx, task.form_id, task.form_version) : null;
    const named = (await namesIn(ctx, [task])).get(task.id);
    return {
      id: task.id,
      elementId: task.element_id,
      name: named?.name ?? task.name,
      subject: task.subject,
      processInstanceId: task.instance_id,
      processId: task.process_id,
      processName: named?.processName ?? task.process_name,
      businessKey: task.business_key,
      assignee: task.assignee,
      candidateGroups: task.candidate_groups,
      candidateUsers: task.candidate_users,
      dueAt: iso(task.due_at),
      overdue: task.state === 'open' && task.due_at !== null && task.due_at.getTime() < Date.now(),
      formId: task.form_id,
      formVersion: form?.version ?? null,
      form: form?.schema ?? null,
      state: TASK_STATE[task.state],
      createdAt: task.created_at.toISOString(),
      completedAt: iso(task.completed_at),
      variables: await taskVariables(ctx, task.instance_variables, task.element_instance_id),
    };
  },
});

/** Finds a task, locks its instance (the step lock), then reads the task again under it. */
async function lockTask(ctx: Ctx, id: string): Promise<{ step: Step; task: TaskRow }> {
  const found = await ctx.db
    .selectFrom('bpm_user_tasks')
    .select('instance_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw notFound('bpm_task', id);
  const step = await Step.open(ctx, found.instance_id);
  const task = await ctx.db
    .selectFrom('bpm_user_tasks')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return { step, task };
}

export const claimTask = defineAction({
  name: 'claimTask',
  description:
    'Takes an open task offered to you (a role, your department, by name): it becomes assigned to you.',
  permission: PERMISSIONS.tasks,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({ id: z.string(), assignee: z.string() }),
  async run(ctx, input) {
    const { task } = await lockTask(ctx, input.id);
    const who = me(ctx);
    if (task.state !== 'open') throw conflict('BPM_TASK_NOT_OPEN', { state: task.state });
    if (!mayWork(ctx, task)) {
      if (task.assignee) throw conflict('BPM_TASK_ASSIGNED', { assignee: task.assignee });
      throw forbidden(PERMISSIONS.tasks);
    }
    if (!who.email) throw forbidden(PERMISSIONS.tasks);
    await ctx.db
      .updateTable('bpm_user_tasks')
      .set({ assignee: who.email })
      .where('id', '=', task.id)
      .execute();
    await ctx.audit({
      entity: 'bpm_task',
      entityId: task.id,
      before: { assignee: task.assignee },
      after: { assignee: who.email },
    });
    return { id: task.id, assignee: who.email };
  },
});

export const unclaimTask = defineAction({
  name: 'unclaimTask',
  description: 'Gives a claimed task back to its candidates (its assignee or an admin).',
  permission: PERMISSIONS.tasks,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({ id: z.string(), assignee: z.null() }),
  async run(ctx, input) {
    const { task } = await lockTask(ctx, input.id);
    const who = me(ctx);
    if (task.state !== 'open') throw conflict('BPM_TASK_NOT_OPEN', { state: task.state });
    if (!task.assignee) throw conflict('BPM_TASK_NOT_CLAIMED');
    if (!who.admin && task.assignee.toLowerCase() !== who.email) throw forbidden(PERMISSIONS.tasks);
    await ctx.db.updateTable('bpm_user_tasks').set({ assignee: null }).where('id', '=', task.id).execute();
    await ctx.audit({
      entity: 'bpm_task',
      entityId: task.id,
      before: { assignee: task.assignee },
      after: { assignee: null },
    });
    return { id: task.id, assignee: null };
  },
});

export const completeTask = defineAction({
  name: 'completeTask',
  description:
    "Completes your task with variables (its form's required fields must be filled); the process moves on in the same transaction.",
  permission: PERMISSIONS.tasks,
  write: true,
  input: z.object({ id: z.uuid(), variables: variablesSchema.optional() }),
  output: z.object({ id: z.string(), processInstanceId: z.string(), instanceState: z.string() }),
  async run(ctx, input) {
    const { step, task } = await lockTask(ctx, input.id);
    if (task.state !== 'open') throw conflict('BPM_TASK_NOT_OPEN', { state: task.state });
    if (!mayWork(ctx, task) && !me(ctx).admin) throw forbidden(PERMISSIONS.tasks);
    const submitted = input.variables ?? {};
    if (task.form_id) {
      const form = await loadForm(ctx, task.form_id, task.form_version);
      const token = step.token(task.element_instance_id);
      // A field hidden by its FEEL condition on what the task sees is not required.
      const seen = { ...step.vars(token.scope_id), ...token.variables, ...submitted };
      const missing = form ? missingRequired(form.schema, submitted, seen) : [];
      if (missing.length > 0)
        throw validationFailed(
          missing.map((path) => ({
            path: `variables.${path}`,
            message: ctx.translate('BPM_FORM_FIELD_REQUIRED'),
          })),
        );
    }
    const userId = ctx.actor.kind === 'user' ? ctx.actor.id : null;
    await ctx.db
      .updateTable('bpm_user_tasks')
      .set({ state: 'completed', completed_at: new Date(), completed_by: userId })
      .where('id', '=', task.id)
      .execute();
    await step.complete(task.element_instance_id, submitted);
    // The task's event and audit go with the step's own writes: one statement for all.
    step.emit({
      type: 'bpm.task.completed',
      aggregateType: 'bpm_instance',
      aggregateId: task.instance_id,
      payload: { taskId: task.id, elementId: task.element_id, completedBy: userId },
    });
    const instanceState = await step.finish(() => ({
      entity: 'bpm_task',
      entityId: task.id,
      before: { state: 'open' },
      after: { state: 'completed', variables: submitted },
    }));
    return { id: task.id, processInstanceId: task.instance_id, instanceState };
  },
});
