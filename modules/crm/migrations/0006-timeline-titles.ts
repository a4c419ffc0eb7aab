import { type Kysely, sql } from 'kysely';

// A process writes a timeline entry's title in each of the app's languages ({ uz, ru, en }):
// every reader sees it in their own, `title` keeps one of them for readers of another.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table crm_timeline add column titles jsonb`.execute(db);
}
