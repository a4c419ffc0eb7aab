import { type Kysely, sql } from 'kysely';

// The clients grid sorts by name or by last change under the filters it offers. Without an
// index that starts with the filter, a rare value (a source nobody uses) walks the whole sort
// index looking for rows; a common one sorted by change reads several rows per row shown.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index crm_clients_status_updated on crm_clients (status, updated_at, id)`.execute(db);
  await sql`create index crm_clients_owner_updated on crm_clients (owner_id, updated_at, id)`.execute(db);
  await sql`create index crm_clients_source_name on crm_clients (source, lower(name), id)`.execute(db);
  await sql`create index crm_clients_segment_name on crm_clients (segment, lower(name), id)`.execute(db);
}
