// Group commit: concurrent calls of a grouped action share one transaction, yet each gets its
// own answer or refusal; one call's data that breaks the shared statement fails alone; keys
// replay, mismatch and are released exactly as for lone calls.
import { beforeEach, expect, it } from 'vitest';
import { groupControl, probeModule } from '../testing/probe-module.js';
import { describeEachBackend } from '../testing/test-suite.js';
import { type Actor, SYSTEM_ACTOR } from './module.js';

describeEachBackend(
  'group commit',
  (t) => {
    const call = (
      input: { name: string; clash?: boolean },
      idempotencyKey?: string,
      actor: Actor = SYSTEM_ACTOR,
    ) =>
      t().suite.registry.call<{ id: string; name: string }>('probe.createGrouped', input, {
        actor,
        idempotencyKey,
      });
    const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
    const itemsNamed = (prefix: string) =>
      t().db.selectFrom('probe_items').select(['id', 'name']).where('name', 'like', `${prefix}%`).execute();

    beforeEach(() => {
      groupControl.refuse.clear();
      groupControl.sizes.length = 0;
    });

    it('answers each of many concurrent calls its own outcome, and writes only the accepted', async () => {
      groupControl.refuse.add('many-3').add('many-11');
      const results = await settle(Array.from({ length: 30 }, (_, i) => call({ name: `many-${i}` })));
      expect(Math.max(...groupControl.sizes)).toBeGreaterThan(1);
      for (const [i, result] of results.entries()) {
        if (i === 3 || i === 11)
          expect(result).toMatchObject({ status: 'rejected', reason: { code: 'PROBE_REFUSED' } });
        else expect(result).toMatchObject({ status: 'fulfilled', value: { name: `many-${i}` } });
      }
      const rows = await itemsNamed('many-');
      expect(rows).toHaveLength(28);
      const audits = await t()
        .db.selectFrom('core_audit_log')
        .select(['entity_id', 'action', 'actor_name'])
        .where(
          'entity_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      expect(audits).toHaveLength(28);
      expect(audits.every((a) => a.action === 'probe.createGrouped' && a.actor_name === 'system')).toBe(true);
      const events = await t()
        .db.selectFrom('core_events')
        .select('aggregate_id')
        .where('type', '=', 'probe.item.created')
        .where(
          'aggregate_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      expect(events).toHaveLength(28);
    });

    it('fails only the call whose data breaks the shared statement', async () => {
      await call({ name: 'clash-first', clash: true }).catch(() => undefined);
      const results = await settle(
        Array.from({ length: 12 }, (_, i) => call({ name: `clash-${i}`, clash: i === 5 })),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
      expect(results[5]!.status).toBe('rejected');
      expect((await itemsNamed('clash-')).map((r) => r.name).sort()).toEqual(
        [
          'clash-first',
          ...Array.from({ length: 12 }, (_, i) => `clash-${i}`).filter((n) => n !== 'clash-5'),
        ].sort(),
      );
    });

    it('replays a key sent twice at once, refuses it with another input, and frees a refused call’s key', async () => {
      const user = await t().createUser(['admin']);
      const actor: Actor = {
        kind: 'user',
        id: user.id,
        email: user.email,
        name: 'Keyed',
        locale: 'uz',
        roles: ['admin'],
        permissions: new Set(),
      };
      const [first, second] = await Promise.all([
        call({ name: 'keyed-a' }, 'key-aaaa-0001', actor),
        call({ name: 'keyed-a' }, 'key-aaaa-0001', actor),
      ]);
      expect(second).toEqual(first);
      expect(await itemsNamed('keyed-a')).toHaveLength(1);
      await expect(call({ name: 'keyed-b' }, 'key-aaaa-0001', actor)).rejects.toMatchObject({
        code: 'IDEMPOTENCY_MISMATCH',
      });
      // The same key of another user is another key.
      await expect(call({ name: 'keyed-a' }, 'key-aaaa-0001')).resolves.toMatchObject({ name: 'keyed-a' });

      groupControl.refuse.add('keyed-c');
      const refused = await settle([
        call({ name: 'keyed-c' }, 'key-cccc-0001', actor),
        call({ name: 'keyed-d' }, 'key-dddd-0001', actor),
      ]);
      expect(refused[0]).toMatchObject({ status: 'rejected', reason: { code: 'PROBE_REFUSED' } });
      groupControl.refuse.delete('keyed-c');
      // The refusal stored nothing under its key: the retry runs, and then replays.
      const retried = await call({ name: 'keyed-c' }, 'key-cccc-0001', actor);
      expect(retried.name).toBe('keyed-c');
      await expect(call({ name: 'keyed-c' }, 'key-cccc-0001', actor)).resolves.toEqual(retried);
      expect(await itemsNamed('keyed-c')).toHaveLength(1);
    });

    it('refuses bad input and a bad key before the call waits in line', async () => {
      await expect(call({ name: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(call({ name: 'x' }, 'bad key!')).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_INVALID',
      });
      expect(groupControl.sizes).toEqual([]);
    });
  },
  { modules: [probeModule] },
);
