// A warehouse is closed empty: nothing is posted out of an inactive warehouse, so stock left in
// one would be stranded where no document can reach it.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: warehouses', (t) => {
  const setActive = (id: string, active: boolean) =>
    t().request('PATCH', `/api/erp/warehouses/${id}`, { cookie: t().admin.cookie, body: { active } });

  it('refuses to deactivate a warehouse that still holds stock, and closes it once emptied', async () => {
    const [product, warehouse, other] = [
      await makeProduct(t()),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '5' }],
    });
    expect(receipt.status).toBe(201);

    const refused = await setActive(warehouse.id, false);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'WAREHOUSE_HAS_STOCK',
      details: { field: 'active', products: 1 },
    });
    const still = await t().request('GET', `/api/erp/warehouses/${warehouse.id}`, {
      cookie: t().admin.cookie,
    });
    expect(still.body.active).toBe(true);

    // The stock moves to another warehouse; the empty one closes, and opens again.
    const moved = await post(t(), {
      type: 'transfer',
      warehouseId: warehouse.id,
      targetWarehouseId: other.id,
      lines: [{ productId: product.id, quantity: '5' }],
    });
    expect(moved.status).toBe(201);
    expect((await setActive(warehouse.id, false)).status).toBe(200);
    expect((await setActive(warehouse.id, true)).status).toBe(200);
    // Renaming a warehouse with stock is no deactivation.
    const renamed = await t().request('PATCH', `/api/erp/warehouses/${other.id}`, {
      cookie: t().admin.cookie,
      body: { name: 'Yangi ombor', active: true },
    });
    expect(renamed.status).toBe(200);
  });
});
