// `core_hold(ok, reason)`: fails the statement it is evaluated in unless `ok` is true. A group
// planned as one statement (`group.plan` of an action) writes what needs no lock first, then
// locks its rows and checks what it assumed; if that does not hold, the whole statement must be
// undone, which only an error does.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function core_hold(ok boolean, reason text) returns boolean
    language plpgsql volatile as $$
    begin
      if ok is not true then
        raise exception 'a planned statement did not hold: %', reason using errcode = 'P0001';
      end if;
      return true;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function core_hold(boolean, text)`.execute(db);
}
