// A warehouse's keepers: the materially responsible people who alone post documents in it
// (admins and processes running as the system aside). Stored as user ids on the warehouse row;
// names come from the accounts module, asked as the system (warehouse staff read no users).
import { z } from 'zod';
import { AppError, validationFailed } from '../../../server/core/errors.js';
import type { Actor } from '../../../server/core/module.js';
import { type Ctx, defineAction } from './define.js';

const ON_BEHALF = 'erp warehouse keepers';

/** A user as ERP names one: a keeper, who wrote or posted a document. */
export const userRefSchema = z.object({ id: z.string(), name: z.string() });
export const keeperSchema = userRefSchema;
export type Keeper = z.output<typeof keeperSchema>;

/** At most this many keepers per warehouse. */
export const MAX_KEEPERS = 20;

export const keeperIdsInput = z.array(z.uuid()).max(MAX_KEEPERS);

type UserName = { id: string; name: string; email: string; active: boolean };

/** The users behind some ids, by id (unknown ids are missing); none without the accounts module. */
export async function userNames(ctx: Ctx, ids: readonly string[]): Promise<Map<string, UserName>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0 || !ctx.hasAction('admin.getUserNames')) return new Map();
  const { items } = await ctx.callAsSystem<{ items: UserName[] }>(
    'admin.getUserNames',
    { ids: unique },
    ON_BEHALF,
  );
  return new Map(items.map((u) => [u.id, u]));
}

/** The keepers to store: each an active user, each once; 400 naming every other at `keeperIds.N`. */
export async function checkedKeepers(ctx: Ctx, ids: readonly string[]): Promise<string[]> {
  const names = await userNames(ctx, ids);
  const issues = ids.flatMap((id, index) =>
    names.get(id)?.active ? [] : [{ path: `keeperIds.${index}`, message: ctx.translate('KEEPER_UNKNOWN') }],
  );
  if (issues.length > 0) throw validationFailed(issues);
  return [...new Set(ids)];
}

/** The keepers of some warehouses with their names, in the order stored. */
export async function keepersOf(ctx: Ctx, rows: readonly { keeper_ids: string[] }[]): Promise<Keeper[][]> {
  const names = await userNames(
    ctx,
    rows.flatMap((r) => r.keeper_ids),
  );
  return rows.map((r) => r.keeper_ids.map((id) => ({ id, name: names.get(id)?.name ?? '' })));
}

/** Whether the actor may post in a warehouse with these keepers. */
export function keeps(actor: Actor, keeperIds: readonly string[]): boolean {
  if (keeperIds.length === 0 || actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return actor.roles.includes('admin') || keeperIds.includes(actor.id);
}

/** 403 WAREHOUSE_NOT_KEPT, said at `warehouseId`, for a warehouse the actor does not keep. */
export function notKept(code: string): AppError {
  return new AppError(403, 'WAREHOUSE_NOT_KEPT', { details: { field: 'warehouseId' }, params: { code } });
}

export const findKeeperCandidates = defineAction({
  name: 'findKeeperCandidates',
  description:
    "Active users to name as a warehouse's keepers, found by name or e-mail (asked of the accounts module as the system: warehouse managers read no users).",
  permission: 'erp.warehouses.write',
  write: false,
  input: z.object({ q: z.string().trim().max(200).optional() }),
  output: z.object({ items: z.array(keeperSchema.extend({ email: z.string() })) }),
  async run(ctx, input) {
    if (!ctx.hasAction('admin.listUsers')) return { items: [] };
    const page = await ctx.callAsSystem<{ items: UserName[] }>(
      'admin.listUsers',
      { q: input.q || undefined, active: true, limit: 20, sort: 'name' },
      ON_BEHALF,
    );
    return { items: page.items.map(({ id, name, email }) => ({ id, name, email })) };
  },
});
