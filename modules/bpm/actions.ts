// The BPM module's actions: deploy, definitions, instances, the task inbox, messages, incidents.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, conflict, forbidden, notFound } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import { correlateWaiting } from './correlation.js';
import { broadcastSignal, type Ctx, loadProcess, Step } from './engine.js';
import { BpmnParseError, type CompiledProcess, compileProcess, type Problem, parseBpmn } from './model.js';
import type { BpmTables } from './schema.js';
import { registerStarts, startOnMessage, startOnSignal } from './start-events.js';

const defineAction = actionsOf<BpmTables>();

export const PERMISSIONS = {
  deploy: 'bpm.definitions.deploy',
  read: 'bpm.definitions.read',
  start: 'bpm.instances.start',
  instancesRead: 'bpm.instances.read',
  manage: 'bpm.instances.manage',
  tasks: 'bpm.tasks.work',
  messages: 'bpm.messages.send',
} as const;

const variablesSchema = z.record(z.string(), z.unknown());
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const deploy = defineAction({
  name: 'deploy',
  description:
    'Deploys BPMN 2.0 XML: each executable process as a new version (an unchanged file makes none).',
  permission: PERMISSIONS.deploy,
  write: true,
  input: z.object({ xml: z.string().min(1) }),
  output: z.object({
    processes: z.array(z.object({ processId: z.string(), version: z.number().int(), created: z.boolean() })),
    warnings: z.array(z.string()),
  }),
  async run(ctx, input) {
    let parsed: Awaited<ReturnType<typeof parseBpmn>>;
    try {
      parsed = await parseBpmn(input.xml);
    } catch (error) {
      if (error instanceof BpmnParseError)
        throw new AppError(400, 'BPMN_UNREADABLE', {
          details: { reason: error.message },
          params: { reason: error.message },
        });
      throw error;
    }
    const executable = parsed.processes.filter((p) => p.executable);
    const problems: Problem[] = [];
    if (executable.length === 0)
      problems.push({
        elementId: null,
        elementType: 'bpmn:Definitions',
        name: null,
        message: 'No process is marked executable',
      });
    const compiled = new Map<string, CompiledProcess>();
    for (const p of executable) {
      const result = compileProcess(p.element, (name) => ctx.hasAction(name));
      problems.push(...result.problems);
      compiled.set(p.id, result.process);
    }
    if (problems.length > 0)
      throw new AppError(422, 'BPMN_INVALID', { details: { problems }, params: { count: problems.length } });

    const hash = createHash('sha256').update(input.xml).digest('hex');
    const processes: { processId: string; version: number; created: boolean }[] = [];
    for (const p of executable) {
      // Serializes deployments of one process id so two deploys never take the same version.
      await ctx.db
        .selectNoFrom((eb) =>
          eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`bpm:${p.id}`)])]).as('l'),
        )
        .execute();
      const latest = await ctx.db
        .selectFrom('bpm_definitions')
        .select(['version', 'hash'])
        .where('process_id', '=', p.id)
        .orderBy('version', 'desc')
        .executeTakeFirst();
      if (latest && latest.hash === hash) {
        processes.push({ processId: p.id, version: latest.version, created: false });
        continue;
      }
      const version = (latest?.version ?? 0) + 1;
      const row = await ctx.db
        .insertInto('bpm_definitions')
        .values({
          process_id: p.id,
          version,
          name: p.name,
          xml: input.xml,
          hash,
          deployed_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const process = compiled.get(p.id);
      if (process) await registerStarts(ctx, { id: row.id, process_id: p.id, version }, process);
      await ctx.audit({
        entity: 'bpm_definition',
        entityId: row.id,
        before: null,
        after: { processId: p.id, version, hash },
      });
      processes.push({ processId: p.id, version, created: true });
    }
    if (!processes.some((p) => p.created)) ctx.noAudit('the same file was deployed before');
    return { processes, warnings: parsed.warnings };
  },
});

export const listDefinitions = defineAction({
  name: 'listDefinitions',
  description: 'Deployed processes: the latest version of each, or every version with all=true.',
  permission: PERMISSIONS.read,
  write: false,
  input: z.object({ all: z.stringbool().optional() }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        processId: z.string(),
        version: z.number(),
        name: z.string().nullable(),
        deployedAt: z.string(),
      }),
    ),
  }),
  async run(ctx, input) {
    let query = ctx.db
      .selectFrom('bpm_definitions as d')
      .select(['d.id', 'd.process_id', 'd.version', 'd.name', 'd.deployed_at'])
      .orderBy('d.process_id')
      .orderBy('d.version', 'desc');
    if (!input.all)
      query = query.where(({ eb, selectFrom }) =>
        eb(
          'd.version',
          '=',
          selectFrom('bpm_definitions as l')
            .select((e) => e.fn.max('l.version').as('v'))
            .whereRef('l.process_id', '=', 'd.process_id'),
        ),
      );
    const rows = await query.limit(1000).execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        processId: r.process_id,
        version: r.version,
        name: r.name,
        deployedAt: r.deployed_at.toISOString(),
      })),
    };
  },
});

const instanceRef = z.object({
  id: z.string(),
  state: z.enum(['active', 'completed', 'cancelled', 'failed']),
});

export const startInstance = defineAction({
  name: 'startInstance',
  description:
    'Starts an instance of a process (its latest version unless one is given) and runs it until it waits.',
  permission: PERMISSIONS.start,
  write: true,
  input: z.object({
    processId: z.string().min(1).max(200),
    version: z.number().int().positive().optional(),
    businessKey: z.string().max(200).nullable().optional(),
    variables: variablesSchema.optional(),
  }),
  output: instanceRef,
  async run(ctx, input) {
    let query = ctx.db
      .selectFrom('bpm_definitions')
      .select(['id', 'process_id', 'version'])
      .where('process_id', '=', input.processId);
    if (input.version) query = query.where('version', '=', input.version);
    const definition = await query.orderBy('version', 'desc').executeTakeFirst();
    if (!definition) throw notFound('bpm_definition', input.processId);
    if (!(await loadProcess(ctx, definition.id)).startId)
      throw new AppError(422, 'BPM_NO_NONE_START', {
        details: { processId: input.processId },
        params: { processId: input.processId },
      });
    const step = await Step.start(ctx, definition, input);
    const state = await step.finish();
    await ctx.audit({
      entity: 'bpm_instance',
      entityId: step.instance.id,
      before: null,
      after: {
        processId: definition.process_id,
        version: definition.version,
        businessKey: input.businessKey ?? null,
        state,
      },
    });
    return { id: step.instance.id, state };
  },
});

export const listInstances = defineAction({
  name: 'listInstances',
  description: 'Instances, newest first, filtered by process, state and business key.',
  permission: PERMISSIONS.instancesRead,
  write: false,
  input: z.object({
    processId: z.string().max(200).optional(),
    state: z.enum(['active', 'completed', 'cancelled', 'failed']).optional(),
    businessKey: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
  output: z.object({
    items: z.array(
      z.object({
        id: z.string(),
        processId: z.string(),
        version: z.number(),
        businessKey: z.string().nullable(),
        state: z.string(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
      }),
    ),
  }),
  async run(ctx, input) {
    let query = ctx.db
      .selectFrom('bpm_instances')
      .select(['id', 'process_id', 'version', 'business_key', 'state', 'started_at', 'ended_at']);
    if (input.processId) query = query.where('process_id', '=', input.processId);
    if (input.state) query = query.where('state', '=', input.state);
    if (input.businessKey) query = query.where('business_key', '=', input.businessKey);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(input.limit).execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        processId: r.process_id,
        version: r.version,
        businessKey: r.business_key,
        state: r.state,
        startedAt: r.started_at.toISOString(),
        endedAt: iso(r.ended_at),
      })),
    };
  },
});

export const setVariables = defineAction({
  name: 'setVariables',
  description: 'Changes process-level variables of a running instance (admins; audited before and after).',
  permission: PERMISSIONS.manage,
  write: true,
  input: z.object({ id: z.uuid(), variables: variablesSchema }),
  output: z.object({ id: z.string(), variables: variablesSchema }),
  async run(ctx, input) {
    const step = await Step.open(ctx, input.id);
    const before = { ...step.instance.variables };
    if (step.instance.state === 'completed' || step.instance.state === 'cancelled')
      throw conflict('BPM_INSTANCE_ENDED', { state: step.instance.state });
    step.setVars(null, input.variables);
    await step.finish();
    await ctx.audit({
      entity: 'bpm_instance',
      entityId: input.id,
      before: { variables: before },
      after: { variables: step.instance.variables },
    });
    return { id: input.id, variables: step.instance.variables };
  },
});

const elementSchema = z.object({ elementId: z.string(), elementType: z.string() });

export const getInstance = defineAction({
  name: 'getInstance',
  description: 'An instance: state, variables, active elements, incidents and the history of its elements.',
  permission: PERMISSIONS.instancesRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: z.object({
    id: z.string(),
    processId: z.string(),
    version: z.number(),
    businessKey: z.string().nullable(),
    /** The calling instance when this one runs a call activity's process. */
    parentInstanceId: z.string().nullable(),
    state: z.string(),
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
        state: z.string(),
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
      }),
    ),
  }),
  async run(ctx, input) {
    const instance = await ctx.db
      .selectFrom('bpm_instances')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!instance) throw notFound('bpm_instance', input.id);
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
      })),
    };
  },
});

export const cancelInstance = defineAction({
  name: 'cancelInstance',
  description: 'Cancels a running instance: every token ends, its tasks, timers and subscriptions go.',
  permission: PERMISSIONS.manage,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: instanceRef,
  async run(ctx, input) {
    const step = await Step.open(ctx, input.id);
    const before = step.instance.state;
    if (before === 'completed' || before === 'cancelled')
      throw conflict('BPM_INSTANCE_ENDED', { state: before });
    await step.cancel();
    const state = await step.finish();
    await ctx.audit({
      entity: 'bpm_instance',
      entityId: input.id,
      before: { state: before },
      after: { state },
    });
    return { id: input.id, state };
  },
});

const taskSchema = z.object({
  id: z.string(),
  elementId: z.string(),
  name: z.string().nullable(),
  processInstanceId: z.string(),
  processId: z.string(),
  assignee: z.string().nullable(),
  candidateGroups: z.array(z.string()),
  candidateUsers: z.array(z.string()),
  dueAt: z.string().nullable(),
  formId: z.string().nullable(),
  state: z.string(),
  createdAt: z.string(),
});

function me(ctx: Ctx): { email: string; roles: readonly string[]; admin: boolean } {
  if (ctx.actor.kind !== 'user') return { email: '', roles: [], admin: ctx.actor.kind === 'system' };
  return {
    email: ctx.actor.email.toLowerCase(),
    roles: ctx.actor.roles,
    admin: ctx.actor.roles.includes('admin'),
  };
}

/** Whether the caller may see and work on a task: theirs, or unassigned and offered to them. */
function mayWork(
  ctx: Ctx,
  task: { assignee: string | null; candidate_groups: string[]; candidate_users: string[] },
): boolean {
  const who = me(ctx);
  if (task.assignee) return task.assignee.toLowerCase() === who.email;
  return (
    task.candidate_groups.some((g) => who.roles.includes(g)) ||
    task.candidate_users.some((u) => u.toLowerCase() === who.email)
  );
}

export const listTasks = defineAction({
  name: 'listTasks',
  description:
    "The caller's inbox: open tasks assigned to them, or unassigned and offered to one of their roles or to them.",
  permission: PERMISSIONS.tasks,
  write: false,
  input: z.object({
    processInstanceId: z.uuid().optional(),
    assignee: z.string().optional(),
    candidateGroup: z.string().optional(),
  }),
  output: z.object({ items: z.array(taskSchema) }),
  async run(ctx, input) {
    const who = me(ctx);
    let query = ctx.db
      .selectFrom('bpm_user_tasks as t')
      .innerJoin('bpm_instances as i', 'i.id', 't.instance_id')
      .select([
        't.id',
        't.element_id',
        't.name',
        't.instance_id',
        'i.process_id',
        't.assignee',
        't.candidate_groups',
        't.candidate_users',
        't.due_at',
        't.form_id',
        't.state',
        't.created_at',
      ])
      .where('t.state', '=', 'open');
    if (input.processInstanceId) query = query.where('t.instance_id', '=', input.processInstanceId);
    if (input.assignee) query = query.where('t.assignee', '=', input.assignee);
    query = query.where(({ eb, or, and, fn }) =>
      or([
        eb(fn('lower', ['t.assignee']), '=', who.email),
        and([
          eb('t.assignee', 'is', null),
          or([
            ...who.roles.map((role) => eb('t.candidate_groups', '@>', jsonArray(role))),
            eb('t.candidate_users', '@>', jsonArray(who.email)),
          ]),
        ]),
      ]),
    );
    const rows = await query.orderBy('t.created_at').limit(500).execute();
    return {
      items: rows
        .filter((r) => !input.candidateGroup || r.candidate_groups.includes(input.candidateGroup))
        .map((r) => ({
          id: r.id,
          elementId: r.element_id,
          name: r.name,
          processInstanceId: r.instance_id,
          processId: r.process_id,
          assignee: r.assignee,
          candidateGroups: r.candidate_groups,
          candidateUsers: r.candidate_users,
          dueAt: iso(r.due_at),
          formId: r.form_id,
          state: r.state,
          createdAt: r.created_at.toISOString(),
        })),
    };
  },
});

const jsonArray = (item: string) => sql<string[]>`${JSON.stringify([item])}::jsonb`;

/** Finds a task, locks its instance (the step lock), then reads the task again under it. */
async function lockTask(ctx: Ctx, id: string) {
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
  description: 'Takes an open task offered to one of your roles: it becomes assigned to you.',
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

export const completeTask = defineAction({
  name: 'completeTask',
  description: 'Completes your task with variables; the process moves on in the same transaction.',
  permission: PERMISSIONS.tasks,
  write: true,
  input: z.object({ id: z.uuid(), variables: variablesSchema.optional() }),
  output: z.object({ id: z.string(), processInstanceId: z.string(), instanceState: z.string() }),
  async run(ctx, input) {
    const { step, task } = await lockTask(ctx, input.id);
    if (task.state !== 'open') throw conflict('BPM_TASK_NOT_OPEN', { state: task.state });
    if (!mayWork(ctx, task) && !me(ctx).admin) throw forbidden(PERMISSIONS.tasks);
    const userId = ctx.actor.kind === 'user' ? ctx.actor.id : null;
    await ctx.db
      .updateTable('bpm_user_tasks')
      .set({ state: 'completed', completed_at: new Date(), completed_by: userId })
      .where('id', '=', task.id)
      .execute();
    await step.complete(task.element_instance_id, input.variables ?? {});
    const instanceState = await step.finish();
    await ctx.emit({
      type: 'bpm.task.completed',
      aggregateType: 'bpm_instance',
      aggregateId: task.instance_id,
      payload: { taskId: task.id, elementId: task.element_id, completedBy: userId },
    });
    await ctx.audit({
      entity: 'bpm_task',
      entityId: task.id,
      before: { state: 'open' },
      after: { state: 'completed', variables: input.variables ?? {} },
    });
    return { id: task.id, processInstanceId: task.instance_id, instanceState };
  },
});

export const correlateMessage = defineAction({
  name: 'correlateMessage',
  description:
    'Delivers a message to the oldest catch waiting for its name and correlation key, and starts every latest-version process with a message start event of that name (one active instance per correlation key); neither is 404 MESSAGE_NOT_CORRELATED (messages are not buffered).',
  permission: PERMISSIONS.messages,
  write: true,
  input: z.object({
    name: z.string().min(1).max(200),
    correlationKey: z.string().max(500),
    variables: variablesSchema.optional(),
  }),
  output: z.object({
    processInstanceId: z.string(),
    instanceState: z.string(),
    /** Instances the message started through message start events. */
    startedInstanceIds: z.array(z.string()),
  }),
  async run(ctx, input) {
    const message = { ...input, variables: input.variables ?? {} };
    const caught = await correlateWaiting(ctx, message);
    const started = await startOnMessage(ctx, message);
    const first = caught ?? started[0];
    if (!first)
      throw new AppError(404, 'MESSAGE_NOT_CORRELATED', {
        details: { name: input.name, correlationKey: input.correlationKey },
        params: { name: input.name },
      });
    for (const instance of caught ? [caught, ...started] : started)
      await ctx.audit({
        entity: 'bpm_instance',
        entityId: instance.id,
        before: null,
        after: {
          message: input.name,
          correlationKey: input.correlationKey,
          started: instance !== caught,
          state: instance.state,
        },
      });
    return {
      processInstanceId: first.id,
      instanceState: first.state,
      startedInstanceIds: started.map((s) => s.id),
    };
  },
});

export const sendSignal = defineAction({
  name: 'sendSignal',
  description:
    'Broadcasts a signal to every catch waiting for its name and starts every latest-version process with a signal start of that name, in this transaction; answers how many caught it and the instances started.',
  permission: PERMISSIONS.messages,
  write: true,
  input: z.object({ name: z.string().min(1).max(200), variables: variablesSchema.optional() }),
  output: z.object({ caught: z.number(), startedInstanceIds: z.array(z.string()) }),
  async run(ctx, input) {
    const caught = await broadcastSignal(ctx, input.name, input.variables ?? {});
    const started = await startOnSignal(ctx, input.name, input.variables ?? {});
    const startedInstanceIds = started.map((s) => s.id);
    await ctx.audit({
      entity: 'bpm_signal',
      entityId: input.name,
      before: null,
      after: { caught, startedInstanceIds, variables: input.variables ?? {} },
    });
    return { caught, startedInstanceIds };
  },
});

export const retryIncident = defineAction({
  name: 'retryIncident',
  description: 'Resolves an open incident and runs its element again.',
  permission: PERMISSIONS.manage,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({ id: z.string(), processInstanceId: z.string(), instanceState: z.string() }),
  async run(ctx, input) {
    const found = await ctx.db
      .selectFrom('bpm_incidents')
      .select('instance_id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!found) throw notFound('bpm_incident', input.id);
    const step = await Step.open(ctx, found.instance_id);
    const incident = await ctx.db
      .selectFrom('bpm_incidents')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirstOrThrow();
    if (incident.state !== 'open') throw conflict('BPM_INCIDENT_RESOLVED');
    await ctx.db
      .updateTable('bpm_incidents')
      .set({
        state: 'resolved',
        resolved_at: new Date(),
        resolved_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
      })
      .where('id', '=', incident.id)
      .execute();
    await step.resume(incident.element_instance_id);
    const instanceState = await step.finish();
    await ctx.audit({
      entity: 'bpm_incident',
      entityId: incident.id,
      before: { state: 'open' },
      after: { state: 'resolved' },
    });
    return { id: incident.id, processInstanceId: incident.instance_id, instanceState };
  },
});
