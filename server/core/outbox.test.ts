// The events outbox: delivered only after commit, at least once, in order per aggregate,
// retried with backoff, surviving a restart, shared by several dispatchers.
import pino from 'pino';
import { beforeEach, expect, it } from 'vitest';
import { createSuite } from '../suite.js';
import { probeControl, probeModule } from '../testing/probe-module.js';
import { describeEachBackend, type TestSuite } from '../testing/test-suite.js';
import { SYSTEM_ACTOR } from './module.js';

const silent = pino({ level: 'silent' });

async function deliveries(t: TestSuite, aggregate: string) {
  return t.db
    .selectFrom('probe_deliveries')
    .select(['event_id', 'seq'])
    .where('aggregate', '=', aggregate)
    .where('subscriber', '=', 'probe.recordDeliveries')
    .orderBy('delivered_at')
    .orderBy('event_id')
    .execute();
}

async function create(t: TestSuite, aggregate: string, seq: number, extra: Record<string, unknown> = {}) {
  return t.suite.registry.call(
    'probe.createItem',
    { name: `${aggregate}-${seq}`, aggregate, seq, ...extra },
    {
      actor: SYSTEM_ACTOR,
    },
  );
}

describeEachBackend(
  'events outbox',
  (t) => {
    beforeEach(() => {
      probeControl.failuresLeft.clear();
    });

    it('delivers an event after its transaction commits, to every matching subscriber', async () => {
      await create(t(), 'commit', 1);
      expect(await deliveries(t(), 'commit')).toEqual([]);
      await t().suite.dispatcher.drain();
      expect((await deliveries(t(), 'commit')).map((d) => d.seq)).toEqual([1]);
      const rows = await t()
        .db.selectFrom('core_event_deliveries as d')
        .innerJoin('core_events as e', 'e.id', 'd.event_id')
        .select(['d.subscriber', 'd.status'])
        .where('e.aggregate_id', '=', 'commit')
        // other modules' subscribers of every event (bpm.startProcessesOnEvent) get it too
        .where('d.subscriber', 'like', 'probe.%')
        .orderBy('d.subscriber')
        .execute();
      expect(rows).toEqual([
        { subscriber: 'probe.everything', status: 'done' },
        { subscriber: 'probe.recordDeliveries', status: 'done' },
      ]);
    });

    it('never delivers an event whose transaction rolled back', async () => {
      await expect(create(t(), 'rollback', 1, { failAfterWrite: 'business' })).rejects.toMatchObject({
        code: 'PROBE_REFUSED',
      });
      await t().suite.dispatcher.drain();
      const events = await t()
        .db.selectFrom('core_events')
        .select('id')
        .where('aggregate_id', '=', 'rollback')
        .execute();
      expect(events).toEqual([]);
      const items = await t()
        .db.selectFrom('probe_items')
        .select('id')
        .where('aggregate', '=', 'rollback')
        .execute();
      expect(items).toEqual([]);
    });

    it('keeps the order of one aggregate and retries a failing delivery without skipping it', async () => {
      for (let seq = 1; seq <= 5; seq++) await create(t(), 'ordered', seq);
      await create(t(), 'other', 1);
      probeControl.failuresLeft.set('ordered', 2);
      await t().suite.dispatcher.drain();
      // The first event of "ordered" failed and waits for its retry; the rest of "ordered" waits
      // behind it, while the other aggregate went on.
      expect(await deliveries(t(), 'ordered')).toEqual([]);
      expect((await deliveries(t(), 'other')).map((d) => d.seq)).toEqual([1]);
      const failed = await t()
        .db.selectFrom('core_event_deliveries')
        .select(['attempts', 'last_error', 'next_attempt_at'])
        .where('aggregate_key', '=', 'probeItem:ordered')
        .where('subscriber', '=', 'probe.recordDeliveries')
        .where('attempts', '>', 0)
        .execute();
      expect(failed).toHaveLength(1);
      expect(failed[0]!.last_error).toContain('refuses ordered');
      expect(failed[0]!.next_attempt_at.getTime()).toBeGreaterThan(Date.now());

      // Make the retries due now instead of waiting for the backoff.
      for (let i = 0; i < 2; i++) {
        await t()
          .db.updateTable('core_event_deliveries')
          .set({ next_attempt_at: new Date(0) })
          .where('status', '=', 'pending')
          .execute();
        await t().suite.dispatcher.drain();
      }
      expect((await deliveries(t(), 'ordered')).map((d) => d.seq)).toEqual([1, 2, 3, 4, 5]);
    });

    it('delivers after a restart what was committed but not yet delivered', async () => {
      await create(t(), 'restart', 1);
      await create(t(), 'restart', 2);
      // A second suite on the same database stands for the server after a restart.
      const again = await createSuite({ db: t().db, modules: [probeModule], log: silent, migrate: false });
      try {
        await again.dispatcher.drain();
      } finally {
        await again.close();
      }
      expect((await deliveries(t(), 'restart')).map((d) => d.seq)).toEqual([1, 2]);
    });

    it('lets several dispatchers share the work: each event once, in order per aggregate', async () => {
      const aggregates = ['m1', 'm2', 'm3', 'm4'];
      for (let seq = 1; seq <= 10; seq++) {
        for (const aggregate of aggregates) await create(t(), aggregate, seq);
      }
      const others = await Promise.all(
        [1, 2].map(() => createSuite({ db: t().db, modules: [probeModule], log: silent, migrate: false })),
      );
      const before = probeControl.handled;
      try {
        await Promise.all([t().suite.dispatcher.drain(), ...others.map((o) => o.dispatcher.drain())]);
      } finally {
        await Promise.all(others.map((o) => o.close()));
      }
      for (const aggregate of aggregates) {
        expect((await deliveries(t(), aggregate)).map((d) => d.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
      // Each event was handled exactly once: no dispatcher delivered what another had claimed.
      expect(probeControl.handled - before).toBe(40);
    });
  },
  { modules: [probeModule] },
);
