// Stock value at the weighted average cost: what each kind of document adds or takes, on the
// balances, the ledger, the list's total and the movements report, and the database's CHECK.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { up } from '../migrations/0003-stock-value.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: stock value', (t) => {
  const posted = async (body: Record<string, unknown>) => {
    const response = await post(t(), body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string };
  };
  const reverse = async (id: string) => {
    const response = await t().request('POST', `/api/erp/stock-documents/${id}/reverse`, {
      cookie: t().admin.cookie,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string };
  };
  const stockOf = async (productId: string, warehouseId: string) => {
    const response = await t().request(
      'GET',
      `/api/erp/stock-balances?productId=${productId}&warehouseId=${warehouseId}`,
      { cookie: t().admin.cookie },
    );
    const row = response.body.items[0];
    return { quantity: row.quantity, value: row.value, averageCost: row.averageCost };
  };
  const ledgerValues = async (documentId: string) => {
    const response = await t().request(
      'GET',
      `/api/erp/stock-ledger?documentId=${documentId}&sort=postedAt`,
      {
        cookie: t().admin.cookie,
      },
    );
    return response.body.items.map((e: { warehouseCode: string; quantity: string; value: string }) => [
      e.warehouseCode,
      e.quantity,
      e.value,
    ]);
  };

  it('averages receipts, takes issues at the average, carries it through transfers and reversals', async () => {
    const cement = await makeProduct(t());
    const [main, other] = [await makeWarehouse(t()), await makeWarehouse(t())];
    const line = (quantity: string, price?: string) => [{ productId: cement.id, quantity, price }];
    await posted({ type: 'receipt', warehouseId: main.id, lines: line('10', '12000') });
    await posted({ type: 'receipt', warehouseId: main.id, lines: line('30', '16000') });
    expect(await stockOf(cement.id, main.id)).toEqual({
      quantity: '40.000',
      value: '600000.00',
      averageCost: '15000.00',
    });

    const writeOff = await posted({
      type: 'write_off',
      warehouseId: main.id,
      reason: 'damaged',
      lines: line('4'),
    });
    expect(await ledgerValues(writeOff.id)).toEqual([[main.code, '-4.000', '-60000.00']]);
    const transfer = await posted({
      type: 'transfer',
      warehouseId: main.id,
      targetWarehouseId: other.id,
      lines: line('6'),
    });
    expect(await ledgerValues(transfer.id)).toEqual([
      [main.code, '-6.000', '-90000.00'],
      [other.code, '6.000', '90000.00'],
    ]);
    expect(await stockOf(cement.id, other.id)).toMatchObject({ value: '90000.00', averageCost: '15000.00' });

    // A receipt without a price comes in at the average; a count's surplus at its line's price.
    await posted({ type: 'receipt', warehouseId: other.id, lines: line('2') });
    expect(await stockOf(cement.id, other.id)).toMatchObject({ quantity: '8.000', value: '120000.00' });
    await posted({ type: 'count', warehouseId: other.id, lines: line('10', '9000') });
    expect(await stockOf(cement.id, other.id)).toMatchObject({ quantity: '10.000', value: '138000.00' });
    // A shortage goes out at the average: 138 000 / 10 x 3.
    await posted({ type: 'count', warehouseId: other.id, lines: line('7') });
    expect(await stockOf(cement.id, other.id)).toMatchObject({ quantity: '7.000', value: '96600.00' });

    // Reversing the write-off brings the 4 back at the 60 000 they left with.
    const reversal = await reverse(writeOff.id);
    expect(await ledgerValues(reversal.id)).toEqual([[main.code, '4.000', '60000.00']]);
    expect(await stockOf(cement.id, main.id)).toEqual({
      quantity: '34.000',
      value: '510000.00',
      averageCost: '15000.00',
    });

    // The last unit out takes what is left: the balance is worth nothing when empty.
    await posted({ type: 'write_off', warehouseId: other.id, reason: 'lost', lines: line('7') });
    expect(await stockOf(cement.id, other.id)).toEqual({
      quantity: '0.000',
      value: '0.00',
      averageCost: null,
    });

    const list = await t().request('GET', `/api/erp/stock-balances?productId=${cement.id}`, {
      cookie: t().admin.cookie,
    });
    expect(list.body.totalValue).toBe('510000.00');
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it('gives the movements report in value too, opening + in - out = closing', async () => {
    const [rice, w] = [await makeProduct(t(), { unit: 'kg', name: 'Guruch' }), await makeWarehouse(t())];
    await posted({
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: rice.id, quantity: '2.5', price: '10.01' }],
    });
    await posted({
      type: 'write_off',
      warehouseId: w.id,
      reason: 'expired',
      lines: [{ productId: rice.id, quantity: '1' }],
    });
    const response = await t().request('GET', `/api/erp/stock-movements?productId=${rice.id}`, {
      cookie: t().admin.cookie,
    });
    expect(response.status).toBe(200);
    expect(response.body.items[0]).toMatchObject({
      openingValue: '0.00',
      incomingValue: '25.03',
      outgoingValue: '10.01',
      closingValue: '15.02',
    });
  });

  it('undoes a document at the values it moved: a mistyped receipt price leaves no trace', async () => {
    const brick = await makeProduct(t());
    const [main, branch] = [await makeWarehouse(t()), await makeWarehouse(t())];
    const line = (quantity: string, price?: string) => [{ productId: brick.id, quantity, price }];
    await posted({ type: 'receipt', warehouseId: main.id, lines: line('100', '100000') });
    // 1 000 000 typed for 100 000: reversed, it takes out the 10 000 000 it brought in, not
    // ten units at the 181 818.18 average it made.
    const mistyped = await posted({ type: 'receipt', warehouseId: main.id, lines: line('10', '1000000') });
    const undone = await reverse(mistyped.id);
    expect(await ledgerValues(undone.id)).toEqual([[main.code, '-10.000', '-10000000.00']]);
    expect(await stockOf(brick.id, main.id)).toEqual({
      quantity: '100.000',
      value: '10000000.00',
      averageCost: '100000.00',
    });

    // A transfer undone moves back what it moved, whatever the branch's average became since.
    const transfer = await posted({
      type: 'transfer',
      warehouseId: main.id,
      targetWarehouseId: branch.id,
      lines: line('10'),
    });
    await posted({ type: 'receipt', warehouseId: branch.id, lines: line('10', '300000') });
    const back = await reverse(transfer.id);
    expect(await ledgerValues(back.id)).toEqual(
      expect.arrayContaining([
        [main.code, '10.000', '1000000.00'],
        [branch.code, '-10.000', '-1000000.00'],
      ]),
    );
    expect(await stockOf(brick.id, main.id)).toMatchObject({ quantity: '100.000', value: '10000000.00' });
    expect(await stockOf(brick.id, branch.id)).toMatchObject({ quantity: '10.000', value: '3000000.00' });

    // What left meanwhile at a higher average took part of the receipt's value: the reversal
    // takes what is there, and the value never goes below nothing.
    const sand = await makeProduct(t());
    const sandLine = (quantity: string, price?: string) => [{ productId: sand.id, quantity, price }];
    const dear = await posted({ type: 'receipt', warehouseId: main.id, lines: sandLine('10', '100') });
    await posted({ type: 'receipt', warehouseId: main.id, lines: sandLine('20', '10') });
    await posted({ type: 'write_off', warehouseId: main.id, reason: 'damaged', lines: sandLine('15') });
    expect(await stockOf(sand.id, main.id)).toMatchObject({ quantity: '15.000', value: '600.00' });
    const capped = await reverse(dear.id);
    expect(await ledgerValues(capped.id)).toEqual([[main.code, '-10.000', '-600.00']]);
    expect(await stockOf(sand.id, main.id)).toEqual({
      quantity: '5.000',
      value: '0.00',
      averageCost: '0.00',
    });
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it("values a database's existing stock on migrating as posting values it", async () => {
    // Whatever the tests above posted, valued by posting; then the columns dropped and the
    // migration run again: its replay of the ledger must find the same values.
    const snapshot = async () => ({
      ledger: (
        await sql<{
          id: string;
          value: string;
        }>`select id::text, value::text from erp_stock_ledger order by id`.execute(t().db)
      ).rows,
      balances: (
        await sql<{
          product_id: string;
          warehouse_id: string;
          value: string;
        }>`select product_id, warehouse_id, value::text
        from erp_stock_balances order by product_id, warehouse_id`.execute(t().db)
      ).rows,
    });
    const before = await snapshot();
    expect(before.ledger.some((e) => e.value !== '0.00')).toBe(true);
    await sql`alter table erp_stock_balances drop column value`.execute(t().db);
    await sql`alter table erp_stock_ledger drop column value`.execute(t().db);
    await up(t().db);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses in the database an empty balance that would still be worth something', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    await posted({
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: p.id, quantity: '1', price: '5' }],
    });
    await expect(
      sql`update erp_stock_balances set quantity = 0 where product_id = ${p.id}`.execute(t().db),
    ).rejects.toThrow(/erp_stock_balances_value/);
    await expect(
      sql`update erp_stock_balances set value = -1 where product_id = ${p.id}`.execute(t().db),
    ).rejects.toThrow(/erp_stock_balances_value/);
  });
});
