// Clients' names by id, for other modules' lists (a page of ERP shipments names its clients):
// one query for the page instead of a client card per row.
import { z } from 'zod';
import { defineAction, PERMISSIONS, visibleClient } from './define.js';

export const getClientNames = defineAction({
  name: 'getClientNames',
  description:
    'The names of up to 200 clients by id, for lists in other modules; ids the caller may not see or that do not exist are left out.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({ ids: z.array(z.uuid()).min(1).max(200) }),
  output: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }),
  async run(ctx, input) {
    const items = await ctx.db
      .selectFrom('crm_clients as c')
      .select(['c.id', 'c.name'])
      .where('c.id', 'in', [...new Set(input.ids)])
      .where(visibleClient(ctx.actor))
      .execute();
    return { items };
  },
});
