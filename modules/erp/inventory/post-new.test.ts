// Create-and-post: short lines among many, the ledger of repeated products, first postings,
// the audit entry and events it writes, and numbers a refusal leaves alone.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { balance, makeClient, makeProduct, makeWarehouse, post } from './test-fixtures.js';

type Ledger = { quantity: string; balance_after: string; line_id: string | null };

describeEachBackend('erp create-and-post', (t) => {
  async function ledgerOf(documentId: string): Promise<Ledger[]> {
    return t()
      .db.selectFrom('erp_stock_ledger')
      .select(['quantity', 'balance_after', 'line_id'])
      .where('document_id', '=', documentId)
      .orderBy('id')
      .execute();
  }

  it('names the one short line among many and writes nothing at all', async () => {
    const w = await makeWarehouse(t());
    const products: { id: string }[] = [];
    for (let i = 0; i < 6; i++) products.push(await makeProduct(t()));
    await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: products.map((p, i) => ({ productId: p.id, quantity: i === 4 ? 1 : 10 })),
    });
    const before = await t()
      .db.selectFrom('core_audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .execute();
    // Shuffled order, the short product twice (2 + 1 > 1 available).
    const lines = [5, 4, 0, 3, 4, 1, 2].map((i) => ({
      productId: products[i]!.id,
      quantity: i === 4 ? 1 : 2,
    }));
    lines[1]!.quantity = 2;
    const refused = await post(t(), { type: 'write_off', warehouseId: w.id, reason: 'expired', lines });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('STOCK_INSUFFICIENT');
    expect(refused.body.error.details.lines).toEqual([
      { lineNo: 2, productId: products[4]!.id, warehouseId: w.id, requested: '3.000', available: '1.000' },
    ]);
    for (const [i, p] of products.entries()) {
      expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: i === 4 ? '1.000' : '10.000' });
    }
    const docs = await t().request('GET', `/api/erp/stock-documents?type=write_off&warehouseId=${w.id}`, {
      cookie: t().admin.cookie,
    });
    expect(docs.body.total).toBe(0);
    const after = await t()
      .db.selectFrom('core_audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .execute();
    expect(after).toEqual(before);
  });

  it('keeps each entry’s balance after when a product repeats, and posts first balances', async () => {
    const [p, q, a, b] = [
      await makeProduct(t()),
      await makeProduct(t(), { unit: 'kg' }),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: a.id,
      lines: [
        { productId: p.id, quantity: 4 },
        { productId: q.id, quantity: '1.5' },
        { productId: p.id, quantity: 6 },
      ],
    });
    expect(receipt.status).toBe(201);
    expect((await ledgerOf(receipt.body.id)).map((e) => [e.quantity, e.balance_after])).toEqual([
      ['4.000', '4.000'],
      ['1.500', '1.500'],
      ['6.000', '10.000'],
    ]);
    // A transfer into a warehouse that has never held the product creates its balance.
    const transfer = await post(t(), {
      type: 'transfer',
      warehouseId: a.id,
      targetWarehouseId: b.id,
      lines: [
        { productId: p.id, quantity: 3 },
        { productId: p.id, quantity: 2 },
      ],
    });
    expect(transfer.status).toBe(201);
    const entries = await ledgerOf(transfer.body.id);
    expect(entries.map((e) => [e.quantity, e.balance_after])).toEqual([
      ['-3.000', '7.000'],
      ['3.000', '3.000'],
      ['-2.000', '5.000'],
      ['2.000', '5.000'],
    ]);
    expect(entries.map((e) => e.line_id)).toEqual(
      transfer.body.lines.flatMap((l: { id: string }) => [l.id, l.id]),
    );
    expect(await balance(t(), p.id, b.id)).toMatchObject({ quantity: '5.000' });
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it('creates balance rows only for the accepted documents of a group, in whatever order they came', async () => {
    const [p, inactive, w, closed] = [
      await makeProduct(t()),
      await makeProduct(t()),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    await t().request('PATCH', `/api/erp/products/${inactive.id}`, {
      cookie: t().admin.cookie,
      body: { active: false },
    });
    await t().request('PATCH', `/api/erp/warehouses/${closed.id}`, {
      cookie: t().admin.cookie,
      body: { active: false },
    });
    const unknown = randomUUID();
    // Sent at once, so that they are judged together (group commit); the balances they name
    // are locked before any is judged.
    const results = await Promise.all([
      post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: inactive.id, quantity: 3 }] }),
      post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: unknown, quantity: 3 }] }),
      post(t(), { type: 'receipt', warehouseId: closed.id, lines: [{ productId: p.id, quantity: 3 }] }),
      post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 2 }] }),
      post(t(), {
        type: 'transfer',
        warehouseId: w.id,
        targetWarehouseId: closed.id,
        lines: [{ productId: p.id, quantity: 1 }],
      }),
      post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 0 }] }),
    ]);
    expect(results.map((r) => r.status)).toEqual([400, 400, 400, 201, 400, 400]);
    const rows = await t()
      .db.selectFrom('erp_stock_balances')
      .select(['product_id', 'warehouse_id', 'quantity'])
      .where('product_id', 'in', [p.id, inactive.id, unknown])
      .execute();
    expect(rows).toEqual([{ product_id: p.id, warehouse_id: w.id, quantity: '2.000' }]);
  });

  it('writes the audit entry and the events, and wakes the dispatcher only for a subscribed one', async () => {
    const [p, w, client] = [await makeProduct(t()), await makeWarehouse(t()), await makeClient(t())];
    let wakes = 0;
    t().suite.registry.onEventsCommitted(() => wakes++);
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: p.id, quantity: 5 }],
    });
    expect(wakes).toBe(0); // nobody subscribes to erp.document.posted: nothing to deliver
    const shipment = await post(t(), {
      type: 'shipment',
      warehouseId: w.id,
      clientId: client.id,
      lines: [{ productId: p.id, quantity: 2 }],
    });
    expect(shipment.status).toBe(201);
    expect(wakes).toBe(1); // CRM's timeline subscribes to erp.shipment.posted
    const audit = await t()
      .db.selectFrom('core_audit_log')
      .select(['action', 'after', 'actor_id'])
      .where('entity', '=', 'stockDocument')
      .where('entity_id', '=', shipment.body.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'erp.createStockDocument',
        after: { status: 'posted', number: shipment.body.number, type: 'shipment' },
        actor_id: t().admin.id,
      },
    ]);
    const events = await t()
      .db.selectFrom('core_events')
      .select(['type', 'aggregate_id', 'payload'])
      .where('aggregate_id', 'in', [receipt.body.id, shipment.body.id, client.id])
      .where('type', 'like', 'erp.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => [e.type, e.aggregate_id])).toEqual([
      ['erp.document.posted', receipt.body.id],
      ['erp.document.posted', shipment.body.id],
      ['erp.shipment.posted', client.id],
    ]);
    expect(events[2]!.payload).toMatchObject({ number: shipment.body.number, lines: 1 });
  });

  it('leaves the key free after a refusal, though the answer was stored before the stock moved', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const key = randomUUID();
    const body = {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'lost',
      lines: [{ productId: p.id, quantity: 2 }],
    };
    const refused = await post(t(), body, t().admin.cookie, key);
    expect(refused.status).toBe(409);
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 5 }] });
    const posted = await post(t(), body, t().admin.cookie, key);
    expect(posted.status).toBe(201);
    const replay = await post(t(), body, t().admin.cookie, key);
    expect(replay.body).toEqual(posted.body);
    const read = await t().request('GET', `/api/erp/stock-documents/${posted.body.id}`, {
      cookie: t().admin.cookie,
    });
    const admin = { id: t().admin.id, name: 'Test Admin' };
    expect(read.body).toEqual({
      ...posted.body,
      clientName: null,
      dealTitle: null,
      createdBy: admin,
      postedBy: admin,
    });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '3.000' });
  });

  it('leaves the numbers alone when it refuses bad input', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 5 }] });
    const writeOff = (quantity: number | string, productId = p.id) =>
      post(t(), { type: 'write_off', warehouseId: w.id, reason: 'lost', lines: [{ productId, quantity }] });
    const first = await writeOff(1);
    for (const bad of [await writeOff('1.5'), await writeOff(1, '00000000-0000-4000-8000-000000000000')]) {
      expect(bad.status).toBe(400);
    }
    const next = await writeOff(1);
    const n = (doc: { body: { number: string } }) => Number(doc.body.number.slice(3));
    expect(n(next)).toBe(n(first) + 1);
  });
});
