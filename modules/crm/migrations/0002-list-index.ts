import { type Kysely, sql } from 'kysely';

// The clients list filtered by region and status and sorted by name reads one index range.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index crm_clients_region_status_name on crm_clients (region, status, lower(name), id)`.execute(
    db,
  );
}
