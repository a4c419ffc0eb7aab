// Pipelines with ordered stages, deals with product lines, the stage rules and the board.
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, conflict, notFound, ruleViolation } from '../../server/core/errors.js';
import { isoDate, listInput, listOutput, parseSort } from '../../server/core/list-query.js';
import {
  currencySchema,
  type Deal,
  dealSchema,
  dealSummarySchema,
  linesOf,
  selectDeals,
  toDealSummary,
} from './deal-schema.js';
import {
  type Ctx,
  checkCampaign,
  defineAction,
  fieldProblem,
  PERMISSIONS,
  requireClient,
  requireUser,
  restrictedTo,
  type Trx,
} from './define.js';
import { linesTotal, moneySchema, quantityProblem } from './money.js';
import { recordTimeline } from './timeline.js';

// Pipelines

const stageSchema = z.object({
  code: z.string(),
  name: z.string(),
  order: z.number().int(),
  probability: z.number().int(),
  responsibleId: z.string().nullable(),
  kind: z.enum(['open', 'won', 'lost']),
});

const pipelineSchema = z.object({
  id: z.string(),
  name: z.string(),
  isDefault: z.boolean(),
  stages: z.array(stageSchema),
});

const stageInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'STAGE_CODE_INVALID' }),
  name: z.string().trim().min(1).max(100),
  probability: z.number().int().min(0).max(100),
  responsibleId: z.uuid().nullable().optional(),
  kind: z.enum(['open', 'won', 'lost']).default('open'),
});

const stagesInput = z
  .array(stageInput)
  .min(2)
  .max(30)
  .superRefine((stages, ctx) => {
    const codes = new Set<string>();
    stages.forEach((s, i) => {
      if (codes.has(s.code)) ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'STAGE_CODE_TWICE' });
      codes.add(s.code);
    });
    if (!stages.some((s) => s.kind === 'won'))
      ctx.addIssue({ code: 'custom', path: [], message: 'PIPELINE_NEEDS_WON' });
    if (!stages.some((s) => s.kind === 'lost'))
      ctx.addIssue({ code: 'custom', path: [], message: 'PIPELINE_NEEDS_LOST' });
    if (stages[0]?.kind !== 'open')
      ctx.addIssue({ code: 'custom', path: [0, 'kind'], message: 'PIPELINE_FIRST_OPEN' });
  });

export async function loadPipelines(db: Trx, id?: string) {
  let query = db.selectFrom('crm_pipelines').selectAll().orderBy('is_default', 'desc').orderBy('created_at');
  if (id) query = query.where('id', '=', id);
  const pipelines = await query.execute();
  if (pipelines.length === 0) return [];
  const stages = await db
    .selectFrom('crm_stages')
    .selectAll()
    .where(
      'pipeline_id',
      'in',
      pipelines.map((p) => p.id),
    )
    .orderBy('sort')
    .execute();
  return pipelines.map((p) => ({
    id: p.id,
    name: p.name,
    isDefault: p.is_default,
    stages: stages
      .filter((s) => s.pipeline_id === p.id)
      .map((s) => ({
        code: s.code,
        name: s.name,
        order: s.sort,
        probability: s.probability,
        responsibleId: s.responsible_id,
        kind: s.kind,
      })),
  }));
}

export const listPipelines = defineAction({
  name: 'listPipelines',
  description: 'The sales pipelines with their ordered stages; the default first.',
  permission: PERMISSIONS.dealsRead,
  write: false,
  input: z.object({}),
  output: z.object({ items: z.array(pipelineSchema) }),
  async run(ctx) {
    return { items: await loadPipelines(ctx.db) };
  },
});

async function writeStages(
  ctx: Ctx,
  pipelineId: string,
  stages: z.output<typeof stagesInput>,
): Promise<void> {
  for (const [i, s] of stages.entries()) {
    if (s.responsibleId) await requireUser(ctx, s.responsibleId, `stages.${i}.responsibleId`);
  }
  const used = await ctx.db
    .selectFrom('crm_deals')
    .select('stage')
    .distinct()
    .where('pipeline_id', '=', pipelineId)
    .execute();
  const kept = new Set(stages.map((s) => s.code));
  const orphaned = used.map((u) => u.stage).filter((code) => !kept.has(code));
  if (orphaned.length > 0) throw conflict('STAGE_IN_USE', { stages: orphaned }, { stage: orphaned[0]! });
  // Deals reference (pipeline, stage): upsert the kept ones, then drop the rest.
  for (const [i, s] of stages.entries()) {
    const row = {
      pipeline_id: pipelineId,
      code: s.code,
      name: s.name,
      sort: i,
      probability: s.probability,
      responsible_id: s.responsibleId ?? null,
      kind: s.kind,
    };
    await ctx.db
      .insertInto('crm_stages')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['pipeline_id', 'code']).doUpdateSet({
          name: row.name,
          sort: row.sort,
          probability: row.probability,
          responsible_id: row.responsible_id,
          kind: row.kind,
        }),
      )
      .execute();
  }
  await ctx.db
    .deleteFrom('crm_stages')
    .where('pipeline_id', '=', pipelineId)
    .where('code', 'not in', [...kept])
    .execute();
}

export const createPipeline = defineAction({
  name: 'createPipeline',
  description: 'Adds a pipeline with its stages (in order).',
  permission: PERMISSIONS.pipelinesWrite,
  write: true,
  input: z.object({ name: z.string().trim().min(1).max(200), stages: stagesInput }),
  output: pipelineSchema,
  async run(ctx, input) {
    const row = await ctx.db
      .insertInto('crm_pipelines')
      .values({ name: input.name, is_default: false })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeStages(ctx, row.id, input.stages);
    const [pipeline] = await loadPipelines(ctx.db, row.id);
    await ctx.audit({ entity: 'pipeline', entityId: row.id, before: null, after: pipeline });
    return pipeline!;
  },
});

export const updatePipeline = defineAction({
  name: 'updatePipeline',
  description:
    'Renames a pipeline or replaces its stages; a stage that deals are in cannot go (409 STAGE_IN_USE).',
  permission: PERMISSIONS.pipelinesWrite,
  write: true,
  input: z.object({
    id: z.uuid(),
    name: z.string().trim().min(1).max(200).optional(),
    stages: stagesInput.optional(),
  }),
  output: pipelineSchema,
  async run(ctx, input) {
    const [before] = await loadPipelines(ctx.db, input.id);
    if (!before) throw notFound('pipeline', input.id);
    if (input.name)
      await ctx.db
        .updateTable('crm_pipelines')
        .set({ name: input.name })
        .where('id', '=', input.id)
        .execute();
    if (input.stages) await writeStages(ctx, input.id, input.stages);
    const [after] = await loadPipelines(ctx.db, input.id);
    await ctx.audit({ entity: 'pipeline', entityId: input.id, before, after });
    return after!;
  },
});

// Deals

/** Deals the actor may see: their own, or on their own clients. */
function visibleDeals(ctx: Ctx) {
  const me = restrictedTo(ctx.actor);
  return me === null ? sql<boolean>`true` : sql<boolean>`(d.owner_id = ${me} or c.owner_id = ${me})`;
}

async function loadDeal(ctx: Ctx, id: string): Promise<Deal> {
  const row = await selectDeals(ctx.db).where('d.id', '=', id).where(visibleDeals(ctx)).executeTakeFirst();
  if (!row) throw notFound('deal', id);
  return { ...toDealSummary(row), lines: await linesOf(ctx.db, id) };
}

const quantitySchema = z
  .union([z.string().trim(), z.number().positive()])
  .transform((v) => String(v))
  .superRefine((value, ctx) => {
    const problem = quantityProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const lineInput = z.object({ productId: z.uuid(), quantity: quantitySchema, price: moneySchema });
const dateSchema = isoDate;

/** Checks product ids through ERP when it is installed, and returns their names. */
async function productNames(ctx: Ctx, lines: { productId: string }[]): Promise<Map<string, string | null>> {
  const names = new Map<string, string | null>();
  for (const [i, line] of lines.entries()) {
    if (names.has(line.productId)) continue;
    if (!ctx.hasAction('erp.getProduct')) {
      names.set(line.productId, null);
      continue;
    }
    const product = await ctx
      .call<{ name: string }>('erp.getProduct', { id: line.productId })
      .catch((error: unknown) => {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      });
    if (!product) fieldProblem(ctx, `lines.${i}.productId`, 'PRODUCT_UNKNOWN');
    names.set(line.productId, product.name);
  }
  return names;
}

async function writeLines(ctx: Ctx, dealId: string, lines: z.output<typeof lineInput>[]): Promise<void> {
  const names = await productNames(ctx, lines);
  await ctx.db.deleteFrom('crm_deal_lines').where('deal_id', '=', dealId).execute();
  if (lines.length === 0) return;
  await ctx.db
    .insertInto('crm_deal_lines')
    .values(
      lines.map((l, i) => ({
        deal_id: dealId,
        line_no: i + 1,
        product_id: l.productId,
        product_name: names.get(l.productId) ?? null,
        quantity: l.quantity,
        price: l.price,
      })),
    )
    .execute();
}

export async function defaultPipeline(db: Trx): Promise<string> {
  const row = await db
    .selectFrom('crm_pipelines')
    .select('id')
    .orderBy('is_default', 'desc')
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row) throw notFound('pipeline');
  return row.id;
}

export const createDeal = defineAction({
  name: 'createDeal',
  description: 'Opens a deal on a client in the first stage of a pipeline (the default one unless given).',
  permission: PERMISSIONS.dealsWrite,
  write: true,
  input: z.object({
    clientId: z.uuid(),
    title: z.string().trim().min(1).max(300),
    amount: moneySchema.optional(),
    currency: currencySchema.default('UZS'),
    expectedCloseDate: dateSchema.nullable().optional(),
    ownerId: z.uuid().optional(),
    pipelineId: z.uuid().optional(),
    lines: z.array(lineInput).max(200).optional(),
    /** Without it the deal counts for the campaign that brought the client; null for none. */
    campaignId: z.uuid().nullable().optional(),
  }),
  output: dealSchema,
  async run(ctx, input) {
    const client = await requireClient(ctx, input.clientId).catch(() =>
      fieldProblem(ctx, 'clientId', 'CLIENT_UNKNOWN'),
    );
    const ownerId = input.ownerId ?? ctx.actor.id ?? client.owner_id;
    if (!ownerId) fieldProblem(ctx, 'ownerId', 'USER_UNKNOWN');
    if (input.ownerId && input.ownerId !== ctx.actor.id) {
      if (restrictedTo(ctx.actor) !== null) fieldProblem(ctx, 'ownerId', 'OWNER_NOT_ALLOWED');
      await requireUser(ctx, input.ownerId, 'ownerId');
    }
    if (input.campaignId) await checkCampaign(ctx, input.campaignId);
    const pipelineId = input.pipelineId ?? (await defaultPipeline(ctx.db));
    const first = await ctx.db
      .selectFrom('crm_stages')
      .select('code')
      .where('pipeline_id', '=', pipelineId)
      .orderBy('sort')
      .executeTakeFirst();
    if (!first) fieldProblem(ctx, 'pipelineId', 'PIPELINE_UNKNOWN');
    const lines = input.lines ?? [];
    const row = await ctx.db
      .insertInto('crm_deals')
      .values({
        client_id: input.clientId,
        pipeline_id: pipelineId,
        stage: first.code,
        title: input.title,
        amount: input.amount ?? (lines.length > 0 ? linesTotal(lines) : '0'),
        currency: input.currency,
        expected_close_date: input.expectedCloseDate ?? null,
        owner_id: ownerId,
        lost_reason: null,
        campaign_id: input.campaignId === undefined ? client.campaign_id : input.campaignId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeLines(ctx, row.id, lines);
    await recordMove(ctx, row.id, null, first.code);
    const deal = await loadDeal(ctx, row.id);
    await ctx.audit({ entity: 'deal', entityId: row.id, before: null, after: deal });
    return deal;
  },
});

export const getDeal = defineAction({
  name: 'getDeal',
  description: 'One deal with its product lines.',
  permission: PERMISSIONS.dealsRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: dealSchema,
  async run(ctx, input) {
    return loadDeal(ctx, input.id);
  },
});

export const updateDeal = defineAction({
  name: 'updateDeal',
  description:
    "Changes a deal's title, amount, currency, close date, owner, campaign or lines (not its stage: see moveDealStage).",
  permission: PERMISSIONS.dealsWrite,
  write: true,
  input: z.object({
    id: z.uuid(),
    title: z.string().trim().min(1).max(300).optional(),
    amount: moneySchema.optional(),
    currency: currencySchema.optional(),
    expectedCloseDate: dateSchema.nullable().optional(),
    ownerId: z.uuid().optional(),
    lines: z.array(lineInput).max(200).optional(),
    campaignId: z.uuid().nullable().optional(),
  }),
  output: dealSchema,
  async run(ctx, input) {
    const before = await loadDeal(ctx, input.id);
    if (input.campaignId && input.campaignId !== before.campaignId)
      await checkCampaign(ctx, input.campaignId);
    if (input.ownerId && input.ownerId !== before.ownerId) {
      if (restrictedTo(ctx.actor) !== null) fieldProblem(ctx, 'ownerId', 'OWNER_NOT_ALLOWED');
      await requireUser(ctx, input.ownerId, 'ownerId');
    }
    if (input.lines) await writeLines(ctx, input.id, input.lines);
    const amount =
      input.amount ?? (input.lines && input.lines.length > 0 ? linesTotal(input.lines) : undefined);
    await ctx.db
      .updateTable('crm_deals')
      .set({
        updated_at: new Date(),
        ...(input.title !== undefined && { title: input.title }),
        ...(amount !== undefined && { amount }),
        ...(input.currency !== undefined && { currency: input.currency }),
        ...(input.expectedCloseDate !== undefined && { expected_close_date: input.expectedCloseDate }),
        ...(input.ownerId !== undefined && { owner_id: input.ownerId }),
        ...(input.campaignId !== undefined && { campaign_id: input.campaignId }),
      })
      .where('id', '=', input.id)
      .execute();
    const after = await loadDeal(ctx, input.id);
    await ctx.audit({ entity: 'deal', entityId: input.id, before, after });
    return after;
  },
});

/** A deal entered a stage (`from` null: it opened there): what sales analytics read. */
async function recordMove(ctx: Ctx, dealId: string, from: string | null, to: string): Promise<void> {
  await ctx.db
    .insertInto('crm_deal_moves')
    .values({ deal_id: dealId, from_stage: from, to_stage: to, actor_id: ctx.actor.id ?? null })
    .execute();
}

export const moveDealStage = defineAction({
  name: 'moveDealStage',
  description:
    'Moves a deal to a stage: won needs a product line, lost needs a reason, a closed deal stays closed (422 DEAL_STAGE_INVALID). Emits crm.deal.stageChanged.',
  permission: PERMISSIONS.dealsWrite,
  write: true,
  input: z.object({
    dealId: z.uuid(),
    stage: z.string().trim().min(1).max(40),
    lostReason: z.string().trim().max(1000).optional(),
  }),
  output: dealSchema,
  async run(ctx, input) {
    const before = await loadDeal(ctx, input.dealId);
    await ctx.db.selectFrom('crm_deals').select('id').where('id', '=', input.dealId).forUpdate().execute();
    const refuse = (reason: string) =>
      ruleViolation(
        'DEAL_STAGE_INVALID',
        { reason, stage: input.stage },
        { stage: input.stage, why: ctx.translate(reason) },
      );
    const stages = await ctx.db
      .selectFrom('crm_stages')
      .selectAll()
      .where('pipeline_id', '=', before.pipelineId)
      .execute();
    const target = stages.find((s) => s.code === input.stage);
    if (!target) throw refuse('UNKNOWN_STAGE');
    if (before.stage === target.code) {
      ctx.noAudit('the deal is already in that stage');
      return before;
    }
    const current = stages.find((s) => s.code === before.stage);
    if (current && current.kind !== 'open') throw refuse('DEAL_CLOSED');
    if (target.kind === 'won' && before.lines.length === 0) throw refuse('WON_NEEDS_LINES');
    if (target.kind === 'lost' && !input.lostReason) throw refuse('LOST_NEEDS_REASON');
    await ctx.db
      .updateTable('crm_deals')
      .set({
        stage: target.code,
        updated_at: new Date(),
        lost_reason: target.kind === 'lost' ? input.lostReason! : null,
        closed_at: target.kind === 'open' ? null : new Date(),
      })
      .where('id', '=', input.dealId)
      .execute();
    await recordMove(ctx, input.dealId, before.stage, target.code);
    const after = await loadDeal(ctx, input.dealId);
    await recordTimeline(ctx, {
      clientId: before.clientId,
      kind: 'stageChange',
      title: `${before.stage} → ${target.code}`,
      detail: target.kind === 'lost' ? `${before.title}: ${input.lostReason}` : before.title,
      link: { type: 'deal', id: input.dealId },
    });
    await ctx.audit({
      entity: 'deal',
      entityId: input.dealId,
      before: { stage: before.stage },
      after: { stage: after.stage, lostReason: after.lostReason },
    });
    await ctx.emit({
      type: 'crm.deal.stageChanged',
      aggregateType: 'deal',
      aggregateId: input.dealId,
      payload: {
        dealId: input.dealId,
        clientId: before.clientId,
        from: before.stage,
        to: target.code,
        ownerId: before.ownerId,
        amount: after.amount,
        currency: after.currency,
      },
    });
    return after;
  },
});

const dealSortColumns = {
  updatedAt: 'd.updated_at',
  amount: 'd.amount',
  expectedCloseDate: 'd.expected_close_date',
} as const;

export const listDeals = defineAction({
  name: 'listDeals',
  description: 'Lists the deals the caller may see, filtered by pipeline, stage, owner, client and text.',
  permission: PERMISSIONS.dealsRead,
  write: false,
  input: listInput(
    ['updatedAt', 'amount', 'expectedCloseDate'],
    {
      pipelineId: z.uuid().optional(),
      stage: z.string().max(40).optional(),
      ownerId: z.uuid().optional(),
      clientId: z.uuid().optional(),
      campaignId: z.uuid().optional(),
    },
    '-updatedAt',
  ),
  output: listOutput(dealSummarySchema),
  async run(ctx, input) {
    let query = selectDeals(ctx.db).where(visibleDeals(ctx));
    if (input.pipelineId) query = query.where('d.pipeline_id', '=', input.pipelineId);
    if (input.stage) query = query.where('d.stage', '=', input.stage);
    if (input.ownerId) query = query.where('d.owner_id', '=', input.ownerId);
    if (input.clientId) query = query.where('d.client_id', '=', input.clientId);
    if (input.campaignId) query = query.where('d.campaign_id', '=', input.campaignId);
    if (input.q) {
      const pattern = `%${input.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      query = query.where((eb) => eb.or([eb('d.title', 'ilike', pattern), eb('c.name', 'ilike', pattern)]));
    }
    const { field, direction } = parseSort<keyof typeof dealSortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(dealSortColumns[field], (ob) =>
          direction === 'asc' ? ob.asc().nullsLast() : ob.desc().nullsLast(),
        )
        .orderBy('d.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toDealSummary), total: Number(count.n) };
  },
});

const BOARD_CARDS = 50;

export const getBoard = defineAction({
  name: 'getBoard',
  description:
    "A pipeline's kanban board: per stage the first 50 deals, the count and the totals per currency.",
  permission: PERMISSIONS.dealsRead,
  write: false,
  input: z.object({ pipelineId: z.uuid().optional(), ownerId: z.uuid().optional() }),
  output: z.object({
    pipelineId: z.string(),
    columns: z.array(
      z.object({
        stage: z.string(),
        deals: z.array(dealSummarySchema),
        count: z.number().int(),
        totalAmount: z.record(z.string(), z.string()),
      }),
    ),
  }),
  async run(ctx, input) {
    const pipelineId = input.pipelineId ?? (await defaultPipeline(ctx.db));
    const [pipeline] = await loadPipelines(ctx.db, pipelineId);
    if (!pipeline) throw notFound('pipeline', pipelineId);
    let base = selectDeals(ctx.db).where('d.pipeline_id', '=', pipelineId).where(visibleDeals(ctx));
    if (input.ownerId) base = base.where('d.owner_id', '=', input.ownerId);
    const totals = await base
      .clearSelect()
      .select([
        'd.stage',
        'd.currency',
        sql<string>`sum(d.amount)::numeric(18,2)::text`.as('total'),
        sql<number>`count(*)`.as('n'),
      ])
      .groupBy(['d.stage', 'd.currency'])
      .execute();
    const columns = [];
    for (const stage of pipeline.stages) {
      const rows = await base
        .where('d.stage', '=', stage.code)
        .orderBy('d.updated_at', 'desc')
        .orderBy('d.id')
        .limit(BOARD_CARDS)
        .execute();
      const mine = totals.filter((t) => t.stage === stage.code);
      columns.push({
        stage: stage.code,
        deals: rows.map(toDealSummary),
        count: mine.reduce((n, t) => n + Number(t.n), 0),
        totalAmount: Object.fromEntries(mine.map((t) => [t.currency, t.total])),
      });
    }
    return { pipelineId, columns };
  },
});
