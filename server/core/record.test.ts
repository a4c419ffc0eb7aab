// ctx.record: the audit entry, events with their deliveries and the answer under the call's
// idempotency key in one statement. Replays answer what was stored, a failure stores nothing,
// a different final answer is a bug, and a nested action's answer never lands under the key.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachBackend } from '../testing/test-suite.js';
import { conflict } from './errors.js';
import { actionsOf, defineModule, SYSTEM_ACTOR, subscriberOf } from './module.js';

const defineAction = actionsOf<unknown>();
let runs = 0;

const early = defineAction({
  name: 'early',
  description: 'Records its audit entry, event and answer at once, then fails or changes it when asked.',
  permission: 'authenticated',
  write: true,
  input: z.object({ n: z.number(), fail: z.boolean().optional(), differ: z.boolean().optional() }),
  output: z.object({ n: z.number() }),
  async run(ctx, input) {
    runs++;
    const id = `n${input.n}-${randomUUID()}`;
    await ctx.record({
      audit: { entity: 'answer', entityId: id, before: null, after: { n: input.n, token: 'secret' } },
      events: [
        { type: 'answers.given', aggregateType: 'answer', aggregateId: id, payload: { n: input.n } },
        { type: 'answers.unheard', aggregateType: 'answer', aggregateId: id, payload: {} },
      ],
      answer: { n: input.n },
    });
    if (input.fail) throw conflict('EARLY_REFUSED');
    return { n: input.differ ? input.n + 1 : input.n };
  },
});

const outer = defineAction({
  name: 'outer',
  description: 'Calls `early` and answers something else.',
  permission: 'authenticated',
  write: true,
  input: z.object({ n: z.number() }),
  output: z.object({ outer: z.number() }),
  async run(ctx, input) {
    await ctx.call('answers.early', { n: input.n });
    return { outer: input.n * 10 };
  },
});

const answersModule = defineModule({
  name: 'answers',
  migrations: {},
  permissions: [],
  actions: [early, outer],
  events: ['answers.given', 'answers.unheard'],
  subscribers: [subscriberOf({ name: 'answers.listen', events: ['answers.given'], handle: async () => {} })],
});

describeEachBackend(
  'ctx.record',
  (t) => {
    const call = (name: string, input: unknown, key: string) =>
      t().suite.registry.call(name, input, { actor: SYSTEM_ACTOR, idempotencyKey: key });
    const stored = (key: string) =>
      t().db.selectFrom('core_idempotency_keys').select('response').where('key', '=', key).execute();

    it('writes the audit entry, the events and the deliveries of the subscribed one', async () => {
      const key = randomUUID();
      await call('answers.early', { n: 7 }, key);
      const audit = await t()
        .db.selectFrom('core_audit_log')
        .select(['entity_id', 'action', 'after'])
        .where('entity', '=', 'answer')
        .where('entity_id', 'like', 'n7-%')
        .execute();
      expect(audit).toEqual([
        { entity_id: expect.any(String), action: 'answers.early', after: { n: 7, token: '[redacted]' } },
      ]);
      // Other installed modules may subscribe to every event: only this module's subscriber counts.
      const events = await t()
        .db.selectFrom('core_events as e')
        .leftJoin('core_event_deliveries as d', (join) =>
          join.onRef('d.event_id', '=', 'e.id').on('d.subscriber', '=', 'answers.listen'),
        )
        .select(['e.id', 'e.type', 'e.payload', 'd.subscriber', 'd.aggregate_key'])
        .where('e.aggregate_id', '=', audit[0]!.entity_id)
        .orderBy('e.id')
        .execute();
      expect(events.map((e) => [e.type, e.payload, e.subscriber, e.aggregate_key])).toEqual([
        ['answers.given', { n: 7 }, 'answers.listen', `answer:${audit[0]!.entity_id}`],
        ['answers.unheard', {}, null, null],
      ]);
    });

    it('replays the answer stored early, running nothing', async () => {
      const key = randomUUID();
      const before = runs;
      expect(await call('answers.early', { n: 1 }, key)).toEqual({ n: 1 });
      expect(await call('answers.early', { n: 1 }, key)).toEqual({ n: 1 });
      expect(runs - before).toBe(1);
      expect(await stored(key)).toEqual([{ response: { n: 1 } }]);
    });

    it('stores nothing when the action fails after recording', async () => {
      const key = randomUUID();
      await expect(call('answers.early', { n: 2, fail: true }, key)).rejects.toMatchObject({
        code: 'EARLY_REFUSED',
      });
      expect(await stored(key)).toEqual([]);
      const audit = await t()
        .db.selectFrom('core_audit_log')
        .select('id')
        .where('entity', '=', 'answer')
        .where('entity_id', 'like', 'n2-%')
        .execute();
      expect(audit).toEqual([]);
    });

    it('refuses, as a bug, a final answer other than the one stored', async () => {
      const key = randomUUID();
      await expect(call('answers.early', { n: 3, differ: true }, key)).rejects.toThrow(
        /answered differently/,
      );
      expect(await stored(key)).toEqual([]);
    });

    it('keeps a nested action’s answer out of the caller’s key', async () => {
      const key = randomUUID();
      expect(await call('answers.outer', { n: 4 }, key)).toEqual({ outer: 40 });
      expect(await stored(key)).toEqual([{ response: { outer: 40 } }]);
    });

    it('records without a key too, storing no answer', async () => {
      expect(await t().suite.registry.call('answers.early', { n: 5 }, { actor: SYSTEM_ACTOR })).toEqual({
        n: 5,
      });
    });
  },
  { modules: [answersModule] },
);
