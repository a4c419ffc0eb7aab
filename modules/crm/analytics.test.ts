// Sales analytics: the funnel counts each deal up to the furthest stage it entered, the period
// picks deals by when they opened or closed, a manager sees only their own figures.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { TestUser } from '../../server/testing/test-suite.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import type { SalesAnalytics } from './analytics.js';
import { backfillDealMoves } from './migrations/0007-deal-moves.js';
import { makeClient, makeDeal, makeProduct, salesTeam } from './test-helpers.js';

const STAGES = [
  { code: 'new', name: 'Yangi', probability: 10 },
  { code: 'demo', name: 'Namoyish', probability: 40 },
  { code: 'offer', name: 'Taklif', probability: 60 },
  { code: 'won', name: 'Yutilgan', probability: 100, kind: 'won' },
  { code: 'lost', name: 'Yutqazilgan', probability: 0, kind: 'lost' },
];

describeEachBackend('crm sales analytics', (t) => {
  /** A pipeline of its own, so that other tests' deals stay out of its figures. */
  async function world() {
    const team = await salesTeam(t());
    const pipeline = await t().request('POST', '/api/crm/pipelines', {
      cookie: team.head.cookie,
      body: { name: `Loyihalar ${Math.random()}`, stages: STAGES },
    });
    expect(pipeline.status).toBe(201);
    const product = await makeProduct(t());
    const move = async (user: TestUser, id: string, stage: string, lostReason?: string) => {
      const moved = await t().request('POST', `/api/crm/deals/${id}/stage`, {
        cookie: user.cookie,
        body: { stage, ...(lostReason && { lostReason }) },
      });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    };
    const deal = async (
      user: TestUser,
      body: Record<string, unknown>,
      path: string[],
      lostReason?: string,
      clientBody: Record<string, unknown> = {},
    ) => {
      const client = await makeClient(t(), clientBody, user.cookie);
      const made = await makeDeal(
        t(),
        {
          clientId: client.id,
          pipelineId: pipeline.body.id,
          lines: [{ productId: product.id, quantity: '1', price: '1' }],
          ...body,
        },
        user.cookie,
      );
      for (const stage of path) await move(user, made.id, stage, stage === 'lost' ? lostReason : undefined);
      return made;
    };
    const analytics = async (user: TestUser, query = '') =>
      t().request('GET', `/api/crm/analytics?pipelineId=${pipeline.body.id}${query}`, {
        cookie: user.cookie,
      });
    return { ...team, pipelineId: pipeline.body.id as string, deal, analytics };
  }

  it('counts a lost deal up to the stage it was lost from, a won one through the whole funnel', async () => {
    const { a, b, head, deal, analytics } = await world();
    await deal(a, { amount: '1000000' }, ['demo', 'lost'], 'Narx qimmat');
    // Straight from the first stage to won: it passed every stage before it.
    await deal(a, { amount: '2000000' }, ['won']);
    await deal(b, { amount: '500', currency: 'USD' }, []);
    await deal(b, { amount: '300000.50' }, ['lost'], '  narx QIMMAT ');

    const all = await analytics(head);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const body = all.body as SalesAnalytics;
    expect(body.funnel).toEqual([
      { stage: 'new', count: 4, amount: { UZS: '3300000.50', USD: '500.00' } },
      { stage: 'demo', count: 2, amount: { UZS: '3000000.00' } },
      { stage: 'offer', count: 1, amount: { UZS: '2000000.00' } },
      { stage: 'won', count: 1, amount: { UZS: '2000000.00' } },
    ]);
    expect(body.opened).toEqual(body.funnel[0] && { count: 4, amount: body.funnel[0].amount });
    expect(body.won).toMatchObject({ count: 1, amount: { UZS: '2000000.00' } });
    expect(body.won.averageDays).toBe(0);
    expect(body.lost).toEqual({ count: 2, amount: { UZS: '1300000.50' } });
    expect(body.winRate).toBeCloseTo(1 / 3);
    // One reason however it was typed, shown as first written.
    expect(body.lostReasons).toEqual([{ reason: 'Narx qimmat', count: 2 }]);
    expect(body.ownerId).toBeNull();
    const byName = Object.fromEntries(body.managers.map((m) => [m.name, m]));
    expect(Object.keys(byName).sort()).toEqual(['Jasur Rahimov', 'Malika Yusupova']);
    expect(byName['Malika Yusupova']).toMatchObject({
      ownerId: a.id,
      opened: 2,
      won: { count: 1, amount: { UZS: '2000000.00' } },
      lost: 1,
      winRate: 0.5,
      open: { count: 0, amount: {} },
    });
    expect(byName['Jasur Rahimov']).toMatchObject({
      opened: 2,
      won: { count: 0 },
      lost: 1,
      winRate: 0,
      open: { count: 1, amount: { USD: '500.00' } },
    });

    // A manager sees their own figures only, and may not ask for another's.
    const mine = (await analytics(a)).body as SalesAnalytics;
    expect(mine.ownerId).toBe(a.id);
    expect(mine.funnel.map((s) => s.count)).toEqual([2, 2, 1, 1]);
    expect(mine.managers.map((m) => m.ownerId)).toEqual([a.id]);
    const others = await analytics(a, `&ownerId=${b.id}`);
    expect(others.status).toBe(400);
    expect(others.body.error.details.issues[0].path).toBe('ownerId');
    // The head may look at one manager.
    const one = (await analytics(head, `&ownerId=${b.id}`)).body as SalesAnalytics;
    expect(one.funnel.map((s) => s.count)).toEqual([2, 0, 0, 0]);
  });

  it('gives each client segment its deals opened, won and lost, the most won first', async () => {
    const { a, head, deal, analytics } = await world();
    const wholesale = { segment: 'Ulgurji' };
    await deal(a, { amount: '2000000' }, ['won'], undefined, wholesale);
    await deal(a, { amount: '1000000' }, ['won'], undefined, wholesale);
    await deal(a, { amount: '300', currency: 'USD' }, ['lost'], 'Narx', wholesale);
    await deal(head, { amount: '500000' }, ['won'], undefined, { segment: 'Chakana' });
    await deal(head, { amount: '400000' }, [], undefined, { segment: 'Chakana' });
    await deal(head, { amount: '100000' }, ['lost'], 'Muddat');

    const body = (await analytics(head)).body as SalesAnalytics;
    expect(body.segments).toEqual([
      {
        segment: 'Ulgurji',
        opened: { count: 3, amount: { UZS: '3000000.00', USD: '300.00' } },
        won: { count: 2, amount: { UZS: '3000000.00' } },
        lost: 1,
        winRate: 2 / 3,
      },
      {
        segment: 'Chakana',
        opened: { count: 2, amount: { UZS: '900000.00' } },
        won: { count: 1, amount: { UZS: '500000.00' } },
        lost: 0,
        winRate: 1,
      },
      // Clients without a segment are one row of their own.
      {
        segment: null,
        opened: { count: 1, amount: { UZS: '100000.00' } },
        won: { count: 0, amount: {} },
        lost: 1,
        winRate: 0,
      },
    ]);
    // A manager's segments are of their own deals.
    const mine = (await analytics(a)).body as SalesAnalytics;
    expect(mine.segments.map((s) => [s.segment, s.opened.count])).toEqual([['Ulgurji', 3]]);
  });

  it('takes the deals opened in the period into the funnel and those closed in it into won and lost', async () => {
    const { head, deal, analytics } = await world();
    const old = await deal(head, { amount: '700000' }, ['demo']);
    const fresh = await deal(head, { amount: '100' }, []);
    // The old deal opened last year and was won this month.
    const lastYear = `${new Date().getUTCFullYear() - 1}`;
    await sql`update crm_deals set created_at = ${`${lastYear}-03-10T09:00:00+05:00`} where id = ${old.id}`.execute(
      t().db,
    );
    const won = await t().request('POST', `/api/crm/deals/${old.id}/stage`, {
      cookie: head.cookie,
      body: { stage: 'won' },
    });
    expect(won.status).toBe(200);

    const month = (await analytics(head)).body as SalesAnalytics;
    expect(month.opened.count).toBe(1);
    expect(month.funnel[0]).toMatchObject({ count: 1, amount: { UZS: '100.00' } });
    expect(month.won).toMatchObject({ count: 1, amount: { UZS: '700000.00' } });
    expect(month.won.averageDays).toBeGreaterThan(200);
    expect(month.winRate).toBe(1);

    const then = (await analytics(head, `&from=${lastYear}-03-01&to=${lastYear}-03-31`))
      .body as SalesAnalytics;
    expect(then).toMatchObject({ from: `${lastYear}-03-01`, to: `${lastYear}-03-31` });
    expect(then.funnel.map((s) => s.count)).toEqual([1, 1, 1, 1]);
    expect(then.won.count).toBe(0);
    expect(then.winRate).toBeNull();
    expect(fresh.id).not.toBe(old.id);
  });

  it('refuses a period ending before it starts, an unknown pipeline, and readers without the right', async () => {
    const { head, analytics } = await world();
    const backwards = await analytics(head, '&from=2026-05-10&to=2026-05-01');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['to']);
    const badDate = await analytics(head, '&from=2026-02-30');
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details.issues[0].path).toBe('from');
    const unknown = await t().request('GET', `/api/crm/analytics?pipelineId=${head.id}`, {
      cookie: head.cookie,
    });
    expect(unknown.status).toBe(404);
    const keeper = await t().createUser(['warehouse']);
    expect((await analytics(keeper)).status).toBe(403);
  });

  it('fills the path of deals that were there before the moves were kept, from their timeline', async () => {
    const { head, deal, analytics } = await world();
    const lostOne = await deal(head, { amount: '5000' }, ['demo', 'offer', 'lost'], 'Raqobatchi arzon');
    const before = (await analytics(head)).body as SalesAnalytics;
    // As the database held it before the migration: no moves, no closing time.
    await sql`delete from crm_deal_moves where deal_id = ${lostOne.id}`.execute(t().db);
    await sql`update crm_deals set closed_at = null where id = ${lostOne.id}`.execute(t().db);
    expect(((await analytics(head)).body as SalesAnalytics).lost.count).toBe(0);
    await backfillDealMoves(t().db);
    await backfillDealMoves(t().db);
    expect((await analytics(head)).body).toEqual(before);
    const moves = await sql<{ from_stage: string | null; to_stage: string }>`
      select from_stage, to_stage from crm_deal_moves where deal_id = ${lostOne.id} order by at, id`.execute(
      t().db,
    );
    expect(moves.rows.map((m) => `${m.from_stage}>${m.to_stage}`)).toEqual([
      'null>new',
      'new>demo',
      'demo>offer',
      'offer>lost',
    ]);
  });
});
