// The shipped "Deal to shipment" process, as its people live it: a sales manager wins a deal, the
// process asks them to confirm the shipment, ERP posts it as the token moves; with too little
// stock the warehouse group resolves the shortage and nothing is posted until it does.
import { sql } from 'kysely';
import { expect, it, vi } from 'vitest';
import { makeClient, makeDeal } from '../modules/crm/test-helpers.js';
import { balance, makeProduct, makeWarehouse, post } from '../modules/erp/inventory/test-fixtures.js';
import { describeEachBackend } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, taskNamed, taskView } from './test-helpers.js';

describeEachBackend('shipped workflow: deal to shipment', (t) => {
  async function wonDeal(quantity: number, stock: number, currency = 'UZS') {
    await installWorkflows(t());
    const manager = await t().createUser(['sales_manager'], { name: 'Malika Yusupova', locale: 'en' });
    const product = await makeProduct(t());
    const warehouse = await makeWarehouse(t());
    expect(
      (
        await post(t(), {
          type: 'receipt',
          warehouseId: warehouse.id,
          lines: [{ productId: product.id, quantity: String(stock) }],
        })
      ).status,
    ).toBe(201);
    const client = await makeClient(t(), {}, manager.cookie);
    const deal = await makeDeal(
      t(),
      {
        clientId: client.id,
        currency,
        lines: [{ productId: product.id, quantity: String(quantity), price: '150000' }],
      },
      manager.cookie,
    );
    const moved = await t().request('POST', `/api/crm/deals/${deal.id}/stage`, {
      cookie: manager.cookie,
      body: { stage: 'won' },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    return { manager, product, warehouse, client, deal };
  }

  it('a won deal asks its owner to confirm; confirming posts the shipment and shows it on the timeline', async () => {
    const { manager, product, warehouse, client, deal } = await wonDeal(4, 10);
    const confirm = await taskNamed(t(), manager, 'Confirm shipment');
    // The inbox says which deal and client the step is about.
    expect((confirm as { subject?: string }).subject).toBe(`${deal.title} · ${client.name}`);
    const view = { body: await taskView(t(), manager, confirm.id) };
    // people read the task and the process in their language, from the model's name:<locale>
    const inUzbek = await t().request('GET', `/api/bpm/tasks/${confirm.id}`, { cookie: t().admin.cookie });
    expect(inUzbek.body).toMatchObject({
      name: 'Joʻnatishni tasdiqlash',
      processName: 'Bitimdan joʻnatishgacha',
    });
    // the task carries what the owner decides on: the client, the deal's lines, the stock
    expect(view.body.variables).toMatchObject({
      dealId: deal.id,
      clientId: client.id,
      lines: [expect.objectContaining({ productId: product.id })],
      stock: [expect.objectContaining({ available: '10.000' })],
    });
    expect(view.body.form).toMatchObject({ id: 'confirm-shipment' });

    // the form's required warehouse is checked by the server too
    const missing = await t().request('POST', `/api/bpm/tasks/${confirm.id}/complete`, {
      cookie: manager.cookie,
      body: { variables: { decision: 'ship' } },
    });
    expect(missing.status).toBe(400);
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('10.000');

    await complete(t(), manager, confirm.id, { warehouseId: warehouse.id, decision: 'ship' });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('6.000');

    // the next step of the same instance is the owner's at once: the posted document's number
    const posted = await taskNamed(t(), manager, 'Shipment posted', confirm.processInstanceId);
    const postedView = { body: await taskView(t(), manager, posted.id) };
    expect(postedView.body.variables.shipmentNumber).toEqual(expect.any(String));

    const card = await vi.waitFor(
      async () => {
        const response = await t().request('GET', `/api/crm/clients/${client.id}`, {
          cookie: manager.cookie,
        });
        const kinds = response.body.timeline.map((e: { kind: string }) => e.kind);
        if (!kinds.includes('shipment')) throw new Error('no shipment on the timeline yet');
        return response.body;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(card.timeline.map((e: { title: string }) => e.title)).toContain(
      postedView.body.variables.shipmentNumber,
    );
    // The shipment carries the deal's prices, and names its client and deal when read.
    const shipment = await t().request(
      'GET',
      `/api/erp/stock-documents/${postedView.body.variables.shipmentId}`,
      {
        cookie: t().admin.cookie,
      },
    );
    expect(shipment.body).toMatchObject({
      clientId: client.id,
      dealId: deal.id,
      clientName: client.name,
      dealTitle: deal.title,
      comment: deal.title,
      lines: [expect.objectContaining({ productId: product.id, quantity: '4.000', price: '150000.00' })],
    });
  });

  it('a deal in dollars ships without prices: stock documents are valued in soʻm', async () => {
    const { manager, warehouse } = await wonDeal(2, 10, 'USD');
    const confirm = await taskNamed(t(), manager, 'Confirm shipment');
    await complete(t(), manager, confirm.id, { warehouseId: warehouse.id, decision: 'ship' });
    const posted = await taskNamed(t(), manager, 'Shipment posted', confirm.processInstanceId);
    const shipmentId = (await taskView(t(), manager, posted.id)).variables.shipmentId;
    const shipment = await t().request('GET', `/api/erp/stock-documents/${shipmentId}`, {
      cookie: t().admin.cookie,
    });
    expect(shipment.body.lines).toEqual([expect.objectContaining({ quantity: '2.000', price: null })]);
  });

  it('too little stock sends the shortage to the warehouse group; nothing is posted until it resolves', async () => {
    const { manager, product, warehouse, client, deal } = await wonDeal(15, 10);
    const keeper = await t().createUser(['warehouse'], { name: 'Kamola Rahimova', locale: 'en' });
    const confirm = await taskNamed(t(), manager, 'Confirm shipment');
    await complete(t(), manager, confirm.id, { warehouseId: warehouse.id, decision: 'ship' });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('10.000');

    // not the manager's: the warehouse group's, with the short line
    expect((await inbox(t(), manager, confirm.processInstanceId)).map((x) => x.name)).not.toContain(
      'Resolve shortage',
    );
    const shortage = await taskNamed(t(), keeper, 'Resolve shortage', confirm.processInstanceId);
    const view = { body: await taskView(t(), keeper, shortage.id) };
    expect(view.body.variables.shortLines).toEqual([
      expect.objectContaining({ productId: product.id, requested: '15.000', available: '10.000' }),
    ]);
    // The client card tells the shortage in each reader's language.
    const headRu = await t().createUser(['sales_head'], { locale: 'ru' });
    for (const [reader, title] of [
      [manager, `Not enough stock to ship: ${deal.title}`],
      [headRu, `Недостаточно товара для отгрузки: ${deal.title}`],
    ] as const) {
      const timeline = await t().request('GET', `/api/crm/clients/${client.id}/timeline`, {
        cookie: reader.cookie,
      });
      expect(timeline.body.items.map((e: { title: string }) => e.title)).toContain(title);
    }

    await complete(t(), keeper, shortage.id, { resolution: 'partial' });
    expect((await balance(t(), product.id, warehouse.id)).quantity).toBe('0.000');
    const posted = await taskNamed(t(), manager, 'Shipment posted', confirm.processInstanceId);
    const postedView = { body: await taskView(t(), manager, posted.id) };
    expect(postedView.body.variables.lines).toEqual([expect.objectContaining({ quantity: '10' })]);
  });

  it('a deal moved to another stage starts nothing', async () => {
    await installWorkflows(t());
    const manager = await t().createUser(['sales_manager'], { locale: 'en' });
    const client = await makeClient(t(), {}, manager.cookie);
    const deal = await makeDeal(t(), { clientId: client.id }, manager.cookie);
    const moved = await t().request('POST', `/api/crm/deals/${deal.id}/stage`, {
      cookie: manager.cookie,
      body: { stage: 'qualified' },
    });
    expect(moved.status).toBe(200);
    // once every subscriber has had the stage change, the owner has no task of it
    await t().suite.dispatcher.drain();
    const pending = await sql<{ n: number }>`select count(*)::int as n from core_event_deliveries
      where aggregate_key = ${`deal:${deal.id}`} and status <> 'done'`.execute(t().db);
    expect(pending.rows[0]?.n).toBe(0);
    expect(await inbox(t(), manager)).toEqual([]);
  });
});
