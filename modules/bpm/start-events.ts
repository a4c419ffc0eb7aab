// Timer, message and signal start events: what a deployment registers (timer-start jobs, the
// message and signal names it starts on) and how each trigger starts instances. Only the latest
// version of a process starts this way: deploying a new version replaces the old one's starts.
import { sql } from 'kysely';
import { AppError } from '../../server/core/errors.js';
import { type Ctx, loadProcess, Step } from './engine.js';
import { evalFeel, FeelError, type Vars } from './feel.js';
import type { CompiledProcess } from './model.js';
import type { InstanceState } from './schema.js';
import { firstDue, nextDue } from './timers.js';

type Definition = { id: string; process_id: string; version: number };
export type Started = { id: string; state: InstanceState };

/**
 * Called in the deploy transaction for a new version: removes the older versions' unfired timer
 * starts and their message/signal starts, then registers this version's.
 */
export async function registerStarts(ctx: Ctx, definition: Definition, process: CompiledProcess) {
  const older = ctx.db
    .selectFrom('bpm_definitions')
    .select('id')
    .where('process_id', '=', definition.process_id)
    .where('id', '!=', definition.id);
  await ctx.db
    .deleteFrom('bpm_jobs')
    .where('kind', '=', 'start')
    .where('definition_id', 'in', older)
    .execute();
  await ctx.db.deleteFrom('bpm_start_events').where('definition_id', 'in', older).execute();
  for (const elementId of process.eventStarts) {
    const node = process.nodes[elementId];
    if (!node) continue;
    if (node.timer) {
      let plan: ReturnType<typeof firstDue>;
      try {
        plan = firstDue(node.timer, {});
      } catch (error) {
        if (!(error instanceof FeelError)) throw error;
        const problem = { elementId, elementType: node.type, name: node.name, message: error.message };
        throw new AppError(422, 'BPMN_INVALID', { details: { problems: [problem] }, params: { count: 1 } });
      }
      await ctx.db
        .insertInto('bpm_jobs')
        .values({
          kind: 'start',
          definition_id: definition.id,
          instance_id: null,
          element_instance_id: null,
          element_id: elementId,
          due_at: plan.due,
          repeats_left: plan.repeatsLeft,
          attempts: 0,
        })
        .execute();
    } else {
      const kind = node.message ? 'message' : 'signal';
      await ctx.db
        .insertInto('bpm_start_events')
        .values({
          definition_id: definition.id,
          process_id: definition.process_id,
          element_id: elementId,
          kind,
          name: (node.message ? node.message.name : node.signal) ?? '',
        })
        .execute();
    }
  }
}

async function startAt(
  ctx: Ctx,
  definition: Definition,
  elementId: string,
  variables: Vars,
  options: { startMessageKey?: string | null; startEventId?: number | null } = {},
): Promise<Started> {
  const step = await Step.start(ctx, definition, { variables, startElementId: elementId, ...options });
  const state = await step.finish();
  return { id: step.instance.id, state };
}

/** A timer-start job fell due (claimed by the poller): start an instance, schedule the next occurrence. */
export async function fireTimerStart(
  ctx: Ctx,
  job: { id: number; definition_id: string | null; element_id: string; due_at: Date; repeats_left: number },
): Promise<Started | null> {
  // Gone when a newer version was deployed meanwhile (or another poller took it).
  const still = await ctx.db
    .deleteFrom('bpm_jobs')
    .where('id', '=', job.id)
    .returning('id')
    .executeTakeFirst();
  if (!still || !job.definition_id) return null;
  const definition = await ctx.db
    .selectFrom('bpm_definitions')
    .select(['id', 'process_id', 'version'])
    .where('id', '=', job.definition_id)
    .executeTakeFirstOrThrow();
  const process = await loadProcess(ctx, definition.id);
  const timer = process.nodes[job.element_id]?.timer;
  const next = timer ? nextDue(timer, {}, { due: job.due_at, repeatsLeft: job.repeats_left }) : null;
  if (next)
    await ctx.db
      .insertInto('bpm_jobs')
      .values({
        kind: 'start',
        definition_id: definition.id,
        instance_id: null,
        element_instance_id: null,
        element_id: job.element_id,
        due_at: next.due,
        repeats_left: next.repeatsLeft,
        attempts: 0,
      })
      .execute();
  return startAt(ctx, definition, job.element_id, {});
}

async function startsNamed(ctx: Ctx, kind: 'message' | 'signal', name: string) {
  return ctx.db
    .selectFrom('bpm_start_events as s')
    .innerJoin('bpm_definitions as d', 'd.id', 's.definition_id')
    .select(['d.id', 'd.process_id', 'd.version', 's.element_id'])
    .where('s.kind', '=', kind)
    .where('s.name', '=', name)
    .orderBy('d.process_id')
    .execute();
}

/** A start condition that fails to evaluate does not hold (logged: the model needs fixing). */
function holds(ctx: Ctx, condition: string, variables: Vars, processId: string): boolean {
  try {
    return evalFeel(condition, variables) === true;
  } catch (error) {
    if (!(error instanceof FeelError)) throw error;
    ctx.log.warn({ processId, err: error }, 'message start condition failed; no instance started');
    return false;
  }
}

/**
 * Starts every latest-version process whose message start event has this name and whose start
 * condition holds for the variables. With a correlation key, a process that already has an
 * active instance started by the same key starts none (Zeebe's rule); `eventId` makes a module
 * event start each process at most once however often it is delivered.
 */
export async function startOnMessage(
  ctx: Ctx,
  message: { name: string; correlationKey?: string; variables: Vars; eventId?: number },
): Promise<Started[]> {
  const started: Started[] = [];
  const key = message.correlationKey || null;
  for (const start of await startsNamed(ctx, 'message', message.name)) {
    const process = await loadProcess(ctx, start.id);
    const condition = process.nodes[start.element_id]?.condition;
    if (condition && !holds(ctx, condition, message.variables, start.process_id)) continue;
    if (key) {
      // Two messages with one key at the same time: the second waits here and sees the first.
      await sql`select pg_advisory_xact_lock(hashtext(${`bpm:start:${start.process_id}:${key}`}))`.execute(
        ctx.db,
      );
      const active = await ctx.db
        .selectFrom('bpm_instances')
        .select('id')
        .where('process_id', '=', start.process_id)
        .where('start_message_key', '=', key)
        .where('state', 'in', ['active', 'failed'])
        .executeTakeFirst();
      if (active) continue;
    }
    if (message.eventId !== undefined) {
      const done = await ctx.db
        .selectFrom('bpm_instances')
        .select('id')
        .where('process_id', '=', start.process_id)
        .where('start_event_id', '=', message.eventId)
        .executeTakeFirst();
      if (done) continue;
    }
    started.push(
      await startAt(ctx, start, start.element_id, message.variables, {
        startMessageKey: key,
        startEventId: message.eventId ?? null,
      }),
    );
  }
  return started;
}

/** Starts every latest-version process with a signal start event of this name. */
export async function startOnSignal(ctx: Ctx, name: string, variables: Vars): Promise<Started[]> {
  const started: Started[] = [];
  for (const start of await startsNamed(ctx, 'signal', name))
    started.push(await startAt(ctx, start, start.element_id, variables));
  return started;
}
