// Who a task's candidate groups stand for beyond role codes: an HR department code names the
// users of its employees (and of its sub-departments), asked of HR when the task is created.

import { isAppError } from '../../server/core/errors.js';
import type { Ctx } from './engine.js';

type Resolved = { kind: 'role' | 'department' | 'none'; users: { email: string }[] };

/**
 * The e-mails (lower case) of the users the department groups among `groups` stand for; none
 * when the hr module is not installed. Role codes are left to the inbox, which matches the
 * caller's roles as they are when asked.
 */
export async function departmentGroupUsers(
  ctx: Ctx,
  groups: string[],
  onBehalfOf: string,
): Promise<string[]> {
  if (groups.length === 0 || !ctx.hasAction('hr.resolveCandidateGroup')) return [];
  const emails = new Set<string>();
  for (const group of groups) {
    let resolved: Resolved;
    try {
      // As the system: who gets the task is the process's decision, not the rights of whoever moved it.
      resolved = await ctx.callAsSystem<Resolved>('hr.resolveCandidateGroup', { group }, onBehalfOf);
    } catch (error) {
      // A group that is no valid department code (e.g. too long) simply stands for nobody.
      if (isAppError(error) && error.status === 400) continue;
      throw error;
    }
    if (resolved.kind === 'department') for (const u of resolved.users) emails.add(u.email.toLowerCase());
  }
  return [...emails].sort();
}
