// One statement for what an action records beside its own writes: its audit entry, its events
// with one delivery per interested subscriber, and its answer under the call's idempotency
// key. The same rows `ctx.audit`, `ctx.emit` and the registry write one at a time, in one
// round trip instead of three, for hot paths where each round trip counts.
import { sql, type Transaction } from 'kysely';
import { PREPARED } from '../../db/database.js';
import type { CoreTables } from './schema.js';

export type AuditRow = {
  actor_id: string | null;
  actor_name: string;
  action: string;
  entity: string;
  entity_id: string;
  before: string | null;
  after: string | null;
  request_id: string | null;
};

export type EventRow = {
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  /** JSON text. */
  payload: string;
  actor_id: string | null;
  subscribers: string[];
};

export type AnswerRow = { actorKey: string; key: string; response: string };

/** Writes the rows given; returns how many deliveries it wrote. */
export async function writeRecord(
  trx: Transaction<CoreTables>,
  rows: { audit?: AuditRow; events: EventRow[]; answer?: AnswerRow },
): Promise<number> {
  const parts = [];
  const { audit, events, answer } = rows;
  if (audit) {
    parts.push(sql`audit as (
      insert into core_audit_log (actor_id, actor_name, action, entity, entity_id, before, after, request_id)
      values (${audit.actor_id}::uuid, ${audit.actor_name}, ${audit.action}, ${audit.entity},
        ${audit.entity_id}, ${audit.before}::jsonb, ${audit.after}::jsonb, ${audit.request_id}))`);
  }
  const deliveries = events.flatMap((e, ord) =>
    e.subscribers.map((s) => sql`(${ord}::int, ${s}, ${`${e.aggregate_type}:${e.aggregate_id}`})`),
  );
  if (events.length > 0) {
    const values = events.map(
      (e, ord) =>
        sql`(${ord}::int, ${e.type}, ${e.aggregate_type}, ${e.aggregate_id}, ${e.payload}::jsonb, ${e.actor_id}::uuid)`,
    );
    // Ids are drawn first, in the order emitted, so that deliveries can name their event.
    parts.push(sql`new_events as materialized (
      select nextval(pg_get_serial_sequence('core_events', 'id')) as id, v.*
      from (select * from (values ${sql.join(values)}) as v (ord, type, aggregate_type, aggregate_id,
        payload, actor_id) order by ord) as v)`);
    parts.push(sql`events as (
      insert into core_events (id, type, aggregate_type, aggregate_id, payload, actor_id)
      select id, type, aggregate_type, aggregate_id, payload, actor_id from new_events)`);
    if (deliveries.length > 0) {
      parts.push(sql`deliveries as (
        insert into core_event_deliveries (event_id, subscriber, aggregate_key)
        select e.id, d.subscriber, d.aggregate_key
        from new_events e join (values ${sql.join(deliveries)}) as d (ord, subscriber, aggregate_key)
          on d.ord = e.ord)`);
    }
  }
  if (answer) {
    parts.push(sql`answer as (
      update core_idempotency_keys set response = ${answer.response}::jsonb
      where actor_key = ${answer.actorKey} and key = ${answer.key})`);
  }
  if (parts.length === 0) return 0;
  // Few shapes (which parts, how many events): prepared once per connection on PostgreSQL.
  await sql`${sql.raw(PREPARED)} with ${sql.join(parts)} select 1`.execute(trx);
  return deliveries.length;
}
