// The jobs poller: timers and service-task retries that fell due. Claiming is a short
// transaction (`FOR UPDATE SKIP LOCKED`, then `locked_until` set), so any number of pollers in any
// number of processes share the jobs; running a job is a step of its own with the instance locked.
// A job whose runner died is claimed again once its lock has expired.

import type { Transaction } from 'kysely';
import type { Log } from '../../server/core/module.js';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import type { Registry } from '../../server/core/registry.js';
import type { Ctx } from './engine.js';
import { Step } from './engine.js';
import type { BpmTables } from './schema.js';
import { fireTimerStart } from './start-events.js';

const LOCK_MS = 60_000;

type Claimed = {
  id: number;
  instance_id: string | null;
  element_instance_id: string | null;
  definition_id: string | null;
  kind: 'timer' | 'retry' | 'start';
  element_id: string;
  attempts: number;
  due_at: Date;
  repeats_left: number;
};

async function claim(registry: Registry, now: Date, limit: number): Promise<Claimed[]> {
  return registry.withContext({ actor: SYSTEM_ACTOR, module: 'bpm' }, async (ctx) => {
    const db = ctx.db as Transaction<BpmTables>;
    const due = await db
      .selectFrom('bpm_jobs')
      .select([
        'id',
        'instance_id',
        'element_instance_id',
        'definition_id',
        'kind',
        'element_id',
        'attempts',
        'due_at',
        'repeats_left',
      ])
      .where('due_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', new Date())]))
      .orderBy('due_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length > 0)
      await db
        .updateTable('bpm_jobs')
        .set({ locked_until: new Date(Date.now() + LOCK_MS) })
        .where(
          'id',
          'in',
          due.map((j) => j.id),
        )
        .execute();
    return due;
  });
}

async function runJob(registry: Registry, job: Claimed): Promise<void> {
  await registry.withContext({ actor: SYSTEM_ACTOR, module: 'bpm' }, async (anyCtx) => {
    const ctx = anyCtx as Ctx;
    if (job.kind === 'start' || !job.instance_id || !job.element_instance_id) {
      const started = await fireTimerStart(ctx, job);
      if (started)
        await ctx.audit({
          entity: 'bpm_instance',
          entityId: started.id,
          action: 'bpm.job.start',
          before: { elementId: job.element_id, definitionId: job.definition_id },
          after: { instanceState: started.state },
        });
      else ctx.noAudit('the timer start was replaced by a newer version');
      return;
    }
    const step = await Step.open(ctx, job.instance_id);
    // Under the instance lock: the job may be gone (its task completed, the instance cancelled).
    const still = await ctx.db
      .selectFrom('bpm_jobs')
      .select('id')
      .where('id', '=', job.id)
      .executeTakeFirst();
    if (!still) return;
    await ctx.db.deleteFrom('bpm_jobs').where('id', '=', job.id).execute();
    if (job.kind === 'timer') {
      await step.fireEvent(job.element_instance_id, job.element_id);
      await step.repeatTimer(job.element_instance_id, job.element_id, {
        due: job.due_at,
        repeatsLeft: job.repeats_left,
      });
    } else {
      step.attempts.set(job.element_instance_id, job.attempts);
      await step.resume(job.element_instance_id);
    }
    const state = await step.finish();
    await ctx.audit({
      entity: 'bpm_job',
      entityId: String(job.id),
      action: `bpm.job.${job.kind}`,
      before: { elementId: job.element_id },
      after: { instanceState: state },
    });
  });
}

/**
 * Runs every job due by `now` (default: the current time) and answers how many ran. Tests call it
 * directly, with a `now` in the future to fire timers without waiting.
 */
export async function runDueJobs(
  registry: Registry,
  options: { now?: Date; log?: Log } = {},
): Promise<number> {
  let ran = 0;
  for (;;) {
    const jobs = await claim(registry, options.now ?? new Date(), 20);
    if (jobs.length === 0) return ran;
    for (const job of jobs) {
      try {
        await runJob(registry, job);
        ran++;
      } catch (error) {
        options.log?.error({ err: error, jobId: job.id }, 'bpm job failed');
      }
    }
  }
}

/**
 * Starts the poller of this server process (`suite.startBackground` should call it with the
 * suite's registry and log); returns the function that stops it.
 */
export function startBpmJobs(registry: Registry, log: Log, pollMs = 1000): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = runDueJobs(registry, { log })
      .catch((error) => log.error({ err: error }, 'bpm poller failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  let timer = setTimeout(tick, pollMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
