import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { iso } from '../core/list-query.js';
import { LOCALES } from '../core/locale.js';
import type { CoreTables } from '../core/schema.js';

export const localeSchema = z.enum(LOCALES);
export const emailSchema = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const passwordSchema = z.string().min(8).max(200);
export const roleCodeSchema = z
  .string()
  .trim()
  .min(2)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/);

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  locale: localeSchema,
  active: z.boolean(),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserDto = z.infer<typeof userSchema>;

type Db = Kysely<CoreTables> | Transaction<CoreTables>;

/** Users with their roles and the permissions those roles grant, in one query. */
export function selectUsers(db: Db) {
  return db.selectFrom('core_users as u').select([
    'u.id',
    'u.email',
    'u.name',
    'u.locale',
    'u.active',
    'u.created_at',
    'u.updated_at',
    'u.last_login_at',
    sql<string[]>`array(select ur.role_code from core_user_roles ur where ur.user_id = u.id order by 1)`.as(
      'roles',
    ),
    sql<string[]>`array(select distinct rp.permission_code from core_user_roles ur
        join core_role_permissions rp on rp.role_code = ur.role_code where ur.user_id = u.id order by 1)`.as(
      'permissions',
    ),
  ]);
}

type UserRow = {
  id: string;
  email: string;
  name: string;
  locale: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  roles: string[];
  permissions: string[];
};

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: localeSchema.parse(row.locale),
    active: row.active,
    roles: row.roles,
    permissions: row.permissions,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastLoginAt: iso(row.last_login_at),
  };
}

export async function findUser(db: Db, id: string): Promise<UserDto | undefined> {
  const row = await selectUsers(db).where('u.id', '=', id).executeTakeFirst();
  return row ? toUserDto(row) : undefined;
}
