// New documents created and posted, one or a group of many in one transaction (group commit
// of concurrent postings): one read of their warehouses and products, one statement that
// locks every balance row they touch in (product, warehouse) order, the stock judged in the
// server document by document in the order they came, and one statement that writes every
// accepted document, line, ledger entry and balance. A document refused (bad input, short
// stock) is refused alone and draws no number; the CHECKs on balances and the ledger stay the
// last defence. An inventory count is not posted here: its differences come from the balance.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { PREPARED } from '../../../db/database.js';
import { AppError, forbidden } from '../../../server/core/errors.js';
import type { ActionContext, AuditEntry, EmittedEvent } from '../../../server/core/module.js';
import type { ErpTables } from '../schema.js';
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
  lockAndLookUp,
  type Movement,
  movementsOfLines,
  shortLines,
  stockInsufficient,
  type TouchedKey,
} from './posting.js';
import { formatMilli, fromDb, parseScaled, QUANTITY_SCALE, toMilli } from './quantity.js';

type Ctx = ActionContext<ErpTables>;

export type NewPosting = { ctx: Ctx; input: DocumentInput };

export type PostingOutcome =
  | { ok: true; output: StockDocument; audit: AuditEntry; events: EmittedEvent[] }
  | { ok: false; error: AppError };

const keyOf = (productId: string, warehouseId: string) => `${productId}|${warehouseId}`;
const today = () => new Date().toISOString().slice(0, 10);

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
type Candidate = {
  index: number;
  ctx: Ctx;
  input: DocumentInput;
  checked: CheckedDocument;
  id: string;
  lines: { id: string; lineNo: number; productId: string; quantity: string; price: string | null }[];
  movements: Movement[];
};

/** Posts the documents; one outcome per posting, in their order. Runs in the given transaction. */
export async function postNewDocuments(db: Trx, postings: NewPosting[]): Promise<PostingOutcome[]> {
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
    let checked: CheckedDocument;
    try {
      checked = judgeDocument(ctx.translate, input, found, clientUnknown[index] ?? false);
    } catch (error) {
      refuse(index, error);
      continue;
    }
    const lines = checked.lines.map((l, i) => ({
      id: randomUUID(),
      lineNo: i + 1,
      productId: l.productId,
      quantity: formatMilli(toMilli(l.quantity)),
      price: l.price === null ? null : formatMilli(toMilli(l.price) / 10n, 2),
    }));
    candidates.push({
      index,
      ctx,
      input,
      checked,
      id: randomUUID(),
      lines,
      movements: movementsOfLines(input, lines),
    });
  }
  if (candidates.length === 0) return outcomes as PostingOutcome[];

  // The stock, locked above, judged document by document in the order they came.
  const accepted: (Candidate & { ledger: string[] })[] = [];
  const changed = new Set<string>();
  for (const candidate of candidates) {
    const short = shortLines(balances, candidate.movements);
    if (short.length > 0) {
      refuse(candidate.index, stockInsufficient(short));
      continue;
    }
    const ledger = applyToBalances(balances, candidate.movements, changed).map((after) => formatMilli(after));
    accepted.push({ ...candidate, ledger });
  }
  if (accepted.length === 0) return outcomes as PostingOutcome[];

  const postedAt = new Date();
  const numbers = await writeDocuments(db, accepted, balances, changed, postedAt);
  const crossed = await crossedReorderLevels(db, accepted, found);
  for (const [n, candidate] of accepted.entries()) {
    const document = answerOf(candidate, numbers[n]!, postedAt);
    const record = postingRecord(document, document.lines.length);
    for (const product of crossed.get(n) ?? []) {
      record.events.push({
        type: 'erp.stock.belowReorderLevel',
        aggregateType: 'product',
        aggregateId: product.productId,
        payload: { ...product, documentId: candidate.id },
      });
    }
    outcomes[candidate.index] = { ok: true, output: document, ...record };
  }
  return outcomes as PostingOutcome[];
}

/** Writes the accepted documents, their lines, ledger entries and balances; returns their numbers. */
async function writeDocuments(
  db: Trx,
  accepted: (Candidate & { ledger: string[] })[],
  balances: Map<string, Balance>,
  changed: Set<string>,
  postedAt: Date,
): Promise<string[]> {
  const docs = accepted;
  const lines = docs.flatMap((d) => d.lines.map((l) => ({ ...l, documentId: d.id })));
  const ledger = docs.flatMap((d) =>
    d.movements.map((m, i) => ({ ...m, documentId: d.id, after: d.ledger[i]! })),
  );
  const keys = [...changed].map((key) => {
    const [productId, warehouseId] = key.split('|') as [string, string];
    return { productId, warehouseId, quantity: formatMilli(balances.get(key)!.quantity) };
  });
  const col = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  // Numbers are drawn here, in the order the documents came, so a refused one uses none.
  const { rows } = await sql<{ id: string; number: string }>`${sql.raw(PREPARED)}
    with docs as (
      insert into erp_stock_documents (id, number, type, status, date, warehouse_id, target_warehouse_id,
        client_id, deal_id, reason, comment, created_by, posted_by, created_at, updated_at, posted_at)
      select d.id, d.prefix || '-' || lpad(nextval(('erp_seq_' || d.type)::regclass)::text, 6, '0'), d.type,
        'posted', d.date, d.warehouse_id, d.target_warehouse_id, d.client_id, d.deal_id, d.reason, d.comment,
        d.actor_id, d.actor_id, ${postedAt}, ${postedAt}, ${postedAt}
      from unnest(${col(docs, (d) => d.id)}::uuid[], ${col(docs, (d) => NUMBER_PREFIX[d.input.type])}::text[],
        ${col(docs, (d) => d.input.type)}::text[], ${col(docs, (d) => d.input.date ?? today())}::date[],
        ${col(docs, (d) => d.input.warehouseId)}::uuid[], ${col(docs, (d) => d.input.targetWarehouseId ?? null)}::uuid[],
        ${col(docs, (d) => d.input.clientId ?? null)}::uuid[], ${col(docs, (d) => d.input.dealId ?? null)}::uuid[],
        ${col(docs, (d) => d.input.reason ?? null)}::text[], ${col(docs, (d) => d.input.comment ?? null)}::text[],
        ${col(docs, (d) => d.ctx.actor.id)}::uuid[])
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
    ),
    ledger as (
      insert into erp_stock_ledger (document_id, line_id, product_id, warehouse_id, quantity, balance_after, posted_at)
      select g.document_id, g.line_id, g.product_id, g.warehouse_id, g.quantity, g.balance_after, ${postedAt}
      from unnest(${col(ledger, (g) => g.documentId)}::uuid[], ${col(ledger, (g) => g.lineId)}::uuid[],
        ${col(ledger, (g) => g.productId)}::uuid[], ${col(ledger, (g) => g.warehouseId)}::uuid[],
        ${col(ledger, (g) => formatMilli(g.delta))}::numeric[], ${col(ledger, (g) => g.after)}::numeric[])
        with ordinality as g (document_id, line_id, product_id, warehouse_id, quantity, balance_after, ord)
      order by g.ord
    ),
    balances as (
      update erp_stock_balances b set quantity = k.quantity, updated_at = ${postedAt}
      from unnest(${col(keys, (k) => k.productId)}::uuid[], ${col(keys, (k) => k.warehouseId)}::uuid[],
        ${col(keys, (k) => k.quantity)}::numeric[]) as k (product_id, warehouse_id, quantity)
      where b.product_id = k.product_id and b.warehouse_id = k.warehouse_id
    )
    select id, number from docs`.execute(db);
  const numberOf = new Map(rows.map((r) => [r.id, r.number]));
  return docs.map((d) => numberOf.get(d.id)!);
}

type Crossing = { productId: string; sku: string; name: string; onHand: string; reorderLevel: string };

/**
 * The products each accepted document took below their reorder level (total stock over all
 * warehouses), by the document's place among the accepted: read once after the writes, then
 * walked back document by document.
 */
async function crossedReorderLevels(
  db: Trx,
  accepted: Candidate[],
  found: Found[],
): Promise<Map<number, Crossing[]>> {
  const levels = new Map<string, { sku: string; name: string; level: bigint }>();
  for (const r of found) {
    if (r.kind === 'product' && r.reorder_level && fromDb(r.reorder_level) > 0n) {
      levels.set(r.id, { sku: r.code, name: r.name ?? '', level: fromDb(r.reorder_level) });
    }
  }
  const changes = accepted.map((c) => {
    const change = new Map<string, bigint>();
    for (const m of c.movements) {
      if (levels.has(m.productId)) change.set(m.productId, (change.get(m.productId) ?? 0n) + m.delta);
    }
    return change;
  });
  const falling = new Set(
    changes.flatMap((change) => [...change].filter(([, d]) => d < 0n).map(([id]) => id)),
  );
  const crossed = new Map<number, Crossing[]>();
  if (falling.size === 0) return crossed;
  const { rows } = await sql<{ product_id: string; on_hand: string }>`${sql.raw(PREPARED)}
    select product_id, sum(quantity)::numeric(18,3)::text as on_hand from erp_stock_balances
    where product_id = any(${[...falling]}::uuid[]) group by product_id`.execute(db);
  const onHand = new Map(rows.map((r) => [r.product_id, fromDb(r.on_hand)]));
  for (let n = accepted.length - 1; n >= 0; n--) {
    for (const [productId, delta] of changes[n]!) {
      if (!falling.has(productId)) continue;
      const now = onHand.get(productId) ?? 0n;
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
    date: input.date ?? today(),
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
    reversedById: null,
    reserved: false,
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
