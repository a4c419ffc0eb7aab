// One statement for what actions record beside their own writes: audit entries, events with
// one delivery per interested subscriber, answers under the calls' idempotency keys, and the
// release of keys whose calls failed. One call's record (`ctx.record`) or a whole group's
// (group commit) alike: rows travel as arrays, so the statement's text depends only on which
// kinds of rows are present, and each of those few texts is prepared once per connection.
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

export type KeyRow = { actorKey: string; key: string };
export type AnswerRow = KeyRow & { response: string };

export type Records = {
  audits?: AuditRow[];
  events?: EventRow[];
  answers?: AnswerRow[];
  /** Keys claimed in this transaction by calls that failed: free again for a retry. */
  released?: KeyRow[];
};

/** Writes the rows given; returns how many deliveries it wrote. */
export async function writeRecords(trx: Transaction<CoreTables>, records: Records): Promise<number> {
  const { audits = [], events = [], answers = [], released = [] } = records;
  const parts = [];
  const of = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  if (audits.length > 0) {
    parts.push(sql`audit as (
      insert into core_audit_log (actor_id, actor_name, action, entity, entity_id, before, after, request_id)
      select * from unnest(${of(audits, (a) => a.actor_id)}::uuid[], ${of(audits, (a) => a.actor_name)}::text[],
        ${of(audits, (a) => a.action)}::text[], ${of(audits, (a) => a.entity)}::text[],
        ${of(audits, (a) => a.entity_id)}::text[], ${of(audits, (a) => a.before)}::jsonb[],
        ${of(audits, (a) => a.after)}::jsonb[], ${of(audits, (a) => a.request_id)}::text[]))`);
  }
  const deliveries = events.flatMap((e, i) =>
    e.subscribers.map((subscriber) => ({
      ord: i + 1,
      subscriber,
      key: `${e.aggregate_type}:${e.aggregate_id}`,
    })),
  );
  if (events.length > 0) {
    // Ids are drawn first, in the order emitted, so that deliveries can name their event.
    parts.push(sql`new_events as materialized (
      -- The sequence's name is looked up once (a scalar subquery), not for every row.
      select nextval((select pg_get_serial_sequence('core_events', 'id'))) as id, e.*
      from unnest(${of(events, (e) => e.type)}::text[], ${of(events, (e) => e.aggregate_type)}::text[],
        ${of(events, (e) => e.aggregate_id)}::text[], ${of(events, (e) => e.payload)}::jsonb[],
        ${of(events, (e) => e.actor_id)}::uuid[])
        with ordinality as e(type, aggregate_type, aggregate_id, payload, actor_id, ord)
      order by e.ord)`);
    parts.push(sql`events as (
      insert into core_events (id, type, aggregate_type, aggregate_id, payload, actor_id)
      select id, type, aggregate_type, aggregate_id, payload, actor_id from new_events)`);
    if (deliveries.length > 0) {
      parts.push(sql`deliveries as (
        insert into core_event_deliveries (event_id, subscriber, aggregate_key)
        select e.id, d.subscriber, d.aggregate_key
        from new_events e join unnest(${of(deliveries, (d) => d.ord)}::int[],
          ${of(deliveries, (d) => d.subscriber)}::text[], ${of(deliveries, (d) => d.key)}::text[])
          as d (ord, subscriber, aggregate_key) on d.ord = e.ord)`);
    }
  }
  if (answers.length > 0) {
    parts.push(sql`answers as (
      update core_idempotency_keys k set response = a.response
      from unnest(${of(answers, (a) => a.actorKey)}::text[], ${of(answers, (a) => a.key)}::text[],
        ${of(answers, (a) => a.response)}::jsonb[]) as a (actor_key, key, response)
      where k.actor_key = a.actor_key and k.key = a.key)`);
  }
  if (released.length > 0) {
    parts.push(sql`released as (
      delete from core_idempotency_keys k
      using unnest(${of(released, (r) => r.actorKey)}::text[], ${of(released, (r) => r.key)}::text[])
        as r (actor_key, key)
      where k.actor_key = r.actor_key and k.key = r.key)`);
  }
  if (parts.length === 0) return 0;
  await sql`${sql.raw(PREPARED)} with ${sql.join(parts)} select 1`.execute(trx);
  return deliveries.length;
}
