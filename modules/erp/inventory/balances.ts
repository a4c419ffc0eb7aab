// Reading stock: balances per (product, warehouse) and the ledger behind them.
import { sql } from 'kysely';
import { z } from 'zod';
import {
  iso,
  isoDateOrDateTime,
  likePattern,
  listInput,
  listOutput,
  parseSort,
  queryBoolean,
} from '../../../server/core/list-query.js';
import {
  addPages,
  csvSink,
  EXPORT_PAGE,
  spreadsheetFile,
  spreadsheetFileSchema,
  spreadsheetFormat,
  xlsxSink,
} from '../../../server/core/spreadsheet.js';
import { tashkentDayStart, tashkentTime } from '../../../server/core/tashkent-time.js';
import { defineAction, type Trx } from './define.js';
import { documentTypeSchema } from './document-schema.js';
import { unitSchema } from './products.js';

export const balanceSchema = z.object({
  productId: z.string(),
  warehouseId: z.string(),
  quantity: z.string(),
  reserved: z.string(),
  available: z.string(),
  /** Stock value at the weighted average cost (valuation.ts), 2 decimals. */
  value: z.string(),
  /** The value of one unit; null for an empty balance. */
  averageCost: z.string().nullable(),
  productSku: z.string(),
  productName: z.string(),
  unit: unitSchema,
  reorderLevel: z.string(),
  warehouseCode: z.string(),
  warehouseName: z.string(),
});

function selectBalances(db: Trx) {
  return db
    .selectFrom('erp_stock_balances as b')
    .innerJoin('erp_products as p', 'p.id', 'b.product_id')
    .innerJoin('erp_warehouses as w', 'w.id', 'b.warehouse_id')
    .select([
      'b.product_id as productId',
      'b.warehouse_id as warehouseId',
      sql<string>`b.quantity::text`.as('quantity'),
      sql<string>`b.reserved::text`.as('reserved'),
      sql<string>`(b.quantity - b.reserved)::numeric(18,3)::text`.as('available'),
      sql<string>`b.value::text`.as('value'),
      sql<string | null>`case when b.quantity > 0 then round(b.value / b.quantity, 2)::text end`.as(
        'averageCost',
      ),
      'p.sku as productSku',
      'p.name as productName',
      'p.unit',
      sql<string>`p.reorder_level::text`.as('reorderLevel'),
      'w.code as warehouseCode',
      'w.name as warehouseName',
    ]);
}

const balanceFilters = {
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  belowReorder: queryBoolean.optional(),
  nonZero: queryBoolean.optional(),
};

const balanceListInput = listInput(
  ['product', 'warehouse', 'quantity', 'available', 'value'],
  balanceFilters,
  'product',
);

/** The balances a list's filters leave: the list pages them, the export writes them all. */
function filteredBalances(db: Trx, input: z.output<typeof balanceListInput>) {
  let query = selectBalances(db);
  if (input.productId) query = query.where('b.product_id', '=', input.productId);
  if (input.warehouseId) query = query.where('b.warehouse_id', '=', input.warehouseId);
  if (input.nonZero) query = query.where('b.quantity', '>', '0');
  if (input.belowReorder) {
    query = query
      .where('p.reorder_level', '>', '0')
      .where(
        sql<boolean>`(select sum(x.quantity) from erp_stock_balances x where x.product_id = b.product_id) < p.reorder_level`,
      );
  }
  if (input.q) {
    const pattern = likePattern(input.q);
    query = query.where((eb) =>
      eb.or([eb('p.sku', 'ilike', pattern), eb('p.name', 'ilike', pattern), eb('w.code', 'ilike', pattern)]),
    );
  }
  return query;
}

const sortColumns = {
  product: 'p.sku',
  warehouse: 'w.code',
  quantity: 'b.quantity',
  available: sql`b.quantity - b.reserved`,
  value: 'b.value',
} as const;

export const listBalances = defineAction({
  name: 'listBalances',
  description: 'Stock balances: on hand, reserved and available per product and warehouse.',
  permission: 'erp.stock.read',
  write: false,
  input: balanceListInput,
  /** `totalValue`: the stock value of every row the filters leave, not only this page's. */
  output: listOutput(balanceSchema).extend({ totalValue: z.string() }),
  async run(ctx, input) {
    const query = filteredBalances(ctx.db, input);
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [items, count] = await Promise.all([
      query
        .orderBy(sortColumns[field], direction)
        .orderBy('b.product_id')
        .orderBy('b.warehouse_id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          sql<string>`coalesce(sum(b.value), 0)::numeric(20,2)::text`.as('value'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n), totalValue: count.value };
  },
});

export const getStock = defineAction({
  name: 'getStock',
  description:
    'Stock of some products (and warehouses) for other modules and processes, e.g. a deal’s lines.',
  permission: 'erp.stock.read',
  write: false,
  input: z.object({
    productId: z.uuid().optional(),
    productIds: z.array(z.uuid()).max(500).optional(),
    warehouseId: z.uuid().optional(),
  }),
  output: z.object({ items: z.array(balanceSchema) }),
  async run(ctx, input) {
    const ids = [...(input.productIds ?? []), ...(input.productId ? [input.productId] : [])];
    let query = selectBalances(ctx.db);
    if (ids.length > 0) query = query.where('b.product_id', 'in', ids);
    if (input.warehouseId) query = query.where('b.warehouse_id', '=', input.warehouseId);
    const items = await query.orderBy('p.sku').orderBy('w.code').limit(5000).execute();
    return { items };
  },
});

const ledgerEntrySchema = z.object({
  id: z.string(),
  postedAt: z.string(),
  documentId: z.string(),
  documentNumber: z.string(),
  documentType: documentTypeSchema,
  lineNo: z.number().int().nullable(),
  productId: z.string(),
  productSku: z.string(),
  productName: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  quantity: z.string(),
  balanceAfter: z.string(),
  /** The stock value the entry moved, signed like its quantity. */
  value: z.string(),
  /** The entry undoes another document's (a reversal posts the original's type). */
  reversal: z.boolean(),
});

// A plain date means the whole day in Tashkent: `from` its start, `to` its end.
const dayOrInstant = isoDateOrDateTime;
const startOf = (value: string) => (value.length === 10 ? tashkentDayStart(value) : new Date(value));
const endOf = (value: string) => (value.length === 10 ? tashkentDayStart(value, 1) : new Date(value));

const ledgerListInput = listInput(
  ['postedAt'],
  {
    productId: z.uuid().optional(),
    warehouseId: z.uuid().optional(),
    documentId: z.uuid().optional(),
    from: dayOrInstant.optional(),
    to: dayOrInstant.optional(),
  },
  '-postedAt',
);

/** The ledger entries a list's filters leave, with what a row shows: the list pages them, the export writes them all. */
function filteredLedger(db: Trx, input: z.output<typeof ledgerListInput>) {
  let query = db
    .selectFrom('erp_stock_ledger as e')
    .innerJoin('erp_stock_documents as d', 'd.id', 'e.document_id')
    .innerJoin('erp_products as p', 'p.id', 'e.product_id')
    .innerJoin('erp_warehouses as w', 'w.id', 'e.warehouse_id')
    .leftJoin('erp_stock_document_lines as l', 'l.id', 'e.line_id');
  if (input.productId) query = query.where('e.product_id', '=', input.productId);
  if (input.warehouseId) query = query.where('e.warehouse_id', '=', input.warehouseId);
  if (input.documentId) query = query.where('e.document_id', '=', input.documentId);
  if (input.from) query = query.where('e.posted_at', '>=', startOf(input.from));
  if (input.to) query = query.where('e.posted_at', '<', endOf(input.to));
  if (input.q) {
    const pattern = likePattern(input.q);
    query = query.where((eb) =>
      eb.or([
        eb('d.number', 'ilike', pattern),
        eb('p.sku', 'ilike', pattern),
        eb('p.name', 'ilike', pattern),
      ]),
    );
  }
  return query;
}

/** One page of the filtered ledger in the list's order. */
function ledgerPage(
  query: ReturnType<typeof filteredLedger>,
  direction: 'asc' | 'desc',
  limit: number,
  offset: number,
) {
  return query
    .select([
      'e.id',
      'e.posted_at',
      'e.document_id',
      'd.number',
      'd.type',
      'd.reversal_of_id',
      'l.line_no',
      'e.product_id',
      'p.sku',
      'p.name',
      'p.unit',
      'e.warehouse_id',
      'w.code',
      sql<string>`e.quantity::text`.as('quantity'),
      sql<string>`e.balance_after::text`.as('balance_after'),
      sql<string>`e.value::text`.as('value'),
    ])
    .orderBy('e.posted_at', direction)
    .orderBy('e.id', direction)
    .limit(limit)
    .offset(offset)
    .execute();
}

export const listLedger = defineAction({
  name: 'listLedger',
  description: 'The stock ledger: every posted change with the balance after it.',
  permission: 'erp.stock.read',
  write: false,
  input: ledgerListInput,
  output: listOutput(ledgerEntrySchema),
  async run(ctx, input) {
    const query = filteredLedger(ctx.db, input);
    const { direction } = parseSort<'postedAt'>(input.sort);
    const [rows, count] = await Promise.all([
      ledgerPage(query, direction, input.limit, input.offset),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        postedAt: iso(r.posted_at),
        documentId: r.document_id,
        documentNumber: r.number,
        documentType: r.type,
        lineNo: r.line_no,
        productId: r.product_id,
        productSku: r.sku,
        productName: r.name,
        warehouseId: r.warehouse_id,
        warehouseCode: r.code,
        quantity: r.quantity,
        balanceAfter: r.balance_after,
        value: r.value,
        reversal: r.reversal_of_id !== null,
      })),
      total: Number(count.n),
    };
  },
});

/** The first columns of an export with a row per product and warehouse. */
export const ITEM_HEADER = ['sku', 'product', 'unit', 'warehouse', 'warehouseName'];

/** Quantities and values as numbers, so a spreadsheet sums them (they have at most 3 decimals). */
const quantityCell = (value: string) => Number(value);

export const exportBalances = defineAction({
  name: 'exportBalances',
  description:
    'The balances of a filtered list (the list filters and sort, at most 200 000 rows) as CSV or XLSX: SKU, product, unit, warehouse, on hand, reserved, available, value, average cost.',
  permission: 'erp.stock.read',
  write: false,
  input: balanceListInput.omit({ limit: true, offset: true }).extend({ format: spreadsheetFormat }),
  output: spreadsheetFileSchema,
  async run(ctx, input) {
    const query = filteredBalances(ctx.db, { ...input, limit: EXPORT_PAGE, offset: 0 });
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const sink = input.format === 'csv' ? csvSink() : await xlsxSink('Stock');
    sink.add([[...ITEM_HEADER, 'onHand', 'reserved', 'available', 'value', 'averageCost']]);
    const exported = await addPages(
      sink,
      (limit, offset) =>
        query
          .orderBy(sortColumns[field], direction)
          .orderBy('b.product_id')
          .orderBy('b.warehouse_id')
          .limit(limit)
          .offset(offset)
          .execute(),
      (b) => [
        b.productSku,
        b.productName,
        b.unit,
        b.warehouseCode,
        b.warehouseName,
        quantityCell(b.quantity),
        quantityCell(b.reserved),
        quantityCell(b.available),
        quantityCell(b.value),
        b.averageCost === null ? '' : quantityCell(b.averageCost),
      ],
    );
    return spreadsheetFile(sink, 'stock', input.format, exported);
  },
});

export const exportLedger = defineAction({
  name: 'exportLedger',
  description:
    'The movements of a filtered ledger (the list filters, at most 200 000 rows) as CSV or XLSX: time (Tashkent), document, type, line, SKU, product, unit, warehouse, quantity (signed), balance after, value (signed).',
  permission: 'erp.stock.read',
  write: false,
  input: ledgerListInput.omit({ limit: true, offset: true }).extend({ format: spreadsheetFormat }),
  output: spreadsheetFileSchema,
  async run(ctx, input) {
    const query = filteredLedger(ctx.db, { ...input, limit: EXPORT_PAGE, offset: 0 });
    const { direction } = parseSort<'postedAt'>(input.sort);
    const sink = input.format === 'csv' ? csvSink() : await xlsxSink('Ledger');
    sink.add([
      [
        'postedAt',
        'document',
        'type',
        'line',
        'sku',
        'product',
        'unit',
        'warehouse',
        'quantity',
        'balanceAfter',
        'value',
      ],
    ]);
    const exported = await addPages(
      sink,
      (limit, offset) => ledgerPage(query, direction, limit, offset),
      (e) => [
        tashkentTime(e.posted_at),
        e.number,
        e.reversal_of_id === null ? e.type : `${e.type} (reversal)`,
        e.line_no ?? '',
        e.sku,
        e.name,
        e.unit,
        e.code,
        quantityCell(e.quantity),
        quantityCell(e.balance_after),
        quantityCell(e.value),
      ],
    );
    return spreadsheetFile(sink, 'ledger', input.format, exported);
  },
});
