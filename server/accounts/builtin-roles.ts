/** The built-in roles of API.md; `admin` holds every permission without grants. */
export const BUILTIN_ROLES = ['admin', 'sales_head', 'sales_manager', 'warehouse', 'hr', 'employee'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];
export const ADMIN_ROLE: BuiltinRole = 'admin';
