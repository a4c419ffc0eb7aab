// Checks a stock document before it is saved: warehouses, reason, client, and every line's
// product and quantity against the product's unit. All problems are reported at once, each
// with its field path, and nothing is written.
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { PREPARED } from '../../../db/database.js';
import { AppError, type Issue } from '../../../server/core/errors.js';
import { isoDate } from '../../../server/core/list-query.js';
import type { ActionContext, Actor } from '../../../server/core/module.js';
import type { ErpTables, Unit } from '../schema.js';
import { documentTypeSchema, reasonSchema } from './document-schema.js';
import { keeps, notKept } from './keepers.js';
import { checkPrice, checkQuantity } from './quantity.js';
import { shipmentClient } from './shipment-clients.js';
import { formatValue } from './valuation.js';

const amount = z.union([z.string().max(40), z.number()]);

export const lineInputSchema = z.object({
  productId: z.uuid(),
  quantity: amount,
  price: amount.nullable().optional(),
});

export const documentInputFields = {
  type: documentTypeSchema,
  warehouseId: z.uuid(),
  targetWarehouseId: z.uuid().nullable().optional(),
  clientId: z.uuid().nullable().optional(),
  dealId: z.uuid().nullable().optional(),
  reason: reasonSchema.nullable().optional(),
  comment: z.string().trim().max(1000).nullable().optional(),
  date: isoDate.optional(),
  lines: z.array(lineInputSchema).max(1000),
};

export const documentInputSchema = z.object(documentInputFields);
export type DocumentInput = z.infer<typeof documentInputSchema>;

export type CheckedLine = {
  productId: string;
  quantity: string;
  price: string | null;
  unit: Unit;
  sku: string;
  name: string;
  reorderLevel: string;
};

/** The checked lines, and the codes of the warehouses (to answer without reading them again). */
export type CheckedDocument = {
  lines: CheckedLine[];
  warehouseCodes: Map<string, string>;
};

/** Returns the lines with normalized quantities, or throws 400 naming every problem. */
export async function checkDocument(
  ctx: ActionContext<ErpTables>,
  input: DocumentInput,
): Promise<CheckedDocument> {
  const clientUnknown = await isClientUnknown(ctx, input);
  const found = await lookUp(ctx.db, referencedIds(input));
  return judgeDocument(ctx, input, found, clientUnknown);
}

/**
 * Whether a shipment names a client CRM does not know. Asked as the system (shipment-clients.ts):
 * warehouse staff post shipments without any right to read CRM.
 */
export async function isClientUnknown(ctx: ActionContext<ErpTables>, input: DocumentInput): Promise<boolean> {
  if (input.type !== 'shipment' || !input.clientId || !ctx.hasAction('crm.getClient')) return false;
  return (await shipmentClient(ctx, input.clientId)) === null;
}

/** The warehouses and products a document names. */
export function referencedIds(input: DocumentInput): { warehouseIds: string[]; productIds: string[] } {
  return {
    warehouseIds: [input.warehouseId, input.targetWarehouseId].filter((id): id is string => !!id),
    productIds: [...new Set(input.lines.map((l) => l.productId))],
  };
}

/**
 * Judges a document against the warehouses and products read for it (`lookUp`, which may have
 * read more: a group's documents share one read). Throws 400 naming every problem at once.
 */
export function judgeDocument(
  {
    translate,
    actor,
  }: { translate: (code: string, params?: Record<string, string | number>) => string; actor: Actor },
  input: DocumentInput,
  found: Found[],
  clientUnknown: boolean,
): CheckedDocument {
  const issues: Issue[] = [];
  const problem = (path: string, code: string, params?: Record<string, string | number>) =>
    issues.push({ path, message: translate(code, params) });
  const warehouse = (id: string) => found.find((r) => r.kind === 'warehouse' && r.id === id);
  const warehouseOk = (id: string) => warehouse(id)?.active === true;
  if (!warehouseOk(input.warehouseId)) problem('warehouseId', 'WAREHOUSE_UNKNOWN');
  else {
    // The document's own warehouse (a transfer's source) is its keepers' to post in.
    const own = warehouse(input.warehouseId)!;
    if (!keeps(actor, own.keepers ?? [])) throw notKept(own.code);
  }
  if (input.type === 'transfer') {
    if (!input.targetWarehouseId) problem('targetWarehouseId', 'TARGET_WAREHOUSE_REQUIRED');
    else if (input.targetWarehouseId === input.warehouseId)
      problem('targetWarehouseId', 'TRANSFER_SAME_WAREHOUSE');
    else if (!warehouseOk(input.targetWarehouseId)) problem('targetWarehouseId', 'WAREHOUSE_UNKNOWN');
  } else if (input.targetWarehouseId) {
    problem('targetWarehouseId', 'TARGET_WAREHOUSE_ONLY_TRANSFER');
  }
  if (input.type === 'write_off') {
    if (!input.reason) problem('reason', 'WRITE_OFF_REASON_REQUIRED');
    else if (input.reason === 'other' && !input.comment) problem('comment', 'WRITE_OFF_COMMENT_REQUIRED');
  } else if (input.reason) {
    problem('reason', 'REASON_ONLY_WRITE_OFF');
  }
  if (input.type === 'shipment') {
    if (!input.clientId) problem('clientId', 'SHIPMENT_CLIENT_REQUIRED');
    else if (clientUnknown) problem('clientId', 'CLIENT_UNKNOWN');
  } else if (input.clientId || input.dealId) {
    problem(input.clientId ? 'clientId' : 'dealId', 'CLIENT_ONLY_SHIPMENT');
  }

  if (input.lines.length === 0) problem('lines', 'DOCUMENT_EMPTY');
  const checked: CheckedLine[] = [];
  const seen = new Set<string>();
  for (const [index, line] of input.lines.entries()) {
    const product = found.find((r) => r.kind === 'product' && r.id === line.productId);
    if (!product) {
      problem(`lines.${index}.productId`, 'PRODUCT_UNKNOWN');
      continue;
    }
    if (!product.active) {
      problem(`lines.${index}.productId`, 'PRODUCT_INACTIVE');
      continue;
    }
    if (input.type === 'count' && seen.has(line.productId)) {
      problem(`lines.${index}.productId`, 'COUNT_PRODUCT_TWICE');
      continue;
    }
    seen.add(line.productId);
    const unit = product.unit as Unit;
    const quantity = checkQuantity(line.quantity, unit, input.type === 'count');
    if (typeof quantity !== 'bigint') {
      problem(`lines.${index}.quantity`, quantity);
      continue;
    }
    let price: string | null = null;
    if (line.price !== undefined && line.price !== null) {
      const checkedPrice = checkPrice(line.price, quantity);
      if (typeof checkedPrice !== 'bigint') {
        problem(`lines.${index}.price`, checkedPrice);
        continue;
      }
      price = formatValue(checkedPrice);
    }
    checked.push({
      productId: line.productId,
      quantity: String(line.quantity).trim(),
      price,
      unit,
      sku: product.code ?? '',
      name: product.name ?? '',
      reorderLevel: product.reorder_level ?? '0.000',
    });
  }

  if (issues.length > 0) throw new AppError(400, 'VALIDATION_FAILED', { details: { issues } });
  const codes = new Map<string, string>();
  for (const id of referencedIds(input).warehouseIds) codes.set(id, warehouse(id)?.code ?? '');
  return { lines: checked, warehouseCodes: codes };
}

export type Found = {
  kind: 'warehouse' | 'product';
  id: string;
  /** The warehouse's code, the product's SKU. */
  code: string;
  active: boolean;
  unit: string | null;
  name: string | null;
  reorder_level: string | null;
  /** The row's version (`xmin`: it changes with every update), to tell a known row unchanged. */
  version: string;
  /** A warehouse's keepers (user ids; empty: anyone may post in it); null for a product. */
  keepers: string[] | null;
};

/**
 * The warehouses' and products' rows a document needs judged against (`Found`), locked `for key
 * share` until the transaction ends: a deactivation (which locks its row `for update` before it
 * checks that no stock is held) then either waits for this posting and counts its stock, or
 * commits first and this read sees the row inactive. A plain read would judge the row as it was
 * when the statement began, and a posting could land in a warehouse just closed.
 */
export function foundRows(ids: { warehouseIds: string[]; productIds: string[] }) {
  return sql<Found>`
    select * from (select 'warehouse' as kind, id, code, active, null::text as unit, null::text as name,
      null::text as reorder_level, xmin::text as version, keeper_ids::text[] as keepers
      from erp_warehouses where id = any(${ids.warehouseIds}::uuid[]) for key share) w
    union all
    select * from (select 'product', id, sku, active, unit, name, reorder_level::text, xmin::text, null::text[]
      from erp_products where id = any(${ids.productIds}::uuid[]) for key share) p`;
}

/**
 * Warehouses and products in one round trip; ids travel as arrays, so the statement has one
 * text whatever their number: prepared once per connection.
 */
export async function lookUp(
  db: Transaction<ErpTables>,
  ids: { warehouseIds: string[]; productIds: string[] },
): Promise<Found[]> {
  const { rows } = await sql<Found>`${sql.raw(PREPARED)} ${foundRows(ids)}`.execute(db);
  return rows;
}

/** The next number of a type, e.g. "WO-000012", drawn from the type's own sequence by the insert itself. */
export function nextNumber(type: string, prefix: string) {
  return sql<string>`${`${prefix}-`} || lpad(nextval(${`erp_seq_${type}`}::regclass)::text, 6, '0')`;
}
