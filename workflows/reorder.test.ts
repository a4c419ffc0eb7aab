// The shipped "Reorder", as the warehouse lives it: a write-off takes a product below its
// reorder level, the warehouse group is asked how much to order (what brings it back to the
// level, to start from), and ordering drafts the receipt to post when the goods arrive.
import { expect, it } from 'vitest';
import { balance, makeProduct, makeWarehouse, post } from '../modules/erp/inventory/test-fixtures.js';
import { describeEachBackend } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, instanceOf, taskNamed, taskView } from './test-helpers.js';

describeEachBackend('shipped workflow: reorder', (t) => {
  async function belowLevel(unit: 'pcs' | 'kg' = 'pcs') {
    await installWorkflows(t());
    const keeper = await t().createUser(['warehouse'], { name: 'Kamola Rahimova', locale: 'en' });
    const level = unit === 'kg' ? '100.5' : '10';
    const product = await makeProduct(t(), { unit, reorderLevel: level, name: 'Olifa' });
    const warehouse = await makeWarehouse(t());
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: unit === 'kg' ? '120.25' : '12' }],
    });
    expect(receipt.status).toBe(201);
    const writeOff = await post(t(), {
      type: 'write_off',
      warehouseId: warehouse.id,
      reason: 'damaged',
      lines: [{ productId: product.id, quantity: unit === 'kg' ? '40.5' : '5' }],
    });
    expect(writeOff.status).toBe(201);
    return { keeper, product, warehouse };
  }

  it('asks the warehouse how much to order, starting from what is missing, and drafts the receipt', async () => {
    const { keeper, product, warehouse } = await belowLevel();
    const task = await taskNamed(t(), keeper, 'Order the product');
    const view = await taskView(t(), keeper, task.id);
    expect(view.form?.id).toBe('reorder-product');
    // 10 - 7 pieces, and the stock as the form shows it.
    expect(view.variables).toMatchObject({ quantity: 3, onHandText: '7', levelText: '10', sku: product.sku });
    expect(view.variables.warehouseOptions).toEqual(
      expect.arrayContaining([{ label: `${warehouse.code} · Ombor`, value: warehouse.id }]),
    );

    await complete(t(), keeper, task.id, { warehouseId: warehouse.id, quantity: 20, decision: 'order' });
    const done = await instanceOf(t(), task.processInstanceId);
    expect(done.state).toBe('completed');
    const draft = await t().request('GET', `/api/erp/stock-documents/${done.variables.draftId}`, {
      cookie: keeper.cookie,
    });
    expect(draft.body).toMatchObject({ type: 'receipt', status: 'draft', warehouseId: warehouse.id });
    expect(draft.body.comment).toBe(`Qayta buyurtma: ${product.sku} · Olifa`);
    expect(draft.body.lines).toEqual([
      expect.objectContaining({ productId: product.id, quantity: '20.000' }),
    ]);
    // A draft moves nothing: the stock waits for the goods.
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('7.000');
  });

  it('works out a fraction of a kilogram exactly, and "not now" drafts nothing', async () => {
    const { keeper, product } = await belowLevel('kg');
    const task = await taskNamed(t(), keeper, 'Order the product');
    // 100.5 - (120.25 - 40.5) kg, without a float's tail.
    expect((await taskView(t(), keeper, task.id)).variables).toMatchObject({
      quantity: 20.75,
      onHandText: '79.75',
    });
    await complete(t(), keeper, task.id, { decision: 'skip' });
    const done = await instanceOf(t(), task.processInstanceId);
    expect(done.state).toBe('completed');
    expect(done.history.map((h) => h.elementId)).toContain('skipped');
    const drafts = await t().request('GET', '/api/erp/stock-documents?status=draft', {
      cookie: keeper.cookie,
    });
    expect(
      drafts.body.items.filter((d: { comment: string | null }) => d.comment?.includes(product.sku)),
    ).toEqual([]);
  });

  it('asks once: a posting that keeps the product below its level starts nothing more', async () => {
    const { keeper, product, warehouse } = await belowLevel();
    await taskNamed(t(), keeper, 'Order the product');
    const again = await post(t(), {
      type: 'write_off',
      warehouseId: warehouse.id,
      reason: 'lost',
      lines: [{ productId: product.id, quantity: '1' }],
    });
    expect(again.status).toBe(201);
    await t().suite.dispatcher.drain();
    const tasks = (await inbox(t(), keeper)).filter(
      (x) => x.name === 'Order the product' && (x as { subject?: string }).subject?.includes(product.sku),
    );
    expect(tasks).toHaveLength(1);
  });
});
