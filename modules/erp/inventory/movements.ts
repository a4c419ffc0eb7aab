// Stock movements for a period, per product and warehouse: what was there when it began, what
// came in, what went out and what was left at its end (the "stock balance" report of ERPNext,
// 1C's "ведомость по товарам"). Days are Tashkent's.
import { sql } from 'kysely';
import { z } from 'zod';
import {
  likePattern,
  listInput,
  listOutput,
  parseSort,
  queryBoolean,
} from '../../../server/core/list-query.js';
import { periodFields, periodInstants, periodOf, withPeriodRule } from '../../../server/core/period.js';
import {
  addPages,
  csvSink,
  spreadsheetFile,
  spreadsheetFileSchema,
  spreadsheetFormat,
  xlsxSink,
} from '../../../server/core/spreadsheet.js';
import { ITEM_HEADER } from './balances.js';
import { defineAction, type Trx } from './define.js';
import { unitSchema } from './products.js';

export const movementSchema = z.object({
  productId: z.string(),
  productSku: z.string(),
  productName: z.string(),
  unit: unitSchema,
  warehouseId: z.string(),
  warehouseCode: z.string(),
  warehouseName: z.string(),
  /** On hand when the period's first day began. */
  opening: z.string(),
  /** The sum of the period's increases (receipts, transfers in, counts that found more, reversals of issues). */
  incoming: z.string(),
  /** The sum of the period's decreases, as a positive quantity. */
  outgoing: z.string(),
  /** On hand when the period's last day ended: opening + incoming - outgoing. */
  closing: z.string(),
  /** The same four as stock values at the weighted average cost (2 decimals). */
  openingValue: z.string(),
  incomingValue: z.string(),
  outgoingValue: z.string(),
  closingValue: z.string(),
});

/** A row's figures, in quantity and then in value: the report's sort keys and export columns. */
const FIGURES = [
  'opening',
  'incoming',
  'outgoing',
  'closing',
  'openingValue',
  'incomingValue',
  'outgoingValue',
  'closingValue',
] as const;

const movementFilters = listInput(
  ['product', 'warehouse', ...FIGURES],
  {
    ...periodFields,
    productId: z.uuid().optional(),
    warehouseId: z.uuid().optional(),
    /** Only the rows that moved in the period (otherwise every row with anything to show). */
    moved: queryBoolean.optional(),
  },
  'product',
);

type Filters = Omit<z.output<typeof movementFilters>, 'limit' | 'offset'>;

const movementListInput = withPeriodRule(movementFilters);

/**
 * The report's rows, filtered, before paging. Every balance row is a (product, warehouse) that
 * ever held stock; the period's entries are read once, by the ledger's time index, so the
 * report costs the period's movements, not the ledger's history: the opening is the balance
 * today less everything since the period began, the closing the balance less everything since
 * it ended (exact sums, so opening + incoming - outgoing = closing on every row).
 */
function movementRows(db: Trx, input: Filters) {
  const { start, end } = periodInstants(input);
  let rows = db
    .selectFrom('erp_stock_balances as b')
    .innerJoin('erp_products as p', 'p.id', 'b.product_id')
    .innerJoin('erp_warehouses as w', 'w.id', 'b.warehouse_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('erp_stock_ledger as e')
          .select([
            'e.product_id',
            'e.warehouse_id',
            sql<string>`sum(e.quantity)`.as('since_start'),
            sql<string>`coalesce(sum(e.quantity) filter (where e.posted_at >= ${end}), 0)`.as('since_end'),
            sql<string>`coalesce(sum(e.quantity) filter (where e.posted_at < ${end} and e.quantity > 0), 0)`.as(
              'incoming',
            ),
            sql<string>`coalesce(-sum(e.quantity) filter (where e.posted_at < ${end} and e.quantity < 0), 0)`.as(
              'outgoing',
            ),
            sql<string>`sum(e.value)`.as('value_since_start'),
            sql<string>`coalesce(sum(e.value) filter (where e.posted_at >= ${end}), 0)`.as('value_since_end'),
            sql<string>`coalesce(sum(e.value) filter (where e.posted_at < ${end} and e.quantity > 0), 0)`.as(
              'incoming_value',
            ),
            sql<string>`coalesce(-sum(e.value) filter (where e.posted_at < ${end} and e.quantity < 0), 0)`.as(
              'outgoing_value',
            ),
            sql<number>`count(*) filter (where e.posted_at < ${end})`.as('moves'),
          ])
          .where('e.posted_at', '>=', start)
          .groupBy(['e.product_id', 'e.warehouse_id'])
          .as('m'),
      (join) =>
        join.onRef('m.product_id', '=', 'b.product_id').onRef('m.warehouse_id', '=', 'b.warehouse_id'),
    )
    .select([
      'b.product_id as productId',
      'p.sku as productSku',
      'p.name as productName',
      'p.unit',
      'b.warehouse_id as warehouseId',
      'w.code as warehouseCode',
      'w.name as warehouseName',
      sql<string>`(b.quantity - coalesce(m.since_start, 0))::numeric(18,3)`.as('opening'),
      sql<string>`coalesce(m.incoming, 0)::numeric(18,3)`.as('incoming'),
      sql<string>`coalesce(m.outgoing, 0)::numeric(18,3)`.as('outgoing'),
      sql<string>`(b.quantity - coalesce(m.since_end, 0))::numeric(18,3)`.as('closing'),
      sql<string>`(b.value - coalesce(m.value_since_start, 0))::numeric(20,2)`.as('openingValue'),
      sql<string>`coalesce(m.incoming_value, 0)::numeric(20,2)`.as('incomingValue'),
      sql<string>`coalesce(m.outgoing_value, 0)::numeric(20,2)`.as('outgoingValue'),
      sql<string>`(b.value - coalesce(m.value_since_end, 0))::numeric(20,2)`.as('closingValue'),
      sql<number>`coalesce(m.moves, 0)`.as('moves'),
    ]);
  if (input.productId) rows = rows.where('b.product_id', '=', input.productId);
  if (input.warehouseId) rows = rows.where('b.warehouse_id', '=', input.warehouseId);
  if (input.q) {
    const pattern = likePattern(input.q);
    rows = rows.where((eb) =>
      eb.or([eb('p.sku', 'ilike', pattern), eb('p.name', 'ilike', pattern), eb('w.code', 'ilike', pattern)]),
    );
  }
  const report = db.selectFrom(rows.as('r')).selectAll();
  return input.moved
    ? report.where('r.moves', '>', 0)
    : report.where((eb) =>
        eb.or([eb('r.moves', '>', 0), eb('r.opening', '<>', '0'), eb('r.closing', '<>', '0')]),
      );
}

const sortColumns = {
  product: 'r.productSku',
  warehouse: 'r.warehouseCode',
  opening: 'r.opening',
  incoming: 'r.incoming',
  outgoing: 'r.outgoing',
  closing: 'r.closing',
  openingValue: 'r.openingValue',
  incomingValue: 'r.incomingValue',
  outgoingValue: 'r.outgoingValue',
  closingValue: 'r.closingValue',
} as const;

function sortedPage(input: Filters, query: ReturnType<typeof movementRows>, limit: number, offset: number) {
  const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
  return query
    .orderBy(sortColumns[field], direction)
    .orderBy('r.productSku')
    .orderBy('r.warehouseCode')
    .limit(limit)
    .offset(offset)
    .execute();
}

const text = (value: unknown) => String(value);

export const listStockMovements = defineAction({
  name: 'listStockMovements',
  description:
    'Stock movements for a period (Tashkent days, `to` included; the current month by default) per product and warehouse: opening, incoming, outgoing, closing, in quantity and in value.',
  permission: 'erp.stock.read',
  write: false,
  input: movementListInput,
  output: listOutput(movementSchema).extend({ from: z.string(), to: z.string() }),
  async run(ctx, input) {
    const query = movementRows(ctx.db, input);
    const [rows, count] = await Promise.all([
      sortedPage(input, query, input.limit, input.offset),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      ...periodOf(input),
      total: Number(count.n),
      items: rows.map(({ moves: _, ...r }) => ({
        ...r,
        opening: text(r.opening),
        incoming: text(r.incoming),
        outgoing: text(r.outgoing),
        closing: text(r.closing),
        openingValue: text(r.openingValue),
        incomingValue: text(r.incomingValue),
        outgoingValue: text(r.outgoingValue),
        closingValue: text(r.closingValue),
      })),
    };
  },
});

export const exportStockMovements = defineAction({
  name: 'exportStockMovements',
  description:
    'The stock movements report (its filters and sort, at most 200 000 rows) as CSV or XLSX: SKU, product, unit, warehouse, opening, incoming, outgoing, closing, and the same in value, with the period in the file name.',
  permission: 'erp.stock.read',
  write: false,
  input: withPeriodRule(
    movementFilters.omit({ limit: true, offset: true }).extend({ format: spreadsheetFormat }),
  ),
  output: spreadsheetFileSchema,
  async run(ctx, input) {
    const query = movementRows(ctx.db, input);
    const sink = input.format === 'csv' ? csvSink() : await xlsxSink('Movements');
    sink.add([[...ITEM_HEADER, ...FIGURES]]);
    const exported = await addPages(
      sink,
      (limit, offset) => sortedPage(input, query, limit, offset),
      (r) => [
        r.productSku,
        r.productName,
        r.unit,
        r.warehouseCode,
        r.warehouseName,
        Number(r.opening),
        Number(r.incoming),
        Number(r.outgoing),
        Number(r.closing),
        Number(r.openingValue),
        Number(r.incomingValue),
        Number(r.outgoingValue),
        Number(r.closingValue),
      ],
    );
    const { from, to } = periodOf(input);
    return spreadsheetFile(sink, `stock-movements-${from}_${to}`, input.format, exported, false);
  },
});
