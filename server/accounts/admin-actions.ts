// What admins do with accounts: users and their roles, role grants, and reading the audit log.
import { sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { AppError, conflict, forbidden, notFound, ruleViolation } from '../core/errors.js';
import {
  iso,
  isoDateTime,
  likePattern,
  listInput,
  listOutput,
  parseSort,
  queryBoolean,
} from '../core/list-query.js';
import { type Actor, actionsOf } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';
import { ADMIN_ROLE } from './builtin-roles.js';
import { hashPassword } from './password.js';
import { accountsChanged } from './session-cache.js';
import {
  emailSchema,
  findUser,
  localeSchema,
  passwordSchema,
  roleCodeSchema,
  selectUsers,
  toUserDto,
  type UserDto,
  userSchema,
} from './user-schema.js';

const defineAction = actionsOf<CoreTables>();

type Trx = Transaction<CoreTables>;
type Translate = (code: string, params?: Record<string, string | number>) => string;

async function assertRolesExist(trx: Trx, roles: string[], translate: Translate): Promise<void> {
  if (roles.length === 0) return;
  const found = await trx.selectFrom('core_roles').select('code').where('code', 'in', roles).execute();
  const missing = roles.filter((r) => !found.some((f) => f.code === r));
  if (missing.length > 0) {
    throw new AppError(400, 'VALIDATION_FAILED', {
      details: {
        issues: missing.map((role) => ({
          path: `roles.${roles.indexOf(role)}`,
          message: translate('ROLE_UNKNOWN', { role }),
        })),
      },
    });
  }
}

// Someone who manages users or roles without being an administrator (a delegated
// `admin.users.write` or `admin.roles.write`) hands out no more than they hold: not the admin
// role, no permission they lack, and no takeover (password, status, roles) of an account that
// holds more than they do. Otherwise the delegated right would be the admin right in disguise.
function isLimited(actor: Actor): actor is Extract<Actor, { kind: 'user' }> {
  return actor.kind === 'user' && !actor.roles.includes(ADMIN_ROLE);
}

function refuseBeyondOwn(actor: Actor, roles: readonly string[], permissions: readonly string[]): void {
  if (!isLimited(actor)) return;
  if (roles.includes(ADMIN_ROLE)) throw new AppError(403, 'FORBIDDEN', { details: { role: ADMIN_ROLE } });
  const lacking = permissions.find((p) => !actor.permissions.has(p));
  if (lacking) throw forbidden(lacking);
}

async function assertMayGrantRoles(trx: Trx, actor: Actor, roles: string[]): Promise<void> {
  if (!isLimited(actor) || roles.length === 0) return;
  const granted = await trx
    .selectFrom('core_role_permissions')
    .select('permission_code')
    .distinct()
    .where('role_code', 'in', roles)
    .execute();
  refuseBeyondOwn(
    actor,
    roles,
    granted.map((g) => g.permission_code),
  );
}

function assertMayManage(actor: Actor, target: UserDto): void {
  refuseBeyondOwn(actor, target.roles, target.permissions);
}

/** Refuses a change that would leave no active administrator to manage the suite. */
async function assertAdminRemains(trx: Trx, exceptUserId: string): Promise<void> {
  const row = await trx
    .selectFrom('core_users as u')
    .innerJoin('core_user_roles as ur', 'ur.user_id', 'u.id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ur.role_code', '=', ADMIN_ROLE)
    .where('u.active', '=', true)
    .where('u.id', '<>', exceptUserId)
    .executeTakeFirstOrThrow();
  if (Number(row.n) === 0) throw ruleViolation('LAST_ADMIN');
}

async function setRoles(trx: Trx, userId: string, roles: string[]): Promise<void> {
  await trx.deleteFrom('core_user_roles').where('user_id', '=', userId).execute();
  if (roles.length > 0) {
    await trx
      .insertInto('core_user_roles')
      .values([...new Set(roles)].map((role_code) => ({ user_id: userId, role_code })))
      .execute();
  }
}

const userSortColumns = {
  email: 'u.email',
  name: 'u.name',
  createdAt: 'u.created_at',
  lastLoginAt: 'u.last_login_at',
} as const;

export const listUsers = defineAction({
  name: 'listUsers',
  description: 'Lists users, filtered by text, role and whether active.',
  permission: 'admin.users.read',
  write: false,
  input: listInput(
    ['email', 'name', 'createdAt', 'lastLoginAt'],
    { role: z.string().optional(), active: queryBoolean.optional() },
    'name',
  ),
  output: listOutput(userSchema),
  async run(ctx, input) {
    let query = selectUsers(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) => eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]));
    }
    if (input.role) {
      const role = input.role;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('core_user_roles as r')
            .select('r.user_id')
            .whereRef('r.user_id', '=', 'u.id')
            .where('r.role_code', '=', role),
        ),
      );
    }
    if (input.active !== undefined) query = query.where('u.active', '=', input.active);
    const { field, direction } = parseSort<keyof typeof userSortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(userSortColumns[field], (ob) =>
          direction === 'asc' ? ob.asc().nullsFirst() : ob.desc().nullsLast(),
        )
        .orderBy('u.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toUserDto), total: Number(count.n) };
  },
});

export const getUser = defineAction({
  name: 'getUser',
  description: 'One user with roles and permissions.',
  permission: 'admin.users.read',
  write: false,
  input: z.object({ id: z.uuid() }),
  output: userSchema,
  async run(ctx, input) {
    const user = await findUser(ctx.db, input.id);
    if (!user) throw notFound('user', input.id);
    return user;
  },
});

export const getUserNames = defineAction({
  name: 'getUserNames',
  description:
    "Names of some users, for other modules that show or check people they store by id (e.g. a warehouse's keepers); unknown ids are left out.",
  permission: 'admin.users.read',
  write: false,
  input: z.object({ ids: z.array(z.uuid()).max(500) }),
  output: z.object({
    items: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), active: z.boolean() })),
  }),
  async run(ctx, input) {
    if (input.ids.length === 0) return { items: [] };
    const items = await ctx.db
      .selectFrom('core_users')
      .select(['id', 'name', 'email', 'active'])
      .where('id', 'in', [...new Set(input.ids)])
      .orderBy('name')
      .execute();
    return { items };
  },
});

export const createUser = defineAction({
  name: 'createUser',
  description: 'Creates a user with a password and roles.',
  permission: 'admin.users.write',
  write: true,
  input: z.object({
    email: emailSchema,
    name: z.string().trim().min(1).max(200),
    password: passwordSchema,
    roles: z.array(roleCodeSchema).max(20).default([]),
    locale: localeSchema.optional(),
  }),
  output: userSchema,
  async run(ctx, input) {
    await assertRolesExist(ctx.db, input.roles, ctx.translate);
    await assertMayGrantRoles(ctx.db, ctx.actor, input.roles);
    const taken = await ctx.db
      .selectFrom('core_users')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email))
      .executeTakeFirst();
    if (taken) throw conflict('EMAIL_TAKEN', { field: 'email', userId: taken.id });
    const row = await ctx.db
      .insertInto('core_users')
      .values({
        email: input.email,
        name: input.name,
        password_hash: await hashPassword(input.password),
        locale: input.locale ?? ctx.locale,
        last_login_at: null,
      })
      // Two admins creating the same e-mail at once: the unique index decides, the loser gets 409.
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!row) throw conflict('EMAIL_TAKEN', { field: 'email' });
    await setRoles(ctx.db, row.id, input.roles);
    const user = (await findUser(ctx.db, row.id))!;
    await ctx.audit({ entity: 'user', entityId: user.id, before: null, after: auditView(user) });
    return user;
  },
});

export const updateUser = defineAction({
  name: 'updateUser',
  description: 'Changes a user’s name, roles, language, password, or disables the account.',
  permission: 'admin.users.write',
  write: true,
  input: z.object({
    id: z.uuid(),
    name: z.string().trim().min(1).max(200).optional(),
    roles: z.array(roleCodeSchema).max(20).optional(),
    active: z.boolean().optional(),
    password: passwordSchema.optional(),
    locale: localeSchema.optional(),
  }),
  output: userSchema,
  async run(ctx, input) {
    // Sessions resolved before this commits must not be reused after it.
    ctx.afterCommit(accountsChanged);
    // Lock the row: two admins editing one user serialize instead of losing an update.
    const locked = await ctx.db
      .selectFrom('core_users')
      .select('id')
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst();
    if (!locked) throw notFound('user', input.id);
    const before = (await findUser(ctx.db, input.id))!;
    assertMayManage(ctx.actor, before);
    const losesAdmin =
      before.roles.includes(ADMIN_ROLE) &&
      before.active &&
      (input.active === false || (input.roles !== undefined && !input.roles.includes(ADMIN_ROLE)));
    if (losesAdmin) {
      // Serialize admin removals so two concurrent ones cannot each leave "the other" admin.
      await ctx.db
        .selectFrom('core_roles')
        .select('code')
        .where('code', '=', ADMIN_ROLE)
        .forUpdate()
        .execute();
      await assertAdminRemains(ctx.db, input.id);
    }
    if (input.roles) {
      await assertRolesExist(ctx.db, input.roles, ctx.translate);
      await assertMayGrantRoles(ctx.db, ctx.actor, input.roles);
    }
    await ctx.db
      .updateTable('core_users')
      .set({
        updated_at: new Date(),
        ...(input.name !== undefined && { name: input.name }),
        ...(input.active !== undefined && { active: input.active }),
        ...(input.locale !== undefined && { locale: input.locale }),
        ...(input.password !== undefined && { password_hash: await hashPassword(input.password) }),
      })
      .where('id', '=', input.id)
      .execute();
    if (input.roles) await setRoles(ctx.db, input.id, input.roles);
    if (input.active === false || input.password !== undefined) {
      // A disabled account or a reset password ends every open session at once.
      await ctx.db.deleteFrom('core_sessions').where('user_id', '=', input.id).execute();
    }
    const after = (await findUser(ctx.db, input.id))!;
    await ctx.audit({
      entity: 'user',
      entityId: input.id,
      before: auditView(before),
      // Not `passwordReset`: keys naming a password are redacted, which would hide the fact.
      after: { ...auditView(after), ...(input.password !== undefined && { credentialsReset: true }) },
    });
    return after;
  },
});

function auditView(user: z.infer<typeof userSchema>) {
  return { email: user.email, name: user.name, locale: user.locale, active: user.active, roles: user.roles };
}

const roleSchema = z.object({
  code: z.string(),
  builtin: z.boolean(),
  permissions: z.array(z.string()),
  userCount: z.number().int(),
});

async function loadRoles(trx: Trx, code?: string) {
  let query = trx
    .selectFrom('core_roles as r')
    .select([
      'r.code',
      'r.builtin',
      sql<string[]>`array(select rp.permission_code from core_role_permissions rp
        where rp.role_code = r.code order by 1)`.as('permissions'),
      sql<number>`(select count(*)::int from core_user_roles ur where ur.role_code = r.code)`.as('userCount'),
    ])
    .orderBy('r.builtin', 'desc')
    .orderBy('r.code');
  if (code) query = query.where('r.code', '=', code);
  return query.execute();
}

export const listRoles = defineAction({
  name: 'listRoles',
  description: 'Roles with their permissions and how many users hold each.',
  permission: 'admin.roles.read',
  write: false,
  input: z.object({}),
  output: listOutput(roleSchema),
  async run(ctx) {
    const items = await loadRoles(ctx.db);
    return { items, total: items.length };
  },
});

export const listPermissions = defineAction({
  name: 'listPermissions',
  description: 'Every permission the loaded modules declare.',
  permission: 'admin.roles.read',
  write: false,
  input: z.object({}),
  output: listOutput(z.object({ code: z.string(), module: z.string() })),
  async run(ctx) {
    const items = await ctx.db
      .selectFrom('core_permissions')
      .select(['code', 'module'])
      .orderBy('module')
      .orderBy('code')
      .execute();
    return { items, total: items.length };
  },
});

export const createRole = defineAction({
  name: 'createRole',
  description: 'Creates a custom role with a set of permissions.',
  permission: 'admin.roles.write',
  write: true,
  input: z.object({ code: roleCodeSchema, permissions: z.array(z.string()).max(500).default([]) }),
  output: roleSchema,
  async run(ctx, input) {
    const inserted = await ctx.db
      .insertInto('core_roles')
      .values({ code: input.code, builtin: false })
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('code')
      .executeTakeFirst();
    if (!inserted) throw conflict('ROLE_EXISTS', { field: 'code' }, { role: input.code });
    await grant(ctx, input.code, input.permissions, []);
    const [role] = await loadRoles(ctx.db, input.code);
    await ctx.audit({ entity: 'role', entityId: input.code, before: null, after: role });
    return role!;
  },
});

/** Sets a role's permissions; `previous` are those it had (a limited actor may keep those). */
async function grant(
  ctx: { db: Trx; actor: Actor; translate: Translate },
  role: string,
  permissions: string[],
  previous: readonly string[],
): Promise<void> {
  const { db: trx, translate } = ctx;
  const unique = [...new Set(permissions)];
  if (unique.length > 0) {
    const known = await trx
      .selectFrom('core_permissions')
      .select('code')
      .where('code', 'in', unique)
      .execute();
    const missing = unique.filter((p) => !known.some((k) => k.code === p));
    if (missing.length > 0) {
      throw new AppError(400, 'VALIDATION_FAILED', {
        details: {
          issues: missing.map((p) => ({
            path: `permissions.${permissions.indexOf(p)}`,
            message: translate('PERMISSION_UNKNOWN', { permission: p }),
          })),
        },
      });
    }
  }
  refuseBeyondOwn(
    ctx.actor,
    [],
    unique.filter((p) => !previous.includes(p)),
  );
  await trx.deleteFrom('core_role_permissions').where('role_code', '=', role).execute();
  if (unique.length > 0) {
    await trx
      .insertInto('core_role_permissions')
      .values(unique.map((permission_code) => ({ role_code: role, permission_code })))
      .execute();
  }
}

export const setRolePermissions = defineAction({
  name: 'setRolePermissions',
  description: 'Replaces the permissions a role grants.',
  permission: 'admin.roles.write',
  write: true,
  input: z.object({ code: z.string(), permissions: z.array(z.string()).max(500) }),
  output: roleSchema,
  async run(ctx, input) {
    // Sessions resolved before this commits must not be reused after it.
    ctx.afterCommit(accountsChanged);
    if (input.code === ADMIN_ROLE) throw ruleViolation('ROLE_LOCKED');
    // Lock the role: two admins saving its grants at once take turns. Without it the second
    // one's delete misses the rows the first inserted and its insert fails on the key (a 500).
    await ctx.db.selectFrom('core_roles').select('code').where('code', '=', input.code).forUpdate().execute();
    const [before] = await loadRoles(ctx.db, input.code);
    if (!before) throw notFound('role', input.code);
    await grant(ctx, input.code, input.permissions, before.permissions);
    const [after] = await loadRoles(ctx.db, input.code);
    await ctx.audit({
      entity: 'role',
      entityId: input.code,
      before: { permissions: before.permissions },
      after: { permissions: after!.permissions },
    });
    return after!;
  },
});

const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  requestId: z.string().nullable(),
});

export const listAudit = defineAction({
  name: 'listAudit',
  description: 'Reads the audit log: who changed which entity when, with before and after.',
  permission: 'admin.audit.read',
  write: false,
  input: listInput(
    ['at', 'action', 'entity'],
    {
      entity: z.string().max(100).optional(),
      entityId: z.string().max(200).optional(),
      actorId: z.uuid().optional(),
      action: z.string().max(200).optional(),
      from: isoDateTime.optional(),
      to: isoDateTime.optional(),
    },
    '-at',
  ),
  output: listOutput(auditEntrySchema),
  async run(ctx, input) {
    let query = ctx.db.selectFrom('core_audit_log as a').leftJoin('core_users as u', 'u.id', 'a.actor_id');
    if (input.entity) query = query.where('a.entity', '=', input.entity);
    if (input.entityId) query = query.where('a.entity_id', '=', input.entityId);
    if (input.actorId) query = query.where('a.actor_id', '=', input.actorId);
    if (input.action) query = query.where('a.action', '=', input.action);
    if (input.from) query = query.where('a.at', '>=', new Date(input.from));
    if (input.to) query = query.where('a.at', '<', new Date(input.to));
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) =>
        eb.or([
          eb('a.action', 'ilike', pattern),
          eb('a.entity', 'ilike', pattern),
          eb('a.entity_id', 'ilike', pattern),
          eb('a.actor_name', 'ilike', pattern),
          eb('u.name', 'ilike', pattern),
        ]),
      );
    }
    const { field, direction } = parseSort<'at' | 'action' | 'entity'>(input.sort);
    const column = { at: 'a.at', action: 'a.action', entity: 'a.entity' } as const;
    const [rows, count] = await Promise.all([
      query
        .select([
          'a.id',
          'a.at',
          'a.actor_id',
          'a.actor_name',
          'u.name as user_name',
          'a.action',
          'a.entity',
          'a.entity_id',
          'a.before',
          'a.after',
          'a.request_id',
        ])
        .orderBy(column[field], direction)
        .orderBy('a.id', direction)
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        at: iso(r.at),
        actorId: r.actor_id,
        actorName: r.user_name ?? r.actor_name,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        before: r.before ?? null,
        after: r.after ?? null,
        requestId: r.request_id,
      })),
      total: Number(count.n),
    };
  },
});
