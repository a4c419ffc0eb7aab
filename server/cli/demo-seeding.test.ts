// `npm run seed:demo` as a newcomer runs it: every module's demo data on one database, in
// module order, twice without adding anything twice, leaving the stock invariant intact.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/test-suite.js';
import { seedDemoData } from './demo-seeding.js';

const COUNTED = [
  'core_users',
  'erp_products',
  'erp_stock_documents',
  'hr_employees',
  'crm_clients',
  'crm_deals',
  'bpm_definitions',
  'bpm_instances',
  'intake_submissions',
];

describeEachBackend('demo data', (t) => {
  it('fills every module, and a second run adds nothing', { timeout: 180_000 }, async () => {
    const counts = async () => {
      const out: Record<string, number> = {};
      for (const table of COUNTED) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
          t().db,
        );
        out[table] = rows[0]!.n;
      }
      return out;
    };
    await seedDemoData(t().suite, t().db, () => {});
    const first = await counts();
    for (const table of COUNTED) expect({ table, n: first[table]! > 0 }).toEqual({ table, n: true });
    await seedDemoData(t().suite, t().db, () => {});
    expect(await counts()).toEqual(first);
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body).toMatchObject({ ok: true });
    // Deals reached every stage, won ones with lines.
    const { rows } = await sql<{ stage: string }>`select distinct stage from crm_deals`.execute(t().db);
    expect(rows.map((r) => r.stage).sort()).toEqual([
      'lost',
      'negotiation',
      'new',
      'proposal',
      'qualified',
      'won',
    ]);
    // Processes run in every shipped workflow that starts by itself: won deals wait for their
    // owners' confirmation, leave requests for managers, web-form leads for their first call.
    const running = await sql<{ process_id: string; n: number }>`select d.process_id, count(*)::int as n
      from bpm_instances i join bpm_definitions d on d.id = i.definition_id
      where i.state = 'active' group by d.process_id order by d.process_id`.execute(t().db);
    expect(running.rows.map((r) => r.process_id)).toEqual([
      'deal-to-shipment',
      'lead-intake',
      'leave-request',
    ]);
    const { rows: tasks } = await sql<{ n: number }>`select count(*)::int as n from bpm_user_tasks
      where state = 'open'`.execute(t().db);
    expect(tasks[0]!.n).toBeGreaterThanOrEqual(5);
  });
});
