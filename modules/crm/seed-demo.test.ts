// The demo data: believable clients with deals, activities and service requests, and nothing added twice.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { seedCrmDemo } from './seed-demo.js';

describeEachBackend('crm: demo data', (t) => {
  it('fills ~60 clients with contacts, deals and activities, and adds nothing the second time', async () => {
    await t().createUser(['sales_manager'], { name: 'Malika Yusupova' });
    await t().createUser(['sales_manager'], { name: 'Jasur Rahimov' });
    const seed = () =>
      t().suite.registry.withContext({ actor: SYSTEM_ACTOR, module: 'crm' }, (ctx) => seedCrmDemo(ctx));
    await seed();
    const count = async () => {
      const counts: number[] = [];
      for (const table of [
        'crm_clients',
        'crm_contacts',
        'crm_deals',
        'crm_activities',
        'crm_tickets',
        'crm_campaigns',
      ]) {
        const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
          t().db,
        );
        counts.push(Number(result.rows[0]?.n));
      }
      return counts;
    };
    const first = await count();
    expect(first[0]).toBeGreaterThanOrEqual(60);
    expect(first[1]).toBeGreaterThanOrEqual(40);
    expect(first[2]).toBeGreaterThanOrEqual(30);
    expect(first[3]).toBeGreaterThanOrEqual(40);
    expect(first[4]).toBeGreaterThanOrEqual(15);
    expect(first[5]).toBe(4);
    await seed();
    expect(await count()).toEqual(first);
    // The clients that came by an exhibition, Telegram or the web site count for its campaign.
    const brought = await sql<{ code: string; leads: number; deals: number }>`select m.code,
      (select count(*) from crm_clients c where c.campaign_id = m.id)::int as leads,
      (select count(*) from crm_deals d where d.campaign_id = m.id)::int as deals
      from crm_campaigns m order by m.code`.execute(t().db);
    for (const row of brought.rows) {
      if (row.code === 'navruz-sms') expect(row.leads).toBe(0);
      else expect(row.leads).toBeGreaterThanOrEqual(10);
    }
    expect(brought.rows.some((r) => r.deals > 0)).toBe(true);
    const stages = await sql<{ stage: string }>`select distinct stage from crm_deals`.execute(t().db);
    // Without ERP products no deal can be won; every other stage has deals.
    expect(stages.rows.length).toBeGreaterThanOrEqual(5);
    // Every manager's own board has deals in every open stage.
    const boards = await sql<{ owner_id: string; stages: number }>`select owner_id,
      count(distinct stage)::int as stages from crm_deals
      where stage in ('new', 'qualified', 'proposal', 'negotiation') group by owner_id`.execute(t().db);
    expect(boards.rows.map((r) => r.stages)).toEqual([4, 4]);
    // Deals opened over the last quarter, none of their moves in the future, each closed deal
    // closed when it entered its last stage: the sales analytics have periods to compare.
    const spread = await sql<{ months: number; future: number; unclosed: number }>`select
      (select count(distinct date_trunc('month', created_at))::int from crm_deals) as months,
      (select count(*)::int from crm_deal_moves where at > now()) as future,
      (select count(*)::int from crm_deals d where d.stage in ('won', 'lost')
        and d.closed_at is distinct from (select max(at) from crm_deal_moves m where m.deal_id = d.id)) as unclosed`.execute(
      t().db,
    );
    expect(spread.rows[0]!.months).toBeGreaterThanOrEqual(3);
    expect(spread.rows[0]).toMatchObject({ future: 0, unclosed: 0 });
    const reasons = await sql<{
      n: number;
    }>`select count(distinct lost_reason)::int as n from crm_deals`.execute(t().db);
    expect(reasons.rows[0]!.n).toBeGreaterThan(1);
    // Service requests in every status, some overdue, none opened or worked in the future.
    const tickets = await sql<{
      statuses: number;
      overdue: number;
      future: number;
      unresolved: number;
    }>`select
      (select count(distinct status)::int from crm_tickets) as statuses,
      (select count(*)::int from crm_tickets where status in ('new', 'inProgress') and due_at < now()) as overdue,
      (select count(*)::int from crm_ticket_events where at > now()) as future,
      (select count(*)::int from crm_tickets where status in ('resolved', 'closed') and resolution is null) as unresolved`.execute(
      t().db,
    );
    expect(tickets.rows[0]).toMatchObject({ statuses: 5, future: 0, unresolved: 0 });
    expect(tickets.rows[0]!.overdue).toBeGreaterThan(0);
  });
});
