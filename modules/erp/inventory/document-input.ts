// Checks a stock document before it is saved: warehouses, reason, client, and every line's
// product and quantity against the product's unit. All problems are reported at once, each
// with its field path, and nothing is written.
import { sql } from 'kysely';
import { z } from 'zod';
import { PREPARED } from '../../../db/database.js';
import { AppError, type Issue } from '../../../server/core/errors.js';
import type { ActionContext } from '../../../server/core/module.js';
import type { DocumentType, ErpTables, Unit } from '../schema.js';
import { documentTypeSchema, NUMBER_PREFIX, reasonSchema } from './document-schema.js';
import { checkQuantity } from './quantity.js';

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
  date: z.iso.date().optional(),
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

/**
 * The checked lines, the codes of the warehouses (to answer without reading them again), and
 * the document's number when one was asked for and the document is valid.
 */
export type CheckedDocument = {
  lines: CheckedLine[];
  warehouseCodes: Map<string, string>;
  number: string | null;
};

const PRICE = /^\d{1,16}(\.\d{1,2})?$/;

/**
 * Returns the lines with normalized quantities, or throws 400 naming every problem.
 * @param drawNumber the type whose next number to draw in the same query, only if the
 *   document turns out valid (a refused document must not use up a number)
 */
export async function checkDocument(
  ctx: ActionContext<ErpTables>,
  input: DocumentInput,
  drawNumber?: DocumentType,
): Promise<CheckedDocument> {
  const issues: Issue[] = [];
  const problem = (path: string, code: string, params?: Record<string, string | number>) =>
    issues.push({ path, message: ctx.translate(code, params) });

  // What can be told without the database decides whether a number may be drawn: a refused
  // document must not use one up. A product's unit only decides whether a fraction is allowed.
  const fractional = new Set<string>();
  let surelyInvalid =
    input.lines.length === 0 ||
    (input.type === 'transfer'
      ? !input.targetWarehouseId || input.targetWarehouseId === input.warehouseId
      : !!input.targetWarehouseId) ||
    (input.type === 'write_off'
      ? !input.reason || (input.reason === 'other' && !input.comment)
      : !!input.reason) ||
    (input.type === 'shipment' ? !input.clientId : !!(input.clientId || input.dealId)) ||
    (input.type === 'count' && new Set(input.lines.map((l) => l.productId)).size < input.lines.length);
  for (const line of input.lines) {
    const anyUnit = checkQuantity(line.quantity, 'kg', input.type === 'count');
    const badPrice =
      line.price !== undefined && line.price !== null && !PRICE.test(String(line.price).trim());
    if (typeof anyUnit !== 'bigint' || badPrice) surelyInvalid = true;
    else if (anyUnit % 1000n !== 0n) fractional.add(line.productId);
  }
  let clientUnknown = false;
  if (input.type === 'shipment' && input.clientId && ctx.hasAction('crm.getClient')) {
    // The client must exist in CRM: asked through CRM's action, never its tables.
    clientUnknown = await ctx.call('crm.getClient', { id: input.clientId }).then(
      () => false,
      (error: unknown) => {
        if (error instanceof AppError && error.status === 404) return true;
        throw error;
      },
    );
  }

  const warehouseIds = [input.warehouseId, input.targetWarehouseId].filter((id): id is string => !!id);
  const productIds = [...new Set(input.lines.map((l) => l.productId))];
  const draw = drawNumber && !surelyInvalid && !clientUnknown ? drawNumber : undefined;
  const found = await lookUp(ctx, warehouseIds, productIds, [...fractional], draw);
  const warehouses = found.filter((r) => r.kind === 'warehouse');
  const products = found.filter((r) => r.kind === 'product');

  const warehouseOk = (id: string) => warehouses.find((w) => w.id === id)?.active === true;
  if (!warehouseOk(input.warehouseId)) problem('warehouseId', 'WAREHOUSE_UNKNOWN');
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
    const product = products.find((p) => p.id === line.productId);
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
      const text = String(line.price).trim();
      if (!PRICE.test(text)) {
        problem(`lines.${index}.price`, 'PRICE_INVALID');
        continue;
      }
      price = text;
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
  return {
    lines: checked,
    warehouseCodes: new Map(warehouses.map((w) => [w.id ?? '', w.code ?? ''])),
    number: found.find((r) => r.kind === 'number')?.code ?? null,
  };
}

type Found = {
  kind: 'warehouse' | 'product' | 'number';
  id: string | null;
  /** The warehouse's code, the product's SKU, or the drawn number. */
  code: string | null;
  active: boolean | null;
  unit: string | null;
  name: string | null;
  reorder_level: string | null;
};

/**
 * Warehouses and products in one round trip, and with `draw` the next number of that type,
 * taken only when every warehouse and product is known and active and no whole-unit product
 * has a fraction: exactly when the checks that follow will pass.
 */
async function lookUp(
  ctx: ActionContext<ErpTables>,
  warehouseIds: string[],
  productIds: string[],
  fractional: string[],
  draw: DocumentType | undefined,
): Promise<Found[]> {
  const parts = [
    sql`select 'warehouse' as kind, id, code, active, null::text as unit, null::text as name,
          null::text as reorder_level
        from erp_warehouses where id in (${sql.join(warehouseIds)})`,
  ];
  if (productIds.length > 0) {
    parts.push(sql`select 'product', id, sku, active, unit, name, reorder_level::text
        from erp_products where id in (${sql.join(productIds)})`);
  }
  if (draw && productIds.length > 0) {
    const noFraction =
      fractional.length === 0
        ? sql`true`
        : sql`not exists (select 1 from erp_products
            where id in (${sql.join(fractional)}) and unit = 'pcs')`;
    parts.push(sql`select 'number', null::uuid, case
          when (select count(*) from erp_warehouses
                where id in (${sql.join(warehouseIds)}) and active) = ${warehouseIds.length}
            and (select count(*) from erp_products
                where id in (${sql.join(productIds)}) and active) = ${productIds.length}
            and ${noFraction}
          then ${nextNumber(draw, NUMBER_PREFIX[draw])} end,
          null, null, null, null`);
  }
  // Prepared for the few shapes of the common small documents of whole units.
  const prepared = sql.raw(productIds.length <= 4 && fractional.length === 0 ? PREPARED : '');
  const { rows } = await sql<Found>`${prepared}${sql.join(parts, sql` union all `)}`.execute(ctx.db);
  return rows;
}

/** The next number of a type, e.g. "WO-000012", drawn from the type's own sequence by the insert itself. */
export function nextNumber(type: string, prefix: string) {
  return sql<string>`${`${prefix}-`} || lpad(nextval(${`erp_seq_${type}`}::regclass)::text, 6, '0')`;
}
