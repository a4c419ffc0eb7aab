// Clients: companies and persons, their duplicates, the card with contacts, deals and timeline.
import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { conflict, forbidden, notFound } from '../../server/core/errors.js';
import { listInput, listOutput, parseSort } from '../../server/core/list-query.js';
import type { Actor } from '../../server/core/module.js';
import {
  clientFields,
  clientKindSchema,
  clientSchema,
  clientStatusSchema,
  contactFields,
  contactSchema,
  loadClient,
  selectClients,
  toClient,
  toContact,
} from './client-schema.js';
import { COUNT_CAP, cappedCount, clientFilter, SEARCH_CAP, searchClients } from './client-search.js';
import { dealSummarySchema, selectDeals, toDealSummary } from './deal-schema.js';
import {
  type Ctx,
  checkCampaign,
  defineAction,
  fieldProblem,
  PERMISSIONS,
  refreshSearchText,
  requireClient,
  requireUser,
  restrictedTo,
  seesAll,
  type Trx,
  taxIdProblem,
} from './define.js';
import { recordTimeline, timelineEntrySchema, timelineOf } from './timeline.js';

export const duplicateSchema = z.object({
  id: z.string(),
  name: z.string(),
  matchedOn: z.enum(['taxId', 'phone', 'email']),
});
export type Duplicate = z.infer<typeof duplicateSchema>;

/** Clients that share the tax id, a phone or an e-mail (any owner: two managers must not chase one client). */
export async function findDuplicates(
  db: Trx,
  fields: { taxId?: string | null; phones?: string[]; emails?: string[] },
  exceptId?: string,
): Promise<Duplicate[]> {
  const found: Duplicate[] = [];
  const seen = new Set<string>();
  const add = (rows: { id: string; name: string }[], matchedOn: Duplicate['matchedOn']) => {
    for (const r of rows) {
      if (seen.has(r.id) || r.id === exceptId) continue;
      seen.add(r.id);
      found.push({ id: r.id, name: r.name, matchedOn });
    }
  };
  if (fields.taxId) {
    add(
      await db
        .selectFrom('crm_clients')
        .select(['id', 'name'])
        .where('tax_id', '=', fields.taxId)
        .limit(10)
        .execute(),
      'taxId',
    );
  }
  for (const [column, values, matchedOn] of [
    ['phones', fields.phones ?? [], 'phone'],
    ['emails', fields.emails ?? [], 'email'],
  ] as const) {
    if (values.length === 0) continue;
    const rows = await db
      .selectFrom('crm_clients')
      .select(['id', 'name'])
      .where((eb) =>
        eb.or(values.map((v) => eb(sql`${sql.ref(column)}`, '@>', sql`${JSON.stringify([v])}::jsonb`))),
      )
      .limit(10)
      .execute();
    add(rows, matchedOn);
  }
  return found;
}

/**
 * Which of many clients' tax ids, phones and e-mails are already known, in a few batched
 * queries: keys `t:<tax id>`, `p:<phone>`, `e:<e-mail>` to the existing client's name.
 */
export async function findDuplicatesMany(
  db: Trx,
  clients: { taxId?: string | null; phones?: string[]; emails?: string[] }[],
): Promise<Map<string, string>> {
  const known = new Map<string, string>();
  const taxIds = [...new Set(clients.map((c) => c.taxId).filter((t): t is string => !!t))];
  for (let i = 0; i < taxIds.length; i += 1000) {
    const rows = await db
      .selectFrom('crm_clients')
      .select(['tax_id', 'name'])
      .where('tax_id', 'in', taxIds.slice(i, i + 1000))
      .execute();
    for (const r of rows) known.set(`t:${r.tax_id}`, r.name);
  }
  for (const [column, prefix, values] of [
    ['phones', 'p', [...new Set(clients.flatMap((c) => c.phones ?? []))]],
    ['emails', 'e', [...new Set(clients.flatMap((c) => c.emails ?? []))]],
  ] as const) {
    for (let i = 0; i < values.length; i += 200) {
      const chunk = values.slice(i, i + 200);
      const rows = await db
        .selectFrom('crm_clients')
        .select(['name', sql<string[]>`${sql.ref(column)}`.as('values')])
        .where((eb) =>
          eb.or(chunk.map((v) => eb(sql`${sql.ref(column)}`, '@>', sql`${JSON.stringify([v])}::jsonb`))),
        )
        .execute();
      const wanted = new Set(chunk);
      for (const r of rows) for (const v of r.values) if (wanted.has(v)) known.set(`${prefix}:${v}`, r.name);
    }
  }
  return known;
}

function checkTaxId(ctx: Ctx, kind: 'company' | 'person', taxId: string | null | undefined): void {
  if (!taxId) return;
  const problem = taxIdProblem(kind, taxId);
  if (problem) fieldProblem(ctx, 'taxId', problem);
}

/** Who may own a new or changed client: oneself, or anyone for those who see all clients. */
async function checkOwner(ctx: Ctx, ownerId: string | null | undefined): Promise<void> {
  if (ownerId === undefined || ownerId === null) return;
  if (ownerId !== ctx.actor.id && !seesAll(ctx.actor)) throw forbidden(PERMISSIONS.clientsReadAll);
  await requireUser(ctx, ownerId, 'ownerId');
}

async function checkRegion(ctx: Ctx, region: string | null | undefined): Promise<void> {
  if (!region) return;
  const known = await ctx.db
    .selectFrom('crm_regions')
    .select('code')
    .where('code', '=', region)
    .executeTakeFirst();
  if (!known) fieldProblem(ctx, 'region', 'REGION_UNKNOWN');
}

export const createInput = z.object({ ...clientFields, confirmDuplicate: z.boolean().optional() });
export type CreateClientInput = z.output<typeof createInput>;

/** Creates a client after the rules (tax id, region, owner, duplicates); shared by import. */
export async function insertClient(ctx: Ctx, input: CreateClientInput): Promise<string> {
  checkTaxId(ctx, input.kind, input.taxId);
  await checkRegion(ctx, input.region);
  await checkOwner(ctx, input.ownerId);
  if (input.campaignId) await checkCampaign(ctx, input.campaignId);
  if (!input.confirmDuplicate) {
    const duplicates = await findDuplicates(ctx.db, input);
    if (duplicates.length > 0)
      throw conflict('CLIENT_DUPLICATE', { duplicates }, { name: duplicates[0]!.name });
  }
  const row = await ctx.db
    .insertInto('crm_clients')
    .values({
      kind: input.kind,
      name: input.name,
      tax_id: input.taxId ?? null,
      region: input.region ?? null,
      industry: input.industry ?? null,
      segment: input.segment ?? null,
      source: input.source ?? null,
      status: input.status ?? 'lead',
      owner_id: input.ownerId === undefined ? ctx.actor.id : input.ownerId,
      tags: JSON.stringify(input.tags ?? []),
      phones: JSON.stringify(input.phones ?? []),
      emails: JSON.stringify(input.emails ?? []),
      website: input.website ?? null,
      address: input.address ?? null,
      notes: input.notes ?? null,
      campaign_id: input.campaignId ?? null,
      search_text: '',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await refreshSearchText(ctx.db, row.id);
  await recordTimeline(ctx, {
    clientId: row.id,
    kind: 'created',
    title: input.name,
    link: { type: 'client', id: row.id },
  });
  await ctx.emit({
    type: 'crm.client.created',
    aggregateType: 'client',
    aggregateId: row.id,
    payload: { clientId: row.id, name: input.name, kind: input.kind, ownerId: input.ownerId ?? ctx.actor.id },
  });
  return row.id;
}

export const createClient = defineAction({
  name: 'createClient',
  description:
    'Adds a client; a tax id, phone or e-mail already known is 409 CLIENT_DUPLICATE unless confirmed.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: createInput,
  output: clientSchema,
  async run(ctx, input) {
    const id = await insertClient(ctx, input);
    const client = await loadClient(ctx.db, id);
    await ctx.audit({ entity: 'client', entityId: id, before: null, after: client });
    return client;
  },
});

export const createLead = defineAction({
  name: 'createLead',
  description:
    'Adds a client with status "lead" (for processes and web forms); duplicates are accepted and linked by the caller. A campaignCode (a link\'s utm_campaign) names the campaign that brought it; an unknown code is ignored, so no lead is lost to a stale link.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({
    ...clientFields,
    kind: clientKindSchema.default('company'),
    campaignCode: z.string().trim().toLowerCase().max(60).nullable().optional(),
  }),
  output: clientSchema,
  async run(ctx, input) {
    const { campaignCode, ...fields } = input;
    let campaignId = fields.campaignId;
    if (!campaignId && campaignCode) {
      const campaign = await ctx.db
        .selectFrom('crm_campaigns')
        .select('id')
        .where('code', '=', campaignCode)
        .executeTakeFirst();
      campaignId = campaign?.id ?? null;
    }
    const id = await insertClient(ctx, {
      ...fields,
      campaignId,
      status: fields.status ?? 'lead',
      confirmDuplicate: true,
    });
    const client = await loadClient(ctx.db, id);
    await ctx.audit({ entity: 'client', entityId: id, before: null, after: client });
    return client;
  },
});

export const updateClient = defineAction({
  name: 'updateClient',
  description:
    'Changes a client; a new tax id, phone or e-mail already known is 409 CLIENT_DUPLICATE unless confirmed.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z
    .object({ id: z.uuid(), ...clientFields, confirmDuplicate: z.boolean().optional() })
    .partial()
    .required({ id: true }),
  output: clientSchema,
  async run(ctx, input) {
    const current = await requireClient(ctx, input.id, true);
    const before = await loadClient(ctx.db, input.id);
    const kind = input.kind ?? current.kind;
    const taxId = input.taxId === undefined ? current.tax_id : input.taxId;
    if (input.kind !== undefined || input.taxId !== undefined) checkTaxId(ctx, kind, taxId);
    await checkRegion(ctx, input.region);
    if (input.campaignId && input.campaignId !== current.campaign_id)
      await checkCampaign(ctx, input.campaignId);
    if (input.ownerId !== undefined && input.ownerId !== current.owner_id) {
      if (!seesAll(ctx.actor)) throw forbidden(PERMISSIONS.clientsReadAll);
      await checkOwner(ctx, input.ownerId);
    }
    if (!input.confirmDuplicate) {
      const newPhones = (input.phones ?? []).filter((p) => !current.phones.includes(p));
      const newEmails = (input.emails ?? []).filter((e) => !current.emails.includes(e));
      const newTaxId = input.taxId && input.taxId !== current.tax_id ? input.taxId : null;
      const duplicates = await findDuplicates(
        ctx.db,
        { taxId: newTaxId, phones: newPhones, emails: newEmails },
        input.id,
      );
      if (duplicates.length > 0)
        throw conflict('CLIENT_DUPLICATE', { duplicates }, { name: duplicates[0]!.name });
    }
    await ctx.db
      .updateTable('crm_clients')
      .set({
        updated_at: new Date(),
        ...(input.kind !== undefined && { kind: input.kind }),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.taxId !== undefined && { tax_id: input.taxId }),
        ...(input.region !== undefined && { region: input.region }),
        ...(input.industry !== undefined && { industry: input.industry }),
        ...(input.segment !== undefined && { segment: input.segment }),
        ...(input.source !== undefined && { source: input.source }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.tags !== undefined && { tags: JSON.stringify(input.tags) }),
        ...(input.phones !== undefined && { phones: JSON.stringify(input.phones) }),
        ...(input.emails !== undefined && { emails: JSON.stringify(input.emails) }),
        ...(input.website !== undefined && { website: input.website }),
        ...(input.address !== undefined && { address: input.address }),
        ...(input.notes !== undefined && { notes: input.notes }),
        ...(input.campaignId !== undefined && { campaign_id: input.campaignId }),
      })
      .where('id', '=', input.id)
      .execute();
    await refreshSearchText(ctx.db, input.id);
    const after = await loadClient(ctx.db, input.id);
    await ctx.audit({ entity: 'client', entityId: input.id, before, after });
    return after;
  },
});

const sortColumns = { name: sql`lower(c.name)`, createdAt: sql`c.created_at`, updatedAt: sql`c.updated_at` };

export const clientListInput = listInput(
  ['name', 'createdAt', 'updatedAt'],
  {
    status: clientStatusSchema.optional(),
    region: z.string().max(100).optional(),
    ownerId: z.uuid().optional(),
    segment: z.string().max(100).optional(),
    source: z.string().max(100).optional(),
    tag: z.string().max(50).optional(),
    kind: clientKindSchema.optional(),
    campaignId: z.uuid().optional(),
  },
  'name',
);
export type ClientListInput = z.output<typeof clientListInput>;

/**
 * The filtered (and searched) clients query, not yet paged: the list and the export share it.
 * A search narrows it to its hits, at most `cap` of them (see client-search.ts).
 */
export async function filteredClients(db: Trx, actor: Actor, input: ClientListInput, cap: number) {
  const filter = clientFilter(actor, input);
  const query = selectClients(db);
  if (!input.q) return { query: query.where(filter.where), filter, hits: null, empty: false };
  const hits = await searchClients(db, input.q, filter, cap);
  // The hits already honour the filters; matching their ids is all that is left.
  if (!hits) return { query: query.where(sql<boolean>`false`), filter, hits, empty: true };
  return { query: query.where('c.id', 'in', hits.ids), filter, hits, empty: false };
}

export function orderClients<Q extends ReturnType<typeof selectClients>>(
  query: Q,
  sort: string,
  relevance: RawBuilder<number> | null,
): Q {
  const { field, direction } = parseSort<keyof typeof sortColumns>(sort);
  let ordered = query;
  if (relevance) ordered = ordered.orderBy(relevance, 'desc') as Q;
  return ordered.orderBy(sortColumns[field], direction).orderBy('c.id', direction) as Q;
}

export const clientPageSchema = listOutput(clientSchema).extend({
  totalExact: z
    .boolean()
    .describe(
      `false when total is a lower bound: a list counts up to ${COUNT_CAP}, a search ranks up to ${SEARCH_CAP} hits`,
    ),
});
export type ClientPage = z.infer<typeof clientPageSchema>;

/** One page of clients with its total; what `crm.listClients` runs (and bench:crm beside it). */
export async function listClientPage(db: Trx, actor: Actor, input: ClientListInput): Promise<ClientPage> {
  const { query, filter, hits, empty } = await filteredClients(db, actor, input, SEARCH_CAP);
  if (empty) return { items: [], total: 0, totalExact: true };
  const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
  if (hits?.keyedPage && field === 'name') {
    // Key matches by name: the page comes from the key index in order, then its rows.
    const ids = await hits.keyedPage(direction, input.limit, input.offset);
    const rows = ids.length === 0 ? [] : await selectClients(db).where('c.id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toClient(row)] : [];
    });
    return { items, total: hits.count, totalExact: !hits.capped };
  }
  if (hits) {
    const rows = await orderClients(query, input.sort, hits.score)
      .limit(input.limit)
      .offset(input.offset)
      .execute();
    return { items: rows.map(toClient), total: hits.count, totalExact: !hits.capped };
  }
  // The page's ids first (an index-only range when an index matches the filter and sort), so
  // the owner's name and the next activity are looked up for the rows shown, not those skipped.
  const pageIds = db
    .selectFrom('crm_clients as c')
    .select('c.id')
    .where(filter.where)
    .orderBy(sortColumns[field], direction)
    .orderBy('c.id', direction)
    .limit(input.limit)
    .offset(input.offset);
  const rows = await orderClients(selectClients(db).where('c.id', 'in', pageIds), input.sort, null).execute();
  const items = rows.map(toClient);
  // A page that is not full and not empty ends the list: its end is the total.
  if (rows.length > 0 && rows.length < input.limit)
    return { items, total: input.offset + rows.length, totalExact: true };
  if (input.offset === 0 && rows.length === 0) return { items, total: 0, totalExact: true };
  const { total, exact } = await cappedCount(db, filter);
  return { items, total: exact ? total : Math.max(total, input.offset + rows.length), totalExact: exact };
}

export const listClients = defineAction({
  name: 'listClients',
  description:
    'Lists the clients the caller may see; q finds by name, contact, phone, e-mail or tax id (prefixes and small typos).',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: clientListInput,
  output: clientPageSchema,
  run: (ctx, input) => listClientPage(ctx.db, ctx.actor, input),
});

export const clientCardSchema = z.object({
  client: clientSchema,
  contacts: z.array(contactSchema),
  deals: z.array(dealSummarySchema),
  timeline: z.array(timelineEntrySchema),
});

export const getClient = defineAction({
  name: 'getClient',
  description:
    'The client card: data, contacts, deals with their stages, and the timeline (newest first, 100).',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: clientCardSchema,
  async run(ctx, input) {
    await requireClient(ctx, input.id);
    const [client, contacts, deals, timeline] = await Promise.all([
      loadClient(ctx.db, input.id),
      ctx.db
        .selectFrom('crm_contacts')
        .selectAll()
        .where('client_id', '=', input.id)
        .orderBy('created_at')
        .execute(),
      selectDeals(ctx.db)
        .where('d.client_id', '=', input.id)
        .orderBy('d.updated_at', 'desc')
        .limit(200)
        .execute(),
      timelineOf(ctx.db, input.id, 100, 0, ctx.locale),
    ]);
    return { client, contacts: contacts.map(toContact), deals: deals.map(toDealSummary), timeline };
  },
});

export const regionSchema = z.object({ code: z.string(), name: z.string() });

export const listRegions = defineAction({
  name: 'listRegions',
  description: 'The regions of Uzbekistan clients are filed under (editable).',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({}),
  output: z.object({ items: z.array(regionSchema) }),
  async run(ctx) {
    const items = await ctx.db
      .selectFrom('crm_regions')
      .select(['code', 'name'])
      .orderBy('sort')
      .orderBy('name')
      .execute();
    return { items };
  },
});

export const saveRegion = defineAction({
  name: 'saveRegion',
  description: 'Adds a region or renames one (by code).',
  permission: PERMISSIONS.settingsWrite,
  write: true,
  input: z.object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, { message: 'CODE_INVALID' }),
    name: z.string().trim().min(1).max(100),
  }),
  output: regionSchema,
  async run(ctx, input) {
    const before = await ctx.db
      .selectFrom('crm_regions')
      .selectAll()
      .where('code', '=', input.code)
      .executeTakeFirst();
    const next = await ctx.db
      .selectFrom('crm_regions')
      .select(sql<number>`coalesce(max(sort), 0) + 1`.as('n'))
      .executeTakeFirstOrThrow();
    await ctx.db
      .insertInto('crm_regions')
      .values({ code: input.code, name: input.name, sort: Number(next.n) })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: input.name }))
      .execute();
    await ctx.audit({ entity: 'region', entityId: input.code, before: before ?? null, after: input });
    return input;
  },
});

// Contacts

async function requireContact(ctx: Ctx, id: string) {
  const me = restrictedTo(ctx.actor);
  let query = ctx.db
    .selectFrom('crm_contacts as k')
    .innerJoin('crm_clients as c', 'c.id', 'k.client_id')
    .selectAll('k')
    .where('k.id', '=', id);
  if (me !== null) query = query.where('c.owner_id', '=', me);
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('contact', id);
  return row;
}

async function touchClient(db: Trx, clientId: string): Promise<void> {
  await db.updateTable('crm_clients').set({ updated_at: new Date() }).where('id', '=', clientId).execute();
  await refreshSearchText(db, clientId);
}

export const addContact = defineAction({
  name: 'addContact',
  description: 'Adds a contact person to a client.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({ id: z.uuid(), ...contactFields }),
  output: contactSchema,
  async run(ctx, input) {
    await requireClient(ctx, input.id, true);
    const row = await ctx.db
      .insertInto('crm_contacts')
      .values({
        client_id: input.id,
        name: input.name,
        position: input.position ?? null,
        phones: JSON.stringify(input.phones ?? []),
        emails: JSON.stringify(input.emails ?? []),
        telegram: input.telegram ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await touchClient(ctx.db, input.id);
    const contact = toContact(row);
    await ctx.audit({ entity: 'contact', entityId: row.id, before: null, after: contact });
    return contact;
  },
});

export const updateContact = defineAction({
  name: 'updateContact',
  description: 'Changes a contact person.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z
    .object({ id: z.uuid(), ...contactFields })
    .partial()
    .required({ id: true }),
  output: contactSchema,
  async run(ctx, input) {
    const before = await requireContact(ctx, input.id);
    const row = await ctx.db
      .updateTable('crm_contacts')
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.position !== undefined && { position: input.position }),
        ...(input.phones !== undefined && { phones: JSON.stringify(input.phones) }),
        ...(input.emails !== undefined && { emails: JSON.stringify(input.emails) }),
        ...(input.telegram !== undefined && { telegram: input.telegram }),
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await touchClient(ctx.db, row.client_id);
    const after = toContact(row);
    await ctx.audit({ entity: 'contact', entityId: row.id, before: toContact(before), after });
    return after;
  },
});

export const deleteContact = defineAction({
  name: 'deleteContact',
  description: 'Removes a contact person.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.null(),
  async run(ctx, input) {
    const before = await requireContact(ctx, input.id);
    await ctx.db.deleteFrom('crm_contacts').where('id', '=', input.id).execute();
    await touchClient(ctx.db, before.client_id);
    await ctx.audit({ entity: 'contact', entityId: input.id, before: toContact(before), after: null });
    return null;
  },
});
