import { type Kysely, sql } from 'kysely';

// Marketing campaigns (PRODUCT.md: "campaigns and their measured effect", "segmentation"): a
// campaign with its channel, dates, budget and target audience, and the clients and deals it
// brought, so its effect is counted from the same rows the sales work on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table crm_campaigns (
    id uuid primary key default gen_random_uuid(),
    code text not null unique check (code ~ '^[a-z0-9][a-z0-9_-]*$'),
    name text not null,
    channel text not null
      check (channel in ('email', 'sms', 'messenger', 'social', 'ads', 'event', 'web', 'referral', 'other')),
    status text not null default 'planned' check (status in ('planned', 'active', 'finished')),
    starts_on date,
    ends_on date,
    budget numeric(18, 2) check (budget >= 0),
    currency text not null default 'UZS',
    owner_id uuid,
    audience jsonb not null default '{}',
    description text,
    revision integer not null default 1,
    created_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_on is null or starts_on is null or ends_on >= starts_on)
  )`.execute(db);
  await sql`create index crm_campaigns_status on crm_campaigns (status, starts_on)`.execute(db);

  // Adding a nullable column is instant on a large table; the partial indexes hold only
  // attributed rows, which are what a campaign's figures read.
  await sql`alter table crm_clients add column campaign_id uuid references crm_campaigns(id) on delete restrict`.execute(
    db,
  );
  await sql`create index crm_clients_campaign on crm_clients (campaign_id) where campaign_id is not null`.execute(
    db,
  );
  await sql`alter table crm_deals add column campaign_id uuid references crm_campaigns(id) on delete restrict`.execute(
    db,
  );
  await sql`create index crm_deals_campaign on crm_deals (campaign_id, stage) where campaign_id is not null`.execute(
    db,
  );
}
