// Posting: the one guard every stock change passes. All lines or none, in one transaction: the
// balance rows a document touches are locked in (product, warehouse) order, so two documents
// cannot deadlock each other; the document is judged against the locked balances (`shortLines`)
// and only then are they changed, so a balance can never go negative (the CHECKs stay the last
// defence); every change appends a ledger entry with the balance after it. A draft, a count or a
// reversal posts through `applyMovements`; new documents, alone or in a group, through
// `post-new.ts`, with the same lock, guard and application.
import { sql } from 'kysely';
import { PREPARED } from '../../../db/database.js';
import { type AppError, conflict } from '../../../server/core/errors.js';
import type { ActionContext } from '../../../server/core/module.js';
import type { ErpTables } from '../schema.js';
import type { Trx } from './define.js';
import { type Found, foundRows } from './document-input.js';
import { formatMilli, fromDb, toMilli } from './quantity.js';
import { formatValue, lineValue, valueChange, valueFromDb } from './valuation.js';

/** One line's effect on one (product, warehouse); a transfer line has two. */
export type Movement = {
  lineId: string | null;
  lineNo: number;
  productId: string;
  warehouseId: string;
  delta: bigint;
  /**
   * Its own signed value (tiyin), when it has one: what it brings coming in; going out (a
   * reversal), minus what its original brought in, taken back instead of the average's share.
   */
  value?: bigint;
  /** A transfer's arrival: it brings the value that left in the movement before it. */
  carries?: boolean;
};

export type ShortLine = {
  lineNo: number;
  productId: string;
  warehouseId: string;
  requested: string;
  available: string;
};

const keyOf = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;

export function stockInsufficient(lines: ShortLine[]): AppError {
  return conflict('STOCK_INSUFFICIENT', { lines }, { count: lines.length });
}

/** A balance row: quantities in milli-units, its stock value in tiyin. */
export type Balance = { quantity: bigint; reserved: bigint; value: bigint };

/** A movement applied: the balance right after it, and the value it moved (signed). */
export type Step = { after: bigint; value: bigint };

/** A (product, warehouse) a posting touches; `grows` when some movement adds to it. */
export type TouchedKey = { productId: string; warehouseId: string; grows: boolean };

/** The keys movements touch, each once. */
export function touchedKeys(
  movements: Pick<Movement, 'productId' | 'warehouseId' | 'delta'>[],
): TouchedKey[] {
  const touched = new Map<string, TouchedKey>();
  for (const m of movements) {
    const key = keyOf(m.productId, m.warehouseId);
    const entry = touched.get(key) ?? { productId: m.productId, warehouseId: m.warehouseId, grows: false };
    if (m.delta > 0n) entry.grows = true;
    touched.set(key, entry);
  }
  return [...touched.values()];
}

/**
 * Locks the balance rows of every (product, warehouse) the movements touch, in key order, and
 * returns them, so that two postings never lock in opposite orders. A key that will be
 * increased and has no row yet gets one (quantity 0) in the same statement; a row another
 * transaction created meanwhile is locked by the next round. A key that is only decreased and
 * has no row is simply empty.
 */
export async function lockBalances(db: Trx, movements: Movement[]): Promise<Map<string, Balance>> {
  return (await lockAndLookUp(db, touchedKeys(movements))).balances;
}

type LockedRow = Found & {
  warehouse_id: string | null;
  quantity: string | null;
  reserved: string | null;
  value: string | null;
};

/**
 * `lockBalances` for keys not yet judged, reading in the same statement the warehouses and
 * products to judge them by (`lookUp`'s rows): one round trip where a group of new documents
 * took two. A first row is created only for an active product in an active warehouse, so a
 * document that will be refused for naming an unknown or inactive one leaves nothing behind.
 */
export async function lockAndLookUp(
  db: Trx,
  touched: TouchedKey[],
  ids?: { warehouseIds: string[]; productIds: string[] },
): Promise<{ balances: Map<string, Balance>; found: Found[] }> {
  const balances = new Map<string, Balance>();
  let found: Found[] = [];
  let wanted = touched;
  let reading = ids;
  for (let round = 1; wanted.length > 0 || reading; round++) {
    if (round > 5) throw new Error('Balance rows kept appearing while they were being locked');
    const sorted = wanted.sort((a, b) =>
      a.productId === b.productId
        ? a.warehouseId.localeCompare(b.warehouseId)
        : a.productId.localeCompare(b.productId),
    );
    const grows = sorted.filter((k) => k.grows);
    const growing = sql`unnest(${grows.map((k) => k.productId)}::uuid[], ${grows.map((k) => k.warehouseId)}::uuid[])
      as k (product_id, warehouse_id)`;
    const locking = sql`
      locked as (
        select b.product_id, b.warehouse_id, b.quantity, b.reserved, b.value from erp_stock_balances b
        join unnest(${sorted.map((k) => k.productId)}::uuid[], ${sorted.map((k) => k.warehouseId)}::uuid[])
          as k (product_id, warehouse_id) on b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
        order by b.product_id, b.warehouse_id
        for update of b
      )`;
    const balanceRows = sql`
      select null as kind, product_id as id, null as code, null::boolean as active, null as unit,
        null as name, null as reorder_level, null as version, null::text[] as keepers, warehouse_id,
        quantity::text, reserved::text, value::text
      from locked
      union all
      select null, product_id, null, null, null, null, null, null, null, warehouse_id, quantity::text, reserved::text,
        value::text
      from created`;
    const { rows } = reading
      ? await sql<LockedRow>`${sql.raw(PREPARED)}
          with found as (${foundRows(reading)}),
          created as (
            insert into erp_stock_balances (product_id, warehouse_id)
            select k.product_id, k.warehouse_id from ${growing}
            where exists (select 1 from found f where f.kind = 'product' and f.id = k.product_id and f.active)
              and exists (select 1 from found f where f.kind = 'warehouse' and f.id = k.warehouse_id and f.active)
            on conflict (product_id, warehouse_id) do nothing
            returning product_id, warehouse_id, quantity, reserved, value
          ),
          ${locking}
          -- The warehouses and products first: their rows are locked before the balances', in
          -- the order a deactivation takes them.
          select kind, id, code, active, unit, name, reorder_level, version, keepers, null as warehouse_id,
            null as quantity, null as reserved, null as value from found
          union all
          ${balanceRows}`.execute(db)
      : await sql<LockedRow>`${sql.raw(PREPARED)}
          with created as (
            insert into erp_stock_balances (product_id, warehouse_id)
            select * from ${growing}
            on conflict (product_id, warehouse_id) do nothing
            returning product_id, warehouse_id, quantity, reserved, value
          ),
          ${locking}
          ${balanceRows}`.execute(db);
    const foundNow: Found[] = [];
    for (const r of rows) {
      if (r.kind !== null) {
        foundNow.push({
          kind: r.kind,
          id: r.id,
          code: r.code,
          active: r.active,
          unit: r.unit,
          name: r.name,
          reorder_level: r.reorder_level,
          version: r.version,
          keepers: r.keepers,
        });
        continue;
      }
      balances.set(keyOf(r.id, r.warehouse_id!), {
        quantity: fromDb(r.quantity!),
        reserved: fromDb(r.reserved!),
        value: valueFromDb(r.value!),
      });
    }
    if (reading) {
      found = foundNow;
      // Rows are created only for active products in active warehouses: only those are awaited.
      const active = new Set(found.filter((f) => f.active).map((f) => `${f.kind}|${f.id}`));
      wanted = grows.filter(
        (k) => active.has(`product|${k.productId}`) && active.has(`warehouse|${k.warehouseId}`),
      );
      reading = undefined;
    } else wanted = grows;
    wanted = wanted.filter((k) => !balances.has(keyOf(k.productId, k.warehouseId)));
  }
  return { balances, found };
}

/**
 * The guard, on locked balances: every (product, warehouse) whose movements take more than is
 * available (on hand minus reserved, plus what the document itself releases), with what was
 * requested and what is available, in line order. Empty when the document may post.
 * @param consume reserved quantity the document releases, per key (a shipment's own reservation)
 */
export function shortLines(
  balances: Map<string, Balance>,
  movements: Movement[],
  consume: Map<string, bigint> = new Map(),
): ShortLine[] {
  const totals = new Map<string, { movement: Movement; delta: bigint }>();
  for (const m of movements) {
    const key = keyOf(m.productId, m.warehouseId);
    const total = totals.get(key) ?? { movement: m, delta: 0n };
    total.delta += m.delta;
    totals.set(key, total);
  }
  const short: ShortLine[] = [];
  for (const [key, { movement, delta }] of totals) {
    const balance = balances.get(key) ?? { quantity: 0n, reserved: 0n, value: 0n };
    const available = balance.quantity - balance.reserved + (consume.get(key) ?? 0n);
    if (delta < 0n && available + delta < 0n) {
      short.push({
        lineNo: movement.lineNo,
        productId: movement.productId,
        warehouseId: movement.warehouseId,
        requested: formatMilli(-delta),
        available: formatMilli(available),
      });
    }
  }
  return short.sort((a, b) => a.lineNo - b.lineNo);
}

/**
 * Applies movements that passed `shortLines` to the locked balances (and releases `consume`
 * from their reservations); returns each movement's balance right after it and the value it
 * moved (valuation.ts), and adds the keys it changed to `changed`.
 */
export function applyToBalances(
  balances: Map<string, Balance>,
  movements: Movement[],
  changed: Set<string>,
  consume: Map<string, bigint> = new Map(),
): Step[] {
  for (const [key, released] of consume) {
    const balance = balances.get(key);
    if (balance && released > 0n) {
      balance.reserved -= released;
      changed.add(key);
    }
  }
  let left = 0n;
  return movements.map((m) => {
    const key = keyOf(m.productId, m.warehouseId);
    const balance = balances.get(key)!;
    const value = valueChange(balance, m.delta, m.carries ? left : m.value);
    if (m.delta < 0n) left = -value;
    balance.quantity += m.delta;
    balance.value += value;
    changed.add(key);
    return { after: balance.quantity, value };
  });
}

/** The changed keys' balances as the statements take them: numeric text per key. */
export function changedRows(balances: Map<string, Balance>, changed: Set<string>) {
  return [...changed].map((key) => {
    const [productId, warehouseId] = key.split('|') as [string, string];
    const b = balances.get(key)!;
    return {
      productId,
      warehouseId,
      quantity: formatMilli(b.quantity),
      reserved: formatMilli(b.reserved),
      value: formatValue(b.value),
    };
  });
}

/** Writes the balances of the changed keys, as computed under their locks. */
export async function writeBalances(
  db: Trx,
  balances: Map<string, Balance>,
  changed: Set<string>,
  at: Date,
): Promise<void> {
  const keys = changedRows(balances, changed);
  if (keys.length === 0) return;
  await sql`${sql.raw(PREPARED)} update erp_stock_balances b
    set quantity = k.quantity, reserved = k.reserved, value = k.value, updated_at = ${at}
    from unnest(${keys.map((k) => k.productId)}::uuid[], ${keys.map((k) => k.warehouseId)}::uuid[],
      ${keys.map((k) => k.quantity)}::numeric[], ${keys.map((k) => k.reserved)}::numeric[],
      ${keys.map((k) => k.value)}::numeric[])
      as k (product_id, warehouse_id, quantity, reserved, value)
    where b.product_id = k.product_id and b.warehouse_id = k.warehouse_id`.execute(db);
}

/**
 * Posts movements: locks their balances in key order, refuses with STOCK_INSUFFICIENT naming
 * every short key (the caller's transaction then rolls back), else writes the new balances.
 * Returns each movement's step (for the ledger).
 * @param consume reserved quantity this document releases, per key (a shipment's own reservation)
 */
export async function applyMovements(
  db: Trx,
  movements: Movement[],
  consume: Map<string, bigint> = new Map(),
): Promise<Step[]> {
  const balances = await lockBalances(db, movements);
  const short = shortLines(balances, movements, consume);
  if (short.length > 0) throw stockInsufficient(short);
  const changed = new Set<string>();
  const steps = applyToBalances(balances, movements, changed, consume);
  await writeBalances(db, balances, changed, new Date());
  return steps;
}

/** A line's price (numeric text, 2 decimals) times a quantity, or nothing without a price. */
export function pricedValue(price: string | null | undefined, quantityMilli: bigint): bigint | undefined {
  return price === null || price === undefined ? undefined : lineValue(quantityMilli, valueFromDb(price));
}

/** The movements of a receipt, write-off, transfer or shipment: known from its lines alone. */
export function movementsOfLines(
  doc: { type: string; warehouseId: string; targetWarehouseId?: string | null },
  lines: { id: string | null; lineNo: number; productId: string; quantity: string; price?: string | null }[],
): Movement[] {
  return lines.flatMap((l) => {
    const q = toMilli(l.quantity);
    const base = { lineId: l.id, lineNo: l.lineNo, productId: l.productId };
    if (doc.type === 'receipt') {
      const value = pricedValue(l.price, q);
      return [{ ...base, warehouseId: doc.warehouseId, delta: q, ...(value === undefined ? {} : { value }) }];
    }
    if (doc.type === 'transfer') {
      return [
        { ...base, warehouseId: doc.warehouseId, delta: -q },
        { ...base, warehouseId: doc.targetWarehouseId!, delta: q, carries: true },
      ];
    }
    return [{ ...base, warehouseId: doc.warehouseId, delta: -q }];
  });
}

/** Appends one ledger entry per movement, each with the balance after it and the value moved. */
export async function writeLedger(
  db: Trx,
  documentId: string,
  movements: Movement[],
  steps: Step[],
  postedAt: Date,
): Promise<void> {
  const rows = movements
    .map((m, i) => ({ m, step: steps[i]! }))
    .filter(({ m }) => m.delta !== 0n)
    .map(({ m, step }) => ({
      document_id: documentId,
      line_id: m.lineId,
      product_id: m.productId,
      warehouse_id: m.warehouseId,
      quantity: formatMilli(m.delta),
      balance_after: formatMilli(step.after),
      value: formatValue(step.value),
      posted_at: postedAt,
    }));
  if (rows.length > 0) await db.insertInto('erp_stock_ledger').values(rows).execute();
}

type DocumentForPosting = {
  id: string;
  type: 'receipt' | 'write_off' | 'transfer' | 'shipment' | 'count';
  warehouse_id: string;
  target_warehouse_id: string | null;
};

type LineForPosting = {
  id: string;
  line_no: number;
  product_id: string;
  quantity: string;
  price: string | null;
};

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
      // Stock found comes in at the line's price when the counter gave one, else at the average.
      const value = difference > 0n ? pricedValue(l.price, difference) : undefined;
      movements.push({
        ...base(l),
        warehouseId: doc.warehouse_id,
        delta: difference,
        ...(value === undefined ? {} : { value }),
      });
    }
    movements.sort((a, b) => a.lineNo - b.lineNo);
    return { movements, differences };
  }
  movements.push(
    ...movementsOfLines(
      { type: doc.type, warehouseId: doc.warehouse_id, targetWarehouseId: doc.target_warehouse_id },
      lines.map((l) => ({
        id: l.id,
        lineNo: l.line_no,
        productId: l.product_id,
        quantity: l.quantity,
        price: l.price,
      })),
    ),
  );
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
