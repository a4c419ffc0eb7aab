// Deactivation's guard: an inactive warehouse or product is in no new document, so stock left
// in (or of) it could be neither moved nor written off.
import { sql } from 'kysely';
import { conflict } from '../../../server/core/errors.js';
import type { Trx } from './define.js';

/**
 * Refuses (409 with `code`, the field `active` and how many rows hold stock) while any balance
 * of the warehouse or product is above zero. Its balance rows are locked first, so a posting in
 * flight on them finishes, and is counted, before the check.
 */
export async function assertHoldsNoStock(
  db: Trx,
  of: { warehouseId: string } | { productId: string },
  code: 'WAREHOUSE_HAS_STOCK' | 'PRODUCT_HAS_STOCK',
): Promise<void> {
  const [column, id] =
    'warehouseId' in of
      ? (['warehouse_id', of.warehouseId] as const)
      : (['product_id', of.productId] as const);
  await sql`select 1 from erp_stock_balances where ${sql.ref(column)} = ${id} for update`.execute(db);
  const held = await db
    .selectFrom('erp_stock_balances')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(column, '=', id)
    .where('quantity', '>', '0')
    .executeTakeFirstOrThrow();
  const count = Number(held.n);
  if (count > 0) throw conflict(code, { field: 'active', rows: count }, { count });
}
