// Stock movements for a period: opening, incoming, outgoing and closing per product and
// warehouse, on Tashkent days, exact at the period's edges.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: stock movements report', (t) => {
  /** Posts a document and moves its ledger entries to `at` (a UTC instant), as if posted then. */
  async function postAt(at: string, body: Record<string, unknown>) {
    const response = await post(t(), body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    await sql`update erp_stock_ledger set posted_at = ${new Date(at)} where document_id = ${response.body.id}`.execute(
      t().db,
    );
  }
  const report = (query: string, cookie = t().admin.cookie) =>
    t().request('GET', `/api/erp/stock-movements?${query}`, { cookie });

  it('sums each product and warehouse over the period, its edges on Tashkent midnight', async () => {
    const [cement, sand, lime] = [
      await makeProduct(t()),
      await makeProduct(t(), { unit: 'kg', name: 'Qum' }),
      await makeProduct(t(), { name: 'Ohak' }),
    ];
    const [main, other] = [await makeWarehouse(t()), await makeWarehouse(t())];
    const line = (productId: string, quantity: string) => [{ productId, quantity }];
    await postAt('2026-09-01T05:00:00Z', {
      type: 'receipt',
      warehouseId: main.id,
      lines: line(sand.id, '2.5'),
    });
    await postAt('2026-10-15T05:00:00Z', {
      type: 'receipt',
      warehouseId: main.id,
      lines: line(cement.id, '10'),
    });
    // 23:30 on 31 October in Tashkent: before the period.
    await postAt('2026-10-31T18:30:00Z', {
      type: 'write_off',
      warehouseId: main.id,
      reason: 'damaged',
      lines: line(cement.id, '3'),
    });
    // 01:00 on 1 November in Tashkent (still 31 October in UTC): inside it.
    await postAt('2026-10-31T20:00:00Z', {
      type: 'receipt',
      warehouseId: main.id,
      lines: line(cement.id, '5'),
    });
    await postAt('2026-11-10T06:00:00Z', {
      type: 'transfer',
      warehouseId: main.id,
      targetWarehouseId: other.id,
      lines: line(cement.id, '4'),
    });
    // 03:00 on 1 December in Tashkent: after it.
    await postAt('2026-11-30T22:00:00Z', {
      type: 'write_off',
      warehouseId: main.id,
      reason: 'lost',
      lines: line(cement.id, '1'),
    });
    // Lime came and went before the period: nothing to show in it.
    await postAt('2026-10-02T05:00:00Z', {
      type: 'receipt',
      warehouseId: main.id,
      lines: line(lime.id, '1'),
    });
    await postAt('2026-10-03T05:00:00Z', {
      type: 'write_off',
      warehouseId: main.id,
      reason: 'lost',
      lines: line(lime.id, '1'),
    });

    const november = await report(`from=2026-11-01&to=2026-11-30&warehouseId=${main.id}`);
    expect(november.status).toBe(200);
    expect(november.body).toMatchObject({ from: '2026-11-01', to: '2026-11-30', total: 2 });
    const row = (body: { items: { productId: string }[] }, productId: string) =>
      body.items.find((r) => r.productId === productId);
    expect(row(november.body, cement.id)).toMatchObject({
      productSku: cement.sku,
      warehouseCode: main.code,
      unit: 'pcs',
      opening: '7.000',
      incoming: '5.000',
      outgoing: '4.000',
      closing: '8.000',
    });
    expect(row(november.body, sand.id)).toMatchObject({
      opening: '2.500',
      incoming: '0.000',
      outgoing: '0.000',
      closing: '2.500',
    });
    expect(row(november.body, lime.id)).toBeUndefined();

    // The transfer's other side, and only what moved.
    const arrived = await report(`from=2026-11-01&to=2026-11-30&productId=${cement.id}&moved=true`);
    expect(arrived.body.items.map((r: { warehouseCode: string }) => r.warehouseCode).sort()).toEqual(
      [main.code, other.code].sort(),
    );
    expect(row(arrived.body, cement.id)).toBeDefined();
    const target = arrived.body.items.find((r: { warehouseId: string }) => r.warehouseId === other.id);
    expect(target).toMatchObject({
      opening: '0.000',
      incoming: '4.000',
      outgoing: '0.000',
      closing: '4.000',
    });
    const movedOnly = await report(`from=2026-11-01&to=2026-11-30&warehouseId=${main.id}&moved=true`);
    expect(movedOnly.body.items.map((r: { productId: string }) => r.productId)).toEqual([cement.id]);

    // One day: 31 October in Tashkent holds the write-off only.
    const halloween = await report(
      `from=2026-10-31&to=2026-10-31&productId=${cement.id}&warehouseId=${main.id}`,
    );
    expect(halloween.body.items[0]).toMatchObject({
      opening: '10.000',
      incoming: '0.000',
      outgoing: '3.000',
      closing: '7.000',
    });
    // Over the whole history, the closing is what is on hand.
    const sinceOctober = await report(
      `from=2026-10-01&to=2026-12-31&productId=${cement.id}&warehouseId=${main.id}`,
    );
    expect(sinceOctober.body.items[0]).toMatchObject({
      opening: '0.000',
      incoming: '15.000',
      outgoing: '8.000',
      closing: '7.000',
    });

    // Sorted on the server, paged.
    const byClosing = await report(
      `from=2026-11-01&to=2026-11-30&warehouseId=${main.id}&sort=-closing&limit=1`,
    );
    expect(byClosing.body.total).toBe(2);
    expect(byClosing.body.items.map((r: { productId: string }) => r.productId)).toEqual([cement.id]);

    const csv = await t().request(
      'GET',
      `/api/erp/stock-movements/export?from=2026-11-01&to=2026-11-30&warehouseId=${main.id}&sort=-closing`,
      { cookie: t().admin.cookie },
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-disposition'])).toContain('stock-movements-2026-11-01_2026-11-30.csv');
    expect(
      String(csv.body)
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n'),
    ).toEqual([
      'sku,product,unit,warehouse,warehouseName,opening,incoming,outgoing,closing,openingValue,incomingValue,outgoingValue,closingValue',
      // Received without prices: no value (stock-value.test.ts prices them).
      `${cement.sku},Sement M400,pcs,${main.code},Ombor,7,5,4,8,0,0,0,0`,
      `${sand.sku},Qum,kg,${main.code},Ombor,2.5,0,0,2.5,0,0,0,0`,
    ]);
  });

  it('defaults to the current month, and refuses a period that ends before it starts', async () => {
    const current = await report('');
    expect(current.status).toBe(200);
    expect(current.body.to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(current.body.from).toBe(`${current.body.to.slice(0, 8)}01`);

    const backwards = await report('from=2026-11-10&to=2026-11-09');
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details.issues).toEqual([
      { path: 'to', message: expect.stringContaining('Davr boshlanishidan oldin tugayapti') },
    ]);
    const bad = await report('from=2026-13-01&sort=price');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'from',
      'sort',
    ]);
    // Years PostgreSQL cannot hold (no year 0), or that Tashkent's offset would push there, are refused.
    for (const [path, query] of [
      ['/api/erp/stock-movements', 'from=0001-01-01&to=9999-12-31'],
      ['/api/erp/stock-ledger', 'from=0000-01-01T00:00:00Z'],
      ['/api/erp/stock-documents', 'from=0000-01-01'],
    ] as const) {
      const far = await t().request('GET', `${path}?${query}`, { cookie: t().admin.cookie });
      expect(far.status, path).toBe(400);
      expect(far.body.error.details.issues[0]).toEqual({
        path: expect.stringMatching(/^(from|to)$/),
        message: '1900 va 2999 yillar orasidagi sanani tanlang.',
      });
    }
    const file = await t().request('GET', '/api/erp/stock-movements/export?from=2026-11-10&to=2026-11-01', {
      cookie: t().admin.cookie,
    });
    expect(file.status).toBe(400);
    // The export says it as the list does (one rule, given to both).
    expect(file.body.error.details.issues).toEqual(backwards.body.error.details.issues);

    const hr = await t().createUser(['hr']);
    expect((await report('', hr.cookie)).status).toBe(403);
  });
});
