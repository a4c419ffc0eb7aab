// The client's timeline: activities, stage changes, creation and merges written by CRM's own
// actions, and entries other modules add (ERP shipments by event, BPM steps by action).
import { z } from 'zod';
import { iso, listOutput } from '../../server/core/list-query.js';
import { subscriberOf } from '../../server/core/module.js';
import { type Ctx, defineAction, PERMISSIONS, requireClient, type Trx } from './define.js';
import type { CrmTables, TimelineKind } from './schema.js';

export const timelineKindSchema = z.enum([
  'activity',
  'stageChange',
  'shipment',
  'process',
  'note',
  'created',
  'merged',
]);

export const timelineEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  kind: timelineKindSchema,
  title: z.string(),
  detail: z.string().nullable(),
  actorName: z.string().nullable(),
  link: z.object({ type: z.string(), id: z.string() }).nullable(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export type NewTimelineEntry = {
  clientId: string;
  kind: TimelineKind;
  title: string;
  detail?: string | null;
  actorName?: string | null;
  link?: { type: string; id: string } | null;
  at?: Date;
  sourceKey?: string;
};

/** Adds an entry; with a `sourceKey` seen before it adds nothing and answers false. */
export async function addEntry(db: Trx, entry: NewTimelineEntry): Promise<boolean> {
  const inserted = await db
    .insertInto('crm_timeline')
    .values({
      client_id: entry.clientId,
      at: entry.at ?? new Date(),
      kind: entry.kind,
      title: entry.title.slice(0, 500),
      detail: entry.detail ?? null,
      actor_name: entry.actorName ?? null,
      link_type: entry.link?.type ?? null,
      link_id: entry.link?.id ?? null,
      source_key: entry.sourceKey ?? null,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

type TimelineRow = Pick<
  CrmTables['crm_timeline'],
  'kind' | 'title' | 'detail' | 'actor_name' | 'link_type' | 'link_id'
> & { id: string; at: Date };

function toEntry(row: TimelineRow): TimelineEntry {
  return {
    id: row.id,
    at: iso(row.at),
    kind: row.kind,
    title: row.title,
    detail: row.detail,
    actorName: row.actor_name,
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
  };
}

/** A client's timeline, newest first. */
export async function timelineOf(db: Trx, clientId: string, limit: number, offset: number) {
  const rows = await db
    .selectFrom('crm_timeline')
    .select(['id', 'at', 'kind', 'title', 'detail', 'actor_name', 'link_type', 'link_id'])
    .where('client_id', '=', clientId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map(toEntry);
}

export const listTimeline = defineAction({
  name: 'listTimeline',
  description: "Pages a client's timeline, newest first.",
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({
    id: z.uuid(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  output: listOutput(timelineEntrySchema),
  async run(ctx, input) {
    await requireClient(ctx, input.id);
    const [items, count] = await Promise.all([
      timelineOf(ctx.db, input.id, input.limit, input.offset),
      ctx.db
        .selectFrom('crm_timeline')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', input.id)
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },
});

export const addTimelineEntry = defineAction({
  name: 'addTimelineEntry',
  description: "Adds an entry to a client's timeline (for processes and other modules).",
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({
    clientId: z.uuid(),
    kind: z.enum(['process', 'note', 'shipment', 'activity']).default('process'),
    title: z.string().trim().min(1).max(500),
    detail: z.string().trim().max(4000).nullable().optional(),
    link: z
      .object({ type: z.string().min(1).max(50), id: z.uuid() })
      .nullable()
      .optional(),
  }),
  output: z.object({ ok: z.literal(true) }),
  async run(ctx, input) {
    await requireClient(ctx, input.clientId);
    await addEntry(ctx.db, { ...input, actorName: ctx.actor.name });
    await ctx.audit({ entity: 'client', entityId: input.clientId, before: null, after: { timeline: input } });
    return { ok: true as const };
  },
});

/** Records an entry written by a CRM action, with the actor's name. */
export function recordTimeline(ctx: Ctx, entry: NewTimelineEntry): Promise<boolean> {
  return addEntry(ctx.db, { actorName: ctx.actor.name, ...entry });
}

const shipmentPayload = z.object({
  documentId: z.string(),
  number: z.string(),
  clientId: z.string(),
  dealId: z.string().nullable().optional(),
  lines: z.number().optional(),
});

/** ERP posted a shipment to a client: a "shipment" entry on its card, once per event. */
export const shipmentToTimeline = subscriberOf<CrmTables>({
  name: 'crm.shipmentToTimeline',
  events: ['erp.shipment.posted'],
  async handle(ctx, event) {
    const payload = shipmentPayload.safeParse(event.payload);
    if (!payload.success) {
      ctx.log.warn({ eventId: event.id }, 'erp.shipment.posted without the expected payload');
      return;
    }
    const p = payload.data;
    const client = await ctx.db
      .selectFrom('crm_clients')
      .select('id')
      .where('id', '=', p.clientId)
      .executeTakeFirst();
    if (!client) return; // merged away or deleted since: nothing to show it on
    await addEntry(ctx.db, {
      clientId: p.clientId,
      kind: 'shipment',
      title: p.number,
      detail: p.lines === undefined ? null : String(p.lines),
      link: { type: 'stockDocument', id: p.documentId },
      at: new Date(event.createdAt),
      sourceKey: `erp.shipment.posted:${event.id}`,
    });
  },
});
