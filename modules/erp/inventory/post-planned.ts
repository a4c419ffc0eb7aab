// A group of new documents posted by one statement, planned on what the server believes the
// database holds (beliefs.ts). The statement writes the documents and lines (and the core its
// records), then locks the balance rows in key order and checks on them that every document
// still fits (each key's lowest point during the group stays at or above what is reserved), that
// the products and warehouses are unchanged since they were read, and only then writes the
// ledger and the balances, computed from the locked rows: rows are held only for that and the
// commit. The beliefs only predict that it will hold; if it does not, the statement fails and
// nothing is kept. When they fall short (a key never seen, a document to refuse, a shipment
// that asks CRM) there is no plan. Either way the locking path (post-new.ts) posts the group.
import { sql } from 'kysely';
import { AppError } from '../../../server/core/errors.js';
import type { GroupStatement, PlannedCall } from '../../../server/core/module.js';
import { balanceKey, beliefsOf, remember, rowKey } from './beliefs.js';
import { type DocumentInput, type Found, referencedIds } from './document-input.js';
import type { StockDocument } from './document-schema.js';
import {
  acceptInOrder,
  type Candidate,
  candidateOf,
  crossingsOf,
  fallingProducts,
  levelsOf,
  outcomeOf,
  writeParts,
} from './post-new.js';
import type { Balance } from './posting.js';
import { formatMilli } from './quantity.js';
import { formatValue } from './valuation.js';

/** The group's statement, or nothing when the locking path must post it. */
export function planNewDocuments(
  calls: PlannedCall<DocumentInput>[],
  home: object,
): GroupStatement<StockDocument> | undefined {
  const beliefs = beliefsOf(home);
  const found: Found[] = [];
  const known = new Set<string>();
  const know = (kind: Found['kind'], id: string) => {
    const key = rowKey(kind, id);
    if (known.has(key)) return true;
    const row = beliefs.rows.get(key);
    if (!row) return false;
    known.add(key);
    found.push(row);
    return true;
  };
  const candidates: Candidate[] = [];
  for (const [index, { ctx, input }] of calls.entries()) {
    // A shipment asks CRM about its client (a call, in a transaction); a count posts from the balances.
    if (input.type === 'count' || input.type === 'shipment' || input.clientId || input.dealId)
      return undefined;
    if (!ctx.can('erp.documents.post')) return undefined;
    const ids = referencedIds(input);
    if (!ids.warehouseIds.every((id) => know('warehouse', id))) return undefined;
    if (!ids.productIds.every((id) => know('product', id))) return undefined;
    try {
      candidates.push(candidateOf(index, ctx, input, found, false));
    } catch (error) {
      // A refusal is the locking path's to give (it reads the rows afresh).
      if (error instanceof AppError) return undefined;
      throw error;
    }
  }

  // The balances believed before the group: enough to predict that every document fits. The
  // statement checks the stock itself, on the rows it locks: each key's lowest point during the
  // group (`low`, relative to the locked quantity) must not go below what is reserved.
  const expected = new Map<string, Balance>();
  const balances = new Map<string, Balance>();
  const believe = (key: string) => {
    const balance = beliefs.balances.get(key);
    if (!balance) return false;
    expected.set(key, { ...balance });
    balances.set(key, { ...balance });
    return true;
  };
  for (const c of candidates) {
    for (const m of c.movements) {
      const key = balanceKey(m.productId, m.warehouseId);
      if (!expected.has(key) && !believe(key)) return undefined;
    }
  }
  const { accepted, changed, short } = acceptInOrder(candidates, balances);
  if (short.length > 0) return undefined;
  // Keys where a movement's value is a share of the balance's (whatever goes out, and what comes
  // in without a value of its own): the statement expects their quantity and value exactly as
  // believed, since the values written were computed from them.
  const valued = new Set<string>();
  for (const c of accepted) {
    for (const m of c.movements) {
      if (m.delta < 0n || (m.delta > 0n && m.value === undefined && !m.carries))
        valued.add(balanceKey(m.productId, m.warehouseId));
    }
  }
  const change = new Map<string, bigint>();
  const low = new Map<string, bigint>();
  const relative = accepted.map((c) => {
    const net = new Map<string, bigint>();
    const ledger = c.movements.map((m) => {
      const key = balanceKey(m.productId, m.warehouseId);
      net.set(key, (net.get(key) ?? 0n) + m.delta);
      change.set(key, (change.get(key) ?? 0n) + m.delta);
      return formatMilli(change.get(key)!);
    });
    // A document is judged on its net change per key, after the documents before it.
    for (const key of net.keys()) {
      const reached = change.get(key)!;
      if (reached < (low.get(key) ?? 0n)) low.set(key, reached);
    }
    return { ...c, ledger };
  });

  // Products with a reorder level that fall: their stock in every warehouse, whose rows the
  // statement locks too and expects exactly as believed, so that the total crossing the level
  // (and the event saying so) is exact.
  const levels = levelsOf(found);
  const falling = fallingProducts(accepted, levels);
  const exact = new Set<string>();
  const onHand = new Map<string, { total: bigint }>();
  let spreadRows = 0;
  for (const productId of falling) {
    const warehouses = beliefs.spread.get(productId);
    if (!warehouses) return undefined;
    const spread = new Set(warehouses);
    for (const key of expected.keys()) {
      if (key.startsWith(`${productId}|`) && !spread.has(key.slice(productId.length + 1))) return undefined;
    }
    let total = 0n;
    for (const warehouseId of warehouses) {
      const key = balanceKey(productId, warehouseId);
      if (!expected.has(key) && !believe(key)) return undefined;
      exact.add(key);
      total += balances.get(key)!.quantity;
    }
    onHand.set(productId, { total });
    spreadRows += warehouses.length;
  }
  const crossed = crossingsOf(accepted, levels, onHand);

  // Believed from now on: the balances as this statement leaves them, if they were as believed.
  for (const key of changed) remember(beliefs.balances, key, { ...balances.get(key)! });
  const postedAt = new Date();
  const locking = [...expected].map(([key, b]) => {
    const [productId, warehouseId] = key.split('|') as [string, string];
    const exactly = exact.has(key);
    const valuedHere = valued.has(key);
    return {
      productId,
      warehouseId,
      low: formatMilli(low.get(key) ?? 0n),
      quantity: exactly || valuedHere ? formatMilli(b.quantity) : null,
      reserved: exactly ? formatMilli(b.reserved) : null,
      value: valuedHere ? formatValue(b.value) : null,
    };
  });
  const totals = new Map(
    [...change].map(([key, delta]) => [
      key,
      { quantity: delta, reserved: 0n, value: balances.get(key)!.value - expected.get(key)!.value },
    ]),
  );
  const of = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  const ids = of(found, (r) => r.id);
  return {
    outcomes: accepted.map((c, n) => outcomeOf(c, '', postedAt, crossed.get(n))),
    numbered: true,
    with: sql`
      believed as (
        select * from unnest(${of(locking, (k) => k.productId)}::uuid[], ${of(locking, (k) => k.warehouseId)}::uuid[],
          ${of(locking, (k) => k.low)}::numeric[], ${of(locking, (k) => k.quantity)}::numeric[],
          ${of(locking, (k) => k.reserved)}::numeric[], ${of(locking, (k) => k.value)}::numeric[])
          as k (product_id, warehouse_id, low, quantity, reserved, value)
      ),
      locked as (
        select b.product_id, b.warehouse_id, b.quantity, b.reserved, b.value from erp_stock_balances b
        join believed k on b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
        order by b.product_id, b.warehouse_id
        for update of b
      ),
      ${writeParts(relative, totals, changed, postedAt, true)},
      holds as (
        select
          -- The documents and their lines first: they need no lock (AND runs left to right).
          (select count(*) from docs) + (select count(*) from new_lines) >= 0
          -- Products and warehouses unchanged, on their latest versions locked as the locking
          -- path locks them (foundRows), before the balances: a deactivation committed meanwhile
          -- fails the plan, and the locking path refuses the documents.
          and (select count(*) from unnest(${ids}::uuid[], ${of(found, (r) => r.version)}::xid[]) as v (id, version)
            join (select id, xmin from (select id, xmin from erp_products where id = any(${ids}::uuid[]) for key share) p
              union all
              select id, xmin from (select id, xmin from erp_warehouses where id = any(${ids}::uuid[]) for key share) w
            ) r on r.id = v.id and r.xmin = v.version)
            = ${found.length}::int
          and (select count(*) from locked l join believed k on l.product_id = k.product_id
            and l.warehouse_id = k.warehouse_id and l.quantity + k.low >= l.reserved
            and (k.quantity is null or l.quantity = k.quantity) and (k.reserved is null or l.reserved = k.reserved)
            and (k.value is null or l.value = k.value))
            = ${locking.length}::int
          and (select count(*) from erp_stock_balances where product_id = any(${falling}::uuid[]))
            = ${spreadRows}::int
          as ok
      ),
      numbered as (
        select d.call::int, n.number from docs n
        join unnest(${of(accepted, (c) => c.id)}::uuid[]) with ordinality as d (id, call) on d.id = n.id
      )`,
    settled(held) {
      if (held) return;
      // Something believed was wrong: forget what the plan relied on, to learn it again.
      for (const key of expected.keys()) beliefs.balances.delete(key);
      for (const row of found) beliefs.rows.delete(rowKey(row.kind, row.id));
      for (const productId of falling) beliefs.spread.delete(productId);
    },
  };
}
