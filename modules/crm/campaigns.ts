// Marketing campaigns: planning one (channel, dates, budget, the clients it aims at), changing
// it under a revision check, the list with each campaign's figures, and removing one that
// brought nothing yet. What a campaign brought is counted in campaign-results.ts.
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, isUniqueViolation, notFound } from '../../server/core/errors.js';
import { isoDate, listInput, listOutput, parseSort } from '../../server/core/list-query.js';
import { campaignResults } from './campaign-results.js';
import {
  type Campaign,
  type CampaignDetail,
  campaignAudienceSchema,
  campaignChannelSchema,
  campaignCodeSchema,
  campaignDetailSchema,
  campaignSchema,
  campaignStatusSchema,
} from './campaign-schema.js';
import { cappedCount, clientFilter } from './client-search.js';
import { currencySchema } from './deal-schema.js';
import {
  type Ctx,
  dateText,
  defineAction,
  fieldProblem,
  optionalText,
  PERMISSIONS,
  requireUser,
  type Trx,
  userName,
} from './define.js';
import { moneySchema } from './money.js';

function selectCampaigns(db: Trx) {
  return db
    .selectFrom('crm_campaigns as m')
    .select([
      'm.id',
      'm.code',
      'm.name',
      'm.channel',
      'm.status',
      dateText('m.starts_on').as('starts_on'),
      dateText('m.ends_on').as('ends_on'),
      sql<string | null>`m.budget::text`.as('budget'),
      'm.currency',
      'm.owner_id',
      userName('m.owner_id').as('owner_name'),
      'm.audience',
      'm.description',
      'm.revision',
      'm.created_at',
      'm.updated_at',
    ]);
}

type CampaignRow = Awaited<ReturnType<ReturnType<typeof selectCampaigns>['executeTakeFirstOrThrow']>>;

async function withResults(db: Trx, rows: CampaignRow[]): Promise<Campaign[]> {
  const results = await campaignResults(db, rows);
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    channel: row.channel,
    status: row.status,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    budget: row.budget,
    currency: row.currency,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    audience: campaignAudienceSchema.parse(row.audience),
    description: row.description,
    revision: row.revision,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    results: results.get(row.id)!,
  }));
}

async function loadCampaign(ctx: Ctx, id: string): Promise<CampaignDetail> {
  const row = await selectCampaigns(ctx.db).where('m.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('campaign', id);
  const [campaign] = await withResults(ctx.db, [row]);
  const audience = campaignAudienceSchema.parse(row.audience);
  // Counted as the caller's client list would count it: a manager's own clients only.
  const audienceCount = await cappedCount(ctx.db, clientFilter(ctx.actor, audience));
  return { ...campaign!, audienceCount };
}

/** A code another campaign has is said on `code`, also when two writers race for it. */
async function uniqueCode<T>(ctx: Ctx, code: string, id: string | null, write: () => Promise<T>): Promise<T> {
  let taken = ctx.db.selectFrom('crm_campaigns').select('id').where('code', '=', code);
  if (id) taken = taken.where('id', '!=', id);
  if (await taken.executeTakeFirst()) fieldProblem(ctx, 'code', 'CAMPAIGN_CODE_TAKEN');
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error, 'crm_campaigns_code_key')) fieldProblem(ctx, 'code', 'CAMPAIGN_CODE_TAKEN');
    throw error;
  }
}

function checkDates(ctx: Ctx, startsOn: string | null | undefined, endsOn: string | null | undefined): void {
  if (startsOn && endsOn && endsOn < startsOn) fieldProblem(ctx, 'endsOn', 'CAMPAIGN_ENDS_BEFORE_START');
}

const campaignFields = {
  code: campaignCodeSchema,
  name: z.string().trim().min(1).max(200),
  channel: campaignChannelSchema,
  status: campaignStatusSchema,
  startsOn: isoDate.nullable().optional(),
  endsOn: isoDate.nullable().optional(),
  budget: moneySchema.nullable().optional(),
  currency: currencySchema,
  ownerId: z.uuid().nullable().optional(),
  audience: campaignAudienceSchema,
  description: optionalText(5000),
};

export const createCampaign = defineAction({
  name: 'createCampaign',
  description:
    'Plans a marketing campaign: its code (what links and web forms name it by), channel, dates, budget and the clients it is aimed at.',
  permission: PERMISSIONS.campaignsWrite,
  write: true,
  input: z.object({
    ...campaignFields,
    status: campaignStatusSchema.default('planned'),
    currency: currencySchema.default('UZS'),
    audience: campaignAudienceSchema.default({}),
  }),
  output: campaignDetailSchema,
  async run(ctx, input) {
    checkDates(ctx, input.startsOn, input.endsOn);
    if (input.ownerId && input.ownerId !== ctx.actor.id) await requireUser(ctx, input.ownerId, 'ownerId');
    const row = await uniqueCode(ctx, input.code, null, () =>
      ctx.db
        .insertInto('crm_campaigns')
        .values({
          code: input.code,
          name: input.name,
          channel: input.channel,
          status: input.status,
          starts_on: input.startsOn ?? null,
          ends_on: input.endsOn ?? null,
          budget: input.budget ?? null,
          currency: input.currency,
          owner_id: input.ownerId === undefined ? ctx.actor.id : input.ownerId,
          audience: JSON.stringify(input.audience),
          description: input.description ?? null,
          created_by: ctx.actor.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const campaign = await loadCampaign(ctx, row.id);
    await ctx.audit({ entity: 'campaign', entityId: row.id, before: null, after: campaign });
    return campaign;
  },
});

export const getCampaign = defineAction({
  name: 'getCampaign',
  description: 'A campaign with its figures and how many clients its audience holds now.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: campaignDetailSchema,
  run: (ctx, input) => loadCampaign(ctx, input.id),
});

/** Locks the campaign; a revision other than the caller saw is 409 CAMPAIGN_CHANGED. */
async function lockCampaign(ctx: Ctx, id: string, seenRevision: number | undefined) {
  const locked = await ctx.db
    .selectFrom('crm_campaigns')
    .select([
      'id',
      'name',
      'revision',
      dateText('starts_on').as('starts_on'),
      dateText('ends_on').as('ends_on'),
    ])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!locked) throw notFound('campaign', id);
  if (seenRevision !== undefined && seenRevision !== locked.revision)
    throw conflict(
      'CAMPAIGN_CHANGED',
      { field: 'revision', revision: locked.revision },
      { name: locked.name },
    );
  return locked;
}

export const updateCampaign = defineAction({
  name: 'updateCampaign',
  description:
    'Changes a campaign: any of its fields, its status (planned, active, finished) included. 409 CAMPAIGN_CHANGED when `revision` is not the one the caller saw.',
  permission: PERMISSIONS.campaignsWrite,
  write: true,
  input: z
    .object({
      id: z.uuid(),
      revision: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('The revision the caller saw; 409 CAMPAIGN_CHANGED when the campaign has changed since.'),
      ...campaignFields,
    })
    .partial()
    .required({ id: true }),
  output: campaignDetailSchema,
  async run(ctx, input) {
    const locked = await lockCampaign(ctx, input.id, input.revision);
    checkDates(
      ctx,
      input.startsOn === undefined ? locked.starts_on : input.startsOn,
      input.endsOn === undefined ? locked.ends_on : input.endsOn,
    );
    if (input.ownerId) await requireUser(ctx, input.ownerId, 'ownerId');
    const before = await loadCampaign(ctx, input.id);
    const { id, revision: _revision, ...fields } = input;
    const changes = Object.entries(fields).filter(
      ([key, value]) =>
        value !== undefined && JSON.stringify(value) !== JSON.stringify(before[key as keyof CampaignDetail]),
    );
    if (changes.length === 0) {
      ctx.noAudit('nothing in the campaign changed');
      return before;
    }
    const write = () =>
      ctx.db
        .updateTable('crm_campaigns')
        .set((eb) => ({
          revision: eb('revision', '+', 1),
          updated_at: new Date(),
          ...(input.code !== undefined && { code: input.code }),
          ...(input.name !== undefined && { name: input.name }),
          ...(input.channel !== undefined && { channel: input.channel }),
          ...(input.status !== undefined && { status: input.status }),
          ...(input.startsOn !== undefined && { starts_on: input.startsOn }),
          ...(input.endsOn !== undefined && { ends_on: input.endsOn }),
          ...(input.budget !== undefined && { budget: input.budget }),
          ...(input.currency !== undefined && { currency: input.currency }),
          ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
          ...(input.audience !== undefined && { audience: JSON.stringify(input.audience) }),
          ...(input.description !== undefined && { description: input.description }),
        }))
        .where('id', '=', id)
        .execute();
    if (input.code !== undefined) await uniqueCode(ctx, input.code, id, write);
    else await write();
    const after = await loadCampaign(ctx, id);
    await ctx.audit({ entity: 'campaign', entityId: id, before, after });
    return after;
  },
});

export const deleteCampaign = defineAction({
  name: 'deleteCampaign',
  description:
    'Removes a campaign that brought no client and counts no deal (409 CAMPAIGN_IN_USE otherwise: finish it instead).',
  permission: PERMISSIONS.campaignsWrite,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({}),
  async run(ctx, input) {
    await lockCampaign(ctx, input.id, undefined);
    const before = await loadCampaign(ctx, input.id);
    const { leads, deals } = before.results;
    const dealCount = deals.open.count + deals.won.count + deals.lost;
    if (leads > 0 || dealCount > 0)
      throw conflict('CAMPAIGN_IN_USE', { clients: leads, deals: dealCount }, { name: before.name });
    await ctx.db.deleteFrom('crm_campaigns').where('id', '=', input.id).execute();
    await ctx.audit({ entity: 'campaign', entityId: input.id, before, after: null });
    return {};
  },
});

const campaignSort = {
  startsOn: sql`m.starts_on`,
  name: sql`lower(m.name)`,
  createdAt: sql.ref('m.created_at'),
} as const;

export const listCampaigns = defineAction({
  name: 'listCampaigns',
  description:
    "Marketing campaigns with each one's figures (leads, conversion, deals, cost per lead, ROI), by status and channel; q matches the name and code.",
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: listInput(
    ['startsOn', 'name', 'createdAt'],
    { status: campaignStatusSchema.optional(), channel: campaignChannelSchema.optional() },
    '-startsOn',
  ),
  output: listOutput(campaignSchema),
  async run(ctx, input) {
    let query = selectCampaigns(ctx.db);
    if (input.status) query = query.where('m.status', '=', input.status);
    if (input.channel) query = query.where('m.channel', '=', input.channel);
    if (input.q) {
      const pattern = `%${input.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query = query.where((eb) => eb.or([eb('m.name', 'ilike', pattern), eb('m.code', 'ilike', pattern)]));
    }
    const { field, direction } = parseSort<keyof typeof campaignSort>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(campaignSort[field], sql.raw(direction === 'desc' ? 'desc nulls last' : 'asc nulls last'))
        .orderBy('m.created_at', 'desc')
        .orderBy('m.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: await withResults(ctx.db, rows), total: Number(count.n) };
  },
});
