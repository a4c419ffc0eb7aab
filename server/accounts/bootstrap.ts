// Start-up work on accounts: the built-in roles, every loaded module's permissions with
// their default grants, and the first administrator.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ModuleDefinition } from '../core/module.js';
import type { CoreTables } from '../core/schema.js';
import { inTransaction } from '../core/transaction.js';
import { ADMIN_ROLE, BUILTIN_ROLES } from './builtin-roles.js';
import { hashPassword } from './password.js';

/**
 * Registers roles and permissions. A permission's default grants are given only when the
 * permission first appears, so an admin's later changes to grants are never undone.
 */
export async function syncPermissions(
  db: Kysely<CoreTables>,
  modules: readonly ModuleDefinition[],
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('core_roles')
      .values(BUILTIN_ROLES.map((code) => ({ code, builtin: true })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    for (const module of modules) {
      for (const permission of module.permissions) {
        if (!permission.code.startsWith(`${module.name}.`)) {
          throw new Error(
            `Permission ${permission.code} of module ${module.name} must start with "${module.name}."`,
          );
        }
        const inserted = await trx
          .insertInto('core_permissions')
          .values({ code: permission.code, module: module.name })
          .onConflict((oc) => oc.column('code').doNothing())
          .returning('code')
          .executeTakeFirst();
        const grants = (permission.grantTo ?? []).filter((role) => role !== ADMIN_ROLE);
        if (inserted && grants.length > 0) {
          await trx
            .insertInto('core_role_permissions')
            .values(grants.map((role_code) => ({ role_code, permission_code: permission.code })))
            .onConflict((oc) => oc.columns(['role_code', 'permission_code']).doNothing())
            .execute();
        }
      }
    }
  });
}

export type FirstAdmin = { email: string; password: string; generated: boolean };

/** Creates the first admin when there is no user at all; returns what was created. */
export async function ensureFirstAdmin(
  db: Kysely<CoreTables>,
  options: { email?: string; password?: string; name?: string },
): Promise<FirstAdmin | null> {
  return inTransaction(db, async (trx) => {
    // Several processes starting at once: one creates the admin, the others see it.
    await trx.selectFrom('core_roles').select('code').where('code', '=', ADMIN_ROLE).forUpdate().execute();
    const any = await trx.selectFrom('core_users').select('id').limit(1).executeTakeFirst();
    if (any) return null;
    const email = (options.email ?? 'admin@onebox.local').trim().toLowerCase();
    const generated = !options.password;
    const password = options.password ?? randomBytes(12).toString('base64url');
    const user = await trx
      .insertInto('core_users')
      .values({
        email,
        name: options.name ?? 'Administrator',
        password_hash: await hashPassword(password),
        locale: 'uz',
        last_login_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.insertInto('core_user_roles').values({ user_id: user.id, role_code: ADMIN_ROLE }).execute();
    await trx
      .insertInto('core_audit_log')
      .values({
        actor_id: null,
        actor_name: 'system',
        action: 'core.createFirstAdmin',
        entity: 'user',
        entity_id: user.id,
        before: null,
        after: JSON.stringify({ email, roles: [ADMIN_ROLE] }),
        request_id: null,
      })
      .execute();
    return { email, password, generated };
  });
}
