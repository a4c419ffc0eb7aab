// Posting: the one place where stock changes. All lines or none, in one transaction; each
// (product, warehouse) is changed by one guarded statement, taken in a sorted order, so the
// balance can never go negative and two documents cannot deadlock each other; every change
// appends a ledger entry with the balance after it.
import { sql } from 'kysely';
import { type AppError, conflict } from '../../../server/core/errors.js';
import type { ActionContext } from '../../../server/core/module.js';
import type { ErpTables } from '../schema.js';
import type { Trx } from './define.js';
import { formatMilli, fromDb, toMilli } from './quantity.js';

/** One line's effect on one (product, warehouse); a transfer line has two. */
export type Movement = {
  lineId: string | null;
  lineNo: number;
  productId: string;
  warehouseId: string;
  delta: bigint;
};

export type ShortLine = {
  lineNo: number;
  productId: string;
  warehouseId: string;
  requested: string;
  available: string;
};

type KeyTotal = { productId: string; warehouseId: string; delta: bigint; consume: bigint; lineNo: number };

const keyOf = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;

export function stockInsufficient(lines: ShortLine[]): AppError {
  return conflict('STOCK_INSUFFICIENT', { lines }, { count: lines.length });
}

/**
 * Applies the movements: increases upsert the balance row, decreases are conditional updates
 * that succeed only while enough is available (on hand minus reserved, plus what this
 * document itself reserved). Returns the balance after, per key; throws STOCK_INSUFFICIENT
 * naming every short key, leaving the caller's transaction to roll back.
 *
 * @param consume reserved quantity this document releases, per key (a shipment's own reservation)
 */
export async function applyMovements(
  db: Trx,
  movements: Movement[],
  consume: Map<string, bigint> = new Map(),
): Promise<Map<string, bigint>> {
  const totals = new Map<string, KeyTotal>();
  for (const m of movements) {
    const key = keyOf(m.productId, m.warehouseId);
    const total = totals.get(key) ?? {
      productId: m.productId,
      warehouseId: m.warehouseId,
      delta: 0n,
      consume: consume.get(key) ?? 0n,
      lineNo: m.lineNo,
    };
    total.delta += m.delta;
    totals.set(key, total);
  }
  const ordered = [...totals.values()].sort((a, b) =>
    a.productId === b.productId
      ? a.warehouseId.localeCompare(b.warehouseId)
      : a.productId.localeCompare(b.productId),
  );
  const after = new Map<string, bigint>();
  const short: ShortLine[] = [];
  for (const t of ordered) {
    const key = keyOf(t.productId, t.warehouseId);
    const delta = formatMilli(t.delta);
    const release = formatMilli(t.consume);
    if (t.delta >= 0n) {
      const row = await db
        .insertInto('erp_stock_balances')
        .values({ product_id: t.productId, warehouse_id: t.warehouseId, quantity: delta })
        .onConflict((oc) =>
          oc.columns(['product_id', 'warehouse_id']).doUpdateSet({
            quantity: sql`erp_stock_balances.quantity + ${delta}::numeric`,
            reserved: sql`erp_stock_balances.reserved - ${release}::numeric`,
            updated_at: new Date(),
          }),
        )
        .returning(sql<string>`quantity::text`.as('quantity'))
        .executeTakeFirstOrThrow();
      after.set(key, fromDb(row.quantity));
      continue;
    }
    // The guard is in the statement: it changes the row only if the result stays covered.
    const row = await db
      .updateTable('erp_stock_balances')
      .set({
        quantity: sql`quantity + ${delta}::numeric`,
        reserved: sql`reserved - ${release}::numeric`,
        updated_at: new Date(),
      })
      .where('product_id', '=', t.productId)
      .where('warehouse_id', '=', t.warehouseId)
      .where(sql<boolean>`quantity - reserved + ${release}::numeric + ${delta}::numeric >= 0`)
      .returning(sql<string>`quantity::text`.as('quantity'))
      .executeTakeFirst();
    if (row) {
      after.set(key, fromDb(row.quantity));
      continue;
    }
    const current = await db
      .selectFrom('erp_stock_balances')
      .select(sql<string>`(quantity - reserved + ${release}::numeric)::text`.as('available'))
      .where('product_id', '=', t.productId)
      .where('warehouse_id', '=', t.warehouseId)
      .executeTakeFirst();
    short.push({
      lineNo: t.lineNo,
      productId: t.productId,
      warehouseId: t.warehouseId,
      requested: formatMilli(-t.delta),
      available: formatMilli(current ? fromDb(current.available) : 0n),
    });
  }
  if (short.length > 0) throw stockInsufficient(short.sort((a, b) => a.lineNo - b.lineNo));
  return after;
}

/** Appends one ledger entry per movement, each with the balance after it. */
export async function writeLedger(
  db: Trx,
  documentId: string,
  movements: Movement[],
  after: Map<string, bigint>,
  postedAt: Date,
): Promise<void> {
  // Walk back from each key's final balance to the balance before the first movement.
  const running = new Map<string, bigint>();
  for (const m of movements) {
    const key = keyOf(m.productId, m.warehouseId);
    running.set(key, (running.get(key) ?? after.get(key)!) - m.delta);
  }
  const rows = movements
    .filter((m) => m.delta !== 0n)
    .map((m) => {
      const key = keyOf(m.productId, m.warehouseId);
      const balance = running.get(key)! + m.delta;
      running.set(key, balance);
      return {
        document_id: documentId,
        line_id: m.lineId,
        product_id: m.productId,
        warehouse_id: m.warehouseId,
        quantity: formatMilli(m.delta),
        balance_after: formatMilli(balance),
        posted_at: postedAt,
      };
    });
  if (rows.length > 0) await db.insertInto('erp_stock_ledger').values(rows).execute();
}

type DocumentForPosting = {
  id: string;
  type: 'receipt' | 'write_off' | 'transfer' | 'shipment' | 'count';
  warehouse_id: string;
  target_warehouse_id: string | null;
};

type LineForPosting = { id: string; line_no: number; product_id: string; quantity: string };

/** The movements a draft's lines make; an inventory count's depend on the balance under lock. */
export async function movementsOf(
  db: Trx,
  doc: DocumentForPosting,
  lines: LineForPosting[],
): Promise<{ movements: Movement[]; differences: Map<string, bigint> }> {
  const movements: Movement[] = [];
  const differences = new Map<string, bigint>();
  const base = (l: LineForPosting) => ({ lineId: l.id, lineNo: l.line_no, productId: l.product_id });
  if (doc.type === 'count') {
    // Lock the counted balances (sorted) before reading them: the difference must be exact.
    const sorted = [...lines].sort((a, b) => a.product_id.localeCompare(b.product_id));
    for (const l of sorted) {
      await db
        .insertInto('erp_stock_balances')
        .values({ product_id: l.product_id, warehouse_id: doc.warehouse_id })
        .onConflict((oc) => oc.columns(['product_id', 'warehouse_id']).doNothing())
        .execute();
      const row = await db
        .selectFrom('erp_stock_balances')
        .select([sql<string>`quantity::text`.as('quantity'), sql<string>`reserved::text`.as('reserved')])
        .where('product_id', '=', l.product_id)
        .where('warehouse_id', '=', doc.warehouse_id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const counted = toMilli(l.quantity);
      if (counted < fromDb(row.reserved)) {
        throw conflict('COUNT_BELOW_RESERVED', {
          lines: [
            { lineNo: l.line_no, productId: l.product_id, counted: l.quantity, reserved: row.reserved },
          ],
        });
      }
      const difference = counted - fromDb(row.quantity);
      differences.set(l.id, difference);
      movements.push({ ...base(l), warehouseId: doc.warehouse_id, delta: difference });
    }
    movements.sort((a, b) => a.lineNo - b.lineNo);
    return { movements, differences };
  }
  for (const l of lines) {
    const q = toMilli(l.quantity);
    if (doc.type === 'receipt') movements.push({ ...base(l), warehouseId: doc.warehouse_id, delta: q });
    else if (doc.type === 'transfer') {
      movements.push({ ...base(l), warehouseId: doc.warehouse_id, delta: -q });
      movements.push({ ...base(l), warehouseId: doc.target_warehouse_id!, delta: q });
    } else movements.push({ ...base(l), warehouseId: doc.warehouse_id, delta: -q });
  }
  return { movements, differences };
}

/** Products whose total stock fell below their reorder level with this posting. */
export async function crossedReorderLevel(
  ctx: ActionContext<ErpTables>,
  movements: Movement[],
): Promise<{ productId: string; sku: string; name: string; onHand: string; reorderLevel: string }[]> {
  const change = new Map<string, bigint>();
  for (const m of movements) change.set(m.productId, (change.get(m.productId) ?? 0n) + m.delta);
  const falling = [...change].filter(([, d]) => d < 0n).map(([id]) => id);
  if (falling.length === 0) return [];
  const rows = await ctx.db
    .selectFrom('erp_products as p')
    .select([
      'p.id',
      'p.sku',
      'p.name',
      sql<string>`p.reorder_level::text`.as('reorder_level'),
      sql<string>`coalesce((select sum(b.quantity) from erp_stock_balances b where b.product_id = p.id), 0)::numeric(18,3)::text`.as(
        'on_hand',
      ),
    ])
    .where('p.id', 'in', falling)
    .where('p.reorder_level', '>', '0')
    .execute();
  return rows
    .filter((r) => {
      const now = fromDb(r.on_hand);
      const before = now - change.get(r.id)!;
      const level = fromDb(r.reorder_level);
      return now < level && before >= level;
    })
    .map((r) => ({
      productId: r.id,
      sku: r.sku,
      name: r.name,
      onHand: r.on_hand,
      reorderLevel: r.reorder_level,
    }));
}
