// The events outbox: events are written in the transaction that caused them, one delivery
// row per interested subscriber, and a dispatcher in every server process delivers them after
// commit: at least once, in order per (subscriber, aggregate), surviving restarts.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { EmittedEvent, Log, StoredEvent, SubscriberDefinition } from './module.js';
import type { CoreTables } from './schema.js';
import { inTransaction } from './transaction.js';

const matches = (pattern: string, type: string) =>
  pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;

export function subscriberMatches(subscriber: SubscriberDefinition, type: string): boolean {
  return (
    subscriber.events.some((pattern) => matches(pattern, type)) &&
    !(subscriber.except ?? []).some((pattern) => matches(pattern, type))
  );
}

export async function writeEvent(
  trx: Transaction<CoreTables>,
  subscribers: readonly SubscriberDefinition[],
  event: EmittedEvent,
  actorId: string | null,
): Promise<{ id: number; deliveries: number }> {
  const row = await trx
    .insertInto('core_events')
    .values({
      type: event.type,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      payload: JSON.stringify(event.payload),
      actor_id: actorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const interested = subscribers.filter((s) => subscriberMatches(s, event.type));
  if (interested.length > 0) {
    await trx
      .insertInto('core_event_deliveries')
      .values(
        interested.map((s) => ({
          event_id: row.id,
          subscriber: s.name,
          aggregate_key: `${event.aggregateType}:${event.aggregateId}`,
          last_error: null,
          delivered_at: null,
        })),
      )
      .execute();
  }
  return { id: row.id, deliveries: interested.length };
}

export type DeliverFn = (
  trx: Transaction<CoreTables>,
  subscriber: SubscriberDefinition,
  event: StoredEvent,
) => Promise<void>;

export type Dispatcher = {
  /** Asks for a delivery round soon (after a commit that emitted). */
  kick(): void;
  /** Delivers everything that is due now; resolves when nothing is left (tests use it). */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
};

const MAX_ATTEMPTS = 8;
const POLL_MS = 1000;

/** Backoff after a failed delivery: 1 s, 2 s, 4 s ... capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** (attempts - 1), 300_000);
}

export function createDispatcher(options: {
  db: Kysely<CoreTables>;
  subscribers: readonly SubscriberDefinition[];
  deliver: DeliverFn;
  log: Log;
  pollMs?: number;
}): Dispatcher {
  const { db, log } = options;
  const byName = new Map(options.subscribers.map((s) => [s.name, s]));
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = true;
  let again = false;

  // Claims the oldest due delivery whose earlier deliveries to the same subscriber and aggregate
  // are all finished, so order per aggregate holds even with several dispatchers at once.
  async function deliverOne(): Promise<'delivered' | 'failed' | 'none'> {
    let claimed: { event_id: number; subscriber: string } | undefined;
    try {
      return await inTransaction(db, async (trx) => {
        const due = await sql<{ event_id: number; subscriber: string }>`
          select d.event_id, d.subscriber from core_event_deliveries d
          where d.status = 'pending' and d.next_attempt_at <= now()
            and d.subscriber in (${sql.join([...byName.keys()])})
            and not exists (
              select 1 from core_event_deliveries p
              where p.subscriber = d.subscriber and p.aggregate_key = d.aggregate_key
                and p.status = 'pending' and p.event_id < d.event_id)
          order by d.next_attempt_at, d.event_id
          limit 1
          for update of d skip locked`.execute(trx);
        claimed = due.rows[0];
        if (!claimed) return 'none';
        const subscriber = byName.get(claimed.subscriber)!;
        const row = await trx
          .selectFrom('core_events')
          .selectAll()
          .where('id', '=', claimed.event_id)
          .executeTakeFirstOrThrow();
        const event: StoredEvent = {
          id: row.id,
          type: row.type,
          aggregateType: row.aggregate_type,
          aggregateId: row.aggregate_id,
          payload: row.payload,
          actorId: row.actor_id,
          createdAt: row.created_at.toISOString(),
        };
        await options.deliver(trx, subscriber, event);
        await trx
          .updateTable('core_event_deliveries')
          .set({ status: 'done', delivered_at: new Date(), attempts: sql`attempts + 1` })
          .where('event_id', '=', claimed.event_id)
          .where('subscriber', '=', claimed.subscriber)
          .execute();
        return 'delivered';
      });
    } catch (error) {
      if (!claimed) throw error;
      const { event_id, subscriber } = claimed;
      const message = error instanceof Error ? error.message : String(error);
      const row = await db
        .updateTable('core_event_deliveries')
        .set({ attempts: sql`attempts + 1`, last_error: message.slice(0, 2000) })
        .where('event_id', '=', event_id)
        .where('subscriber', '=', subscriber)
        .returning('attempts')
        .executeTakeFirst();
      const attempts = row?.attempts ?? MAX_ATTEMPTS;
      const dead = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('core_event_deliveries')
        .set(dead ? { status: 'failed' } : { next_attempt_at: new Date(Date.now() + retryDelayMs(attempts)) })
        .where('event_id', '=', event_id)
        .where('subscriber', '=', subscriber)
        .execute();
      log[dead ? 'error' : 'warn'](
        { err: error, eventId: event_id, subscriber, attempts },
        dead ? 'event delivery failed for good' : 'event delivery failed, will retry',
      );
      return 'failed';
    }
  }

  async function round(): Promise<number> {
    if (byName.size === 0) return 0;
    let delivered = 0;
    for (;;) {
      const outcome = await deliverOne();
      if (outcome === 'none') return delivered;
      if (outcome === 'delivered') delivered++;
    }
  }

  function runRound(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = round()
      .catch((error: unknown) => {
        log.error({ err: error }, 'event dispatcher round failed');
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void runRound();
        }
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void runRound().finally(schedule);
    }, options.pollMs ?? POLL_MS);
    timer.unref();
  }

  return {
    kick() {
      if (!stopped) void runRound();
    },
    async drain() {
      let total = 0;
      for (;;) {
        if (running) await running;
        const n = await runRound();
        total += n;
        if (n === 0 && !running) return total;
      }
    },
    start() {
      if (!stopped) return;
      stopped = false;
      void runRound();
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
