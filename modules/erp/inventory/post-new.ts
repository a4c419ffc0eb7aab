// New documents created and posted, one or a group of many in one transaction (group commit
// of concurrent postings): one read of their warehouses and products, one statement that
// locks every balance row they touch in (product, warehouse) order, the stock judged in the
// server document by document in the order they came, and one statement that writes every
// accepted document, line, ledger entry and balance. A document refused (bad input, short
// stock) is refused alone and draws no number; the CHECKs on balances and the ledger stay the
// last defence. An inventory count is not posted here: its differences come from the balance.
import { randomUUID } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { PREPARED } from '../../../db/database.js';
import { AppError, forbidden } from '../../../server/core/errors.js';
import type { ActionContext, AuditEntry, EmittedEvent } from '../../../server/core/module.js';
import { tashkentDate } from '../../../server/core/tashkent-time.js';
import type { ErpTables } from '../schema.js';
import { balanceKey, beliefsOf, remember, rowKey } from './beliefs.js';
import type { Trx } from './define.js';
import {
  type CheckedDocument,
  type DocumentInput,
  type Found,
  isClientUnknown,
  judgeDocument,
  referencedIds,
} from './document-input.js';
import { NUMBER_PREFIX, type StockDocument } from './document-schema.js';
import {
  applyToBalances,
  type Balance,
  changedRows,
  lockAndLookUp,
  type Movement,
  movementsOfLines,
  type ShortLine,
  shortLines,
  stockInsufficient,
  type TouchedKey,
} from './posting.js';
import { formatMilli, fromDb, parseScaled, QUANTITY_SCALE, toMilli } from './quantity.js';
import { formatValue, valueFromDb } from './valuation.js';

type Ctx = ActionContext<ErpTables>;

export type NewPosting = { ctx: Ctx; input: DocumentInput };

export type PostingOutcome =
  | { ok: true; output: StockDocument; audit: AuditEntry; events: EmittedEvent[] }
  | { ok: false; error: AppError };

const keyOf = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;

/**
 * The balances a document not yet judged touches. Only a line whose quantity is a positive
 * number makes its key grow (create a first row): any other is refused, and leaves nothing.
 */
function touchedBy(input: DocumentInput): TouchedKey[] {
  return input.lines.flatMap((l) => {
    const positive = (parseScaled(l.quantity, QUANTITY_SCALE)?.value ?? 0n) > 0n;
    const at = (warehouseId: string, grows: boolean) => ({ productId: l.productId, warehouseId, grows });
    if (input.type === 'receipt') return [at(input.warehouseId, positive)];
    if (input.type === 'transfer' && input.targetWarehouseId) {
      return [at(input.warehouseId, false), at(input.targetWarehouseId, positive)];
    }
    return [at(input.warehouseId, false)];
  });
}

/** Several documents' keys as one list, a key growing if it grows for any of them. */
function mergeTouched(touched: TouchedKey[]): TouchedKey[] {
  const merged = new Map<string, TouchedKey>();
  for (const k of touched) {
    const key = keyOf(k.productId, k.warehouseId);
    const known = merged.get(key);
    if (!known) merged.set(key, { ...k });
    else known.grows ||= k.grows;
  }
  return [...merged.values()];
}

/** A document that passed its checks, on its way to the stock. */
export type Candidate = {
  index: number;
  actorId: string | null;
  input: DocumentInput;
  checked: CheckedDocument;
  id: string;
  lines: { id: string; lineNo: number; productId: string; quantity: string; price: string | null }[];
  movements: Movement[];
};

/** Posts the documents; one outcome per posting, in their order. Runs in the given transaction. */
export async function postNewDocuments(
  db: Trx,
  postings: NewPosting[],
  home?: object,
): Promise<PostingOutcome[]> {
  const outcomes: (PostingOutcome | undefined)[] = postings.map(() => undefined);
  const refuse = (index: number, error: unknown) => {
    if (!(error instanceof AppError)) throw error;
    outcomes[index] = { ok: false, error };
  };

  // Checks: the rights, the client (through CRM's action), then one read for every document.
  const clientUnknown: boolean[] = [];
  for (const [index, { ctx, input }] of postings.entries()) {
    if (input.type === 'count') throw new Error('An inventory count is posted by createPostedCount');
    if (!ctx.can('erp.documents.post')) refuse(index, forbidden('erp.documents.post'));
    else
      clientUnknown[index] = await isClientUnknown(ctx, input).catch((error) => {
        refuse(index, error);
        return false;
      });
  }
  // One statement reads the warehouses and products of every document and locks every balance
  // row they touch (in key order), before the documents are judged: a document then refused
  // has only locked rows, and created none (see lockAndLookUp).
  const warehouseIds = new Set<string>();
  const productIds = new Set<string>();
  const touched: TouchedKey[] = [];
  for (const [index, { input }] of postings.entries()) {
    if (outcomes[index]) continue;
    const ids = referencedIds(input);
    for (const id of ids.warehouseIds) warehouseIds.add(id);
    for (const id of ids.productIds) productIds.add(id);
    touched.push(...touchedBy(input));
  }
  const { balances, found } =
    warehouseIds.size === 0
      ? { balances: new Map<string, Balance>(), found: [] }
      : await lockAndLookUp(db, mergeTouched(touched), {
          warehouseIds: [...warehouseIds],
          productIds: [...productIds],
        });
  const candidates: Candidate[] = [];
  for (const [index, { ctx, input }] of postings.entries()) {
    if (outcomes[index]) continue;
    try {
      candidates.push(candidateOf(index, ctx, input, found, clientUnknown[index] ?? false));
    } catch (error) {
      refuse(index, error);
    }
  }
  if (candidates.length === 0) return outcomes as PostingOutcome[];

  // The stock, locked above, judged document by document in the order they came.
  const { accepted, changed, short } = acceptInOrder(candidates, balances);
  for (const [candidate, lines] of short) refuse(candidate.index, stockInsufficient(lines));
  if (home) learnUnderLock(home, found, balances);
  if (accepted.length === 0) return outcomes as PostingOutcome[];

  const postedAt = new Date();
  const { rows } = await sql<{ id: string; number: string }>`${sql.raw(PREPARED)}
    with ${writeParts(accepted, balances, changed, postedAt)}
    select id, number from docs`.execute(db);
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));
  const levels = levelsOf(found);
  const falling = fallingProducts(accepted, levels);
  const onHand: OnHand = falling.length > 0 ? await onHandOf(db, falling) : new Map();
  const crossed = crossingsOf(accepted, levels, onHand);
  if (home) learnSpreadAfterCommit(postings[0]!.ctx, home, onHand);
  for (const [n, candidate] of accepted.entries()) {
    outcomes[candidate.index] = {
      ok: true,
      ...outcomeOf(candidate, numberOf.get(candidate.id)!, postedAt, crossed.get(n)),
    };
  }
  return outcomes as PostingOutcome[];
}

/** Judges one document against the rows read for it; throws its refusal. */
export function candidateOf(
  index: number,
  ctx: Pick<Ctx, 'translate' | 'actor'>,
  input: DocumentInput,
  found: Found[],
  clientUnknown: boolean,
): Candidate {
  const checked = judgeDocument(ctx, input, found, clientUnknown);
  const lines = checked.lines.map((l, i) => ({
    id: randomUUID(),
    lineNo: i + 1,
    productId: l.productId,
    quantity: formatMilli(toMilli(l.quantity)),
    price: l.price === null ? null : formatMilli(toMilli(l.price) / 10n, 2),
  }));
  return {
    index,
    actorId: ctx.actor.id,
    input,
    checked,
    id: randomUUID(),
    lines,
    movements: movementsOfLines(input, lines),
  };
}

/** An accepted document, with each movement's balance after it and the value it moved. */
export type Accepted = Candidate & { ledger: string[]; values: string[] };

/**
 * The documents judged against the balances one by one, in the order they came: those that
 * fit are applied to `balances` (each movement's balance after it in `ledger`), the others are
 * short, with their short lines.
 */
export function acceptInOrder(
  candidates: Candidate[],
  balances: Map<string, Balance>,
): { accepted: Accepted[]; changed: Set<string>; short: [Candidate, ShortLine[]][] } {
  const accepted: Accepted[] = [];
  const short: [Candidate, ShortLine[]][] = [];
  const changed = new Set<string>();
  for (const candidate of candidates) {
    const lines = shortLines(balances, candidate.movements);
    if (lines.length > 0) {
      short.push([candidate, lines]);
      continue;
    }
    const steps = applyToBalances(balances, candidate.movements, changed);
    accepted.push({
      ...candidate,
      ledger: steps.map((s) => formatMilli(s.after)),
      values: steps.map((s) => formatValue(s.value)),
    });
  }
  return { accepted, changed, short };
}

/** A posted document's answer, audit entry and events. */
export function outcomeOf(
  candidate: Candidate,
  number: string,
  postedAt: Date,
  crossed: Crossing[] = [],
): { output: StockDocument; audit: AuditEntry; events: EmittedEvent[] } {
  const document = answerOf(candidate, number, postedAt);
  const record = postingRecord(document, document.lines.length);
  for (const product of crossed) {
    record.events.push({
      type: 'erp.stock.belowReorderLevel',
      aggregateType: 'product',
      aggregateId: product.productId,
      payload: { ...product, documentId: candidate.id },
    });
  }
  return { output: document, ...record };
}

/**
 * The locking path's reads, believed at once: the warehouses and products (locked `for key
 * share`) and the balances as locked and then changed, which is what they will be when this
 * transaction commits, since every later group's statement waits for its locks. Believed only
 * after the commit, a group planned meanwhile was planned on the balances before this one and
 * failed, its retry took this path too, and with two groups in flight the two paths could take
 * turns for good. If this transaction fails instead, the next plan finds them wrong and forgets.
 */
function learnUnderLock(home: object, found: Found[], balances: Map<string, Balance>): void {
  const beliefs = beliefsOf(home);
  for (const row of found) remember(beliefs.rows, rowKey(row.kind, row.id), row);
  for (const [key, balance] of balances) remember(beliefs.balances, key, { ...balance });
}

/** Every warehouse's balance of products with a reorder level, read after the writes. */
function learnSpreadAfterCommit(ctx: Ctx, home: object, onHand: OnHand): void {
  if (onHand.size === 0) return;
  ctx.afterCommit(() => {
    const beliefs = beliefsOf(home);
    for (const [productId, { rows }] of onHand) {
      remember(
        beliefs.spread,
        productId,
        rows.map((r) => r.warehouseId),
      );
      for (const r of rows) remember(beliefs.balances, balanceKey(productId, r.warehouseId), r.balance);
    }
  });
}

/**
 * The statement's parts (CTEs) that write the accepted documents, their lines, ledger entries
 * and balances; `docs` returns each document's id and the number drawn for it. `planned`: for
 * a planned group's statement, `new_lines` returns its rows too (so that it can be run before
 * the locks), and the ledger's balances after and the new balances are given relative to the
 * rows its CTE `locked` locked (each entry's offset from the locked quantity, each key's total
 * change).
 */
export function writeParts(
  accepted: Accepted[],
  balances: Map<string, Balance>,
  changed: Set<string>,
  postedAt: Date,
  planned = false,
): RawBuilder<unknown> {
  const docs = accepted;
  const lines = docs.flatMap((d) => d.lines.map((l) => ({ ...l, documentId: d.id })));
  const ledger = docs.flatMap((d) =>
    d.movements.map((m, i) => ({ ...m, documentId: d.id, after: d.ledger[i]!, value: d.values[i]! })),
  );
  const keys = changedRows(balances, changed);
  const col = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  // Numbers are drawn here, in the order the documents came, so a refused one uses none.
  return sql`
    docs as (
      insert into erp_stock_documents (id, number, type, status, date, warehouse_id, target_warehouse_id,
        client_id, deal_id, reason, comment, created_by, posted_by, created_at, updated_at, posted_at)
      select d.id, d.prefix || '-' || lpad(nextval(('erp_seq_' || d.type)::regclass)::text, 6, '0'), d.type,
        'posted', d.date, d.warehouse_id, d.target_warehouse_id, d.client_id, d.deal_id, d.reason, d.comment,
        d.actor_id, d.actor_id, ${postedAt}, ${postedAt}, ${postedAt}
      from unnest(${col(docs, (d) => d.id)}::uuid[], ${col(docs, (d) => NUMBER_PREFIX[d.input.type])}::text[],
        ${col(docs, (d) => d.input.type)}::text[], ${col(docs, (d) => d.input.date ?? tashkentDate())}::date[],
        ${col(docs, (d) => d.input.warehouseId)}::uuid[], ${col(docs, (d) => d.input.targetWarehouseId ?? null)}::uuid[],
        ${col(docs, (d) => d.input.clientId ?? null)}::uuid[], ${col(docs, (d) => d.input.dealId ?? null)}::uuid[],
        ${col(docs, (d) => d.input.reason ?? null)}::text[], ${col(docs, (d) => d.input.comment ?? null)}::text[],
        ${col(docs, (d) => d.actorId)}::uuid[])
        with ordinality as d (id, prefix, type, date, warehouse_id, target_warehouse_id, client_id, deal_id,
          reason, comment, actor_id, ord)
      order by d.ord
      returning id, number
    ),
    new_lines as (
      insert into erp_stock_document_lines (id, document_id, line_no, product_id, quantity, price)
      select * from unnest(${col(lines, (l) => l.id)}::uuid[], ${col(lines, (l) => l.documentId)}::uuid[],
        ${col(lines, (l) => l.lineNo)}::int[], ${col(lines, (l) => l.productId)}::uuid[],
        ${col(lines, (l) => l.quantity)}::numeric[], ${col(lines, (l) => l.price)}::numeric[])
      ${planned ? sql`returning id` : sql``}
    ),
    ledger as (
      insert into erp_stock_ledger (document_id, line_id, product_id, warehouse_id, quantity, balance_after,
        value, posted_at)
      select g.document_id, g.line_id, g.product_id, g.warehouse_id, g.quantity,
        ${planned ? sql`l.quantity + g.balance_after` : sql`g.balance_after`}, g.value, ${postedAt}
      from unnest(${col(ledger, (g) => g.documentId)}::uuid[], ${col(ledger, (g) => g.lineId)}::uuid[],
        ${col(ledger, (g) => g.productId)}::uuid[], ${col(ledger, (g) => g.warehouseId)}::uuid[],
        ${col(ledger, (g) => formatMilli(g.delta))}::numeric[], ${col(ledger, (g) => g.after)}::numeric[],
        ${col(ledger, (g) => g.value)}::numeric[])
        with ordinality as g (document_id, line_id, product_id, warehouse_id, quantity, balance_after, value, ord)
      ${planned ? sql`join locked l on l.product_id = g.product_id and l.warehouse_id = g.warehouse_id` : sql``}
      order by g.ord
    ),
    balances as (
      update erp_stock_balances b
      set quantity = ${planned ? sql`b.quantity + k.quantity` : sql`k.quantity`},
        value = ${planned ? sql`b.value + k.value` : sql`k.value`}, updated_at = ${postedAt}
      from unnest(${col(keys, (k) => k.productId)}::uuid[], ${col(keys, (k) => k.warehouseId)}::uuid[],
        ${col(keys, (k) => k.quantity)}::numeric[], ${col(keys, (k) => k.value)}::numeric[])
        as k (product_id, warehouse_id, quantity, value)
      where b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
    )`;
}

export type Crossing = { productId: string; sku: string; name: string; onHand: string; reorderLevel: string };

type Levels = Map<string, { sku: string; name: string; level: bigint }>;

/** The products found that have a reorder level, with it. */
export function levelsOf(found: Found[]): Levels {
  const levels: Levels = new Map();
  for (const r of found) {
    if (r.kind === 'product' && r.reorder_level && fromDb(r.reorder_level) > 0n) {
      levels.set(r.id, { sku: r.code, name: r.name ?? '', level: fromDb(r.reorder_level) });
    }
  }
  return levels;
}

/** The products with a reorder level that some accepted document takes stock from. */
export function fallingProducts(accepted: Candidate[], levels: Levels): string[] {
  const falling = new Set<string>();
  for (const c of accepted) {
    const change = new Map<string, bigint>();
    for (const m of c.movements) {
      if (levels.has(m.productId)) change.set(m.productId, (change.get(m.productId) ?? 0n) + m.delta);
    }
    for (const [id, delta] of change) if (delta < 0n) falling.add(id);
  }
  return [...falling];
}

/** A product's stock over all warehouses, and each warehouse's balance row. */
export type OnHand = Map<string, { total: bigint; rows: { warehouseId: string; balance: Balance }[] }>;

/** The products' balances in every warehouse, read after the writes. */
async function onHandOf(db: Trx, products: string[]): Promise<OnHand> {
  const { rows } = await sql<{
    product_id: string;
    warehouse_id: string;
    quantity: string;
    reserved: string;
    value: string;
  }>`
    ${sql.raw(PREPARED)} select product_id, warehouse_id, quantity::text, reserved::text, value::text
    from erp_stock_balances
    where product_id = any(${products}::uuid[])`.execute(db);
  const onHand: OnHand = new Map(products.map((id) => [id, { total: 0n, rows: [] }]));
  for (const r of rows) {
    const entry = onHand.get(r.product_id)!;
    const balance = {
      quantity: fromDb(r.quantity),
      reserved: fromDb(r.reserved),
      value: valueFromDb(r.value),
    };
    entry.total += balance.quantity;
    entry.rows.push({ warehouseId: r.warehouse_id, balance });
  }
  return onHand;
}

/**
 * The products each accepted document took below their reorder level (total stock over all
 * warehouses), by the document's place among the accepted: from the totals after them all,
 * walked back document by document.
 */
export function crossingsOf(
  accepted: Candidate[],
  levels: Levels,
  onHandAfter: Map<string, { total: bigint }>,
): Map<number, Crossing[]> {
  const crossed = new Map<number, Crossing[]>();
  if (onHandAfter.size === 0) return crossed;
  const changes = accepted.map((c) => {
    const change = new Map<string, bigint>();
    for (const m of c.movements) {
      if (onHandAfter.has(m.productId)) change.set(m.productId, (change.get(m.productId) ?? 0n) + m.delta);
    }
    return change;
  });
  const onHand = new Map([...onHandAfter].map(([id, { total }]) => [id, total]));
  for (let n = accepted.length - 1; n >= 0; n--) {
    for (const [productId, delta] of changes[n]!) {
      const now = onHand.get(productId)!;
      const before = now - delta;
      const { sku, name, level } = levels.get(productId)!;
      if (now < level && before >= level) {
        const list = crossed.get(n) ?? [];
        list.push({ productId, sku, name, onHand: formatMilli(now), reorderLevel: formatMilli(level) });
        crossed.set(n, list);
      }
      onHand.set(productId, before);
    }
  }
  return crossed;
}

function answerOf(c: Candidate, number: string, postedAt: Date): StockDocument {
  const { input, checked } = c;
  const at = postedAt.toISOString();
  return {
    id: c.id,
    number,
    type: input.type,
    status: 'posted',
    date: input.date ?? tashkentDate(),
    warehouseId: input.warehouseId,
    warehouseCode: checked.warehouseCodes.get(input.warehouseId) ?? '',
    targetWarehouseId: input.targetWarehouseId ?? null,
    targetWarehouseCode: input.targetWarehouseId
      ? (checked.warehouseCodes.get(input.targetWarehouseId) ?? null)
      : null,
    clientId: input.clientId ?? null,
    dealId: input.dealId ?? null,
    reason: input.reason ?? null,
    comment: input.comment ?? null,
    reversalOfId: null,
    reversalOfNumber: null,
    reversedById: null,
    reversedByNumber: null,
    reserved: false,
    revision: 1,
    createdAt: at,
    postedAt: at,
    lines: c.lines.map((l, i) => ({
      id: l.id,
      lineNo: l.lineNo,
      productId: l.productId,
      productSku: checked.lines[i]!.sku,
      productName: checked.lines[i]!.name,
      unit: checked.lines[i]!.unit,
      quantity: l.quantity,
      price: l.price,
      difference: null,
    })),
  };
}

/** The audit entry and the events of a posting. */
export function postingRecord(
  doc: { id: string; number: string; type: string; clientId: string | null; dealId: string | null },
  lineCount: number,
): { audit: AuditEntry; events: EmittedEvent[] } {
  const { id } = doc;
  const events: EmittedEvent[] = [
    {
      type: 'erp.document.posted',
      aggregateType: 'stockDocument',
      aggregateId: id,
      payload: {
        documentId: id,
        number: doc.number,
        type: doc.type,
        clientId: doc.clientId,
        dealId: doc.dealId,
      },
    },
  ];
  if (doc.type === 'shipment' && doc.clientId) {
    events.push({
      type: 'erp.shipment.posted',
      aggregateType: 'client',
      aggregateId: doc.clientId,
      payload: {
        documentId: id,
        number: doc.number,
        clientId: doc.clientId,
        dealId: doc.dealId,
        lines: lineCount,
      },
    });
  }
  return {
    audit: {
      entity: 'stockDocument',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'posted', number: doc.number, type: doc.type },
    },
    events,
  };
}
