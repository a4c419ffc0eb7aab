// Sign-in throttling kept in the database, so it holds across several server processes:
// failed attempts per e-mail and per client address within a sliding window.
import { sql, type Transaction } from 'kysely';
import type { CoreTables } from '../core/schema.js';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_IP = 50;

export function attemptKeys(email: string, ip: string | undefined): { key: string; max: number }[] {
  const keys = [{ key: `email:${email.toLowerCase()}`, max: MAX_FAILURES_PER_EMAIL }];
  if (ip) keys.push({ key: `ip:${ip}`, max: MAX_FAILURES_PER_IP });
  return keys;
}

/**
 * Makes concurrent sign-ins for one e-mail take turns until the transaction ends, so each
 * sees the failures the others recorded: without it a burst of parallel guesses all pass the
 * check before any failure is counted. Only the e-mail is serialized (one person signing in);
 * the per-address limit stays approximate under bursts rather than queue a whole office.
 */
export async function serializeAttempts(trx: Transaction<CoreTables>, email: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${email.toLowerCase()}`}, 0))`.execute(
    trx,
  );
}

/** Seconds until the caller may try again, or 0 when they are not throttled. */
export async function retryAfterSeconds(
  trx: Transaction<CoreTables>,
  keys: { key: string; max: number }[],
): Promise<number> {
  let wait = 0;
  for (const { key, max } of keys) {
    const rows = await trx
      .selectFrom('core_login_attempts')
      .select('at')
      .where('key', '=', key)
      .where('at', '>', new Date(Date.now() - LOGIN_WINDOW_MS))
      .orderBy('at', 'desc')
      .limit(max)
      .execute();
    if (rows.length >= max) {
      const oldest = rows[rows.length - 1]!.at.getTime();
      wait = Math.max(wait, Math.ceil((oldest + LOGIN_WINDOW_MS - Date.now()) / 1000));
    }
  }
  return wait;
}

export async function recordFailure(trx: Transaction<CoreTables>, keys: { key: string }[]): Promise<void> {
  await trx
    .insertInto('core_login_attempts')
    .values(keys.map(({ key }) => ({ key })))
    .execute();
}
