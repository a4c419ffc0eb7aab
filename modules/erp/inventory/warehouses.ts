// Warehouses: where stock is kept.
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
import { type Ctx, defineAction, type Trx } from './define.js';
import { checkedKeepers, type Keeper, keeperIdsInput, keeperSchema, keepersOf } from './keepers.js';
import { assertHoldsNoStock } from './stock-held.js';

export const warehouseSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  active: z.boolean(),
  /** Who alone posts documents in it (admins aside); empty: anyone with the document rights. */
  keepers: z.array(keeperSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const fields = {
  code: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[\p{L}\p{N}._-]+$/u, { message: 'CODE_INVALID' }),
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().max(500).nullable().optional(),
  keeperIds: keeperIdsInput.optional(),
};

type Row = {
  id: string;
  code: string;
  name: string;
  address: string | null;
  active: boolean;
  keeper_ids: string[];
  created_at: Date;
  updated_at: Date;
};

const toWarehouse = (r: Row, keepers: Keeper[]) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  active: r.active,
  keepers,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
});

/** Warehouses as the API gives them, their keepers named (one call for all of them). */
async function toWarehouses(ctx: Ctx, rows: Row[]) {
  const keepers = await keepersOf(ctx, rows);
  return rows.map((r, i) => toWarehouse(r, keepers[i]!));
}

async function assertCodeFree(db: Trx, code: string, exceptId?: string): Promise<void> {
  let q = db.selectFrom('erp_warehouses').select('id').where(sql`lower(code)`, '=', code.toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw conflict('WAREHOUSE_CODE_TAKEN', { field: 'code' }, { code });
}

export const createWarehouse = defineAction({
  name: 'createWarehouse',
  description: 'Adds a warehouse.',
  permission: 'erp.warehouses.write',
  write: true,
  input: z.object(fields),
  output: warehouseSchema,
  async run(ctx, input) {
    await assertCodeFree(ctx.db, input.code);
    const keeperIds = await checkedKeepers(ctx, input.keeperIds ?? []);
    const row = await ctx.db
      .insertInto('erp_warehouses')
      .values({ code: input.code, name: input.name, address: input.address ?? null, keeper_ids: keeperIds })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: { code?: string }) => {
        if (error.code === '23505')
          throw conflict('WAREHOUSE_CODE_TAKEN', { field: 'code' }, { code: input.code });
        throw error;
      });
    const warehouse = (await toWarehouses(ctx, [row]))[0]!;
    await ctx.audit({ entity: 'warehouse', entityId: row.id, before: null, after: warehouse });
    return warehouse;
  },
});

export const updateWarehouse = defineAction({
  name: 'updateWarehouse',
  description: 'Changes a warehouse, or deactivates it.',
  permission: 'erp.warehouses.write',
  write: true,
  input: z
    .object({ id: z.uuid(), ...fields, active: z.boolean() })
    .partial()
    .required({ id: true }),
  output: warehouseSchema,
  async run(ctx, input) {
    const before = await ctx.db
      .selectFrom('erp_warehouses')
      .selectAll()
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw notFound('warehouse', input.id);
    if (input.code !== undefined) await assertCodeFree(ctx.db, input.code, input.id);
    const keeperIds = input.keeperIds === undefined ? undefined : await checkedKeepers(ctx, input.keeperIds);
    // Nothing is posted out of an inactive warehouse: its stock would be stranded.
    if (input.active === false && before.active)
      await assertHoldsNoStock(ctx.db, { warehouseId: input.id }, 'WAREHOUSE_HAS_STOCK');
    const row = await ctx.db
      .updateTable('erp_warehouses')
      .set({
        updated_at: new Date(),
        ...(input.code !== undefined && { code: input.code }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.address !== undefined && { address: input.address }),
        ...(input.active !== undefined && { active: input.active }),
        ...(keeperIds !== undefined && { keeper_ids: keeperIds }),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const [previous, after] = await toWarehouses(ctx, [before, row]);
    await ctx.audit({ entity: 'warehouse', entityId: input.id, before: previous, after });
    return after!;
  },
});

export const getWarehouse = defineAction({
  name: 'getWarehouse',
  description: 'One warehouse.',
  permission: 'erp.stock.read',
  write: false,
  input: z.object({ id: z.uuid() }),
  output: warehouseSchema,
  async run(ctx, input) {
    const row = await ctx.db
      .selectFrom('erp_warehouses')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!row) throw notFound('warehouse', input.id);
    return (await toWarehouses(ctx, [row]))[0]!;
  },
});

const sortColumns = { code: 'code', name: 'name', createdAt: 'created_at' } as const;

export const listWarehouses = defineAction({
  name: 'listWarehouses',
  description: 'Lists warehouses.',
  permission: 'erp.stock.read',
  write: false,
  input: listInput(['code', 'name', 'createdAt'], { active: queryBoolean.optional() }, 'code'),
  output: listOutput(warehouseSchema),
  async run(ctx, input) {
    let query = ctx.db.selectFrom('erp_warehouses');
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) => eb.or([eb('code', 'ilike', pattern), eb('name', 'ilike', pattern)]));
    }
    if (input.active !== undefined) query = query.where('active', '=', input.active);
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy(sortColumns[field], direction)
        .orderBy('id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await toWarehouses(ctx, rows), total: Number(count.n) };
  },
});
