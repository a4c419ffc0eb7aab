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

export function actorKey(actor: Actor): string {
  return actor.kind === 'user' ? actor.id : actor.kind;
}

export type Claim =
  | { replay: true; response: unknown }
  | { replay: false; actorKey: string; key: string; save(response: unknown): Promise<void> };

/** What claiming a key came to for one call of a group. */
export type GroupClaim =
  | { outcome: 'claimed'; actorKey: string; key: string }
  | { outcome: 'replay'; response: unknown }
  | { outcome: 'refused'; error: AppError };

/**
 * Claims the keys of several calls in one statement (a group commit's). The keys must differ
 * from each other: a retry of a call in the same group would wait for its own transaction.
 */
export async function claimIdempotencyKeys(
  trx: Transaction<CoreTables>,
  calls: { actor: Actor; key: string; print: string }[],
): Promise<GroupClaim[]> {
  const owners = calls.map((c) => actorKey(c.actor));
  const keys = calls.map((c) => c.key);
  // Claimed first, before the actions' own work, so that a retry arriving while the first call
  // runs waits for it and answers what it answered. Every write call runs it: prepared.
  const { rows: inserted } = await sql<{ actor_key: string; key: string }>`${sql.raw(PREPARED)}
    insert into core_idempotency_keys (actor_key, key, fingerprint, response)
    select actor_key, key, fingerprint, null
    from unnest(${owners}::text[], ${keys}::text[], ${calls.map((c) => c.print)}::text[])
      as c (actor_key, key, fingerprint)
    on conflict (actor_key, key) do nothing
    returning actor_key, key`.execute(trx);
  const claimed = new Set(inserted.map((r) => `${r.actor_key}\n${r.key}`));
  const taken = calls.filter((_, i) => !claimed.has(`${owners[i]}\n${keys[i]}`));
  // Keys used before: read in a statement of their own, which sees the first call's commit.
  const earlier =
    taken.length === 0
      ? []
      : (
          await sql<{ actor_key: string; key: string; fingerprint: string; response: unknown }>`
            select k.actor_key, k.key, k.fingerprint, k.response from core_idempotency_keys k
            join unnest(${taken.map((c) => actorKey(c.actor))}::text[], ${taken.map((c) => c.key)}::text[])
              as t (actor_key, key) on k.actor_key = t.actor_key and k.key = t.key`.execute(trx)
        ).rows;
  return calls.map((call, i): GroupClaim => {
    const owner = owners[i]!;
    if (claimed.has(`${owner}\n${call.key}`)) return { outcome: 'claimed', actorKey: owner, key: call.key };
    const row = earlier.find((r) => r.actor_key === owner && r.key === call.key);
    if (!row) throw new Error(`Idempotency key ${call.key} was neither claimed nor found`);
    if (row.fingerprint !== call.print) {
      return { outcome: 'refused', error: conflict('IDEMPOTENCY_MISMATCH', { key: call.key }) };
    }
    return { outcome: 'replay', response: row.response };
  });
}

/** Claims the key for this call, or returns what the first call with it answered. */
export async function claimIdempotencyKey(
  trx: Transaction<CoreTables>,
  actor: Actor,
  key: string,
  print: string,
): Promise<Claim> {
  if (!IDEMPOTENCY_KEY.test(key)) throw new AppError(400, 'IDEMPOTENCY_KEY_INVALID');
  const [claim] = await claimIdempotencyKeys(trx, [{ actor, key, print }]);
  if (claim!.outcome === 'refused') throw claim!.error;
  if (claim!.outcome === 'replay') return { replay: true, response: claim!.response };
  const owner = claim!.actorKey;
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
