import { type Kysely, sql } from 'kysely';

// Service requests (PRODUCT.md: "incoming requests, tickets, claims and feedback, with their
// history"): a client's question, request, complaint or feedback with its assignee, due time
// and status, and every change and comment as a history row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create sequence crm_ticket_number`.execute(db);
  await sql`create table crm_tickets (
    id uuid primary key default gen_random_uuid(),
    number text not null unique,
    client_id uuid not null references crm_clients(id) on delete cascade,
    contact_id uuid references crm_contacts(id) on delete set null,
    deal_id uuid references crm_deals(id) on delete set null,
    kind text not null check (kind in ('question', 'request', 'complaint', 'feedback')),
    channel text not null check (channel in ('phone', 'email', 'web', 'messenger', 'visit')),
    priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
    status text not null default 'new'
      check (status in ('new', 'inProgress', 'waiting', 'resolved', 'closed')),
    subject text not null,
    description text,
    assignee_id uuid,
    due_at timestamptz not null,
    responded_at timestamptz,
    resolved_at timestamptz,
    closed_at timestamptz,
    resolution text,
    rating smallint check (rating between 1 and 5),
    revision integer not null default 1,
    created_by uuid,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  // The queue: open requests by due time, everyone's and each assignee's.
  await sql`create index crm_tickets_status_due on crm_tickets (status, due_at)`.execute(db);
  await sql`create index crm_tickets_assignee on crm_tickets (assignee_id, status, due_at)`.execute(db);
  await sql`create index crm_tickets_client on crm_tickets (client_id, created_at)`.execute(db);
  await sql`create index crm_tickets_deal on crm_tickets (deal_id) where deal_id is not null`.execute(db);
  await sql`create index crm_tickets_created on crm_tickets (created_at)`.execute(db);

  await sql`create table crm_ticket_events (
    id bigint generated always as identity primary key,
    ticket_id uuid not null references crm_tickets(id) on delete cascade,
    at timestamptz not null default now(),
    kind text not null,
    from_value text,
    to_value text,
    text text,
    actor_id uuid,
    actor_name text
  )`.execute(db);
  await sql`create index crm_ticket_events_ticket on crm_ticket_events (ticket_id, id)`.execute(db);
}
