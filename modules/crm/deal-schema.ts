// The shapes of deals in the API and the one query that reads them.
import { sql } from 'kysely';
import { z } from 'zod';
import { iso } from '../../server/core/list-query.js';
import { dateText, type Trx, userName } from './define.js';

export const currencySchema = z.enum(['UZS', 'USD', 'EUR', 'RUB']);

export const dealLineSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string().nullable(),
  quantity: z.string(),
  price: z.string(),
});

export const dealSummarySchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  pipelineId: z.string(),
  stage: z.string(),
  title: z.string(),
  amount: z.string(),
  currency: currencySchema,
  expectedCloseDate: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  probability: z.number().int(),
  lostReason: z.string().nullable(),
  /** The campaign the deal counts for: its client's unless set otherwise. */
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DealSummary = z.infer<typeof dealSummarySchema>;

export const dealSchema = dealSummarySchema.extend({ lines: z.array(dealLineSchema) });
export type Deal = z.infer<typeof dealSchema>;

/** Deals with client name, owner name and the stage's probability; `d` aliases crm_deals. */
export function selectDeals(db: Trx) {
  return db
    .selectFrom('crm_deals as d')
    .innerJoin('crm_clients as c', 'c.id', 'd.client_id')
    .innerJoin('crm_stages as s', (j) =>
      j.onRef('s.pipeline_id', '=', 'd.pipeline_id').onRef('s.code', '=', 'd.stage'),
    )
    .select([
      'd.id',
      'd.client_id',
      'c.name as client_name',
      'd.pipeline_id',
      'd.stage',
      'd.title',
      sql<string>`d.amount::text`.as('amount'),
      'd.currency',
      dateText('d.expected_close_date').as('expected_close_date'),
      'd.owner_id',
      userName('d.owner_id').as('owner_name'),
      's.probability',
      's.kind as stage_kind',
      'd.lost_reason',
      'd.campaign_id',
      sql<string | null>`(select m.name from crm_campaigns m where m.id = d.campaign_id)`.as('campaign_name'),
      'd.created_at',
      'd.updated_at',
    ]);
}

type DealRow = Awaited<ReturnType<ReturnType<typeof selectDeals>['executeTakeFirstOrThrow']>>;

export function toDealSummary(row: DealRow): DealSummary {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    pipelineId: row.pipeline_id,
    stage: row.stage,
    title: row.title,
    amount: row.amount,
    currency: row.currency,
    expectedCloseDate: row.expected_close_date,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    probability: row.probability,
    lostReason: row.lost_reason,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function linesOf(db: Trx, dealId: string) {
  const rows = await db
    .selectFrom('crm_deal_lines')
    .select([
      'id',
      'product_id',
      'product_name',
      sql<string>`quantity::text`.as('quantity'),
      sql<string>`price::text`.as('price'),
    ])
    .where('deal_id', '=', dealId)
    .orderBy('line_no')
    .execute();
  return rows.map((l) => ({
    id: l.id,
    productId: l.product_id,
    productName: l.product_name,
    quantity: l.quantity,
    price: l.price,
  }));
}
