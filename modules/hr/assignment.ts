// What the BPM engine asks HR when it assigns work: who is an employee's manager, and which
// users a candidate group (a role code or a department code) stands for.
import { sql } from 'kysely';
import { z } from 'zod';
import { isAppError, notFound } from '../../server/core/errors.js';
import { type ActionContext, can } from '../../server/core/module.js';
import { defineAction, PERMISSIONS, type Trx } from './define.js';
import { departmentSubtree } from './departments.js';
import type { HrTables } from './schema.js';

type Ctx = ActionContext<HrTables>;

export type ManagerFound = {
  employeeId: string;
  source: 'manager' | 'department_head';
};

/**
 * The employee's manager: their own manager when set and not dismissed, else the head of their
 * department, walking up the tree while a department has no head (or the employee heads it).
 */
export async function findManager(db: Trx, employeeId: string): Promise<ManagerFound | null> {
  const employee = await db
    .selectFrom('hr_employees as e')
    .leftJoin('hr_employees as m', 'm.id', 'e.manager_id')
    .select(['e.id', 'e.department_id', 'e.manager_id', 'm.status as manager_status'])
    .where('e.id', '=', employeeId)
    .executeTakeFirst();
  if (!employee) return null;
  if (employee.manager_id && employee.manager_status !== 'dismissed') {
    return { employeeId: employee.manager_id, source: 'manager' };
  }
  const chain = await sql<{ head_employee_id: string | null; head_status: string | null; depth: number }>`
    with recursive up(id, parent_id, head_employee_id, depth) as (
      select id, parent_id, head_employee_id, 0 from hr_departments where id = ${employee.department_id}
      union all
      select d.id, d.parent_id, d.head_employee_id, up.depth + 1
      from hr_departments d join up on d.id = up.parent_id where up.depth < 100
    )
    select up.head_employee_id, h.status as head_status, up.depth
    from up left join hr_employees h on h.id = up.head_employee_id
    order by up.depth`.execute(db);
  for (const row of chain.rows) {
    if (row.head_employee_id && row.head_employee_id !== employeeId && row.head_status !== 'dismissed') {
      return { employeeId: row.head_employee_id, source: 'department_head' };
    }
  }
  return null;
}

type UserLookup = { id: string; email: string; name: string; active: boolean };

/** A core user through the admin module's action; null when there is no such user. */
async function lookUpUser(ctx: Ctx, userId: string): Promise<UserLookup | null> {
  try {
    return await ctx.call<UserLookup>('admin.getUser', { id: userId });
  } catch (error) {
    if (isAppError(error) && error.status === 404) return null;
    throw error;
  }
}

const managerSchema = z.object({
  employeeId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  fullName: z.string(),
  position: z.string(),
  departmentId: z.string(),
  userId: z.string().nullable(),
  /** The linked user's e-mail (a BPM assignee); null without a linked user or the right to read users. */
  email: z.string().nullable(),
  /** `manager`: the employee's own manager; `department_head`: the head of their department or one above it. */
  source: z.enum(['manager', 'department_head']),
});

export const getManager = defineAction({
  name: 'getManager',
  description:
    "The employee's manager, else the head of their department (walking up the tree while a department has no head).",
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ employeeId: z.uuid() }),
  output: z.object({ manager: managerSchema.nullable() }),
  async run(ctx, input) {
    const exists = await ctx.db
      .selectFrom('hr_employees')
      .select('id')
      .where('id', '=', input.employeeId)
      .executeTakeFirst();
    if (!exists) throw notFound('employee', input.employeeId);
    const found = await findManager(ctx.db, input.employeeId);
    if (!found) return { manager: null };
    const m = await ctx.db
      .selectFrom('hr_employees')
      .select(['id', 'first_name', 'last_name', 'position', 'department_id', 'user_id'])
      .where('id', '=', found.employeeId)
      .executeTakeFirstOrThrow();
    const user = m.user_id && can(ctx.actor, 'admin.users.read') ? await lookUpUser(ctx, m.user_id) : null;
    return {
      manager: {
        employeeId: m.id,
        firstName: m.first_name,
        lastName: m.last_name,
        fullName: `${m.last_name} ${m.first_name}`,
        position: m.position,
        departmentId: m.department_id,
        userId: m.user_id,
        email: user?.email ?? null,
        source: found.source,
      },
    };
  },
});

const candidateSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  /** The employee record of the user, when there is one. */
  employeeId: z.string().nullable(),
});

export const resolveCandidateGroup = defineAction({
  name: 'resolveCandidateGroup',
  description:
    'The active users a BPM candidate group stands for: the holders of the role with that code, or else the ' +
    'employees (with linked users) of the department with that code and its sub-departments.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ group: z.string().trim().min(1).max(100) }),
  output: z.object({
    group: z.string(),
    kind: z.enum(['role', 'department', 'none']),
    users: z.array(candidateSchema),
  }),
  async run(ctx, input) {
    const holders = await ctx.call<{ items: UserLookup[] }>('admin.listUsers', {
      role: input.group,
      active: true,
      limit: 500,
    });
    if (holders.items.length > 0) {
      const ids = holders.items.map((u) => u.id);
      const employees = await ctx.db
        .selectFrom('hr_employees')
        .select(['id', 'user_id'])
        .where('user_id', 'in', ids)
        .execute();
      return {
        group: input.group,
        kind: 'role' as const,
        users: holders.items.map((u) => ({
          userId: u.id,
          email: u.email,
          name: u.name,
          employeeId: employees.find((e) => e.user_id === u.id)?.id ?? null,
        })),
      };
    }
    const department = await ctx.db
      .selectFrom('hr_departments')
      .select('id')
      .where(sql`lower(code)`, '=', input.group.toLowerCase())
      .executeTakeFirst();
    if (!department) return { group: input.group, kind: 'none' as const, users: [] };
    const ids = await departmentSubtree(ctx.db, department.id);
    const employees = await ctx.db
      .selectFrom('hr_employees')
      .select(['id', 'user_id'])
      .where('department_id', 'in', ids)
      .where('status', '<>', 'dismissed')
      .where('user_id', 'is not', null)
      .orderBy('last_name')
      .orderBy('first_name')
      .execute();
    const users: z.infer<typeof candidateSchema>[] = [];
    for (const employee of employees) {
      const user = await lookUpUser(ctx, employee.user_id!);
      if (user?.active)
        users.push({ userId: user.id, email: user.email, name: user.name, employeeId: employee.id });
    }
    return { group: input.group, kind: 'department' as const, users };
  },
});
