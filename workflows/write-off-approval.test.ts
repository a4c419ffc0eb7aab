// The shipped "Write-off approval": below the value limit the write-off posts at once; above it,
// it waits for the requester's head (from HR) and posts only when approved. The requester is
// whoever started it, from the session, whatever the request says.
import { expect, it } from 'vitest';
import { balance, makeProduct, makeWarehouse, post } from '../modules/erp/inventory/test-fixtures.js';
import { makeDepartment, makeEmployee } from '../modules/hr/test-helpers.js';
import { describeEachBackend, type TestUser } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, instanceOf, taskNamed, taskView } from './test-helpers.js';

describeEachBackend('shipped workflow: write-off approval', (t) => {
  async function setting() {
    await installWorkflows(t());
    const clerk = await t().createUser(['warehouse'], { name: 'Bekzod Tursunov', locale: 'en' });
    const head = await t().createUser(['warehouse'], { name: 'Sherzod Nazarov', locale: 'en' });
    const department = await makeDepartment(t(), { name: 'Ombor' });
    const headEmployee = await makeEmployee(t(), {
      departmentId: department.id,
      userId: head.id,
      position: 'Ombor mudiri',
    });
    await makeEmployee(t(), {
      departmentId: department.id,
      userId: clerk.id,
      managerId: headEmployee.id,
      position: 'Omborchi',
    });
    const product = await makeProduct(t());
    const warehouse = await makeWarehouse(t());
    expect(
      (
        await post(t(), {
          type: 'receipt',
          warehouseId: warehouse.id,
          lines: [{ productId: product.id, quantity: '100' }],
        })
      ).status,
    ).toBe(201);
    return { clerk, head, product, warehouse };
  }

  async function request(clerk: TestUser, body: Record<string, unknown>) {
    const response = await t().request('POST', '/api/bpm/instances', {
      cookie: clerk.cookie,
      body: { processId: 'write-off-approval', variables: { reason: 'damaged', comment: 'Namlik', ...body } },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; state: string };
  }

  it('is offered on the write-off posting screen to a clerk who may start processes', async () => {
    const { clerk } = await setting();
    const offered = await t().request('GET', '/api/bpm/definitions?startFrom=erp.writeOff', {
      cookie: clerk.cookie,
    });
    expect(offered.status).toBe(200);
    expect(offered.body.items).toEqual([
      expect.objectContaining({ processId: 'write-off-approval', startFrom: ['erp.writeOff'] }),
    ]);
  });

  it('posts a small write-off at once and tells the requester the document number', async () => {
    const { clerk, head, product, warehouse } = await setting();
    const started = await request(clerk, {
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '2', price: '50000' }],
      // a forged requester is overwritten by the session's user
      requesterId: head.id,
    });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('98.000');
    const view = await instanceOf(t(), started.id);
    expect(view.variables).toMatchObject({ amount: 100000, requesterId: clerk.id, outcome: 'posted' });
    expect(await inbox(t(), head, started.id)).toEqual([]);
    const told = await taskNamed(t(), clerk, 'Write-off outcome', started.id);
    expect((await taskView(t(), clerk, told.id)).variables.documentNumber).toEqual(expect.any(String));
  });

  it('holds a write-off above the limit for the head, and posts it when approved', async () => {
    const { clerk, head, product, warehouse } = await setting();
    const started = await request(clerk, {
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '40', price: '150000' }],
    });
    expect(started.state).toBe('active');
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('100.000');
    // not the clerk's to approve
    expect((await inbox(t(), clerk, started.id)).map((x) => x.name)).not.toContain('Approve write-off');
    const approval = await taskNamed(t(), head, 'Approve write-off', started.id);
    expect((await taskView(t(), head, approval.id)).variables).toMatchObject({
      amount: 6000000,
      requesterName: expect.any(String),
    });
    await complete(t(), head, approval.id, { decision: 'approve' });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('60.000');
    await taskNamed(t(), clerk, 'Write-off outcome', started.id);
  });

  it('posts nothing when the head rejects it, and says so', async () => {
    const { clerk, head, product, warehouse } = await setting();
    const started = await request(clerk, {
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '40', price: '150000' }],
    });
    const approval = await taskNamed(t(), head, 'Approve write-off', started.id);
    await complete(t(), head, approval.id, { decision: 'reject', decisionNote: 'Qayta sanang' });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('100.000');
    const told = await taskNamed(t(), clerk, 'Write-off outcome', started.id);
    expect((await taskView(t(), clerk, told.id)).variables).toMatchObject({
      outcome: 'rejected',
      decisionNote: 'Qayta sanang',
    });
  });

  it('a write-off beyond the stock is not posted and the requester hears why', async () => {
    const { clerk, product, warehouse } = await setting();
    const started = await request(clerk, {
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '500', price: '10' }],
    });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('100.000');
    const told = await taskNamed(t(), clerk, 'Write-off outcome', started.id);
    expect((await taskView(t(), clerk, told.id)).variables).toMatchObject({
      outcome: 'short',
      shortLines: [expect.objectContaining({ productId: product.id, available: '100.000' })],
    });
  });
});
