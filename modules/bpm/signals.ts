// Signals thrown by a process reach every waiting catch through the outbox after the throwing
// step commits: durable (delivered at least once, marked done in the broadcast's transaction) and
// no step ever holds two instance locks.
import { subscriberOf } from '../../server/core/module.js';
import { broadcastSignal, type Ctx } from './engine.js';
import type { BpmTables } from './schema.js';
import { startOnSignal } from './start-events.js';

export const broadcastThrownSignals = subscriberOf<BpmTables>({
  name: 'bpm.broadcastSignals',
  events: ['bpm.signal.thrown'],
  async handle(ctx, event) {
    const name = String(event.payload.name ?? '');
    const variables = (event.payload.variables ?? {}) as Record<string, unknown>;
    const caught = await broadcastSignal(ctx as Ctx, name, variables);
    // Delivered at least once, marked done in this transaction: a redelivery after a crash
    // rolled these starts back with it.
    const started = await startOnSignal(ctx as Ctx, name, variables);
    await ctx.audit({
      entity: 'bpm_signal',
      entityId: name,
      action: 'bpm.signal.broadcast',
      before: null,
      after: { caught, startedInstanceIds: started.map((s) => s.id), eventId: ctx.eventId },
    });
  },
});
