// The CRM clients a shipment can go to, as warehouse staff need them: a name to pick by and to
// read on the document (with the deal's title). Warehouse staff hold no CRM rights (they are not to read the clients'
// deals and timelines), so ERP asks CRM as the system and hands on only the name, phone and
// tax id.
import { z } from 'zod';
import { AppError, notFound } from '../../../server/core/errors.js';
import type { ActionContext } from '../../../server/core/module.js';
import { defineAction } from './define.js';

const shipmentClientSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  taxId: z.string().nullable(),
});
type ShipmentClient = z.output<typeof shipmentClientSchema>;

type CrmClient = { id: string; name: string; phones: string[]; taxId: string | null };

const toShipmentClient = (c: CrmClient): ShipmentClient => ({
  id: c.id,
  name: c.name,
  phone: c.phones[0] ?? null,
  taxId: c.taxId,
});

const ON_BEHALF = 'erp shipments';

/** The client a shipment names, or null when CRM does not know it (or is not installed). */
export async function shipmentClient(ctx: ActionContext, id: string): Promise<ShipmentClient | null> {
  if (!ctx.hasAction('crm.getClient')) return null;
  try {
    const card = await ctx.callAsSystem<{ client: CrmClient }>('crm.getClient', { id }, ON_BEHALF);
    return toShipmentClient(card.client);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

/** The names of the clients a page of shipments goes to, by id (those CRM knows). */
export async function shipmentClientNames(ctx: ActionContext, ids: string[]): Promise<Map<string, string>> {
  if (!ctx.hasAction('crm.getClientNames')) return new Map();
  const unique = [...new Set(ids)];
  const names = new Map<string, string>();
  for (let start = 0; start < unique.length; start += 200) {
    const page = await ctx.callAsSystem<{ items: { id: string; name: string }[] }>(
      'crm.getClientNames',
      { ids: unique.slice(start, start + 200) },
      ON_BEHALF,
    );
    for (const item of page.items) names.set(item.id, item.name);
  }
  return names;
}

/** A shipment's deal title, or null when CRM does not know the deal (or is not installed). */
export async function shipmentDealTitle(ctx: ActionContext, id: string): Promise<string | null> {
  if (!ctx.hasAction('crm.getDeal')) return null;
  try {
    return (await ctx.callAsSystem<{ title: string }>('crm.getDeal', { id }, ON_BEHALF)).title;
  } catch (error) {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  }
}

export const findShipmentClients = defineAction({
  name: 'findShipmentClients',
  description:
    'CRM clients to ship to, found by name, phone or tax id (at most 10), or the one with an id: name, first phone and tax id only.',
  permission: 'erp.documents.write',
  write: false,
  input: z
    .object({ q: z.string().trim().min(2).max(100).optional(), id: z.uuid().optional() })
    .refine((input) => input.q !== undefined || input.id !== undefined, {
      message: 'Give q (at least 2 characters) or id',
      path: ['q'],
    }),
  output: z.object({ items: z.array(shipmentClientSchema) }),
  async run(ctx, input) {
    if (input.id) {
      const client = await shipmentClient(ctx, input.id);
      if (!client) throw notFound('client', input.id);
      return { items: [client] };
    }
    if (!ctx.hasAction('crm.listClients')) return { items: [] };
    const page = await ctx.callAsSystem<{ items: CrmClient[] }>(
      'crm.listClients',
      { q: input.q, limit: 10 },
      ON_BEHALF,
    );
    return { items: page.items.map(toShipmentClient) };
  },
});
