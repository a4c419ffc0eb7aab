import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, forbidden, notFound } from '../../../server/core/errors.js';
import {
  isoDate,
  isoDateTime,
  likePattern,
  listInput,
  listOutput,
  parseSort,
  queryBoolean,
} from '../../../server/core/list-query.js';
import type { ActionContext } from '../../../server/core/module.js';
import { tashkentDate } from '../../../server/core/tashkent-time.js';
import type { DocumentType, ErpTables } from '../schema.js';
import { defineAction } from './define.js';
import {
  type CheckedLine,
  checkDocument,
  type DocumentInput,
  documentInputFields,
  nextNumber,
} from './document-input.js';
import {
  documentSchema,
  documentSummarySchema,
  documentTypeSchema,
  loadDocument,
  NUMBER_PREFIX,
  type StockDocument,
  selectDocuments,
  statusSchema,
  toSummary,
} from './document-schema.js';
import { keeps, notKept, userNames, userRefSchema } from './keepers.js';
import { postingRecord, postNewDocuments } from './post-new.js';
import { planNewDocuments } from './post-planned.js';
import { applyMovements, crossedReorderLevel, type Movement, movementsOf, writeLedger } from './posting.js';
import { formatMilli, fromDb, toMilli } from './quantity.js';
import { shipmentClient, shipmentClientNames, shipmentDealTitle } from './shipment-clients.js';
import { valueFromDb } from './valuation.js';

type Ctx = ActionContext<ErpTables>;

type LineRow = { id: string; line_no: number; product_id: string; quantity: string; price: string | null };
type DocRow = {
  id: string;
  number: string;
  type: DocumentType;
  warehouse_id: string;
  target_warehouse_id: string | null;
  client_id: string | null;
  deal_id: string | null;
  reserved: boolean;
};

async function insertLines(ctx: Ctx, documentId: string, lines: CheckedLine[]): Promise<LineRow[]> {
  if (lines.length === 0) return [];
  return ctx.db
    .insertInto('erp_stock_document_lines')
    .values(
      lines.map((l, i) => ({
        document_id: documentId,
        line_no: i + 1,
        product_id: l.productId,
        quantity: l.quantity,
        price: l.price,
        difference: null,
      })),
    )
    .returning([
      'id',
      'line_no',
      'product_id',
      sql<string>`quantity::text`.as('quantity'),
      sql<string | null>`price::text`.as('price'),
    ])
    .execute();
}

function insertDocument(ctx: Ctx, input: DocumentInput, posted: Date | null) {
  return ctx.db
    .insertInto('erp_stock_documents')
    .values({
      number: nextNumber(input.type, NUMBER_PREFIX[input.type]),
      type: input.type,
      status: posted ? 'posted' : 'draft',
      date: input.date ?? tashkentDate(),
      warehouse_id: input.warehouseId,
      target_warehouse_id: input.targetWarehouseId ?? null,
      client_id: input.clientId ?? null,
      deal_id: input.dealId ?? null,
      reason: input.reason ?? null,
      comment: input.comment ?? null,
      reversal_of_id: null,
      reversed_by_id: null,
      created_by: ctx.actor.id,
      posted_by: posted ? ctx.actor.id : null,
      posted_at: posted,
    })
    .returning([
      'id',
      'number',
      'type',
      'warehouse_id',
      'target_warehouse_id',
      'client_id',
      'deal_id',
      'reserved',
      'created_at',
    ])
    .executeTakeFirstOrThrow();
}

/**
 * Reads a document to change (edit, delete, post, reverse, reserve) and locks it for the rest
 * of the transaction; only its warehouse's keepers (when it has any) may change it.
 */
async function lockDocument(ctx: Ctx, id: string) {
  const doc = await ctx.db
    .selectFrom('erp_stock_documents')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!doc) throw notFound('stockDocument', id);
  const warehouse = await ctx.db
    .selectFrom('erp_warehouses')
    .select(['code', 'keeper_ids'])
    .where('id', '=', doc.warehouse_id)
    .executeTakeFirstOrThrow();
  if (!keeps(ctx.actor, warehouse.keeper_ids)) throw notKept(warehouse.code);
  return doc;
}

/** Posted documents never change: only a draft may be edited, deleted, posted or reserved. */
function assertDraft(doc: { status: string; number: string }): void {
  if (doc.status !== 'draft')
    throw conflict('DOCUMENT_NOT_DRAFT', { status: doc.status }, { number: doc.number });
}

/**
 * The revision a clerk saving or posting a draft saw: a draft another clerk changed since is
 * refused (`409 DOCUMENT_CHANGED`), not overwritten or posted unseen. Left out, the draft is
 * taken as it stands (processes and integrations that do not read it first).
 */
const revisionInput = z
  .number()
  .int()
  .positive()
  .optional()
  .describe('The revision of the draft the caller saw; 409 DOCUMENT_CHANGED when it has changed since.');

/** The same, read from a query string (a DELETE has no body). */
const revisionQuery = z.coerce
  .number()
  .int()
  .positive()
  .optional()
  .describe('The revision of the draft the caller saw; 409 DOCUMENT_CHANGED when it has changed since.');

function assertRevision(doc: { revision: number; number: string }, seen: number | undefined): void {
  if (seen !== undefined && seen !== doc.revision) {
    throw conflict('DOCUMENT_CHANGED', { field: 'revision', revision: doc.revision }, { number: doc.number });
  }
}

/** Saves a new draft and returns its id. */
export async function createDraft(ctx: Ctx, input: DocumentInput): Promise<string> {
  const { lines } = await checkDocument(ctx, input);
  const doc = await insertDocument(ctx, input, null);
  await insertLines(ctx, doc.id, lines);
  return doc.id;
}

/**
 * Creates a document and posts it in one go, in the caller's transaction: a group of one of
 * what `postNewDocuments` does for concurrent postings. An inventory count takes the longer
 * way: its differences are known only under the lock.
 */
export async function createPosted(ctx: Ctx, input: DocumentInput): Promise<StockDocument> {
  if (input.type === 'count') return createPostedCount(ctx, input);
  const [outcome] = await postNewDocuments(ctx.db, [{ ctx, input }]);
  if (!outcome!.ok) throw outcome!.error;
  await ctx.record({ audit: outcome!.audit, events: outcome!.events, answer: outcome!.output });
  return outcome!.output;
}

/** An inventory count, created and posted: the differences are read under the balance lock. */
async function createPostedCount(ctx: Ctx, input: DocumentInput): Promise<StockDocument> {
  const { lines: checked } = await checkDocument(ctx, input);
  const postedAt = new Date();
  const doc = await insertDocument(ctx, input, postedAt);
  const lines = await insertLines(ctx, doc.id, checked);
  const watched = checked.filter((l) => l.reorderLevel !== '0.000').map((l) => l.productId);
  await applyPosting(ctx, doc, lines, postedAt, watched);
  return loadDocument(ctx.db, doc.id);
}

/** Posts a draft: every line or none. Returns the posted document. */
export async function postDraft(ctx: Ctx, id: string, revision?: number): Promise<StockDocument> {
  const doc = await lockDocument(ctx, id);
  assertDraft(doc);
  assertRevision(doc, revision);
  const lines = await ctx.db
    .selectFrom('erp_stock_document_lines')
    .select([
      'id',
      'line_no',
      'product_id',
      sql<string>`quantity::text`.as('quantity'),
      sql<string | null>`price::text`.as('price'),
    ])
    .where('document_id', '=', id)
    .orderBy('line_no')
    .execute();
  // Products may have been deactivated since the draft was saved.
  const { lines: checked } = await checkDocument(ctx, {
    type: doc.type,
    warehouseId: doc.warehouse_id,
    targetWarehouseId: doc.target_warehouse_id,
    clientId: doc.client_id,
    dealId: doc.deal_id,
    reason: doc.reason,
    comment: doc.comment,
    lines: lines.map((l) => ({ productId: l.product_id, quantity: l.quantity })),
  });
  const postedAt = new Date();
  await ctx.db
    .updateTable('erp_stock_documents')
    .set({
      status: 'posted',
      posted_at: postedAt,
      posted_by: ctx.actor.id,
      reserved: false,
      updated_at: postedAt,
    })
    .where('id', '=', id)
    .execute();
  const watched = checked.filter((l) => l.reorderLevel !== '0.000').map((l) => l.productId);
  await applyPosting(ctx, doc, lines, postedAt, watched);
  return loadDocument(ctx.db, id);
}

/**
 * What posting does besides marking the document: audit, events, then (last, to hold the
 * balance rows as briefly as possible) the guarded balance changes and the ledger.
 * @param watched products with a reorder level, whose crossing of it is reported
 */
async function applyPosting(ctx: Ctx, doc: DocRow, lines: LineRow[], postedAt: Date, watched: string[]) {
  const id = doc.id;
  await ctx.record(
    postingRecord(
      { id, number: doc.number, type: doc.type, clientId: doc.client_id, dealId: doc.deal_id },
      lines.length,
    ),
  );
  const consume = new Map<string, bigint>();
  if (doc.reserved) {
    const reservations = await ctx.db
      .deleteFrom('erp_reservations')
      .where('document_id', '=', id)
      .returning(['product_id', 'warehouse_id', sql<string>`quantity::text`.as('quantity')])
      .execute();
    for (const r of reservations) consume.set(`${r.product_id}|${r.warehouse_id}`, fromDb(r.quantity));
  }
  const { movements, differences } = await movementsOf(ctx.db, doc, lines);
  const steps = await applyMovements(ctx.db, movements, consume);
  await writeLedger(ctx.db, id, movements, steps, postedAt);
  for (const [lineId, difference] of differences) {
    await ctx.db
      .updateTable('erp_stock_document_lines')
      .set({ difference: formatMilli(difference) })
      .where('id', '=', lineId)
      .execute();
  }
  await emitBelowReorderLevel(ctx, id, movements, watched);
}

/** Reports the watched products whose total stock this posting took below their reorder level. */
async function emitBelowReorderLevel(ctx: Ctx, documentId: string, movements: Movement[], watched: string[]) {
  const relevant = movements.filter((m) => watched.includes(m.productId));
  for (const product of relevant.length > 0 ? await crossedReorderLevel(ctx, relevant) : []) {
    await ctx.emit({
      type: 'erp.stock.belowReorderLevel',
      aggregateType: 'product',
      aggregateId: product.productId,
      payload: { ...product, documentId },
    });
  }
}

const idInput = z.object({ id: z.uuid() });

export const createStockDocument = defineAction({
  name: 'createStockDocument',
  description: 'Saves a draft stock document; with `post: true` creates and posts it in one step.',
  permission: 'erp.documents.write',
  write: true,
  input: z.object({ ...documentInputFields, post: z.boolean().optional() }),
  output: documentSchema,
  // Concurrent create-and-post calls commit together (see post-planned.ts, post-new.ts).
  group: {
    accepts: (input) => input.post === true && input.type !== 'count',
    run: (calls, home) => postNewDocuments(calls[0]!.ctx.db, calls, home),
    plan: planNewDocuments,
  },
  async run(ctx, input) {
    if (input.post) {
      if (!ctx.can('erp.documents.post')) throw forbidden('erp.documents.post');
      return createPosted(ctx, input);
    }
    const id = await createDraft(ctx, input);
    const doc = await loadDocument(ctx.db, id);
    await ctx.audit({ entity: 'stockDocument', entityId: id, before: null, after: doc });
    return doc;
  },
});

export const updateStockDocument = defineAction({
  name: 'updateStockDocument',
  description: 'Replaces a draft’s fields and lines. Posted documents never change.',
  permission: 'erp.documents.write',
  write: true,
  input: z.object({ id: z.uuid(), revision: revisionInput, ...documentInputFields }),
  output: documentSchema,
  async run(ctx, input) {
    const doc = await lockDocument(ctx, input.id);
    assertDraft(doc);
    assertRevision(doc, input.revision);
    if (doc.reserved) throw conflict('DOCUMENT_RESERVED', undefined, { number: doc.number });
    if (input.type !== doc.type) throw conflict('DOCUMENT_TYPE_FIXED', { field: 'type' });
    const before = await loadDocument(ctx.db, input.id);
    const { lines } = await checkDocument(ctx, input);
    await ctx.db
      .updateTable('erp_stock_documents')
      .set({
        date: input.date ?? doc.date,
        warehouse_id: input.warehouseId,
        target_warehouse_id: input.targetWarehouseId ?? null,
        client_id: input.clientId ?? null,
        deal_id: input.dealId ?? null,
        reason: input.reason ?? null,
        comment: input.comment ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', input.id)
      .execute();
    await ctx.db.deleteFrom('erp_stock_document_lines').where('document_id', '=', input.id).execute();
    await insertLines(ctx, input.id, lines);
    const after = await loadDocument(ctx.db, input.id);
    await ctx.audit({ entity: 'stockDocument', entityId: input.id, before, after });
    return after;
  },
});

export const deleteStockDocument = defineAction({
  name: 'deleteStockDocument',
  description: 'Deletes a draft (releasing its reservation). Posted documents are reversed, not deleted.',
  permission: 'erp.documents.write',
  write: true,
  input: z.object({ id: z.uuid(), revision: revisionQuery }),
  output: z.object({ ok: z.literal(true) }),
  async run(ctx, input) {
    const doc = await lockDocument(ctx, input.id);
    assertDraft(doc);
    // A clerk who deletes the draft they saw does not throw away lines someone added since.
    assertRevision(doc, input.revision);
    const before = await loadDocument(ctx.db, input.id);
    if (doc.reserved) await releaseReservation(ctx, input.id);
    await ctx.db.deleteFrom('erp_stock_documents').where('id', '=', input.id).execute();
    await ctx.audit({ entity: 'stockDocument', entityId: input.id, before, after: null });
    return { ok: true as const };
  },
});

export const getStockDocument = defineAction({
  name: 'getStockDocument',
  description:
    "One stock document with its lines, a shipment's client name and deal title from CRM (null when CRM does not know them), and who wrote and who posted it.",
  permission: 'erp.stock.read',
  write: false,
  input: idInput,
  output: documentSchema.extend({
    clientName: z.string().nullable(),
    dealTitle: z.string().nullable(),
    /** Who wrote the document; null when the system did (a process step). */
    createdBy: userRefSchema.nullable(),
    /** Who posted it; null while a draft, or when the system posted it. */
    postedBy: userRefSchema.nullable(),
  }),
  async run(ctx, input) {
    const doc = await loadDocument(ctx.db, input.id);
    // One after the other: these are calls in this one transaction.
    const client = doc.clientId ? await shipmentClient(ctx, doc.clientId) : null;
    const dealTitle = doc.dealId ? await shipmentDealTitle(ctx, doc.dealId) : null;
    const authors = await ctx.db
      .selectFrom('erp_stock_documents')
      .select(['created_by', 'posted_by'])
      .where('id', '=', input.id)
      .executeTakeFirstOrThrow();
    const names = await userNames(
      ctx,
      [authors.created_by, authors.posted_by].filter((id): id is string => id !== null),
    );
    const person = (id: string | null) => (id ? { id, name: names.get(id)?.name ?? '' } : null);
    return {
      ...doc,
      clientName: client?.name ?? null,
      dealTitle,
      createdBy: person(authors.created_by),
      postedBy: person(authors.posted_by),
    };
  },
});

const sortColumns = {
  createdAt: 'd.created_at',
  number: 'd.number',
  date: 'd.date',
  postedAt: 'd.posted_at',
} as const;

export const listStockDocuments = defineAction({
  name: 'listStockDocuments',
  description: 'Lists stock documents by type, status, warehouse, client and date.',
  permission: 'erp.stock.read',
  write: false,
  input: listInput(
    ['createdAt', 'number', 'date', 'postedAt'],
    {
      type: documentTypeSchema.optional(),
      status: statusSchema.optional(),
      warehouseId: z.uuid().optional(),
      clientId: z.uuid().optional(),
      dealId: z.uuid().optional(),
      reserved: queryBoolean.optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
      postedFrom: isoDateTime.optional(),
    },
    '-createdAt',
  ),
  output: listOutput(documentSummarySchema),
  async run(ctx, input) {
    let query = selectDocuments(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) =>
        eb.or([eb('d.number', 'ilike', pattern), eb('d.comment', 'ilike', pattern)]),
      );
    }
    if (input.type) query = query.where('d.type', '=', input.type);
    if (input.status) query = query.where('d.status', '=', input.status);
    if (input.warehouseId) {
      const w = input.warehouseId;
      query = query.where((eb) => eb.or([eb('d.warehouse_id', '=', w), eb('d.target_warehouse_id', '=', w)]));
    }
    if (input.clientId) query = query.where('d.client_id', '=', input.clientId);
    if (input.dealId) query = query.where('d.deal_id', '=', input.dealId);
    if (input.reserved !== undefined) query = query.where('d.reserved', '=', input.reserved);
    if (input.from) query = query.where('d.date', '>=', input.from);
    if (input.to) query = query.where('d.date', '<=', input.to);
    if (input.postedFrom) query = query.where('d.posted_at', '>=', new Date(input.postedFrom));
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .select(
          sql<
            string | null
          >`(select round(sum(l.quantity * l.price), 2)::text from erp_stock_document_lines l where l.document_id = d.id)`.as(
            'amount',
          ),
        )
        .orderBy(sortColumns[field], direction)
        .orderBy('d.id', direction)
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const clientIds = rows.flatMap((row) => (row.client_id ? [row.client_id] : []));
    const names =
      clientIds.length > 0 ? await shipmentClientNames(ctx, clientIds) : new Map<string, string>();
    const items = rows.map((row) => ({
      ...toSummary(row),
      amount: row.amount,
      clientName: row.client_id ? (names.get(row.client_id) ?? null) : null,
    }));
    return { items, total: Number(count.n) };
  },
});

export const postStockDocumentDraft = defineAction({
  name: 'postDraft',
  description: 'Posts a draft: all lines or none; refuses with STOCK_INSUFFICIENT naming every short line.',
  permission: 'erp.documents.post',
  write: true,
  input: z.object({ id: z.uuid(), revision: revisionInput }),
  output: documentSchema,
  run: (ctx, input) => postDraft(ctx, input.id, input.revision),
});

export const reverseStockDocument = defineAction({
  name: 'reverseStockDocument',
  description: 'Undoes a posted document with a reversal document that posts the opposite movements.',
  permission: 'erp.documents.post',
  write: true,
  input: idInput,
  output: documentSchema,
  async run(ctx, input) {
    const doc = await lockDocument(ctx, input.id);
    if (doc.status === 'reversed')
      throw conflict('DOCUMENT_ALREADY_REVERSED', undefined, { number: doc.number });
    if (doc.status !== 'posted') throw conflict('DOCUMENT_NOT_POSTED', undefined, { number: doc.number });
    if (doc.reversal_of_id) throw conflict('REVERSAL_NOT_REVERSIBLE', undefined, { number: doc.number });
    const postedAt = new Date();
    const reversal = await ctx.db
      .insertInto('erp_stock_documents')
      .values({
        number: nextNumber(doc.type, NUMBER_PREFIX[doc.type]),
        type: doc.type,
        status: 'posted',
        date: tashkentDate(),
        warehouse_id: doc.warehouse_id,
        target_warehouse_id: doc.target_warehouse_id,
        client_id: doc.client_id,
        deal_id: doc.deal_id,
        reason: doc.reason,
        comment: doc.comment,
        reversal_of_id: doc.id,
        reversed_by_id: null,
        created_by: ctx.actor.id,
        posted_by: ctx.actor.id,
        posted_at: postedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('erp_stock_document_lines')
      .columns(['document_id', 'line_no', 'product_id', 'quantity', 'price', 'difference'])
      .expression((eb) =>
        eb
          .selectFrom('erp_stock_document_lines')
          .select([
            sql<string>`${reversal.id}::uuid`.as('document_id'),
            'line_no',
            'product_id',
            'quantity',
            'price',
            sql<string | null>`-difference`.as('difference'),
          ])
          .where('document_id', '=', doc.id),
      )
      .execute();
    await ctx.db
      .updateTable('erp_stock_documents')
      .set({ status: 'reversed', reversed_by_id: reversal.id, updated_at: postedAt })
      .where('id', '=', doc.id)
      .execute();
    await ctx.audit({
      entity: 'stockDocument',
      entityId: doc.id,
      before: { status: 'posted' },
      after: { status: 'reversed', reversedBy: reversal.id },
    });
    await ctx.emit({
      type: 'erp.document.reversed',
      aggregateType: 'stockDocument',
      aggregateId: doc.id,
      payload: {
        documentId: doc.id,
        number: doc.number,
        reversalId: reversal.id,
        type: doc.type,
        clientId: doc.client_id,
      },
    });
    // The exact opposite of what the original posted, line by line, read from its ledger.
    const [entries, newLines] = await Promise.all([
      ctx.db
        .selectFrom('erp_stock_ledger as e')
        .leftJoin('erp_stock_document_lines as l', 'l.id', 'e.line_id')
        .select([
          'e.line_id',
          'l.line_no',
          'e.product_id',
          'e.warehouse_id',
          sql<string>`e.quantity::text`.as('quantity'),
          sql<string>`e.value::text`.as('value'),
        ])
        .where('e.document_id', '=', doc.id)
        .orderBy('e.id')
        .execute(),
      ctx.db
        .selectFrom('erp_stock_document_lines')
        .select(['id', 'line_no'])
        .where('document_id', '=', reversal.id)
        .execute(),
    ]);
    // Each movement undone at the value it moved: what went out comes back at the value it
    // left with, what came in goes out at the value it brought, at most what the balance is
    // worth (valuation.ts).
    const movements: Movement[] = entries.map((e) => ({
      lineId: newLines.find((l) => l.line_no === e.line_no)?.id ?? null,
      lineNo: e.line_no ?? 0,
      productId: e.product_id,
      warehouseId: e.warehouse_id,
      delta: -fromDb(e.quantity),
      value: -valueFromDb(e.value),
    }));
    const steps = await applyMovements(ctx.db, movements);
    await writeLedger(ctx.db, reversal.id, movements, steps, postedAt);
    for (const product of await crossedReorderLevel(ctx, movements)) {
      await ctx.emit({
        type: 'erp.stock.belowReorderLevel',
        aggregateType: 'product',
        aggregateId: product.productId,
        payload: { ...product, documentId: reversal.id },
      });
    }
    return loadDocument(ctx.db, reversal.id);
  },
});

async function releaseReservation(ctx: Ctx, documentId: string): Promise<void> {
  const rows = await ctx.db
    .deleteFrom('erp_reservations')
    .where('document_id', '=', documentId)
    .returning(['product_id', 'warehouse_id', sql<string>`quantity::text`.as('quantity')])
    .execute();
  const sorted = rows.sort((a, b) => a.product_id.localeCompare(b.product_id));
  for (const r of sorted) {
    await ctx.db
      .updateTable('erp_stock_balances')
      .set({ reserved: sql`reserved - ${r.quantity}::numeric`, updated_at: new Date() })
      .where('product_id', '=', r.product_id)
      .where('warehouse_id', '=', r.warehouse_id)
      .execute();
  }
  await ctx.db
    .updateTable('erp_stock_documents')
    .set({ reserved: false })
    .where('id', '=', documentId)
    .execute();
}

export const reserveStock = defineAction({
  name: 'reserveStock',
  description: 'Reserves a shipment draft’s lines in its warehouse; available = on hand - reserved.',
  permission: 'erp.documents.post',
  write: true,
  input: z.object({ id: z.uuid(), revision: revisionInput }),
  output: documentSchema,
  async run(ctx, input) {
    const doc = await lockDocument(ctx, input.id);
    if (doc.type !== 'shipment') throw conflict('RESERVE_ONLY_SHIPMENT');
    assertDraft(doc);
    // Already reserved is the answer asked for (a retried call), whatever revision was seen.
    if (doc.reserved) {
      ctx.noAudit('already reserved');
      return loadDocument(ctx.db, input.id);
    }
    // Reserve the lines the clerk saw, not ones someone changed since.
    assertRevision(doc, input.revision);
    const lines = await ctx.db
      .selectFrom('erp_stock_document_lines')
      .select(['line_no', 'product_id', sql<string>`quantity::text`.as('quantity')])
      .where('document_id', '=', input.id)
      .orderBy('line_no')
      .execute();
    const totals = new Map<string, { lineNo: number; quantity: bigint }>();
    for (const l of lines) {
      const t = totals.get(l.product_id) ?? { lineNo: l.line_no, quantity: 0n };
      t.quantity += toMilli(l.quantity);
      totals.set(l.product_id, t);
    }
    const short = [];
    for (const [productId, t] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
      const q = formatMilli(t.quantity);
      // Guarded like a posting: reserve only what is available now.
      const row = await ctx.db
        .updateTable('erp_stock_balances')
        .set({ reserved: sql`reserved + ${q}::numeric`, updated_at: new Date() })
        .where('product_id', '=', productId)
        .where('warehouse_id', '=', doc.warehouse_id)
        .where(sql<boolean>`quantity - reserved >= ${q}::numeric`)
        .returning('product_id')
        .executeTakeFirst();
      if (row) {
        await ctx.db
          .insertInto('erp_reservations')
          .values({ document_id: doc.id, product_id: productId, warehouse_id: doc.warehouse_id, quantity: q })
          .execute();
        continue;
      }
      const current = await ctx.db
        .selectFrom('erp_stock_balances')
        .select(sql<string>`(quantity - reserved)::text`.as('available'))
        .where('product_id', '=', productId)
        .where('warehouse_id', '=', doc.warehouse_id)
        .executeTakeFirst();
      short.push({
        lineNo: t.lineNo,
        productId,
        warehouseId: doc.warehouse_id,
        requested: q,
        available: current ? formatMilli(fromDb(current.available)) : '0.000',
      });
    }
    if (short.length > 0) throw conflict('STOCK_INSUFFICIENT', { lines: short }, { count: short.length });
    await ctx.db
      .updateTable('erp_stock_documents')
      .set({ reserved: true, updated_at: new Date() })
      .where('id', '=', doc.id)
      .execute();
    await ctx.audit({
      entity: 'stockDocument',
      entityId: doc.id,
      before: { reserved: false },
      after: { reserved: true },
    });
    return loadDocument(ctx.db, input.id);
  },
});

export const releaseStock = defineAction({
  name: 'releaseStock',
  description: 'Releases a shipment draft’s reservation.',
  permission: 'erp.documents.post',
  write: true,
  input: z.object({ id: z.uuid(), revision: revisionInput }),
  output: documentSchema,
  async run(ctx, input) {
    const doc = await lockDocument(ctx, input.id);
    assertDraft(doc);
    if (!doc.reserved) {
      ctx.noAudit('nothing was reserved');
      return loadDocument(ctx.db, input.id);
    }
    assertRevision(doc, input.revision);
    await releaseReservation(ctx, input.id);
    await ctx.audit({
      entity: 'stockDocument',
      entityId: doc.id,
      before: { reserved: true },
      after: { reserved: false },
    });
    return loadDocument(ctx.db, input.id);
  },
});
