// Module events (`crm.deal.stageChanged`, ...) reach the engine through the outbox as messages
// named after the event: they start every latest-version process with a message start event of
// that name whose condition holds for the payload, and correlate a waiting catch of that name
// whose correlation key equals the event's aggregate id (the deal's id for a deal event).
import { subscriberOf } from '../../server/core/module.js';
import { correlateWaiting } from './correlation.js';
import type { Ctx } from './engine.js';
import type { BpmTables } from './schema.js';
import { startOnMessage } from './start-events.js';

export const startProcessesOnEvent = subscriberOf<BpmTables>({
  name: 'bpm.startProcessesOnEvent',
  // Every other module's events; the engine's own are not messages to itself. Stock documents
  // are posted by the thousand (a delivery each would cost a dispatcher transaction per posting):
  // processes wait for erp.shipment.posted and erp.stock.belowReorderLevel instead.
  events: ['*'],
  except: ['bpm.*', 'erp.document.*'],
  async handle(anyCtx, event) {
    const ctx = anyCtx as Ctx;
    const variables = event.payload;
    const caught = await correlateWaiting(ctx, {
      name: event.type,
      correlationKey: event.aggregateId,
      variables,
    });
    // Keyed on the event id: a redelivered event starts nothing twice.
    const started = await startOnMessage(ctx, { name: event.type, variables, eventId: event.id });
    if (!caught && started.length === 0) return;
    await ctx.audit({
      entity: 'core_event',
      entityId: String(event.id),
      action: 'bpm.event.received',
      before: null,
      after: {
        type: event.type,
        caughtBy: caught?.id ?? null,
        startedInstanceIds: started.map((s) => s.id),
      },
    });
  },
});
