// One statement for what actions record beside their own writes: audit entries, events with
// one delivery per interested subscriber, answers under the calls' idempotency keys, and the
// release of keys whose calls failed. One call's record (`ctx.record`) or a whole group's
// (group commit) alike: rows travel as arrays, so the statement's text depends only on which
// kinds of rows are present, and each of those few texts is prepared once per connection.
import { type RawBuilder, sql, type Transaction } from 'kysely';
import { PREPARED } from '../../db/database.js';
import { jsonbColumn } from '../../db/json-rows.js';
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
export type NewKeyRow = KeyRow & { fingerprint: string };

/** A key found taken by another call while a group wrote its keys at the end (see `keys`). */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('An idempotency key of the group was already taken');
  }
}

/** Whether an error says a key of the group was taken meanwhile: the group must claim first. */
export function isKeyTaken(error: unknown): boolean {
  if (error instanceof IdempotencyKeyTaken) return true;
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'core_idempotency_keys_pk';
}

export type Records = {
  audits?: AuditRow[];
  events?: EventRow[];
  answers?: AnswerRow[];
  /** Keys claimed in this transaction by calls that failed: free again for a retry. */
  released?: KeyRow[];
  /**
   * Keys not claimed before the work (a group's, optimistically), written with their answers
   * now. A key already taken, or taken by a call still running (the insert waits for it),
   * fails the statement with a unique violation: nothing commits and the group claims first.
   */
  keys?: (NewKeyRow & { response: string })[];
  /**
   * Keys of refused calls not claimed before the work: inserted if free (the caller frees them
   * again with `released`, in a statement of its own, as a row inserted here is invisible to
   * a delete in the same statement), or found taken: then the first call's answer must be
   * replayed rather than this refusal, so the group claims first.
   */
  probes?: NewKeyRow[];
};

export type Written = {
  deliveries: number;
  /** The probes that found their key free, inserted (to be freed again). */
  probed: KeyRow[];
};

/**
 * How a one-statement group (`group.plan` of an action) has its records written: in the
 * statement that writes its own rows, before the group takes its locks (see `written`), and
 * with the `number` of each call's document, drawn by the statement, set into the call's audit
 * entry, events and answer.
 */
export type InStatement = {
  /** Whether a CTE `numbered (call int, number text)` gives the calls' numbers. */
  numbered: boolean;
  /** The call (1-based) each row belongs to, by row: audits, events, keys. */
  calls: { audits: number[]; events: number[]; keys: number[] };
};

/** Writes the rows given; returns how many deliveries it wrote and which probes it inserted. */
export async function writeRecords(trx: Transaction<CoreTables>, records: Records): Promise<Written> {
  const { parts, deliveries } = recordParts(records);
  const probes = records.probes ?? [];
  if (parts.length === 0) return { deliveries: 0, probed: [] };
  if (probes.length === 0) {
    await sql`${sql.raw(PREPARED)} with ${sql.join(parts)} select 1`.execute(trx);
    return { deliveries, probed: [] };
  }
  const { rows } = await sql<{ actor_key: string; key: string }>`${sql.raw(PREPARED)}
    with ${sql.join(parts)} select actor_key, key from probed`.execute(trx);
  return { deliveries, probed: rows.map((r) => ({ actorKey: r.actor_key, key: r.key })) };
}

/**
 * The statement's parts (CTEs) that write the records, and the number of deliveries among
 * them. With `within`, for a statement of a group plan (see InStatement): numbered, and
 * `written`, an expression whose evaluation runs every write (they return their rows), so that
 * the statement's main query can write them before the group takes its locks.
 */
export function recordParts(
  records: Records,
  within?: InStatement,
): { parts: RawBuilder<unknown>[]; deliveries: number; written: RawBuilder<unknown> } {
  const { audits = [], events = [], answers = [], released = [], keys = [], probes = [] } = records;
  const parts: RawBuilder<unknown>[] = [];
  const forced: string[] = [];
  const of = <T, V>(rows: T[], pick: (row: T) => V) => rows.map(pick);
  const returning = (name: string) => {
    if (!within) return sql``;
    forced.push(name);
    return sql`returning 1`;
  };
  // The call of each row, and its number, when the statement draws numbers.
  const numbered = within?.numbered === true;
  const call = (calls: number[] | undefined) => (numbered ? sql`, ${calls}::int[]` : sql``);
  const callColumn = numbered ? sql`, call` : sql``;
  const numberJoin = (alias: string) =>
    numbered ? sql`left join numbered n on n.call = ${sql.ref(`${alias}.call`)}` : sql``;
  const filled = (column: RawBuilder<unknown>) =>
    numbered
      ? sql`case when ${column} ? 'number' then jsonb_set(${column}, '{number}', to_jsonb(n.number)) else ${column} end`
      : column;
  if (audits.length > 0) {
    parts.push(sql`audit as (
      insert into core_audit_log (actor_id, actor_name, action, entity, entity_id, before, after, request_id)
      select a.actor_id, a.actor_name, a.action, a.entity, a.entity_id, a.before, ${filled(sql`a.after`)}, a.request_id
      from unnest(${of(audits, (a) => a.actor_id)}::uuid[], ${of(audits, (a) => a.actor_name)}::text[],
        ${of(audits, (a) => a.action)}::text[], ${of(audits, (a) => a.entity)}::text[],
        ${of(audits, (a) => a.entity_id)}::text[], ${jsonbColumn(of(audits, (a) => a.before))},
        ${jsonbColumn(of(audits, (a) => a.after))}, ${of(audits, (a) => a.request_id)}::text[]${call(within?.calls.audits)})
        as a (actor_id, actor_name, action, entity, entity_id, before, after, request_id${callColumn})
      ${numberJoin('a')} ${returning('audit')})`);
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
      select nextval((select pg_get_serial_sequence('core_events', 'id'))) as id, e.type, e.aggregate_type,
        e.aggregate_id, ${filled(sql`e.payload`)} as payload, e.actor_id, e.ord
      from unnest(${of(events, (e) => e.type)}::text[], ${of(events, (e) => e.aggregate_type)}::text[],
        ${of(events, (e) => e.aggregate_id)}::text[], ${jsonbColumn(of(events, (e) => e.payload))},
        ${of(events, (e) => e.actor_id)}::uuid[]${call(within?.calls.events)})
        with ordinality as e(type, aggregate_type, aggregate_id, payload, actor_id${callColumn}, ord)
      ${numberJoin('e')}
      order by e.ord)`);
    parts.push(sql`events as (
      insert into core_events (id, type, aggregate_type, aggregate_id, payload, actor_id)
      select id, type, aggregate_type, aggregate_id, payload, actor_id from new_events ${returning('events')})`);
    if (deliveries.length > 0) {
      parts.push(sql`deliveries as (
        insert into core_event_deliveries (event_id, subscriber, aggregate_key)
        select e.id, d.subscriber, d.aggregate_key
        from new_events e join unnest(${of(deliveries, (d) => d.ord)}::int[],
          ${of(deliveries, (d) => d.subscriber)}::text[], ${of(deliveries, (d) => d.key)}::text[])
          as d (ord, subscriber, aggregate_key) on d.ord = e.ord ${returning('deliveries')})`);
    }
  }
  if (answers.length > 0) {
    parts.push(sql`answers as (
      update core_idempotency_keys k set response = a.response
      from unnest(${of(answers, (a) => a.actorKey)}::text[], ${of(answers, (a) => a.key)}::text[],
        ${jsonbColumn(of(answers, (a) => a.response))}) as a (actor_key, key, response)
      where k.actor_key = a.actor_key and k.key = a.key)`);
  }
  if (released.length > 0) {
    parts.push(sql`released as (
      delete from core_idempotency_keys k
      using unnest(${of(released, (r) => r.actorKey)}::text[], ${of(released, (r) => r.key)}::text[])
        as r (actor_key, key)
      where k.actor_key = r.actor_key and k.key = r.key)`);
  }
  if (keys.length > 0) {
    // In key order, so that two groups inserting overlapping keys wait rather than deadlock.
    parts.push(sql`new_keys as (
      insert into core_idempotency_keys (actor_key, key, fingerprint, response)
      select k.actor_key, k.key, k.fingerprint, ${filled(sql`k.response`)}
      from unnest(${of(keys, (k) => k.actorKey)}::text[], ${of(keys, (k) => k.key)}::text[],
        ${of(keys, (k) => k.fingerprint)}::text[], ${jsonbColumn(of(keys, (k) => k.response))}${call(within?.calls.keys)})
        as k (actor_key, key, fingerprint, response${callColumn})
      ${numberJoin('k')}
      order by k.actor_key, k.key ${returning('new_keys')})`);
  }
  if (probes.length > 0) {
    parts.push(sql`probed as (
      insert into core_idempotency_keys (actor_key, key, fingerprint, response)
      select actor_key, key, fingerprint, null
      from unnest(${of(probes, (k) => k.actorKey)}::text[], ${of(probes, (k) => k.key)}::text[],
        ${of(probes, (k) => k.fingerprint)}::text[]) as k (actor_key, key, fingerprint)
      order by actor_key, key
      on conflict (actor_key, key) do nothing
      returning actor_key, key)`);
  }
  if (within && (answers.length > 0 || released.length > 0 || probes.length > 0)) {
    throw new Error('A group plan writes new keys only: nothing was claimed before its statement');
  }
  const written = sql.join(
    forced.map((name) => sql`(select count(*) from ${sql.table(name)})`),
    sql` + `,
  );
  return { parts, deliveries: deliveries.length, written: forced.length > 0 ? written : sql`0` };
}
