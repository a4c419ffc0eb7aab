// The BPM module's actions: definitions, instances, messages, incidents (deploy: deployment.ts; tasks: task-actions.ts).
import { z } from 'zod';
import { AppError, conflict, notFound } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import { correlateWaiting } from './correlation.js';
import { broadcastSignal, type DefinitionRef, loadProcess, Step } from './engine.js';
import { PERMISSIONS } from './permissions.js';
import type { BpmTables } from './schema.js';
import { startOnMessage, startOnSignal } from './start-events.js';

const defineAction = actionsOf<BpmTables>();

export { PERMISSIONS };

const variablesSchema = z.record(z.string(), z.unknown());

const instanceRef = z.object({
  id: z.string(),
  state: z.enum(['active', 'completed', 'cancelled', 'failed']),
});

/**
 * The latest definition each process was started from, as a hint only (startIfLatest checks it
 * against the database it runs on). Bounded: the oldest entry goes past LATEST_STARTED_MAX.
 */
const latestStarted = new Map<string, DefinitionRef>();
const LATEST_STARTED_MAX = 1000;
function remember(processId: string, definition: DefinitionRef) {
  latestStarted.delete(processId);
  latestStarted.set(processId, definition);
  const oldest = latestStarted.keys().next().value;
  if (latestStarted.size > LATEST_STARTED_MAX && oldest !== undefined) latestStarted.delete(oldest);
}

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
    type Input = typeof input;
    const prepare = async (definition: DefinitionRef): Promise<Input> => {
      const process = await loadProcess(ctx, definition.id);
      if (!process.startId)
        throw new AppError(422, 'BPM_NO_NONE_START', {
          details: { processId: input.processId },
          params: { processId: input.processId },
        });
      // The starter's id comes from the session, never from the request.
      const initiator = process.nodes[process.startId]?.initiator;
      const variables =
        initiator && ctx.actor.kind === 'user'
          ? { ...input.variables, [initiator]: ctx.actor.id }
          : initiator
            ? { ...input.variables, [initiator]: null }
            : input.variables;
      return { ...input, variables };
    };
    // The latest version started last time, checked by the insert itself: one read fewer.
    let definition = input.version ? undefined : latestStarted.get(input.processId);
    let step = definition ? await Step.startIfLatest(ctx, definition, await prepare(definition)) : null;
    if (!step || !definition) {
      let query = ctx.db
        .selectFrom('bpm_definitions')
        .select(['id', 'process_id', 'version'])
        .where('process_id', '=', input.processId);
      if (input.version) query = query.where('version', '=', input.version);
      definition = await query.orderBy('version', 'desc').executeTakeFirst();
      if (!definition) throw notFound('bpm_definition', input.processId);
      if (!input.version) remember(input.processId, definition);
      step = await Step.start(ctx, definition, await prepare(definition));
    }
    const started = definition;
    const state = await step.finish((finalState) => ({
      entity: 'bpm_instance',
      entityId: step.instance.id,
      before: null,
      after: {
        processId: started.process_id,
        version: started.version,
        businessKey: input.businessKey ?? null,
        state: finalState,
      },
    }));
    return { id: step.instance.id, state };
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
