import { type Kysely, sql } from 'kysely';

// The campaign a web-form lead came by (the page's utm_campaign), so the lead is counted for it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table intake_submissions add column campaign text`.execute(db);
}
