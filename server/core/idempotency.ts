// Idempotent calls: a retry with the same key and the same input answers the first call's
// result and changes nothing; the same key with another input is refused. The key is
// claimed in the call's own transaction, so a call that fails leaves the key free, and two
// concurrent calls with one key run once (the second waits on the first's row, then replays).
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { PREPARED } from '../../db/database.js';
import { AppError, conflict } from './errors.js';
import type { Actor } from './module.js';
import type { CoreTables } from './schema.js';

export const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/;
export const IDEMPOTENCY_RETENTION_DAYS = 7;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function fingerprint(action: string, input: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([action, canonical(input)]))
    .digest('base64url');
}

function actorKey(actor: Actor): string {
  return actor.kind === 'user' ? actor.id : actor.kind;
}

export type Claim =
  | { replay: true; response: unknown }
  | { replay: false; actorKey: string; key: string; save(response: unknown): Promise<void> };

/** Claims the key for this call, or returns what the first call with it answered. */
export async function claimIdempotencyKey(
  trx: Transaction<CoreTables>,
  actor: Actor,
  key: string,
  print: string,
): Promise<Claim> {
  if (!IDEMPOTENCY_KEY.test(key)) throw new AppError(400, 'IDEMPOTENCY_KEY_INVALID');
  const owner = actorKey(actor);
  // Claimed first, before the action's own work, so that a retry arriving while the first call
  // runs waits for it and answers what it answered. Every write call runs it: prepared.
  const { rows: inserted } = await sql<{ key: string }>`${sql.raw(PREPARED)} insert into
      core_idempotency_keys (actor_key, key, fingerprint, response)
    values (${owner}, ${key}, ${print}, null) on conflict (actor_key, key) do nothing
    returning key`.execute(trx);
  if (inserted.length > 0) {
    return {
      replay: false,
      actorKey: owner,
      key,
      async save(response) {
        await trx
          .updateTable('core_idempotency_keys')
          .set({ response: JSON.stringify(response ?? null) })
          .where('actor_key', '=', owner)
          .where('key', '=', key)
          .execute();
      },
    };
  }
  const row = await trx
    .selectFrom('core_idempotency_keys')
    .select(['fingerprint', 'response'])
    .where('actor_key', '=', owner)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (row.fingerprint !== print) throw conflict('IDEMPOTENCY_MISMATCH', { key });
  return { replay: true, response: row.response };
}
