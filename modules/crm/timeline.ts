// The client's timeline: activities, stage changes, creation and merges written by CRM's own
// actions, and entries other modules add (ERP shipments by event, BPM steps by action).
import { z } from 'zod';
import { iso, listOutput } from '../../server/core/list-query.js';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../../server/core/locale.js';
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
  'ticket',
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

type Titles = Partial<Record<Locale, string>>;

export type NewTimelineEntry = {
  clientId: string;
  kind: TimelineKind;
  title: string;
  /** The title in each language given (a process's entries): the reader sees theirs. */
  titles?: Titles | null;
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
      titles: entry.titles ? JSON.stringify(entry.titles) : null,
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
> & { id: string; at: Date; titles: Titles | null };

function toEntry(row: TimelineRow, locale: Locale): TimelineEntry {
  return {
    id: row.id,
    at: iso(row.at),
    kind: row.kind,
    title: row.titles?.[locale] ?? row.title,
    detail: row.detail,
    actorName: row.actor_name,
    link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null,
  };
}

/** A client's timeline, newest first, each title in the reader's language where it has one. */
export async function timelineOf(db: Trx, clientId: string, limit: number, offset: number, locale: Locale) {
  const rows = await db
    .selectFrom('crm_timeline')
    .select(['id', 'at', 'kind', 'title', 'titles', 'detail', 'actor_name', 'link_type', 'link_id'])
    .where('client_id', '=', clientId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((row) => toEntry(row, locale));
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
      timelineOf(ctx.db, input.id, input.limit, input.offset, ctx.locale),
      ctx.db
        .selectFrom('crm_timeline')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('client_id', '=', input.id)
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },
});

const titleText = z.string().trim().min(1).max(500);

/** One text, or one per language (`{ uz, ru, en }`, at least one): a process speaks to every reader. */
const titleInput = z.union([
  titleText,
  z
    .strictObject({ uz: titleText.optional(), ru: titleText.optional(), en: titleText.optional() })
    .refine((titles) => LOCALES.some((locale) => titles[locale] !== undefined), {
      message: 'Give the title in at least one of uz, ru, en',
    }),
]);

/** The stored title and its translations: the default language's text stands for the others. */
function splitTitle(title: z.output<typeof titleInput>): { title: string; titles: Titles | null } {
  if (typeof title === 'string') return { title, titles: null };
  const fallback = title[DEFAULT_LOCALE] ?? LOCALES.map((locale) => title[locale]).find(Boolean) ?? '';
  return { title: fallback, titles: title };
}

export const addTimelineEntry = defineAction({
  name: 'addTimelineEntry',
  description:
    "Adds an entry to a client's timeline (for processes and other modules); the title is one text or one per language ({ uz, ru, en }), read in the reader's language.",
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({
    clientId: z.uuid(),
    kind: z.enum(['process', 'note', 'shipment', 'activity']).default('process'),
    title: titleInput,
    detail: z.string().trim().max(4000).nullable().optional(),
    link: z
      .object({ type: z.string().min(1).max(50), id: z.uuid() })
      .nullable()
      .optional(),
  }),
  output: z.object({ ok: z.literal(true) }),
  async run(ctx, input) {
    await requireClient(ctx, input.clientId);
    await addEntry(ctx.db, { ...input, ...splitTitle(input.title), actorName: ctx.actor.name });
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
