import { type Kysely, sql } from 'kysely';

// The words of clients' and contacts' names, so a typo can be corrected against a vocabulary
// of a few thousand words instead of trigram-matching a million rows. Words are only added
// (a stale word costs nothing but a candidate); digits and e-mail parts are left out.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table crm_search_words (word text collate "C" primary key)`.execute(db);
  await sql`insert into crm_search_words (word)
    select distinct w from crm_search_keys k, regexp_split_to_table(k.key, ' ') as w
    where length(w) between 3 and 50 and w !~ '[0-9@.]'
    on conflict do nothing`.execute(db);
  await sql`create index crm_search_words_trgm on crm_search_words using gin (word gin_trgm_ops)`.execute(db);
}
