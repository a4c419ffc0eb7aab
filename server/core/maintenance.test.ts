import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/test-suite.js';
import { pruneCoreTables } from './maintenance.js';

describeEachBackend('housekeeping', (t) => {
  it('removes expired sessions, old sign-in attempts and long-delivered events, and nothing else', async () => {
    const db = t().db;
    const user = await t().createUser(['employee']);
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await db
      .insertInto('core_sessions')
      .values([
        { token_hash: 'expired', user_id: user.id, expires_at: new Date(Date.now() - 1000) },
        { token_hash: 'alive', user_id: user.id, expires_at: new Date(Date.now() + 3600_000) },
      ])
      .execute();
    await db
      .insertInto('core_login_attempts')
      .values([
        { key: 'email:old@x.uz', at: new Date(Date.now() - 2 * 24 * 3600 * 1000) },
        { key: 'email:new@x.uz', at: new Date() },
      ])
      .execute();
    const events = await db
      .insertInto('core_events')
      .values(
        ['delivered', 'pending', 'recent'].map((id) => ({
          type: 'test.happened',
          aggregate_type: 't',
          aggregate_id: id,
          payload: '{}',
          created_at: id === 'recent' ? new Date() : old,
        })),
      )
      .returning(['id', 'aggregate_id'])
      .execute();
    const idOf = (name: string) => events.find((e) => e.aggregate_id === name)!.id;
    await db
      .insertInto('core_event_deliveries')
      .values([
        { event_id: idOf('delivered'), subscriber: 's', aggregate_key: 't:delivered', status: 'done' },
        { event_id: idOf('pending'), subscriber: 's', aggregate_key: 't:pending', status: 'pending' },
      ])
      .execute();

    await pruneCoreTables(db);

    const sessions = await db
      .selectFrom('core_sessions')
      .select('token_hash')
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions.map((s) => s.token_hash).sort()).not.toContain('expired');
    expect(sessions.map((s) => s.token_hash)).toContain('alive');
    const attempts = await db
      .selectFrom('core_login_attempts')
      .select('key')
      .where('key', 'like', 'email:%@x.uz')
      .execute();
    expect(attempts.map((a) => a.key)).toEqual(['email:new@x.uz']);
    const left = await db
      .selectFrom('core_events')
      .select('aggregate_id')
      .where(
        'id',
        'in',
        events.map((e) => e.id),
      )
      .orderBy('aggregate_id')
      .execute();
    // A delivered old event goes (with its delivery rows); a pending one stays whatever its age.
    expect(left.map((e) => e.aggregate_id)).toEqual(['pending', 'recent']);
    const deliveries = await sql<{ n: number }>`select count(*)::int as n from core_event_deliveries
      where event_id = ${idOf('delivered')}`.execute(db);
    expect(deliveries.rows[0]!.n).toBe(0);
  });
});
