// Products: what is stocked, in which unit, and at which level it must be reordered.
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, notFound } from '../../../server/core/errors.js';
import {
  iso,
  likePattern,
  listInput,
  listOutput,
  parseSort,
  queryBoolean,
} from '../../../server/core/list-query.js';
import { defineAction, type Trx } from './define.js';
import { checkQuantity } from './quantity.js';
import { assertHoldsNoStock } from './stock-held.js';

export const unitSchema = z.enum(['pcs', 'kg', 'l', 'm']);

/** A product's (`p`) stock over every warehouse, in SQL. */
export const totalStockOfP = sql<string>`coalesce((select sum(b.quantity) from erp_stock_balances b where b.product_id = p.id), 0)`;

/** Whether a product (`p`) with a reorder level has less than it in stock over every warehouse. */
export const belowReorderLevelOfP = sql<boolean>`p.reorder_level > 0 and ${totalStockOfP} < p.reorder_level`;

export const productSchema = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  unit: unitSchema,
  barcode: z.string().nullable(),
  reorderLevel: z.string(),
  active: z.boolean(),
  onHand: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const reorderLevelSchema = z
  .union([z.string(), z.number()])
  .refine((v) => typeof checkQuantity(v, 'kg', true) === 'bigint', { message: 'QUANTITY_NOT_NUMBER' });

const productFields = {
  sku: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\p{L}\p{N}._/-]+$/u, { message: 'SKU_INVALID' }),
  name: z.string().trim().min(1).max(200),
  unit: unitSchema,
  barcode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{4,64}$/, { message: 'BARCODE_INVALID' })
    .nullable()
    .optional(),
  reorderLevel: reorderLevelSchema.optional(),
};

type ProductRow = {
  id: string;
  sku: string;
  name: string;
  unit: 'pcs' | 'kg' | 'l' | 'm';
  barcode: string | null;
  reorder_level: string;
  active: boolean;
  on_hand: string;
  created_at: Date;
  updated_at: Date;
};

function toProduct(row: ProductRow) {
  return {
    id: row.id,
    sku: row.sku,
    name: row.name,
    unit: row.unit,
    barcode: row.barcode,
    reorderLevel: row.reorder_level,
    active: row.active,
    onHand: row.on_hand,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const onHand = sql<string>`coalesce((select sum(b.quantity) from erp_stock_balances b where b.product_id = p.id), 0)::numeric(18,3)::text`;

function selectProducts(db: Trx) {
  return db
    .selectFrom('erp_products as p')
    .select([
      'p.id',
      'p.sku',
      'p.name',
      'p.unit',
      'p.barcode',
      'p.reorder_level',
      'p.active',
      'p.created_at',
      'p.updated_at',
      onHand.as('on_hand'),
    ]);
}

async function assertUnique(
  db: Trx,
  fields: { sku?: string; barcode?: string | null },
  exceptId?: string,
): Promise<void> {
  if (fields.sku !== undefined) {
    let q = db.selectFrom('erp_products').select('id').where(sql`lower(sku)`, '=', fields.sku.toLowerCase());
    if (exceptId) q = q.where('id', '<>', exceptId);
    const taken = await q.executeTakeFirst();
    if (taken) throw conflict('SKU_TAKEN', { field: 'sku', productId: taken.id }, { sku: fields.sku });
  }
  if (fields.barcode) {
    let q = db.selectFrom('erp_products').select('id').where('barcode', '=', fields.barcode);
    if (exceptId) q = q.where('id', '<>', exceptId);
    const taken = await q.executeTakeFirst();
    if (taken)
      throw conflict('BARCODE_TAKEN', { field: 'barcode', productId: taken.id }, { barcode: fields.barcode });
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

export const createProduct = defineAction({
  name: 'createProduct',
  description: 'Adds a product (SKU, name, unit, barcode, reorder level).',
  permission: 'erp.products.write',
  write: true,
  input: z.object(productFields),
  output: productSchema,
  async run(ctx, input) {
    await assertUnique(ctx.db, input);
    let row: { id: string };
    try {
      row = await ctx.db
        .insertInto('erp_products')
        .values({
          sku: input.sku,
          name: input.name,
          unit: input.unit,
          barcode: input.barcode ?? null,
          reorder_level: String(input.reorderLevel ?? 0),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    } catch (error) {
      // Two clerks adding the same SKU at once: the unique index decides.
      if (isUniqueViolation(error)) throw conflict('SKU_TAKEN', { field: 'sku' }, { sku: input.sku });
      throw error;
    }
    const product = toProduct(
      await selectProducts(ctx.db).where('p.id', '=', row.id).executeTakeFirstOrThrow(),
    );
    await ctx.audit({ entity: 'product', entityId: row.id, before: null, after: product });
    return product;
  },
});

export const updateProduct = defineAction({
  name: 'updateProduct',
  description: 'Changes a product. The unit cannot change once stock was posted in it.',
  permission: 'erp.products.write',
  write: true,
  input: z
    .object({ id: z.uuid(), ...productFields, active: z.boolean() })
    .partial()
    .required({ id: true }),
  output: productSchema,
  async run(ctx, input) {
    const before = await selectProducts(ctx.db)
      .where('p.id', '=', input.id)
      .forUpdate('p')
      .executeTakeFirst();
    if (!before) throw notFound('product', input.id);
    await assertUnique(ctx.db, { sku: input.sku, barcode: input.barcode }, input.id);
    // An inactive product is in no new document: its stock would be stranded.
    if (input.active === false && before.active)
      await assertHoldsNoStock(ctx.db, { productId: input.id }, 'PRODUCT_HAS_STOCK');
    if (input.unit && input.unit !== before.unit) {
      const used = await ctx.db
        .selectFrom('erp_stock_ledger')
        .select('id')
        .where('product_id', '=', input.id)
        .limit(1)
        .executeTakeFirst();
      if (used) throw conflict('UNIT_LOCKED', { field: 'unit' });
    }
    await ctx.db
      .updateTable('erp_products')
      .set({
        updated_at: new Date(),
        ...(input.sku !== undefined && { sku: input.sku }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.unit !== undefined && { unit: input.unit }),
        ...(input.barcode !== undefined && { barcode: input.barcode }),
        ...(input.reorderLevel !== undefined && { reorder_level: String(input.reorderLevel) }),
        ...(input.active !== undefined && { active: input.active }),
      })
      .where('id', '=', input.id)
      .execute();
    const after = toProduct(
      await selectProducts(ctx.db).where('p.id', '=', input.id).executeTakeFirstOrThrow(),
    );
    await ctx.audit({ entity: 'product', entityId: input.id, before: toProduct(before), after });
    return after;
  },
});

export const getProduct = defineAction({
  name: 'getProduct',
  description: 'One product with its stock on hand over all warehouses.',
  permission: 'erp.products.read',
  write: false,
  input: z.object({ id: z.uuid() }),
  output: productSchema,
  async run(ctx, input) {
    const row = await selectProducts(ctx.db).where('p.id', '=', input.id).executeTakeFirst();
    if (!row) throw notFound('product', input.id);
    return toProduct(row);
  },
});

export const lookupProduct = defineAction({
  name: 'lookupProduct',
  description: 'Finds the product whose SKU (any case) or barcode is exactly the code: the scanner path.',
  permission: 'erp.products.read',
  write: false,
  input: z.object({ code: z.string().trim().min(1).max(64) }),
  output: z.object({ product: productSchema.nullable() }),
  async run(ctx, input) {
    const row = await selectProducts(ctx.db)
      .where((eb) =>
        eb.or([eb('p.barcode', '=', input.code), eb(sql`lower(p.sku)`, '=', input.code.toLowerCase())]),
      )
      .orderBy('p.active', 'desc')
      .executeTakeFirst();
    return { product: row ? toProduct(row) : null };
  },
});

const sortColumns = { sku: 'p.sku', name: 'p.name', createdAt: 'p.created_at' } as const;

export const listProducts = defineAction({
  name: 'listProducts',
  description:
    'Lists products: text search on SKU, barcode and name; filters by unit, active, below reorder level.',
  permission: 'erp.products.read',
  write: false,
  input: listInput(
    ['sku', 'name', 'createdAt'],
    { active: queryBoolean.optional(), unit: unitSchema.optional(), belowReorder: queryBoolean.optional() },
    'sku',
  ),
  output: listOutput(productSchema),
  async run(ctx, input) {
    let query = selectProducts(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) =>
        eb.or([
          eb('p.sku', 'ilike', pattern),
          eb('p.name', 'ilike', pattern),
          eb('p.barcode', '=', input.q!),
        ]),
      );
    }
    if (input.active !== undefined) query = query.where('p.active', '=', input.active);
    if (input.unit) query = query.where('p.unit', '=', input.unit);
    if (input.belowReorder) {
      query = query.where(belowReorderLevelOfP);
    }
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(sortColumns[field], direction)
        .orderBy('p.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toProduct), total: Number(count.n) };
  },
});
