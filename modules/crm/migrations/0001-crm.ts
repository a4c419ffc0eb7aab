import { type Kysely, sql } from 'kysely';

const REGIONS: [string, string][] = [
  ['QR', 'Qoraqalpogʻiston Respublikasi'],
  ['AN', 'Andijon'],
  ['BU', 'Buxoro'],
  ['FA', 'Fargʻona'],
  ['JI', 'Jizzax'],
  ['XO', 'Xorazm'],
  ['NG', 'Namangan'],
  ['NW', 'Navoiy'],
  ['QA', 'Qashqadaryo'],
  ['SA', 'Samarqand'],
  ['SI', 'Sirdaryo'],
  ['SU', 'Surxondaryo'],
  ['TO', 'Toshkent viloyati'],
  ['TK', 'Toshkent shahri'],
];

const STAGES: [string, string, number, string][] = [
  ['new', 'Yangi', 10, 'open'],
  ['qualified', 'Saralangan', 25, 'open'],
  ['proposal', 'Taklif', 50, 'open'],
  ['negotiation', 'Muzokara', 75, 'open'],
  ['won', 'Yutilgan', 100, 'won'],
  ['lost', 'Yutqazilgan', 0, 'lost'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // The test setup creates it in public on PostgreSQL; PGlite loads it with the database.
  await sql`create extension if not exists pg_trgm`.execute(db);

  await sql`create table crm_regions (
    code text primary key,
    name text not null,
    sort int not null default 0
  )`.execute(db);
  for (const [i, [code, name]] of REGIONS.entries()) {
    await sql`insert into crm_regions (code, name, sort) values (${code}, ${name}, ${i})`.execute(db);
  }

  await sql`create table crm_clients (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('company', 'person')),
    name text not null,
    tax_id text,
    region text,
    industry text,
    segment text,
    source text,
    status text not null default 'lead' check (status in ('lead', 'prospect', 'active', 'inactive')),
    owner_id uuid,
    tags jsonb not null default '[]',
    phones jsonb not null default '[]',
    emails jsonb not null default '[]',
    website text,
    address text,
    notes text,
    search_text text not null default '',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index crm_clients_search on crm_clients using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index crm_clients_name on crm_clients (lower(name), id)`.execute(db);
  await sql`create index crm_clients_owner_name on crm_clients (owner_id, lower(name), id)`.execute(db);
  await sql`create index crm_clients_status_name on crm_clients (status, lower(name), id)`.execute(db);
  await sql`create index crm_clients_region_name on crm_clients (region, lower(name), id)`.execute(db);
  await sql`create index crm_clients_created on crm_clients (created_at, id)`.execute(db);
  await sql`create index crm_clients_updated on crm_clients (updated_at, id)`.execute(db);
  await sql`create index crm_clients_tax_id on crm_clients (tax_id) where tax_id is not null`.execute(db);
  await sql`create index crm_clients_phones on crm_clients using gin (phones jsonb_path_ops)`.execute(db);
  await sql`create index crm_clients_emails on crm_clients using gin (emails jsonb_path_ops)`.execute(db);
  await sql`create index crm_clients_tags on crm_clients using gin (tags jsonb_path_ops)`.execute(db);

  await sql`create table crm_contacts (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references crm_clients(id) on delete cascade,
    name text not null,
    position text,
    phones jsonb not null default '[]',
    emails jsonb not null default '[]',
    telegram text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index crm_contacts_client on crm_contacts (client_id)`.execute(db);

  await sql`create table crm_pipelines (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    is_default boolean not null default false,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index crm_pipelines_one_default on crm_pipelines (is_default) where is_default`.execute(
    db,
  );
  await sql`create table crm_stages (
    pipeline_id uuid not null references crm_pipelines(id) on delete cascade,
    code text not null,
    name text not null,
    sort int not null,
    probability int not null check (probability between 0 and 100),
    responsible_id uuid,
    kind text not null check (kind in ('open', 'won', 'lost')),
    primary key (pipeline_id, code)
  )`.execute(db);
  const pipeline = await sql<{
    id: string;
  }>`insert into crm_pipelines (name, is_default) values ('Asosiy savdo voronkasi', true) returning id`.execute(
    db,
  );
  const pipelineId = pipeline.rows[0]!.id;
  for (const [i, [code, name, probability, kind]] of STAGES.entries()) {
    await sql`insert into crm_stages (pipeline_id, code, name, sort, probability, kind)
      values (${pipelineId}, ${code}, ${name}, ${i}, ${probability}, ${kind})`.execute(db);
  }

  await sql`create table crm_deals (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references crm_clients(id),
    pipeline_id uuid not null references crm_pipelines(id),
    stage text not null,
    title text not null,
    amount numeric(18,2) not null default 0 check (amount >= 0),
    currency text not null default 'UZS' check (currency in ('UZS', 'USD', 'EUR', 'RUB')),
    expected_close_date date,
    owner_id uuid not null,
    lost_reason text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    foreign key (pipeline_id, stage) references crm_stages(pipeline_id, code) on update cascade
  )`.execute(db);
  await sql`create index crm_deals_client on crm_deals (client_id)`.execute(db);
  await sql`create index crm_deals_board on crm_deals (pipeline_id, stage, updated_at)`.execute(db);
  await sql`create index crm_deals_owner on crm_deals (owner_id, updated_at)`.execute(db);

  await sql`create table crm_deal_lines (
    id uuid primary key default gen_random_uuid(),
    deal_id uuid not null references crm_deals(id) on delete cascade,
    line_no int not null,
    product_id uuid not null,
    product_name text,
    quantity numeric(18,3) not null check (quantity > 0),
    price numeric(18,2) not null check (price >= 0)
  )`.execute(db);
  await sql`create index crm_deal_lines_deal on crm_deal_lines (deal_id, line_no)`.execute(db);

  await sql`create table crm_activities (
    id uuid primary key default gen_random_uuid(),
    type text not null check (type in ('call', 'meeting', 'email', 'task', 'note')),
    subject text not null,
    body text,
    client_id uuid references crm_clients(id),
    deal_id uuid references crm_deals(id),
    due_at timestamptz,
    assignee_id uuid,
    done boolean not null default false,
    done_at timestamptz,
    result text,
    due_notified_at timestamptz,
    created_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index crm_activities_client on crm_activities (client_id, due_at)`.execute(db);
  await sql`create index crm_activities_deal on crm_activities (deal_id)`.execute(db);
  await sql`create index crm_activities_assignee_due on crm_activities (assignee_id, due_at) where not done`.execute(
    db,
  );
  await sql`create index crm_activities_to_notify on crm_activities (due_at)
    where not done and due_notified_at is null and due_at is not null`.execute(db);

  await sql`create table crm_timeline (
    id uuid primary key default gen_random_uuid(),
    client_id uuid not null references crm_clients(id) on delete cascade,
    at timestamptz not null default now(),
    kind text not null,
    title text not null,
    detail text,
    actor_name text,
    link_type text,
    link_id uuid,
    source_key text unique
  )`.execute(db);
  await sql`create index crm_timeline_client on crm_timeline (client_id, at desc)`.execute(db);

  await sql`create table crm_imports (
    id uuid primary key default gen_random_uuid(),
    created_by uuid,
    file_name text not null,
    columns jsonb not null,
    rows jsonb not null,
    status text not null default 'open' check (status in ('open', 'committed')),
    created_at timestamptz not null default now()
  )`.execute(db);
}
