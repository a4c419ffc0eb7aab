// Reordering: a receipt draft that brings each product below its reorder level (over all
// warehouses) back up to it, for the clerk to check, price and post.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: reorder receipt', (t) => {
  const draft = (body: unknown, cookie = t().admin.cookie) =>
    t().request('POST', '/api/erp/stock-documents/reorder-receipt', { cookie, body });

  it('says there is nothing to order while no product is below its level', async () => {
    const warehouse = await makeWarehouse(t());
    await makeProduct(t(), { reorderLevel: '0' });
    const nothing = await draft({ warehouseId: warehouse.id });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('NOTHING_TO_REORDER');
    const drafts = await t().request('GET', '/api/erp/stock-documents?status=draft', {
      cookie: t().admin.cookie,
    });
    expect(drafts.body.total).toBe(0);
  });

  it('drafts what each product lacks to reach its level, counting every warehouse', async () => {
    const clerk = await t().createUser(['warehouse'], { locale: 'uz' });
    const [main, branch] = [await makeWarehouse(t()), await makeWarehouse(t())];
    const bricks = await makeProduct(t(), { name: 'Gʻisht', unit: 'pcs', reorderLevel: '100' });
    const sand = await makeProduct(t(), { name: 'Qum', unit: 'kg', reorderLevel: '50.5' });
    const enough = await makeProduct(t(), { name: 'Sement', unit: 'pcs', reorderLevel: '10' });
    const retired = await makeProduct(t(), { name: 'Eski boʻyoq', unit: 'pcs', reorderLevel: '10' });
    const unwatched = await makeProduct(t(), { name: 'Mix', unit: 'pcs', reorderLevel: '0' });
    for (const [warehouse, lines] of [
      [
        main,
        [
          { productId: bricks.id, quantity: '30' },
          { productId: sand.id, quantity: '20.25' },
          { productId: enough.id, quantity: '10' },
        ],
      ],
      [branch, [{ productId: bricks.id, quantity: '45' }]],
    ] as const) {
      const receipt = await post(t(), { type: 'receipt', warehouseId: warehouse.id, lines: [...lines] });
      expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    }
    const retire = await t().request('PATCH', `/api/erp/products/${retired.id}`, {
      cookie: t().admin.cookie,
      body: { active: false },
    });
    expect(retire.status).toBe(200);

    const drafted = await draft({ warehouseId: main.id }, clerk.cookie);
    expect(drafted.status, JSON.stringify(drafted.body)).toBe(201);
    expect(drafted.body).toMatchObject({
      type: 'receipt',
      status: 'draft',
      warehouseId: main.id,
      comment: 'Qayta buyurtma: darajasidan past mahsulotlar',
    });
    const lines = drafted.body.lines.map((l: { productId: string; quantity: string }) => [
      l.productId,
      l.quantity,
    ]);
    // 100 - (30 + 45) bricks; 50.5 - 20.25 kg of sand; nothing of the others.
    expect(lines).toEqual(
      expect.arrayContaining([
        [bricks.id, '25.000'],
        [sand.id, '30.250'],
      ]),
    );
    for (const id of [enough.id, retired.id, unwatched.id])
      expect(lines.map(([productId]: [string]) => productId)).not.toContain(id);
    // Nothing moved: it is a draft, to post when the goods come.
    const stock = await t().request('GET', `/api/erp/stock-balances?productId=${bricks.id}`, {
      cookie: clerk.cookie,
    });
    expect(stock.body.items.map((b: { quantity: string }) => b.quantity).sort()).toEqual([
      '30.000',
      '45.000',
    ]);
  });

  it('refuses a warehouse that is not there, bad input and people without the right, changing nothing', async () => {
    await makeProduct(t(), { reorderLevel: '5' });
    const manager = await t().createUser(['sales_manager']);
    const before = await t().request('GET', '/api/erp/stock-documents?status=draft', {
      cookie: t().admin.cookie,
    });
    const unknown = await draft({ warehouseId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('warehouseId');
    const malformed = await draft({ warehouseId: 'ombor-1' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.issues[0].path).toBe('warehouseId');
    const forbidden = await draft({ warehouseId: (await makeWarehouse(t())).id }, manager.cookie);
    expect(forbidden.status).toBe(403);
    const after = await t().request('GET', '/api/erp/stock-documents?status=draft', {
      cookie: t().admin.cookie,
    });
    expect(after.body.total).toBe(before.body.total);
  });
});
