// Turns a session cookie or a Bearer API token into the acting user, with roles and
// permissions, in one query per request.
import { type Kysely, sql } from 'kysely';
import { PREPARED } from '../../db/database.js';
import { isLocale } from '../core/locale.js';
import type { Actor } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';
import type { SessionCache } from './session-cache.js';
import { API_TOKEN_PREFIX, hashSecret, SESSION_TOUCH_MS, SESSION_TTL_MS } from './tokens.js';

type ActorRow = {
  id: string;
  email: string;
  name: string;
  locale: string;
  roles: string[];
  permissions: string[];
  seen_at: Date | null;
  expires_at?: Date;
};

const userColumns = sql`u.id, u.email, u.name, u.locale,
  array(select ur.role_code from core_user_roles ur where ur.user_id = u.id) as roles,
  array(select distinct rp.permission_code from core_user_roles ur
    join core_role_permissions rp on rp.role_code = ur.role_code where ur.user_id = u.id) as permissions`;

function toActor(row: ActorRow): Actor {
  return {
    kind: 'user',
    id: row.id,
    email: row.email,
    name: row.name,
    locale: isLocale(row.locale) ? row.locale : 'uz',
    roles: row.roles,
    permissions: new Set(row.permissions),
  };
}

/** The session's user, and whether its expiry slid forward (so the cookie's should too). */
export async function actorFromSession(
  db: Kysely<CoreTables>,
  token: string,
  cache?: SessionCache,
): Promise<{ actor: Actor; renewed: boolean } | null> {
  const tokenHash = hashSecret(token);
  const cached = cache?.get(tokenHash, SESSION_TOUCH_MS);
  if (cached) return { actor: cached, renewed: false };
  const since = cache?.begin() ?? 0;
  // Prepared once per connection on PostgreSQL: every request the cache cannot answer runs it.
  const { rows } = await sql<ActorRow>`${sql.raw(PREPARED)} select ${userColumns},
      s.last_seen_at as seen_at, s.expires_at
    from core_sessions s join core_users u on u.id = s.user_id
    where s.token_hash = ${tokenHash} and s.expires_at > now() and u.active`.execute(db);
  const row = rows[0];
  if (!row) return null;
  const renewed = !row.seen_at || Date.now() - row.seen_at.getTime() > SESSION_TOUCH_MS;
  let seenAt = row.seen_at ?? new Date();
  let expiresAt = row.expires_at!;
  if (renewed) {
    // Sliding expiry, written rarely so that reads stay reads.
    seenAt = new Date();
    expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await db
      .updateTable('core_sessions')
      .set({ last_seen_at: seenAt, expires_at: expiresAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  const actor = toActor(row);
  cache?.set(tokenHash, since, { actor, seenAt: seenAt.getTime(), expiresAt: expiresAt.getTime() });
  return { actor, renewed };
}

export async function actorFromApiToken(db: Kysely<CoreTables>, token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const tokenHash = hashSecret(token);
  const { rows } = await sql<ActorRow>`select ${userColumns}, t.last_used_at as seen_at
    from core_api_tokens t join core_users u on u.id = t.user_id
    where t.token_hash = ${tokenHash} and t.revoked_at is null and u.active`.execute(db);
  const row = rows[0];
  if (!row) return null;
  if (!row.seen_at || Date.now() - row.seen_at.getTime() > SESSION_TOUCH_MS) {
    await db
      .updateTable('core_api_tokens')
      .set({ last_used_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return toActor(row);
}

/** An active user as the actor of work done in their name without a request (the demo staff). */
export async function actorByEmail(db: Kysely<CoreTables>, email: string): Promise<Actor | null> {
  const { rows } = await sql<ActorRow>`select ${userColumns}, null as seen_at from core_users u
    where lower(u.email) = ${email.toLowerCase()} and u.active`.execute(db);
  return rows[0] ? toActor(rows[0]) : null;
}
