// Warehouses and products are deactivated empty: an inactive one is in no new document, so stock
// left in it (or of it) would be stranded where no document can reach it.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: deactivating warehouses and products', (t) => {
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
      details: { field: 'active', rows: 1 },
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

  it('refuses to deactivate a product still in stock, and retires it once it is gone', async () => {
    const [product, warehouse] = [await makeProduct(t(), { unit: 'kg' }), await makeWarehouse(t())];
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '2.5' }],
    });
    expect(receipt.status).toBe(201);
    const retire = () =>
      t().request('PATCH', `/api/erp/products/${product.id}`, {
        cookie: t().admin.cookie,
        body: { active: false },
      });
    const refused = await retire();
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'PRODUCT_HAS_STOCK',
      details: { field: 'active', rows: 1 },
    });
    const writeOff = await post(t(), {
      type: 'write_off',
      warehouseId: warehouse.id,
      reason: 'expired',
      lines: [{ productId: product.id, quantity: '2.5' }],
    });
    expect(writeOff.status).toBe(201);
    const retired = await retire();
    expect(retired.status).toBe(200);
    expect(retired.body.active).toBe(false);
  });
});
