// The stock document as the API and other modules see it, and how it is read from the tables.
import { sql } from 'kysely';
import { z } from 'zod';
import { notFound } from '../../../server/core/errors.js';
import { iso } from '../../../server/core/list-query.js';
import type { DocumentType } from '../schema.js';
import type { Trx } from './define.js';
import { unitSchema } from './products.js';

export const documentTypeSchema = z.enum(['receipt', 'write_off', 'transfer', 'shipment', 'count']);
export const reasonSchema = z.enum(['damaged', 'expired', 'lost', 'internal_use', 'other']);
export const statusSchema = z.enum(['draft', 'posted', 'reversed']);

export const NUMBER_PREFIX: Record<DocumentType, string> = {
  receipt: 'RC',
  write_off: 'WO',
  transfer: 'TR',
  shipment: 'SH',
  count: 'IC',
};

export const lineSchema = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string(),
  productSku: z.string(),
  productName: z.string(),
  unit: unitSchema,
  quantity: z.string(),
  price: z.string().nullable(),
  difference: z.string().nullable(),
});

const documentFields = {
  id: z.string(),
  number: z.string(),
  type: documentTypeSchema,
  status: statusSchema,
  date: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  targetWarehouseId: z.string().nullable(),
  targetWarehouseCode: z.string().nullable(),
  clientId: z.string().nullable(),
  dealId: z.string().nullable(),
  reason: reasonSchema.nullable(),
  comment: z.string().nullable(),
  reversalOfId: z.string().nullable(),
  /** The number of the document this one reverses. */
  reversalOfNumber: z.string().nullable(),
  reversedById: z.string().nullable(),
  /** The number of the reversal that undid this document. */
  reversedByNumber: z.string().nullable(),
  reserved: z.boolean(),
  /** 1 when written, one more with every change: name it when saving or posting a draft. */
  revision: z.number().int(),
  createdAt: z.string(),
  postedAt: z.string().nullable(),
};

export const documentSchema = z.object({ ...documentFields, lines: z.array(lineSchema) });
export const documentSummarySchema = z.object({
  ...documentFields,
  lineCount: z.number().int(),
  /** The priced lines' quantity x price, summed; null when no line has a price. */
  amount: z.string().nullable(),
  /** A shipment's client as CRM names it; null when CRM does not know it (or the caller may not see it). */
  clientName: z.string().nullable(),
});
export type StockDocument = z.infer<typeof documentSchema>;

export function selectDocuments(db: Trx) {
  return db
    .selectFrom('erp_stock_documents as d')
    .innerJoin('erp_warehouses as w', 'w.id', 'd.warehouse_id')
    .leftJoin('erp_warehouses as t', 't.id', 'd.target_warehouse_id')
    .leftJoin('erp_stock_documents as orig', 'orig.id', 'd.reversal_of_id')
    .leftJoin('erp_stock_documents as rev', 'rev.id', 'd.reversed_by_id')
    .select([
      'd.id',
      'd.number',
      'd.type',
      'd.status',
      sql<string>`d.date::text`.as('date'),
      'd.warehouse_id',
      'w.code as warehouse_code',
      'd.target_warehouse_id',
      't.code as target_warehouse_code',
      'd.client_id',
      'd.deal_id',
      'd.reason',
      'd.comment',
      'd.reversal_of_id',
      'orig.number as reversal_of_number',
      'd.reversed_by_id',
      'rev.number as reversed_by_number',
      'd.reserved',
      'd.revision',
      'd.created_at',
      'd.posted_at',
      sql<number>`(select count(*)::int from erp_stock_document_lines l where l.document_id = d.id)`.as(
        'line_count',
      ),
    ]);
}

type DocumentRow = Awaited<ReturnType<ReturnType<typeof selectDocuments>['executeTakeFirstOrThrow']>>;

export function toSummary(row: DocumentRow) {
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    status: row.status,
    date: row.date,
    warehouseId: row.warehouse_id,
    warehouseCode: row.warehouse_code,
    targetWarehouseId: row.target_warehouse_id,
    targetWarehouseCode: row.target_warehouse_code,
    clientId: row.client_id,
    dealId: row.deal_id,
    reason: row.reason,
    comment: row.comment,
    reversalOfId: row.reversal_of_id,
    reversalOfNumber: row.reversal_of_number,
    reversedById: row.reversed_by_id,
    reversedByNumber: row.reversed_by_number,
    reserved: row.reserved,
    revision: row.revision,
    createdAt: iso(row.created_at),
    postedAt: iso(row.posted_at),
    lineCount: row.line_count,
  };
}

export async function loadDocument(db: Trx, id: string): Promise<StockDocument> {
  const row = await selectDocuments(db).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('stockDocument', id);
  const lines = await db
    .selectFrom('erp_stock_document_lines as l')
    .innerJoin('erp_products as p', 'p.id', 'l.product_id')
    .select([
      'l.id',
      'l.line_no',
      'l.product_id',
      'p.sku',
      'p.name',
      'p.unit',
      sql<string>`l.quantity::text`.as('quantity'),
      sql<string | null>`l.price::text`.as('price'),
      sql<string | null>`l.difference::text`.as('difference'),
    ])
    .where('l.document_id', '=', id)
    .orderBy('l.line_no')
    .execute();
  const { lineCount: _count, ...summary } = toSummary(row);
  return {
    ...summary,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.line_no,
      productId: l.product_id,
      productSku: l.sku,
      productName: l.name,
      unit: l.unit,
      quantity: l.quantity,
      price: l.price,
      difference: l.difference,
    })),
  };
}
