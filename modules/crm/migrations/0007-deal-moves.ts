import { type Kysely, sql } from 'kysely';

// Sales analytics need each deal's path and the day it closed: how far a lost deal got before
// it was lost (the funnel), what was won or lost in a period. The timeline kept the moves as
// text for people; this keeps them as data, filled from the timeline for deals already there.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table crm_deal_moves (
    id bigint generated always as identity primary key,
    deal_id uuid not null references crm_deals(id) on delete cascade,
    at timestamptz not null default now(),
    from_stage text,
    to_stage text not null,
    actor_id uuid
  )`.execute(db);
  await sql`create index crm_deal_moves_deal on crm_deal_moves (deal_id, at)`.execute(db);
  // The funnel reads the moves since its period began.
  await sql`create index crm_deal_moves_at on crm_deal_moves (at)`.execute(db);
  await sql`alter table crm_deals add column closed_at timestamptz`.execute(db);
  await sql`create index crm_deals_created on crm_deals (pipeline_id, created_at)`.execute(db);
  await sql`create index crm_deals_closed on crm_deals (pipeline_id, closed_at) where closed_at is not null`.execute(
    db,
  );
  // Each manager's activities done in a period.
  await sql`create index crm_activities_done on crm_activities (assignee_id, done_at) where done`.execute(db);

  await backfillDealMoves(db);
}

/**
 * Fills the moves and closing times of deals that have none from their timeline entries (the
 * deals a database held before this migration); a deal that has moves is left as it is.
 */
export async function backfillDealMoves(db: Kysely<unknown>): Promise<void> {
  // moveDealStage titled its timeline entries "from → to".
  await sql`insert into crm_deal_moves (deal_id, at, from_stage, to_stage)
    select d.id, t.at, split_part(t.title, ' → ', 1), split_part(t.title, ' → ', 2)
    from crm_timeline t join crm_deals d on d.id = t.link_id
    where t.kind = 'stageChange' and t.link_type = 'deal' and position(' → ' in t.title) > 0
      and not exists (select 1 from crm_deal_moves m where m.deal_id = d.id)
    order by t.at`.execute(db);
  // A deal opens in the stage its first move left, or where it still is.
  await sql`insert into crm_deal_moves (deal_id, at, from_stage, to_stage)
    select d.id, d.created_at, null, coalesce(
      (select m.from_stage from crm_deal_moves m where m.deal_id = d.id order by m.at, m.id limit 1),
      d.stage)
    from crm_deals d
    where not exists (select 1 from crm_deal_moves m where m.deal_id = d.id and m.from_stage is null)`.execute(
    db,
  );
  await sql`update crm_deals d set closed_at = coalesce(
      (select max(m.at) from crm_deal_moves m where m.deal_id = d.id and m.to_stage = d.stage),
      d.updated_at)
    where d.closed_at is null and exists (
      select 1 from crm_stages s where s.pipeline_id = d.pipeline_id and s.code = d.stage and s.kind <> 'open')`.execute(
    db,
  );
}
