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
  'bpm_user_tasks',
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
    // The branches' keepers answer for their stock; Sergeli is open to every clerk.
    const warehouses = await t().request('GET', '/api/erp/warehouses?sort=code', {
      cookie: t().admin.cookie,
    });
    expect(
      warehouses.body.items.map((w: { code: string; keepers: { name: string }[] }) => [
        w.code,
        w.keepers.map((k) => k.name),
      ]),
    ).toEqual([
      ['SAM-1', ['Sherzod Nazarov']],
      ['TSH-1', ['Bekzod Tursunov']],
      ['TSH-2', []],
    ]);
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
    // owners' confirmation, leave requests for managers, web-form leads for their first call,
    // the paint the demo took below its reorder level waits for the warehouse to order it, and
    // the open complaints are watched until their due time.
    const running = await sql<{ process_id: string; n: number }>`select d.process_id, count(*)::int as n
      from bpm_instances i join bpm_definitions d on d.id = i.definition_id
      where i.state = 'active' group by d.process_id order by d.process_id`.execute(t().db);
    expect(running.rows.map((r) => r.process_id)).toEqual([
      'complaint-escalation',
      'deal-to-shipment',
      'lead-intake',
      'leave-request',
      'reorder',
    ]);
    const { rows: tasks } = await sql<{ n: number }>`select count(*)::int as n from bpm_user_tasks
      where state = 'open'`.execute(t().db);
    expect(tasks[0]!.n).toBeGreaterThanOrEqual(5);
    // History too: the managers confirmed older won deals as themselves, the process posted
    // their shipments to the deals' clients, and a business trip was approved.
    const { rows: done } = await sql<{ element_id: string; by: string }>`select t.element_id, u.email as by
      from bpm_user_tasks t join core_users u on u.id = t.completed_by
      where t.state = 'completed' order by t.element_id`.execute(t().db);
    expect(new Set(done.map((d) => d.element_id))).toEqual(
      new Set(['approve', 'confirmShipment', 'shipmentPosted']),
    );
    expect(done.every((d) => d.by.endsWith('@demo.uz'))).toBe(true);
    const { rows: shipments } = await sql<{ n: number; clients: number }>`select count(*)::int as n,
      count(client_id)::int as clients from erp_stock_documents
      where type = 'shipment' and status = 'posted'`.execute(t().db);
    expect(shipments[0]!.n).toBeGreaterThan(0);
    expect(shipments[0]!.clients).toBe(shipments[0]!.n);
    const { rows: states } = await sql<{ state: string }>`select distinct i.state from bpm_instances i
      join bpm_definitions d on d.id = i.definition_id
      where d.process_id = 'deal-to-shipment'`.execute(t().db);
    expect(states.map((r) => r.state).sort()).toEqual(['active', 'completed']);
    // Stock history spread over weeks, with a reversal.
    const { rows: docs } = await sql<{ days: number; reversed: number }>`select
      (max(date) - min(date))::int as days,
      count(*) filter (where status = 'reversed')::int as reversed from erp_stock_documents`.execute(t().db);
    expect(docs[0]!.days).toBeGreaterThanOrEqual(28);
    expect(docs[0]!.reversed).toBe(1);
    // The ledger reads as those weeks of work, each movement on its document's day, in order.
    const { rows: ledger } = await sql<{ days: number; off: number; unordered: number }>`select
      (extract(epoch from max(e.posted_at) - min(e.posted_at)) / 86400)::int as days,
      count(*) filter (where (e.posted_at + interval '5 hours')::date <> d.date)::int as off,
      count(*) filter (where e.posted_at < (select max(p.posted_at) from erp_stock_ledger p where p.id < e.id))::int
        as unordered
      from erp_stock_ledger e join erp_stock_documents d on d.id = e.document_id`.execute(t().db);
    expect(ledger[0]!.days).toBeGreaterThanOrEqual(28);
    expect(ledger[0]!.off).toBe(0);
    expect(ledger[0]!.unordered).toBe(0);
  });
});
