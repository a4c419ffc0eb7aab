// Verifies the stock invariant on the whole database: every balance (quantity and value) equals
// the sum of its ledger, none is negative, an empty balance is worth nothing, and reservations
// match and never exceed what is on hand.
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { ErpTables } from '../schema.js';
import { defineAction, type Trx } from './define.js';
import { valueFromDb } from './valuation.js';

const differenceSchema = z.object({
  kind: z.enum([
    'balance_differs_from_ledger',
    'negative_balance',
    'reserved_exceeds_balance',
    'reserved_differs_from_reservations',
    'value_differs_from_ledger',
    'value_out_of_bounds',
  ]),
  productId: z.string(),
  warehouseId: z.string(),
  balance: z.string(),
  expected: z.string(),
});

export type StockCheck = {
  ok: boolean;
  checkedBalances: number;
  differences: z.infer<typeof differenceSchema>[];
};

export async function checkStock(db: Trx | Kysely<ErpTables>): Promise<StockCheck> {
  const { rows } = await sql<{
    product_id: string;
    warehouse_id: string;
    quantity: string;
    reserved: string;
    ledger: string;
    reservations: string;
    value: string;
    ledger_value: string;
  }>`
    with keys as (
      select product_id, warehouse_id from erp_stock_balances
      union select product_id, warehouse_id from erp_stock_ledger
    )
    select k.product_id, k.warehouse_id,
      coalesce(b.quantity, 0)::text as quantity,
      coalesce(b.reserved, 0)::text as reserved,
      coalesce(b.value, 0)::numeric(20,2)::text as value,
      coalesce((select sum(e.value) from erp_stock_ledger e
        where e.product_id = k.product_id and e.warehouse_id = k.warehouse_id), 0)::numeric(20,2)::text as ledger_value,
      coalesce((select sum(e.quantity) from erp_stock_ledger e
        where e.product_id = k.product_id and e.warehouse_id = k.warehouse_id), 0)::numeric(18,3)::text as ledger,
      coalesce((select sum(r.quantity) from erp_reservations r
        where r.product_id = k.product_id and r.warehouse_id = k.warehouse_id), 0)::numeric(18,3)::text as reservations
    from keys k
    left join erp_stock_balances b on b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
    order by k.product_id, k.warehouse_id`.execute(db);
  const differences: StockCheck['differences'] = [];
  const n = (text: string) => Number(text);
  for (const r of rows) {
    const base = { productId: r.product_id, warehouseId: r.warehouse_id, balance: r.quantity };
    if (n(r.quantity) !== n(r.ledger))
      differences.push({ kind: 'balance_differs_from_ledger', ...base, expected: r.ledger });
    if (n(r.quantity) < 0) differences.push({ kind: 'negative_balance', ...base, expected: '0.000' });
    if (n(r.reserved) > n(r.quantity))
      differences.push({ kind: 'reserved_exceeds_balance', ...base, expected: r.reserved });
    if (n(r.reserved) !== n(r.reservations)) {
      differences.push({
        kind: 'reserved_differs_from_reservations',
        ...base,
        balance: r.reserved,
        expected: r.reservations,
      });
    }
    const value = valueFromDb(r.value);
    if (value !== valueFromDb(r.ledger_value))
      differences.push({
        kind: 'value_differs_from_ledger',
        ...base,
        balance: r.value,
        expected: r.ledger_value,
      });
    if (value < 0n || (value !== 0n && n(r.quantity) === 0))
      differences.push({ kind: 'value_out_of_bounds', ...base, balance: r.value, expected: '0.00' });
  }
  return { ok: differences.length === 0, checkedBalances: rows.length, differences };
}

export const checkStockAction = defineAction({
  name: 'checkStock',
  description:
    'Checks that every balance (quantity and value) equals its ledger, none is negative, an empty one is worth nothing, and reservations fit.',
  permission: 'erp.stock.check',
  write: false,
  input: z.object({}),
  output: z.object({
    ok: z.boolean(),
    checkedBalances: z.number().int(),
    differences: z.array(differenceSchema),
  }),
  run: (ctx) => checkStock(ctx.db),
});
