// Postings planned on what the server believes (one statement per group): they answer and
// record exactly what the locking path would, and whenever a belief is wrong (stock moved by
// another path, a product renamed) the statement writes nothing and the locking path decides.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { GroupStatement } from '../../../server/core/module.js';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { balance, makeProduct, makeWarehouse, post } from './test-fixtures.js';

type Suite = Parameters<typeof makeProduct>[0];

describeEachBackend('erp postings planned on beliefs', (t) => {
  /** What each group's plan came to: held, did not hold, or no plan at all. */
  async function watchingPlans<T>(work: (seen: string[]) => Promise<T>): Promise<T> {
    const group = t().suite.registry.get('erp.createStockDocument').group!;
    const plan = group.plan!;
    const seen: string[] = [];
    group.plan = (calls, home) => {
      const statement = plan(calls, home) as GroupStatement<unknown> | undefined;
      if (!statement) seen.push('none');
      return (
        statement && {
          ...statement,
          settled(held: boolean) {
            seen.push(held ? 'held' : 'missed');
            statement.settled(held);
          },
        }
      );
    };
    try {
      return await work(seen);
    } finally {
      group.plan = plan;
    }
  }

  const send = (s: Suite, path: string, body?: unknown) =>
    s.request('POST', path, { cookie: s.admin.cookie, headers: { 'idempotency-key': randomUUID() }, body });

  /** Moves stock through a draft (another path than new postings, which the beliefs miss). */
  async function behindItsBack(body: Record<string, unknown>) {
    const draft = await t().request('POST', '/api/erp/stock-documents', { cookie: t().admin.cookie, body });
    expect(draft.status).toBe(201);
    expect((await send(t(), `/api/erp/stock-documents/${draft.body.id}/post`)).status).toBe(200);
  }

  it('posts from what it learnt in one statement, answering and recording as the locking path does', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const key = randomUUID();
    const writeOff = {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'damaged',
      lines: [{ productId: p.id, quantity: 3 }],
    };
    const { receipt, first, retry } = await watchingPlans(async (seen) => {
      const receipt = await post(t(), {
        type: 'receipt',
        warehouseId: w.id,
        lines: [{ productId: p.id, quantity: 10 }],
      });
      expect(seen).toEqual(['none']); // nothing known yet: the locking path, which learns
      const first = await post(t(), writeOff, t().admin.cookie, key);
      expect(seen).toEqual(['none', 'held']);
      const retry = await post(t(), writeOff, t().admin.cookie, key);
      return { receipt, first, retry };
    });
    expect(receipt.status).toBe(201);
    expect(first.status).toBe(201);
    expect(first.body.number).toMatch(/^WO-\d{6}$/);
    expect(first.body.lines).toMatchObject([{ productId: p.id, productSku: p.sku, quantity: '3.000' }]);
    // The retry replays the first answer, its number included, and posts nothing.
    expect(retry.body).toEqual(first.body);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '7.000' });
    const ledger = await t()
      .db.selectFrom('erp_stock_ledger')
      .select(['quantity', 'balance_after'])
      .where('document_id', '=', first.body.id)
      .execute();
    expect(ledger).toEqual([{ quantity: '-3.000', balance_after: '7.000' }]);
    const audit = await t()
      .db.selectFrom('core_audit_log')
      .select(['action', 'after', 'actor_id'])
      .where('entity_id', '=', first.body.id)
      .execute();
    expect(audit).toEqual([
      {
        action: 'erp.createStockDocument',
        after: { status: 'posted', number: first.body.number, type: 'write_off' },
        actor_id: t().admin.id,
      },
    ]);
    const events = await t()
      .db.selectFrom('core_events')
      .select(['type', 'payload'])
      .where('aggregate_id', '=', first.body.id)
      .execute();
    expect(events).toEqual([
      { type: 'erp.document.posted', payload: expect.objectContaining({ number: first.body.number }) },
    ]);
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it('judges the stock on the locked rows: moved behind its back, the locking path posts right or refuses', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const writeOff = (quantity: number) =>
      post(t(), {
        type: 'write_off',
        warehouseId: w.id,
        reason: 'lost',
        lines: [{ productId: p.id, quantity }],
      });
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 10 }] });
    await watchingPlans(async (seen) => {
      expect((await writeOff(1)).status).toBe(201); // believed: 9
      await behindItsBack({ type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 5 }] });
      // Believed 9, there are 14: what goes out takes its share of the real balance's value, so
      // the plan, computed from 9, writes nothing, and the locking path posts from the real 14.
      const fits = await writeOff(2);
      expect(fits.status).toBe(201);
      const entry = await t()
        .db.selectFrom('erp_stock_ledger')
        .select('balance_after')
        .where('document_id', '=', fits.body.id)
        .executeTakeFirstOrThrow();
      expect(entry.balance_after).toBe('12.000');
      await behindItsBack({
        type: 'write_off',
        warehouseId: w.id,
        reason: 'lost',
        lines: [{ productId: p.id, quantity: 11 }],
      });
      // Believed 12, there is 1: the statement writes nothing and the locking path refuses.
      const refused = await writeOff(4);
      expect(refused.status).toBe(409);
      expect(refused.body.error.details.lines).toEqual([
        { lineNo: 1, productId: p.id, warehouseId: w.id, requested: '4.000', available: '1.000' },
      ]);
      expect(seen).toEqual(['held', 'missed', 'missed']);
      // Forgotten, and learnt again by the locking path that refused: planned again at once.
      expect((await writeOff(1)).status).toBe(201);
      expect(
        (await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 3 }] }))
          .status,
      ).toBe(201);
      expect(seen).toEqual(['held', 'missed', 'missed', 'held', 'held']);
    });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '3.000' });
    // Nothing of the statement that did not hold was kept: 3 receipts and 4 write-offs posted.
    const documents = await t()
      .db.selectFrom('erp_stock_documents')
      .select(['type', 'status'])
      .where('warehouse_id', '=', w.id)
      .execute();
    expect(
      documents
        .filter((d) => d.status === 'posted')
        .map((d) => d.type)
        .sort(),
    ).toEqual([...Array(3).fill('receipt'), ...Array(4).fill('write_off')]);
    expect(documents).toHaveLength(7);
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it('answers with the product as it is now, not as it was learnt', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 5 }] });
    const renamed = await t().request('PATCH', `/api/erp/products/${p.id}`, {
      cookie: t().admin.cookie,
      body: { name: 'Sement M500' },
    });
    expect(renamed.status).toBe(200);
    const posted = await watchingPlans(async (seen) => {
      const posted = await post(t(), {
        type: 'receipt',
        warehouseId: w.id,
        lines: [{ productId: p.id, quantity: 1 }],
      });
      expect(seen).toEqual(['missed']);
      return posted;
    });
    expect(posted.status).toBe(201);
    expect(posted.body.lines[0].productName).toBe('Sement M500');
  });

  it('tells a product fell below its reorder level from its stock in every warehouse', async () => {
    const [p, a, b] = [
      await makeProduct(t(), { reorderLevel: '10' }),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    await post(t(), { type: 'receipt', warehouseId: a.id, lines: [{ productId: p.id, quantity: 8 }] });
    await post(t(), { type: 'receipt', warehouseId: b.id, lines: [{ productId: p.id, quantity: 6 }] });
    const writeOff = (quantity: number) =>
      post(t(), {
        type: 'write_off',
        warehouseId: a.id,
        reason: 'expired',
        lines: [{ productId: p.id, quantity }],
      });
    const [first, crossing, below] = await watchingPlans(async (seen) => {
      const results = [await writeOff(1), await writeOff(4), await writeOff(1)];
      // The first learns the product's every warehouse; then 13 -> 9 crosses 10, 9 -> 8 does not.
      expect(seen).toEqual(['none', 'held', 'held']);
      return results;
    });
    const crossings = await t()
      .db.selectFrom('core_events')
      .select(['payload'])
      .where('type', '=', 'erp.stock.belowReorderLevel')
      .where('aggregate_id', '=', p.id)
      .execute();
    expect(crossings.map((e) => e.payload)).toEqual([
      {
        productId: p.id,
        sku: p.sku,
        name: 'Sement M400',
        onHand: '9.000',
        reorderLevel: '10.000',
        documentId: crossing!.body.id,
      },
    ]);
    expect([first!.status, below!.status]).toEqual([201, 201]);
  });
});
