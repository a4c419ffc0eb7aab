import { useEffect, useState } from 'react';
import { api, type Page } from '../../app/api';

export type Role = { code: string; builtin: boolean; permissions: string[]; userCount: number };
export type Permission = { code: string; module: string };

/** The roles every installation has; used when the list of roles cannot be read. */
export const BUILTIN_ROLES = ['admin', 'sales_head', 'sales_manager', 'warehouse', 'hr', 'employee'];

/**
 * The codes of all roles, for pickers. Someone who may manage users but not
 * read roles still gets the built-in ones.
 */
export function useRoleCodes(): string[] {
  const [codes, setCodes] = useState<string[]>(BUILTIN_ROLES);
  useEffect(() => {
    const controller = new AbortController();
    api<Page<Role>>('GET', '/api/admin/roles', undefined, { signal: controller.signal })
      .then((page) => setCodes(page.items.map((role) => role.code)))
      .catch(() => {
        // Keep the built-in roles.
      });
    return () => controller.abort();
  }, []);
  return codes;
}
