// Sign-in, sign-out, the current user and their API tokens.
import { z } from 'zod';
import { AppError, notFound } from '../core/errors.js';
import { iso, listOutput } from '../core/list-query.js';
import { type Actor, actionsOf } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import {
  attemptKeys,
  MAX_FAILURES_PER_EMAIL,
  recordFailure,
  retryAfterSeconds,
  serializeAttempts,
} from './rate-limit.js';
import { accountsChanged } from './session-cache.js';
import { API_TOKEN_PREFIX, hashSecret, newSecret, SESSION_TTL_MS } from './tokens.js';
import { findUser, localeSchema, passwordSchema, userSchema } from './user-schema.js';

const defineAction = actionsOf<CoreTables>();

function userId(actor: Actor): string {
  if (actor.kind !== 'user') throw new AppError(401, 'UNAUTHENTICATED');
  return actor.id;
}

export const login = defineAction({
  name: 'login',
  description: 'Signs in with e-mail and password and opens a server-side session.',
  permission: 'public',
  // Its writes are sessions and throttling; a successful sign-in is audited, failures are not
  // (a password-guessing run would flood the log; the throttle table keeps them).
  write: false,
  input: z.object({
    email: z.string().trim().toLowerCase().min(1).max(254),
    password: z.string().min(1).max(200),
    ip: z.string().max(100).optional(),
    userAgent: z.string().max(500).optional(),
  }),
  // A refused sign-in is a result, not an exception: the failed attempt must commit to count.
  output: z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('ok'), user: userSchema, sessionToken: z.string() }),
    z.object({ outcome: z.literal('invalid') }),
    z.object({ outcome: z.literal('disabled') }),
    z.object({ outcome: z.literal('throttled'), retryAfterSeconds: z.number() }),
  ]),
  async run(ctx, input) {
    const keys = attemptKeys(input.email, input.ip);
    await serializeAttempts(ctx.db, input.email);
    const wait = await retryAfterSeconds(ctx.db, keys);
    if (wait > 0) return { outcome: 'throttled' as const, retryAfterSeconds: wait };
    const row = await ctx.db
      .selectFrom('core_users')
      .select(['id', 'email', 'password_hash', 'active'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email))
      .executeTakeFirst();
    const ok = await verifyPassword(input.password, row?.password_hash ?? (await dummyPasswordHash()));
    if (!row || !ok) {
      await recordFailure(ctx.db, keys);
      return { outcome: 'invalid' as const };
    }
    if (!row.active) return { outcome: 'disabled' as const };
    const sessionToken = newSecret();
    await ctx.db
      .insertInto('core_sessions')
      .values({
        token_hash: hashSecret(sessionToken),
        user_id: row.id,
        expires_at: new Date(Date.now() + SESSION_TTL_MS),
        ip: input.ip ?? null,
        user_agent: input.userAgent ?? null,
      })
      .execute();
    await ctx.db
      .updateTable('core_users')
      .set({ last_login_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await ctx.audit({
      entity: 'session',
      entityId: row.id,
      before: null,
      after: { ip: input.ip ?? null },
      actor: { id: row.id, name: row.email },
    });
    const user = await findUser(ctx.db, row.id);
    return { outcome: 'ok' as const, user: user!, sessionToken };
  },
});

export const logout = defineAction({
  name: 'logout',
  description: 'Ends the current session.',
  permission: 'authenticated',
  write: false,
  input: z.object({ sessionTokenHash: z.string().optional() }),
  output: z.object({ ok: z.literal(true) }),
  async run(ctx, input) {
    // Sessions resolved before this commits must not be reused after it.
    ctx.afterCommit(accountsChanged);
    if (input.sessionTokenHash) {
      await ctx.db.deleteFrom('core_sessions').where('token_hash', '=', input.sessionTokenHash).execute();
    }
    return { ok: true as const };
  },
});

export const me = defineAction({
  name: 'me',
  description: 'The signed-in user with roles and permissions.',
  permission: 'authenticated',
  write: false,
  input: z.object({}),
  output: z.object({ user: userSchema }),
  async run(ctx) {
    const user = await findUser(ctx.db, userId(ctx.actor));
    if (!user) throw new AppError(401, 'UNAUTHENTICATED');
    return { user };
  },
});

export const updateMe = defineAction({
  name: 'updateMe',
  description: 'Changes the signed-in user’s name, language or password.',
  permission: 'authenticated',
  write: true,
  input: z
    .object({
      name: z.string().trim().min(1).max(200).optional(),
      locale: localeSchema.optional(),
      password: passwordSchema.optional(),
      currentPassword: z.string().max(200).optional(),
      /** Set by the route: the session that stays open when the password changes. */
      sessionTokenHash: z.string().optional(),
    })
    .refine((v) => !v.password || v.currentPassword, {
      message: 'CURRENT_PASSWORD_REQUIRED',
      path: ['currentPassword'],
    }),
  // A wrong current password is a result, not an exception, so that the failed guess commits
  // and counts toward the throttle (a stolen session must not guess the password freely).
  output: z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('ok'), user: userSchema }),
    z.object({ outcome: z.literal('wrongPassword') }),
    z.object({ outcome: z.literal('throttled'), retryAfterSeconds: z.number() }),
  ]),
  async run(ctx, input) {
    // Sessions resolved before this commits must not be reused after it.
    ctx.afterCommit(accountsChanged);
    const id = userId(ctx.actor);
    const before = await findUser(ctx.db, id);
    if (!before) throw new AppError(401, 'UNAUTHENTICATED');
    const changes: { name?: string; locale?: string; password_hash?: string; updated_at: Date } = {
      updated_at: new Date(),
    };
    if (input.name !== undefined) changes.name = input.name;
    if (input.locale !== undefined) changes.locale = input.locale;
    if (input.password !== undefined) {
      const row = await ctx.db
        .selectFrom('core_users')
        .select('password_hash')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const keys = [{ key: `password-change:${id}`, max: MAX_FAILURES_PER_EMAIL }];
      const wait = await retryAfterSeconds(ctx.db, keys);
      if (wait > 0) {
        ctx.noAudit('password change refused by the throttle; nothing changed');
        return { outcome: 'throttled' as const, retryAfterSeconds: wait };
      }
      if (!(await verifyPassword(input.currentPassword ?? '', row.password_hash))) {
        // Nothing else has been written yet: the failure is the only thing this commits.
        await recordFailure(ctx.db, keys);
        ctx.noAudit('wrong current password; nothing changed');
        return { outcome: 'wrongPassword' as const };
      }
      changes.password_hash = await hashPassword(input.password);
      // A new password signs out every other session and stops the old tokens of a stolen one.
      let others = ctx.db.deleteFrom('core_sessions').where('user_id', '=', id);
      if (input.sessionTokenHash) others = others.where('token_hash', '<>', input.sessionTokenHash);
      await others.execute();
    }
    await ctx.db.updateTable('core_users').set(changes).where('id', '=', id).execute();
    const user = (await findUser(ctx.db, id))!;
    // Keys naming a password are redacted from audit snapshots, whatever their value, so the
    // fact of a change is recorded under a name that survives redaction.
    await ctx.audit({
      entity: 'user',
      entityId: id,
      before: { name: before.name, locale: before.locale },
      after: { name: user.name, locale: user.locale, credentialsChanged: input.password !== undefined },
    });
    return { outcome: 'ok' as const, user };
  },
});

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});

export const listTokens = defineAction({
  name: 'listTokens',
  description: 'The signed-in user’s API tokens (never their secrets).',
  permission: 'authenticated',
  write: false,
  input: z.object({}),
  output: listOutput(tokenSchema),
  async run(ctx) {
    const rows = await ctx.db
      .selectFrom('core_api_tokens')
      .select(['id', 'name', 'created_at', 'last_used_at'])
      .where('user_id', '=', userId(ctx.actor))
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute();
    const items = rows.map((r) => ({
      id: r.id,
      name: r.name,
      createdAt: iso(r.created_at),
      lastUsedAt: iso(r.last_used_at),
    }));
    return { items, total: items.length };
  },
});

export const createToken = defineAction({
  name: 'createToken',
  description: 'Creates an API token that acts with the creating user’s rights; the secret is shown once.',
  permission: 'authenticated',
  write: true,
  input: z.object({ name: z.string().trim().min(1).max(100) }),
  output: tokenSchema.omit({ lastUsedAt: true }).extend({ token: z.string() }),
  async run(ctx, input) {
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const row = await ctx.db
      .insertInto('core_api_tokens')
      .values({ user_id: userId(ctx.actor), name: input.name, token_hash: hashSecret(token) })
      .returning(['id', 'name', 'created_at'])
      .executeTakeFirstOrThrow();
    await ctx.audit({ entity: 'apiToken', entityId: row.id, before: null, after: { name: row.name } });
    return { id: row.id, name: row.name, createdAt: iso(row.created_at), token };
  },
});

export const revokeToken = defineAction({
  name: 'revokeToken',
  description: 'Revokes one of the signed-in user’s API tokens.',
  permission: 'authenticated',
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({ ok: z.literal(true) }),
  async run(ctx, input) {
    const row = await ctx.db
      .updateTable('core_api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', input.id)
      .where('user_id', '=', userId(ctx.actor))
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst();
    if (!row) throw notFound('apiToken', input.id);
    await ctx.audit({ entity: 'apiToken', entityId: row.id, before: { name: row.name }, after: null });
    return { ok: true as const };
  },
});
