// Runs work in a transaction and retries it when PostgreSQL aborts it for a serialization
// failure or a deadlock; both are safe to retry because nothing of the attempt committed.
import type { Kysely, Transaction } from 'kysely';

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 5;

export function isRetryableDbError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Whether the database answered the statement with an error (and so rolled it back), rather
 * than the connection failing before an answer came (after which it may have committed).
 */
export function answeredByDatabase(error: unknown): boolean {
  const e = error as { code?: unknown; severity?: unknown } | null;
  return typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
}

export async function inTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!isRetryableDbError(error) || attempt >= MAX_ATTEMPTS) throw error;
      // Jittered backoff so two colliding writers do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt + Math.random() * 10));
    }
  }
}
