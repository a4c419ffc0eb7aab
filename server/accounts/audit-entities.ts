// Which kinds of records the audit log holds, for the audit page's filter: read by skipping from
// one entity to the next along the (entity, entity_id, at) index, so that a log of millions of
// entries answers in as many index probes as there are kinds, never a scan.
import { sql } from 'kysely';
import { z } from 'zod';
import { actionsOf } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';

const defineAction = actionsOf<CoreTables>();

export const listAuditEntities = defineAction({
  name: 'listAuditEntities',
  description:
    'The kinds of records the audit log holds (`entity`, as `GET /api/admin/audit?entity=` takes it), each with the module of an action that wrote one (whose texts name it).',
  permission: 'admin.audit.read',
  write: false,
  input: z.object({}),
  output: z.object({
    items: z.array(z.object({ entity: z.string(), module: z.string() })),
  }),
  async run(ctx) {
    const { rows } = await sql<{ entity: string; action: string }>`
      with recursive kinds as (
        (select entity, action from core_audit_log order by entity limit 1)
        union all
        select next.entity, next.action
        from kinds, lateral (
          select entity, action from core_audit_log l
          where l.entity > kinds.entity order by l.entity limit 1
        ) next
      )
      select entity, action from kinds`.execute(ctx.db);
    return {
      items: rows.map((r) => ({ entity: r.entity, module: r.action.split('.')[0] ?? '' })),
    };
  },
});
