// Sales analytics for a pipeline and a period: the funnel of the deals opened in it (how far
// each got, a lost one counted up to the stage it was lost from), what was won and lost in it,
// why deals were lost, and each manager's and each client segment's figures. Aggregated in SQL: the answer's size is
// the pipeline's stages and the managers, whatever the number of deals.
import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import { notFound } from '../../server/core/errors.js';
import { periodFields, periodInstants, periodOf, withPeriodRule } from '../../server/core/period.js';
import { countAndAmountSchema, tally } from './amounts.js';
import { defaultPipeline, loadPipelines } from './deals.js';
import { type Ctx, defineAction, fieldProblem, PERMISSIONS, restrictedTo } from './define.js';

const countAndAmount = countAndAmountSchema;

export const salesAnalyticsSchema = z.object({
  pipelineId: z.string(),
  from: z.string(),
  to: z.string(),
  /** Whose deals: the one manager asked for (or the caller, who sees only their own), or null for all. */
  ownerId: z.string().nullable(),
  /** Deals opened in the period, per open and won stage in order: how many got at least that far. */
  funnel: z.array(countAndAmount.extend({ stage: z.string() })),
  opened: countAndAmount,
  /** Deals closed in the period; `averageDays` from opening to winning. */
  won: countAndAmount.extend({ averageDays: z.number().nullable() }),
  lost: countAndAmount,
  /** Won of closed in the period, 0-1; null when none closed. */
  winRate: z.number().nullable(),
  /** The commonest reasons of the period's lost deals, the commonest first (at most 5). */
  lostReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  managers: z.array(
    z.object({
      ownerId: z.string(),
      name: z.string().nullable(),
      /** Open deals now, whatever the period. */
      open: countAndAmount,
      opened: z.number().int(),
      won: countAndAmount,
      lost: z.number().int(),
      winRate: z.number().nullable(),
      /** Activities they did in the period, and those overdue now. */
      activitiesDone: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
  /**
   * Per client segment (null: clients without one), the deals opened in the period and those
   * closed in it; the segments with the most won deals first, at most SEGMENT_LIMIT of them.
   */
  segments: z.array(
    z.object({
      segment: z.string().nullable(),
      opened: countAndAmount,
      won: countAndAmount,
      lost: z.number().int(),
      winRate: z.number().nullable(),
    }),
  ),
});
export type SalesAnalytics = z.infer<typeof salesAnalyticsSchema>;

type Row = { currency: string; n: number; total: string };

/** Segments are free text: the table shows the ones that matter, not every spelling. */
export const SEGMENT_LIMIT = 20;

const rate = (won: number, lost: number) => (won + lost === 0 ? null : won / (won + lost));

export const getSalesAnalytics = defineAction({
  name: 'getSalesAnalytics',
  description:
    "Sales analytics of a pipeline for a period (Tashkent days, the current month by default): the funnel of the deals opened in it, won and lost deals with the win rate, the commonest lost reasons, and each manager's figures. A manager who sees only their own clients gets their own figures.",
  permission: PERMISSIONS.dealsRead,
  write: false,
  input: withPeriodRule(
    z.object({ pipelineId: z.uuid().optional(), ownerId: z.uuid().optional(), ...periodFields }),
  ),
  output: salesAnalyticsSchema,
  async run(ctx, input) {
    const me = restrictedTo(ctx.actor);
    if (me !== null && input.ownerId !== undefined && input.ownerId !== me)
      fieldProblem(ctx, 'ownerId', 'OWNER_NOT_ALLOWED');
    const ownerId = me ?? input.ownerId ?? null;
    const pipelineId = input.pipelineId ?? (await defaultPipeline(ctx.db));
    const [pipeline] = await loadPipelines(ctx.db, pipelineId);
    if (!pipeline) throw notFound('pipeline', pipelineId);
    const { from, to } = periodOf(input);
    const { start, end } = periodInstants(input);
    const owner = (column: string) => (ownerId === null ? sql`true` : sql`${sql.ref(column)} = ${ownerId}`);
    const q = { ctx, pipelineId, start, end, owner };

    const [tops, closed, reasons, managers, segments] = await Promise.all([
      funnelTops(q),
      closedInPeriod(q),
      lostReasons(q),
      managerFigures(q),
      segmentFigures(q),
    ]);

    // A deal reached every stage up to the furthest it entered.
    const funnelStages = pipeline.stages.filter((s) => s.kind !== 'lost');
    const position = new Map(funnelStages.map((s, i) => [s.code, i]));
    const opened = tally(tops);
    const funnel = funnelStages.map((stage, i) => ({
      stage: stage.code,
      ...(i === 0 ? opened : tally(tops.filter((t) => t.top !== null && position.get(t.top)! >= i))),
    }));
    const won = tally(closed.filter((r) => r.kind === 'won'));
    const lost = tally(closed.filter((r) => r.kind === 'lost'));
    const wonSeconds = closed.filter((r) => r.kind === 'won').reduce((s, r) => s + Number(r.seconds), 0);
    return {
      pipelineId,
      from,
      to,
      ownerId,
      funnel,
      opened,
      won: {
        ...won,
        averageDays: won.count === 0 ? null : Math.round((wonSeconds / won.count / 86_400) * 10) / 10,
      },
      lost,
      winRate: rate(won.count, lost.count),
      lostReasons: reasons.map((r) => ({ reason: r.reason, count: Number(r.n) })),
      managers,
      segments,
    };
  },
});

type Query = {
  ctx: Ctx;
  pipelineId: string;
  start: Date;
  end: Date;
  owner: (column: string) => RawBuilder<unknown>;
};

/**
 * The deals opened in the period grouped by the furthest open or won stage each entered (in the
 * pipeline's order as it is now: a stage since removed does not count), and currency. A deal's
 * moves come after it opened, so only the moves since the period began are read: the cost
 * follows the period, not the pipeline's history (docs/benchmarks.md, "Sales analytics").
 */
async function funnelTops({ ctx, pipelineId, start, end, owner }: Query) {
  const { rows } = await sql<Row & { top: string | null }>`
    with cohort as (
      select d.id, d.stage, d.currency, d.amount from crm_deals d
      where d.pipeline_id = ${pipelineId} and d.created_at >= ${start} and d.created_at < ${end}
        and ${owner('d.owner_id')}
    ), entered as (
      select c.id, c.stage as code from cohort c
      union all
      select m.deal_id, m.to_stage from cohort c
      join crm_deal_moves m on m.deal_id = c.id and m.at >= ${start}
    ), tops as (
      select e.id, max(s.sort) as top from entered e
      join crm_stages s on s.pipeline_id = ${pipelineId} and s.code = e.code and s.kind <> 'lost'
      group by e.id
    )
    select (select s.code from crm_stages s where s.pipeline_id = ${pipelineId} and s.sort = t.top) as top,
      c.currency, count(*)::int as n, sum(c.amount)::numeric(18,2)::text as total
    from cohort c left join tops t on t.id = c.id
    group by t.top, c.currency`.execute(ctx.db);
  return rows;
}

/** Deals closed in the period by outcome and currency, with the seconds they took in all. */
async function closedInPeriod({ ctx, pipelineId, start, end, owner }: Query) {
  const { rows } = await sql<Row & { kind: 'won' | 'lost'; seconds: string }>`
    select s.kind, d.currency, count(*)::int as n, sum(d.amount)::numeric(18,2)::text as total,
      sum(extract(epoch from d.closed_at - d.created_at))::float8 as seconds
    from crm_deals d
    join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
    where d.pipeline_id = ${pipelineId} and d.closed_at >= ${start} and d.closed_at < ${end}
      and s.kind <> 'open' and ${owner('d.owner_id')}
    group by s.kind, d.currency`.execute(ctx.db);
  return rows;
}

/** The commonest reasons, told apart regardless of case and spaces; shown as first written. */
async function lostReasons({ ctx, pipelineId, start, end, owner }: Query) {
  const { rows } = await sql<{ reason: string; n: number }>`
    select min(btrim(d.lost_reason)) as reason, count(*)::int as n
    from crm_deals d
    join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
    where d.pipeline_id = ${pipelineId} and d.closed_at >= ${start} and d.closed_at < ${end}
      and s.kind = 'lost' and d.lost_reason is not null and ${owner('d.owner_id')}
    group by lower(btrim(d.lost_reason))
    order by n desc, reason
    limit 5`.execute(ctx.db);
  return rows;
}

/** Each manager with open deals, deals opened or closed in the period, activities done or overdue. */
async function managerFigures({ ctx, pipelineId, start, end, owner }: Query) {
  const [deals, activities] = await Promise.all([
    sql<Row & { owner_id: string; part: 'open' | 'opened' | 'won' | 'lost' }>`
      select d.owner_id, s.kind as part, d.currency, count(*)::int as n,
        sum(d.amount)::numeric(18,2)::text as total
      from crm_deals d join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
      where d.pipeline_id = ${pipelineId} and ${owner('d.owner_id')}
        and (s.kind = 'open' or (d.closed_at >= ${start} and d.closed_at < ${end}))
      group by d.owner_id, s.kind, d.currency
      union all
      select d.owner_id, 'opened', d.currency, count(*)::int, sum(d.amount)::numeric(18,2)::text
      from crm_deals d
      where d.pipeline_id = ${pipelineId} and d.created_at >= ${start} and d.created_at < ${end}
        and ${owner('d.owner_id')}
      group by d.owner_id, d.currency`.execute(ctx.db),
    sql<{ owner_id: string; done: number; overdue: number }>`
      select a.assignee_id as owner_id,
        count(*) filter (where a.done and a.done_at >= ${start} and a.done_at < ${end})::int as done,
        count(*) filter (where not a.done and a.due_at < now())::int as overdue
      from crm_activities a
      where a.assignee_id is not null and ${owner('a.assignee_id')}
        and ((a.done and a.done_at >= ${start} and a.done_at < ${end}) or (not a.done and a.due_at < now()))
      group by a.assignee_id`.execute(ctx.db),
  ]);
  const ids = [...new Set([...deals.rows.map((r) => r.owner_id), ...activities.rows.map((r) => r.owner_id)])];
  const names =
    ids.length === 0
      ? []
      : await ctx.db.selectFrom('core_users').select(['id', 'name']).where('id', 'in', ids).execute();
  const nameOf = new Map(names.map((u) => [u.id, u.name]));
  return ids
    .map((id) => {
      const mine = deals.rows.filter((r) => r.owner_id === id);
      const part = (p: string) => tally(mine.filter((r) => r.part === p));
      const won = part('won');
      const lost = part('lost').count;
      const acts = activities.rows.find((r) => r.owner_id === id);
      return {
        ownerId: id,
        name: nameOf.get(id) ?? null,
        open: part('open'),
        opened: part('opened').count,
        won,
        lost,
        winRate: rate(won.count, lost),
        activitiesDone: acts?.done ?? 0,
        overdue: acts?.overdue ?? 0,
      };
    })
    .sort((a, b) => b.won.count - a.won.count || (a.name ?? '').localeCompare(b.name ?? ''));
}

/** Deals opened and closed in the period by their client's segment (see `segments`). */
async function segmentFigures({ ctx, pipelineId, start, end, owner }: Query) {
  const { rows } = await sql<Row & { segment: string | null; part: 'opened' | 'won' | 'lost' }>`
    select c.segment, 'opened' as part, d.currency, count(*)::int as n,
      sum(d.amount)::numeric(18,2)::text as total
    from crm_deals d join crm_clients c on c.id = d.client_id
    where d.pipeline_id = ${pipelineId} and d.created_at >= ${start} and d.created_at < ${end}
      and ${owner('d.owner_id')}
    group by c.segment, d.currency
    union all
    select c.segment, s.kind, d.currency, count(*)::int, sum(d.amount)::numeric(18,2)::text
    from crm_deals d
    join crm_clients c on c.id = d.client_id
    join crm_stages s on s.pipeline_id = d.pipeline_id and s.code = d.stage
    where d.pipeline_id = ${pipelineId} and d.closed_at >= ${start} and d.closed_at < ${end}
      and s.kind <> 'open' and ${owner('d.owner_id')}
    group by c.segment, s.kind, d.currency`.execute(ctx.db);
  const segments = [...new Set(rows.map((r) => r.segment))];
  return segments
    .map((segment) => {
      const its = rows.filter((r) => r.segment === segment);
      const part = (p: string) => tally(its.filter((r) => r.part === p));
      const won = part('won');
      const lost = part('lost').count;
      return { segment, opened: part('opened'), won, lost, winRate: rate(won.count, lost) };
    })
    .sort(
      (a, b) =>
        b.won.count - a.won.count ||
        b.opened.count - a.opened.count ||
        (a.segment ?? '\uffff').localeCompare(b.segment ?? '\uffff'),
    )
    .slice(0, SEGMENT_LIMIT);
}
