import { type Kysely, sql } from 'kysely';

// A document's revision: 1 when written, one more with every change of its row (a draft saved,
// reserved or released, posted, reversed). A clerk saving or posting a draft names the revision
// they saw, and one that another clerk changed meanwhile is refused instead of overwritten or
// posted unseen. A trigger, so no update of the row can forget it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table erp_stock_documents add column revision integer not null default 1`.execute(db);
  await sql`
    create function erp_document_revision() returns trigger language plpgsql as $$
    begin
      new.revision := old.revision + 1;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger erp_document_revision before update on erp_stock_documents
    for each row execute function erp_document_revision()`.execute(db);
}
