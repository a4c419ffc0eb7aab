// Housekeeping that keeps tables from growing forever: expired sessions, old sign-in
// attempts, and events delivered long ago. Every statement is an idempotent delete, so any
// number of server processes may run it.
import { type Kysely, sql } from 'kysely';
import { IDEMPOTENCY_RETENTION_DAYS } from './idempotency.js';
import type { Log } from './module.js';
import type { CoreTables } from './schema.js';

const EVENT_RETENTION_DAYS = 30;
export const MAINTENANCE_INTERVAL_MS = 60 * 60 * 1000;

export async function pruneCoreTables(
  db: Kysely<CoreTables>,
): Promise<{ idempotencyKeys: number; sessions: number; attempts: number; events: number }> {
  const sessions = await db
    .deleteFrom('core_sessions')
    .where('expires_at', '<', new Date())
    .executeTakeFirst();
  const attempts = await db
    .deleteFrom('core_login_attempts')
    .where('at', '<', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirst();
  // An event goes once every delivery of it is finished and it is older than the retention.
  const events = await db
    .deleteFrom('core_events as e')
    .where('e.created_at', '<', sql<Date>`now() - make_interval(days => ${EVENT_RETENTION_DAYS})`)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('core_event_deliveries as d')
            .select('d.event_id')
            .whereRef('d.event_id', '=', 'e.id')
            .where('d.status', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  const keys = await db
    .deleteFrom('core_idempotency_keys')
    .where('created_at', '<', sql<Date>`now() - make_interval(days => ${IDEMPOTENCY_RETENTION_DAYS})`)
    .executeTakeFirst();
  return {
    idempotencyKeys: Number(keys.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
    attempts: Number(attempts.numDeletedRows),
    events: Number(events.numDeletedRows),
  };
}

export function startMaintenance(db: Kysely<CoreTables>, log: Log): () => void {
  const run = () =>
    pruneCoreTables(db)
      .then((pruned) => log.debug(pruned, 'maintenance done'))
      .catch((error: unknown) => log.error({ err: error }, 'maintenance failed'));
  void run();
  const timer = setInterval(run, MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
