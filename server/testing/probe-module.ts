// A small module used only by the core's tests: it has its own table, actions that write,
// emit and fail on demand, a route, and a subscriber that records what it was delivered.
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { AppError, ruleViolation } from '../core/errors.js';
import {
  actionsOf,
  defineModule,
  type GroupedCall,
  type GroupedOutcome,
  type StoredEvent,
  subscriberOf,
} from '../core/module.js';
import { actionRoute } from '../http/action-route.js';

export type ProbeTables = {
  probe_items: { id: string; name: string; aggregate: string };
  probe_deliveries: {
    event_id: number;
    subscriber: string;
    aggregate: string;
    seq: number;
    delivered_at: Date;
  };
};

const defineAction = actionsOf<ProbeTables>();

/** Tests steer the subscriber: how many deliveries of which aggregate fail before one succeeds. */
export const probeControl = { failuresLeft: new Map<string, number>(), handled: 0 };

export const createItem = defineAction({
  name: 'createItem',
  description: 'Creates an item and emits probe.item.created.',
  permission: 'probe.write',
  write: true,
  input: z.object({
    name: z.string().min(1).max(50),
    aggregate: z.string().default('a'),
    seq: z.number().int().default(0),
    failAfterWrite: z.enum(['business', 'technical', 'retryable']).optional(),
  }),
  output: z.object({ id: z.string(), name: z.string() }),
  async run(ctx, input) {
    const id = crypto.randomUUID();
    await ctx.db
      .insertInto('probe_items')
      .values({ id, name: input.name, aggregate: input.aggregate })
      .execute();
    await ctx.emit({
      type: 'probe.item.created',
      aggregateType: 'probeItem',
      aggregateId: input.aggregate,
      payload: { id, name: input.name, seq: input.seq },
    });
    await ctx.audit({
      entity: 'probeItem',
      entityId: id,
      before: null,
      after: { name: input.name, password: 'x' },
    });
    if (input.failAfterWrite === 'business') throw ruleViolation('PROBE_REFUSED');
    if (input.failAfterWrite === 'technical') throw new Error('probe exploded');
    if (input.failAfterWrite === 'retryable') {
      const attempt = (retryCounter.get(input.name) ?? 0) + 1;
      retryCounter.set(input.name, attempt);
      if (attempt < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' });
    }
    return { id, name: input.name };
  },
});

export const retryCounter = new Map<string, number>();

/** Tests steer grouped calls: names refused while listed here, and the sizes of groups run. */
export const groupControl = { refuse: new Set<string>(), sizes: [] as number[] };

type GroupedInput = { name: string; clash?: boolean };

/** Items of a group written by one statement; `clash` reuses an id, breaking that statement. */
async function insertGrouped(
  calls: GroupedCall<GroupedInput, ProbeTables>[],
): Promise<GroupedOutcome<{ id: string; name: string }>[]> {
  groupControl.sizes.push(calls.length);
  const outcomes = calls.map(({ input }): GroupedOutcome<{ id: string; name: string }> => {
    if (groupControl.refuse.has(input.name)) return { ok: false, error: ruleViolation('PROBE_REFUSED') };
    const id = input.clash ? '00000000-0000-4000-8000-00000000c1a5' : crypto.randomUUID();
    return {
      ok: true,
      output: { id, name: input.name },
      audit: { entity: 'probeItem', entityId: id, before: null, after: { name: input.name } },
      events: [{ type: 'probe.item.created', aggregateType: 'probeItem', aggregateId: id, payload: { id } }],
    };
  });
  const rows = outcomes.flatMap((o) => (o.ok ? [o.output] : []));
  if (rows.length > 0) {
    await sql`insert into probe_items (id, name, aggregate)
      select id, name, 'grouped' from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.name)}::text[])
        as r (id, name)`.execute(calls[0]!.ctx.db);
  }
  return outcomes;
}

export const createGrouped = defineAction({
  name: 'createGrouped',
  description: 'Creates an item; concurrent calls commit together (group commit).',
  permission: 'probe.write',
  write: true,
  input: z.object({ name: z.string().min(1).max(50), clash: z.boolean().optional() }),
  output: z.object({ id: z.string(), name: z.string() }),
  group: { accepts: () => true, run: insertGrouped },
  async run(ctx, input) {
    const [outcome] = await insertGrouped([{ ctx, input }]);
    if (!outcome!.ok) throw outcome!.error;
    await ctx.record({ audit: outcome!.audit, events: outcome!.events, answer: outcome!.output });
    return outcome!.output;
  },
});

export const createTwo = defineAction({
  name: 'createTwo',
  description: 'Creates two items through nested calls in one transaction, then maybe fails.',
  permission: 'probe.write',
  write: true,
  input: z.object({ prefix: z.string(), fail: z.boolean().default(false) }),
  output: z.object({ ids: z.array(z.string()) }),
  async run(ctx, input) {
    const a = await ctx.call<{ id: string }>('probe.createItem', { name: `${input.prefix}-1` });
    const b = await ctx.call<{ id: string }>('probe.createItem', { name: `${input.prefix}-2` });
    if (input.fail) throw new AppError(409, 'PROBE_CONFLICT');
    return { ids: [a.id, b.id] };
  },
});

export const badOutput = defineAction({
  name: 'badOutput',
  description: 'Returns output that breaks its own schema (a bug the registry must catch).',
  permission: 'probe.read',
  write: false,
  input: z.object({}),
  output: z.object({ count: z.number() }),
  async run() {
    return { count: 'many' } as unknown as { count: number };
  },
});

export const emitUndeclared = defineAction({
  name: 'emitUndeclared',
  description: 'Emits an event type the module does not declare.',
  permission: 'probe.write',
  write: false,
  input: z.object({}),
  output: z.object({}),
  async run(ctx) {
    await ctx.emit({ type: 'probe.secret', aggregateType: 'x', aggregateId: '1', payload: {} });
    return {};
  },
});

async function recordDelivery(
  db: Transaction<ProbeTables>,
  subscriber: string,
  event: StoredEvent,
): Promise<void> {
  const failures = probeControl.failuresLeft.get(event.aggregateId) ?? 0;
  if (failures > 0) {
    probeControl.failuresLeft.set(event.aggregateId, failures - 1);
    throw new Error(`probe subscriber refuses ${event.aggregateId}`);
  }
  probeControl.handled++;
  // Idempotent by event id: a redelivery after a crash records nothing twice.
  await db
    .insertInto('probe_deliveries')
    .values({
      event_id: event.id,
      subscriber,
      aggregate: event.aggregateId,
      seq: Number(event.payload.seq ?? 0),
      delivered_at: new Date(),
    })
    .onConflict((oc) => oc.columns(['event_id', 'subscriber']).doNothing())
    .execute();
}

export const probeModule = defineModule({
  name: 'probe',
  migrations: {
    '0001-items': {
      async up(db) {
        await db.schema
          .createTable('probe_items')
          .addColumn('id', 'uuid', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('aggregate', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('probe_deliveries')
          .addColumn('event_id', 'bigint', (c) => c.notNull())
          .addColumn('subscriber', 'text', (c) => c.notNull())
          .addColumn('aggregate', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('delivered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
          .addPrimaryKeyConstraint('probe_deliveries_pk', ['event_id', 'subscriber'])
          .execute();
      },
    },
  },
  permissions: [{ code: 'probe.read', grantTo: ['employee'] }, { code: 'probe.write' }],
  actions: [createItem, createTwo, badOutput, emitUndeclared, createGrouped],
  events: ['probe.item.created'],
  subscribers: [
    subscriberOf<ProbeTables>({
      name: 'probe.recordDeliveries',
      events: ['probe.item.created'],
      handle: (ctx, event) => recordDelivery(ctx.db, 'probe.recordDeliveries', event),
    }),
    {
      name: 'probe.everything',
      events: ['probe.*'],
      handle: async () => {},
    },
  ],
  messages: {
    en: { PROBE_REFUSED: 'The probe refused.' },
    ru: { PROBE_REFUSED: 'Зонд отказал.' },
    uz: { PROBE_REFUSED: 'Zond rad etdi.' },
  },
  routes(app) {
    actionRoute(app, { method: 'POST', url: '/items', action: 'probe.createItem' });
    actionRoute(app, { method: 'POST', url: '/two', action: 'probe.createTwo' });
    actionRoute(app, { method: 'GET', url: '/bad-output', action: 'probe.badOutput' });
  },
});
