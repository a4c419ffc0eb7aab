// Shipments by warehouse staff, who hold no rights in CRM: they find the client by name and
// post to it, and learn no more of the client than its name, phone and tax id.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeDeal } from '../../crm/test-helpers.js';
import { balance, makeProduct, makeWarehouse, post, uniq } from './test-fixtures.js';

describeEachBackend('erp: shipments by warehouse staff', (t) => {
  async function setUp() {
    const clerk = await t().createUser(['warehouse']);
    const name = `Qoʻqon Qurilish ${uniq('Q')}`;
    const created = await t().request('POST', '/api/crm/clients', {
      cookie: t().admin.cookie,
      body: {
        kind: 'company',
        name,
        taxId: '305123457',
        phones: ['+998 73 542 10 20'],
        confirmDuplicate: true,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const product = await makeProduct(t());
    const warehouse = await makeWarehouse(t());
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '10' }],
    });
    expect(receipt.status).toBe(201);
    return { clerk, client: created.body as { id: string }, name, product, warehouse };
  }

  it('a clerk finds the client by name and posts a shipment to it, with no right to read CRM', async () => {
    const { clerk, client, name, product, warehouse } = await setUp();
    // CRM itself stays closed to the clerk.
    expect((await t().request('GET', `/api/crm/clients/${client.id}`, { cookie: clerk.cookie })).status).toBe(
      403,
    );

    const found = await t().request(
      'GET',
      `/api/erp/shipment-clients?q=${encodeURIComponent(name.slice(0, 12))}`,
      {
        cookie: clerk.cookie,
      },
    );
    expect(found.status).toBe(200);
    const hit = found.body.items.find((c: { id: string }) => c.id === client.id);
    expect(hit).toEqual({ id: client.id, name, phone: '+998735421020', taxId: '305123457' });
    const byId = await t().request('GET', `/api/erp/shipment-clients?id=${client.id}`, {
      cookie: clerk.cookie,
    });
    expect(byId.body.items).toEqual([hit]);

    const shipped = await post(
      t(),
      {
        type: 'shipment',
        warehouseId: warehouse.id,
        clientId: client.id,
        lines: [{ productId: product.id, quantity: '4' }],
      },
      clerk.cookie,
    );
    expect(shipped.status, JSON.stringify(shipped.body)).toBe(201);
    expect(shipped.body).toMatchObject({ status: 'posted', clientId: client.id });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('6.000');
    // The document read names the client (and the deal, when the shipment is for one).
    const deal = await makeDeal(t(), { clientId: client.id, title: 'Yillik taʼminot', amount: '1000000' });
    const forDeal = await post(
      t(),
      {
        type: 'shipment',
        warehouseId: warehouse.id,
        clientId: client.id,
        dealId: deal.id,
        lines: [{ productId: product.id, quantity: '1' }],
      },
      clerk.cookie,
    );
    expect(forDeal.status, JSON.stringify(forDeal.body)).toBe(201);
    for (const [id, dealTitle] of [
      [shipped.body.id, null],
      [forDeal.body.id, 'Yillik taʼminot'],
    ]) {
      const read = await t().request('GET', `/api/erp/stock-documents/${id}`, { cookie: clerk.cookie });
      expect(read.body).toMatchObject({ clientName: name, dealTitle });
    }
  });

  it("the documents list names each shipment's client and values priced documents", async () => {
    const { clerk, client, name, product, warehouse } = await setUp();
    const priced = await post(
      t(),
      {
        type: 'shipment',
        warehouseId: warehouse.id,
        clientId: client.id,
        lines: [{ productId: product.id, quantity: '3', price: '12500.50' }],
      },
      clerk.cookie,
    );
    expect(priced.status, JSON.stringify(priced.body)).toBe(201);
    const list = await t().request('GET', `/api/erp/stock-documents?warehouseId=${warehouse.id}&limit=10`, {
      cookie: clerk.cookie,
    });
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((d: { id: string }) => [d.id, d]));
    expect(byId.get(priced.body.id)).toMatchObject({ clientName: name, amount: '37501.50' });
    // The receipt that filled the warehouse has no client and no price.
    const receipt = list.body.items.find((d: { type: string }) => d.type === 'receipt');
    expect(receipt).toMatchObject({ clientName: null, amount: null });
  });

  it('refuses a client CRM does not know beside the field, and bad lookups with the field and reason', async () => {
    const { clerk, product, warehouse } = await setUp();
    const unknown = await post(
      t(),
      {
        type: 'shipment',
        warehouseId: warehouse.id,
        clientId: randomUUID(),
        lines: [{ productId: product.id, quantity: '1' }],
      },
      clerk.cookie,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('clientId');
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('10.000');

    const short = await t().request('GET', '/api/erp/shipment-clients?q=Q', { cookie: clerk.cookie });
    expect(short.status).toBe(400);
    expect(short.body.error.details.issues[0].path).toBe('q');
    const nothing = await t().request('GET', '/api/erp/shipment-clients', { cookie: clerk.cookie });
    expect(nothing.status).toBe(400);
    const badId = await t().request('GET', '/api/erp/shipment-clients?id=42', { cookie: clerk.cookie });
    expect(badId.status).toBe(400);
    const missing = await t().request('GET', `/api/erp/shipment-clients?id=${randomUUID()}`, {
      cookie: clerk.cookie,
    });
    expect(missing.status).toBe(404);
  });

  it('is closed to those who may not write stock documents', async () => {
    const employee = await t().createUser(['employee']);
    const response = await t().request('GET', '/api/erp/shipment-clients?q=Qoqon', {
      cookie: employee.cookie,
    });
    expect(response.status).toBe(403);
  });
});
