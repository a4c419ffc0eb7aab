import { type Kysely, sql } from 'kysely';

// A warehouse's keepers (materially responsible people): when any are named, only they (and
// admins) post documents in it. Empty: every holder of the document rights may, as before.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table erp_warehouses add column keeper_ids uuid[] not null default '{}'`.execute(db);
}
