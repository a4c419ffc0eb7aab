// A new document written as posted in one statement: the document, its lines, the guarded
// balance changes and the ledger entries. One round trip, so the balance rows stay locked
// only for this statement and the commit. The guarantees are those of `applyMovements`:
// rows are locked in (product, warehouse) order before any changes, a decrease changes a
// row only while enough is available, and the CHECKs stay the last defence.
import { sql } from 'kysely';
import { PREPARED } from '../../../db/database.js';
import type { DocumentType, WriteOffReason } from '../schema.js';
import type { Trx } from './define.js';
import { type Movement, type ShortLine, stockInsufficient } from './posting.js';
import { formatMilli, fromDb } from './quantity.js';

export type NewPostedDocument = {
  id: string;
  number: string;
  type: Exclude<DocumentType, 'count'>;
  date: string;
  warehouseId: string;
  targetWarehouseId: string | null;
  clientId: string | null;
  dealId: string | null;
  reason: WriteOffReason | null;
  comment: string | null;
  actorId: string | null;
  postedAt: Date;
  lines: { id: string; lineNo: number; productId: string; quantity: string; price: string | null }[];
};

type Row = {
  product_id: string | null;
  warehouse_id: string | null;
  quantity: string | null;
};

const keyOf = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;

/** Documents with up to this many movements use a prepared statement. */
export const PREPARED_UP_TO = 8;

/**
 * Writes the document (created and posted at `postedAt`) and posts its movements. Returns the
 * balance after, per key; throws STOCK_INSUFFICIENT naming every short key (the caller's transaction
 * then rolls back everything this statement wrote).
 */
export async function writePostedDocument(
  db: Trx,
  doc: NewPostedDocument,
  movements: Movement[],
): Promise<Map<string, bigint>> {
  const lineRows = doc.lines.map(
    (l) =>
      sql`(${l.id}::uuid, ${l.lineNo}::int, ${l.productId}::uuid, ${l.quantity}::numeric, ${l.price}::numeric)`,
  );
  const moves = movements.map(
    (m, seq) =>
      sql`(${seq}::int, ${m.lineId}::uuid, ${m.productId}::uuid, ${m.warehouseId}::uuid, ${formatMilli(m.delta)}::numeric)`,
  );
  // The lock CTE takes every existing balance row in key order; the changes wait for it (the
  // scalar subqueries run before their first row), so two documents never lock in opposite
  // orders. A decrease without enough available changes nothing and is missing from `after`.
  // Small documents, the common case, are few shapes of this statement: prepared once per
  // connection. Larger ones are planned at each call rather than kept by every connection.
  const prepared = sql.raw(movements.length <= PREPARED_UP_TO ? PREPARED : '');
  const { rows } = await sql<Row>`${prepared}
    with doc as (
      insert into erp_stock_documents (id, number, type, status, date, warehouse_id,
        target_warehouse_id, client_id, deal_id, reason, comment, created_by, posted_by,
        created_at, updated_at, posted_at)
      values (${doc.id}, ${doc.number}, ${doc.type}, 'posted', ${doc.date}, ${doc.warehouseId},
        ${doc.targetWarehouseId}, ${doc.clientId}, ${doc.dealId}, ${doc.reason}, ${doc.comment},
        ${doc.actorId}, ${doc.actorId}, ${doc.postedAt}, ${doc.postedAt}, ${doc.postedAt})
      returning id
    ),
    new_lines as (
      insert into erp_stock_document_lines (id, document_id, line_no, product_id, quantity, price)
      select v.id, ${doc.id}, v.line_no, v.product_id, v.quantity, v.price
      from doc, (values ${sql.join(lineRows)}) as v (id, line_no, product_id, quantity, price)
    ),
    m (seq, line_id, product_id, warehouse_id, delta) as (values ${sql.join(moves)}),
    k as (select product_id, warehouse_id, sum(delta) as delta from m group by product_id, warehouse_id),
    locked as (
      select b.product_id from erp_stock_balances b
      join k on k.product_id = b.product_id and k.warehouse_id = b.warehouse_id
      order by b.product_id, b.warehouse_id
      for update of b
    ),
    decreased as (
      update erp_stock_balances b
      set quantity = b.quantity + k.delta, updated_at = ${doc.postedAt}
      from k
      where (select count(*) from locked) >= 0
        and k.delta < 0 and b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
        and b.quantity - b.reserved + k.delta >= 0
      returning b.product_id, b.warehouse_id, b.quantity
    ),
    increased as (
      insert into erp_stock_balances as b (product_id, warehouse_id, quantity)
      select product_id, warehouse_id, delta from k
      where delta >= 0 and (select count(*) from locked) >= 0
      order by product_id, warehouse_id
      on conflict (product_id, warehouse_id)
      do update set quantity = b.quantity + excluded.quantity, updated_at = ${doc.postedAt}
      returning b.product_id, b.warehouse_id, b.quantity
    ),
    after as (select * from decreased union all select * from increased),
    ledger as (
      -- Each entry's balance after it: the key's final balance less the movements after it.
      insert into erp_stock_ledger (document_id, line_id, product_id, warehouse_id, quantity,
        balance_after, posted_at)
      select ${doc.id}, m.line_id, m.product_id, m.warehouse_id, m.delta,
        a.quantity - coalesce(sum(m.delta) over (partition by m.product_id, m.warehouse_id
          order by m.seq rows between 1 following and unbounded following), 0),
        ${doc.postedAt}
      from m join after a on a.product_id = m.product_id and a.warehouse_id = m.warehouse_id
      where m.delta <> 0
      order by m.seq
    )
    select a.product_id, a.warehouse_id, a.quantity::text as quantity
    from doc left join after a on true`.execute(db);

  const after = new Map<string, bigint>();
  for (const r of rows) {
    if (r.product_id && r.warehouse_id && r.quantity !== null)
      after.set(keyOf(r.product_id, r.warehouse_id), fromDb(r.quantity));
  }
  const short = await shortKeys(db, movements, after);
  if (short.length > 0) throw stockInsufficient(short);
  return after;
}

/** The keys the statement could not decrease, with what was requested and what is available. */
async function shortKeys(db: Trx, movements: Movement[], after: Map<string, bigint>): Promise<ShortLine[]> {
  const missing = new Map<string, Pick<Movement, 'lineNo' | 'productId' | 'warehouseId' | 'delta'>>();
  for (const m of movements) {
    const key = keyOf(m.productId, m.warehouseId);
    if (after.has(key)) continue;
    const entry = missing.get(key) ?? {
      lineNo: m.lineNo,
      productId: m.productId,
      warehouseId: m.warehouseId,
      delta: 0n,
    };
    entry.delta += m.delta;
    missing.set(key, entry);
  }
  const short = [...missing.values()].filter((s) => s.delta < 0n);
  if (short.length === 0) return [];
  // Read after the failed statement: what is available now, as the refusal reports it.
  const current = await db
    .selectFrom('erp_stock_balances')
    .select(['product_id', 'warehouse_id', sql<string>`(quantity - reserved)::text`.as('available')])
    .where((eb) =>
      eb.or(
        short.map((s) =>
          eb.and([eb('product_id', '=', s.productId), eb('warehouse_id', '=', s.warehouseId)]),
        ),
      ),
    )
    .execute();
  return short
    .map((s) => {
      const row = current.find((c) => c.product_id === s.productId && c.warehouse_id === s.warehouseId);
      return {
        lineNo: s.lineNo,
        productId: s.productId,
        warehouseId: s.warehouseId,
        requested: formatMilli(-s.delta),
        available: formatMilli(row ? fromDb(row.available) : 0n),
      };
    })
    .sort((a, b) => a.lineNo - b.lineNo);
}
