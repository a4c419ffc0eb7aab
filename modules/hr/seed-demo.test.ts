// The demo data: a whole company that loads, obeys the rules, and is not added twice.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { seedHrDemo } from './seed-demo.js';

describeEachBackend('hr: demo data', (t) => {
  it('fills departments, ~25 employees, history and absences, and adds nothing the second time', async () => {
    const seed = () =>
      t().suite.registry.withContext({ actor: SYSTEM_ACTOR, module: 'hr' }, (ctx) => seedHrDemo(ctx));
    await seed();
    const count = async () => {
      const counts: number[] = [];
      for (const table of ['hr_departments', 'hr_employees', 'hr_absences', 'hr_employee_events']) {
        const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
          t().db,
        );
        counts.push(Number(result.rows[0]?.n));
      }
      return counts as [number, number, number, number];
    };
    const first = await count();
    expect(first[0]).toBeGreaterThanOrEqual(8);
    expect(first[1]).toBeGreaterThanOrEqual(25);
    expect(first[2]).toBeGreaterThanOrEqual(5);
    await seed();
    expect(await count()).toEqual(first);
    const chart = await t().request('GET', '/api/hr/org-chart', { cookie: t().admin.cookie });
    const top = chart.body.items.find((n: { code: string }) => n.code === 'rahbariyat');
    expect(top.head.name).toBe('Karimov Rustam');
    expect(top.totalHeadcount).toBe(first[1] - 1);
  });
});
