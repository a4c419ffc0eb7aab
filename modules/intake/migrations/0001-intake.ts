import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table intake_submissions (
    id uuid primary key default gen_random_uuid(),
    name text not null,
    company text,
    phone text,
    email text,
    region text,
    message text,
    ip text not null,
    user_agent text,
    created_at timestamptz not null default now()
  )`.execute(db);
  // The rate limit counts one address's recent submissions.
  await sql`create index intake_submissions_ip on intake_submissions (ip, created_at)`.execute(db);
  await sql`create index intake_submissions_created on intake_submissions (created_at desc, id)`.execute(db);
  // Who got the last lead of a pool (a region's sales team): the next goes to whoever waited longest.
  await sql`create table intake_turns (
    pool text not null,
    user_id uuid not null,
    picks integer not null default 0,
    last_picked_at timestamptz not null,
    primary key (pool, user_id)
  )`.execute(db);
}
