import { type Kysely, sql } from 'kysely';

// The search looks up exact keys by prefix first (a btree range, milliseconds on any size),
// and only when that finds nothing falls back to trigram matching over `search_text`.
// The keys are "C"-collated so one btree serves both `like 'prefix%'` and ordering.
// Existing clients get keys computed in SQL the way `searchKeysOf` computes them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table crm_search_keys (
    client_id uuid not null references crm_clients(id) on delete cascade,
    key text collate "C" not null
  )`.execute(db);
  const norm = (value: ReturnType<typeof sql>) =>
    sql`left(btrim(regexp_replace(translate(lower(${value}), ${"ʻʼ'`‘’"}, ''), '\\s+', ' ', 'g')), 200)`;
  const digits = (value: ReturnType<typeof sql>) => sql`regexp_replace(${value}, '\\D', '', 'g')`;
  await sql`insert into crm_search_keys (client_id, key)
    select id, key from (
      select c.id, ${norm(sql`c.name`)} as key from crm_clients c
      union all select c.id, c.tax_id from crm_clients c where c.tax_id is not null
      union all select c.id, ${digits(sql`p`)} from crm_clients c, jsonb_array_elements_text(c.phones) p
      union all select c.id, substr(${digits(sql`p`)}, 4) from crm_clients c, jsonb_array_elements_text(c.phones) p
        where ${digits(sql`p`)} like '998%'
      union all select c.id, e from crm_clients c, jsonb_array_elements_text(c.emails) e
      union all select k.client_id, ${norm(sql`k.name`)} from crm_contacts k
      union all select k.client_id, ${digits(sql`p`)} from crm_contacts k, jsonb_array_elements_text(k.phones) p
      union all select k.client_id, substr(${digits(sql`p`)}, 4) from crm_contacts k, jsonb_array_elements_text(k.phones) p
        where ${digits(sql`p`)} like '998%'
      union all select k.client_id, e from crm_contacts k, jsonb_array_elements_text(k.emails) e
    ) keys where key <> ''`.execute(db);
  await sql`create index crm_search_keys_key on crm_search_keys (key, client_id)`.execute(db);
  await sql`create index crm_search_keys_client on crm_search_keys (client_id)`.execute(db);
  await sql`analyze crm_search_keys`.execute(db);
}
