import type { Locale } from '../i18n/i18n';

/** A user as the API answers it; `permissions` already include those of the user's roles. */
export type User = {
  id: string;
  email: string;
  name: string;
  locale: Locale;
  active: boolean;
  roles: string[];
  permissions: string[];
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
};

/** The role that holds every permission, present and future. */
export const ADMIN_ROLE = 'admin';

/** Whether a user may do what a permission allows; admins may do everything. */
export function hasPermission(user: User | null, permission: string | null): boolean {
  if (!user) return false;
  if (permission === null) return true;
  return user.roles.includes(ADMIN_ROLE) || user.permissions.includes(permission);
}
