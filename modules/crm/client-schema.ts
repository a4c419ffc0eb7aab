// The shapes of clients and contacts in the API, their input fields, and the queries that read them.
import { sql } from 'kysely';
import { z } from 'zod';
import { iso } from '../../server/core/list-query.js';
import {
  emailsSchema,
  isoOrNull,
  optionalText,
  phonesSchema,
  type Trx,
  tagsSchema,
  userName,
} from './define.js';

export const clientKindSchema = z.enum(['company', 'person']);
export const clientStatusSchema = z.enum(['lead', 'prospect', 'active', 'inactive']);
export const activityTypeSchema = z.enum(['call', 'meeting', 'email', 'task', 'note']);

export const clientSchema = z.object({
  id: z.string(),
  kind: clientKindSchema,
  name: z.string(),
  taxId: z.string().nullable(),
  region: z.string().nullable(),
  industry: z.string().nullable(),
  segment: z.string().nullable(),
  source: z.string().nullable(),
  status: clientStatusSchema,
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  tags: z.array(z.string()),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  website: z.string().nullable(),
  address: z.string().nullable(),
  notes: z.string().nullable(),
  /** The campaign that brought the client, if any. */
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  nextActivity: z
    .object({ id: z.string(), type: activityTypeSchema, subject: z.string(), dueAt: z.string() })
    .nullable(),
});
export type Client = z.infer<typeof clientSchema>;

export const contactSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  name: z.string(),
  position: z.string().nullable(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  telegram: z.string().nullable(),
});

/** The fields of POST /clients; PATCH takes any of them. */
export const clientFields = {
  kind: clientKindSchema,
  name: z.string().trim().min(1).max(300),
  taxId: z
    .string()
    .trim()
    .transform((v) => (v === '' ? null : v.replace(/\s/g, '')))
    .nullable()
    .optional(),
  region: optionalText(100),
  industry: optionalText(100),
  segment: optionalText(100),
  source: optionalText(100),
  status: clientStatusSchema.optional(),
  ownerId: z.uuid().nullable().optional(),
  phones: phonesSchema.optional(),
  emails: emailsSchema.optional(),
  tags: tagsSchema.optional(),
  website: optionalText(300),
  address: optionalText(1000),
  notes: optionalText(10000),
  campaignId: z.uuid().nullable().optional(),
};

export const contactFields = {
  name: z.string().trim().min(1).max(200),
  position: optionalText(200),
  phones: phonesSchema.optional(),
  emails: emailsSchema.optional(),
  telegram: optionalText(100),
};

const nextActivity = sql<{ id: string; type: string; subject: string; dueAt: string } | null>`(
  select json_build_object('id', a.id, 'type', a.type, 'subject', a.subject, 'dueAt', a.due_at)
  from crm_activities a
  where a.client_id = c.id and not a.done and a.due_at is not null
  order by a.due_at limit 1)`;

/** Clients with owner name and next planned activity; `c` aliases crm_clients. */
export function selectClients(db: Trx) {
  return db
    .selectFrom('crm_clients as c')
    .select([
      'c.id',
      'c.kind',
      'c.name',
      'c.tax_id',
      'c.region',
      'c.industry',
      'c.segment',
      'c.source',
      'c.status',
      'c.owner_id',
      userName('c.owner_id').as('owner_name'),
      'c.tags',
      'c.phones',
      'c.emails',
      'c.website',
      'c.address',
      'c.notes',
      'c.campaign_id',
      sql<string | null>`(select m.name from crm_campaigns m where m.id = c.campaign_id)`.as('campaign_name'),
      'c.created_at',
      'c.updated_at',
      nextActivity.as('next_activity'),
    ]);
}

type ClientRow = Awaited<ReturnType<ReturnType<typeof selectClients>['executeTakeFirstOrThrow']>>;

export function toClient(row: ClientRow): Client {
  const next = row.next_activity;
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    taxId: row.tax_id,
    region: row.region,
    industry: row.industry,
    segment: row.segment,
    source: row.source,
    status: row.status,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    tags: row.tags,
    phones: row.phones,
    emails: row.emails,
    website: row.website,
    address: row.address,
    notes: row.notes,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    nextActivity: next
      ? {
          id: next.id,
          type: activityTypeSchema.parse(next.type),
          subject: next.subject,
          dueAt: isoOrNull(next.dueAt) ?? '',
        }
      : null,
  };
}

export async function loadClient(db: Trx, id: string): Promise<Client> {
  return toClient(await selectClients(db).where('c.id', '=', id).executeTakeFirstOrThrow());
}

type ContactRow = {
  id: string;
  client_id: string;
  name: string;
  position: string | null;
  phones: string[];
  emails: string[];
  telegram: string | null;
};

export function toContact(row: ContactRow) {
  return {
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    position: row.position,
    phones: row.phones,
    emails: row.emails,
    telegram: row.telegram,
  };
}
