// Departments: a tree (parent, head), each with a unique code that BPM candidate groups use.
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, isUniqueViolation, notFound, ruleViolation } from '../../server/core/errors.js';
import { iso, likePattern, listInput, listOutput, parseSort } from '../../server/core/list-query.js';
import { defineAction, PERMISSIONS, type Trx, unknownReference } from './define.js';

const codeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{1,49}$/, { message: 'HR_CODE_FORMAT' });

export const departmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
  headEmployeeId: z.string().nullable(),
  headName: z.string().nullable(),
  /** Employees of this department itself who are not dismissed. */
  headcount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DepartmentDto = z.infer<typeof departmentSchema>;

function selectDepartments(db: Trx) {
  return db
    .selectFrom('hr_departments as d')
    .leftJoin('hr_departments as p', 'p.id', 'd.parent_id')
    .leftJoin('hr_employees as h', 'h.id', 'd.head_employee_id')
    .select([
      'd.id',
      'd.name',
      'd.code',
      'd.parent_id',
      'p.name as parent_name',
      'd.head_employee_id',
      sql<string | null>`h.last_name || ' ' || h.first_name`.as('head_name'),
      sql<number>`(select count(*) from hr_employees e where e.department_id = d.id and e.status <> 'dismissed')`.as(
        'headcount',
      ),
      'd.created_at',
      'd.updated_at',
    ]);
}

type DepartmentRow = Awaited<ReturnType<ReturnType<typeof selectDepartments>['executeTakeFirstOrThrow']>>;

function toDto(row: DepartmentRow): DepartmentDto {
  return {
    id: row.id,
    name: row.name,
    code: row.code,
    parentId: row.parent_id,
    parentName: row.parent_name,
    headEmployeeId: row.head_employee_id,
    headName: row.head_name,
    headcount: Number(row.headcount),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function findDepartment(db: Trx, id: string): Promise<DepartmentDto | undefined> {
  const row = await selectDepartments(db).where('d.id', '=', id).executeTakeFirst();
  return row && toDto(row);
}

/** The ids of a department and every department below it. */
export async function departmentSubtree(db: Trx, id: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive tree(id) as (
      select id from hr_departments where id = ${id}
      union
      select d.id from hr_departments d join tree t on d.parent_id = t.id
    )
    select id from tree`.execute(db);
  // An unknown id is its own (empty) subtree: a filter by it finds nothing, rather than
  // building \`in ()\`, which is no SQL.
  return rows.rows.length > 0 ? rows.rows.map((r) => r.id) : [id];
}

// Tree changes take turns, so two moves at once cannot together make a cycle.
async function lockTree(db: Trx): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('hr_departments_tree'))`.execute(db);
}

/** A code made from the name: Latin letters and digits, unique among departments. */
async function codeFromName(db: Trx, name: string): Promise<string> {
  const base =
    name
      .toLowerCase()
      .replace(/[ʻʼ'`‘’]/g, '')
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 40) || 'department';
  const stem = /^[a-z]/.test(base) ? base : `d_${base}`;
  for (let n = 1; ; n++) {
    const code = n === 1 ? stem : `${stem}_${n}`;
    const taken = await db
      .selectFrom('hr_departments')
      .select('id')
      .where(sql`lower(code)`, '=', code)
      .executeTakeFirst();
    if (!taken) return code;
  }
}

async function assertCodeFree(db: Trx, code: string, exceptId?: string): Promise<void> {
  let query = db.selectFrom('hr_departments').select('id').where(sql`lower(code)`, '=', code);
  if (exceptId) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst())
    throw conflict('DEPARTMENT_CODE_TAKEN', { field: 'code', code }, { code });
}

async function assertEmployeeExists(db: Trx, id: string, path: string, message: string): Promise<void> {
  const row = await db.selectFrom('hr_employees').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) unknownReference(path, message);
}

const sortColumns = { name: 'd.name', code: 'd.code', createdAt: 'd.created_at' } as const;

export const listDepartments = defineAction({
  name: 'listDepartments',
  description: 'Lists departments (flat, with parent, head and headcount), filtered by text or parent.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: listInput(['name', 'code', 'createdAt'], { parentId: z.uuid().optional() }, 'name'),
  output: listOutput(departmentSchema),
  async run(ctx, input) {
    let query = selectDepartments(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) => eb.or([eb('d.name', 'ilike', pattern), eb('d.code', 'ilike', pattern)]));
    }
    if (input.parentId) query = query.where('d.parent_id', '=', input.parentId);
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(sortColumns[field], direction)
        .orderBy('d.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(toDto), total: Number(count.n) };
  },
});

export const getDepartment = defineAction({
  name: 'getDepartment',
  description: 'One department with its parent, head and headcount.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: departmentSchema,
  async run(ctx, input) {
    const department = await findDepartment(ctx.db, input.id);
    if (!department) throw notFound('department', input.id);
    return department;
  },
});

export const createDepartment = defineAction({
  name: 'createDepartment',
  description: 'Creates a department; without a code one is made from the name.',
  permission: PERMISSIONS.departmentsWrite,
  write: true,
  input: z.object({
    name: z.string().trim().min(1).max(200),
    code: codeSchema.optional(),
    parentId: z.uuid().nullable().optional(),
    headEmployeeId: z.uuid().nullable().optional(),
  }),
  output: departmentSchema,
  async run(ctx, input) {
    await lockTree(ctx.db);
    if (input.parentId && !(await findDepartment(ctx.db, input.parentId))) {
      unknownReference('parentId', ctx.translate('HR_DEPARTMENT_UNKNOWN'));
    }
    if (input.headEmployeeId) {
      await assertEmployeeExists(
        ctx.db,
        input.headEmployeeId,
        'headEmployeeId',
        ctx.translate('HR_EMPLOYEE_UNKNOWN'),
      );
    }
    const code = input.code ?? (await codeFromName(ctx.db, input.name));
    await assertCodeFree(ctx.db, code);
    let id: string;
    try {
      const row = await ctx.db
        .insertInto('hr_departments')
        .values({
          name: input.name,
          code,
          parent_id: input.parentId ?? null,
          head_employee_id: input.headEmployeeId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict('DEPARTMENT_CODE_TAKEN', { field: 'code', code }, { code });
      throw error;
    }
    const created = (await findDepartment(ctx.db, id))!;
    await ctx.audit({ entity: 'hr.department', entityId: id, before: null, after: created });
    return created;
  },
});

export const updateDepartment = defineAction({
  name: 'updateDepartment',
  description: 'Renames a department, changes its code, moves it under another parent or sets its head.',
  permission: PERMISSIONS.departmentsWrite,
  write: true,
  input: z.object({
    id: z.uuid(),
    name: z.string().trim().min(1).max(200).optional(),
    code: codeSchema.optional(),
    parentId: z.uuid().nullable().optional(),
    headEmployeeId: z.uuid().nullable().optional(),
  }),
  output: departmentSchema,
  async run(ctx, input) {
    await lockTree(ctx.db);
    const before = await findDepartment(ctx.db, input.id);
    if (!before) throw notFound('department', input.id);
    if (input.parentId) {
      if (!(await findDepartment(ctx.db, input.parentId))) {
        unknownReference('parentId', ctx.translate('HR_DEPARTMENT_UNKNOWN'));
      }
      const below = await departmentSubtree(ctx.db, input.id);
      if (below.includes(input.parentId)) {
        throw ruleViolation('DEPARTMENT_CYCLE', { field: 'parentId', parentId: input.parentId });
      }
    }
    if (input.headEmployeeId) {
      await assertEmployeeExists(
        ctx.db,
        input.headEmployeeId,
        'headEmployeeId',
        ctx.translate('HR_EMPLOYEE_UNKNOWN'),
      );
    }
    if (input.code !== undefined) await assertCodeFree(ctx.db, input.code, input.id);
    const changes = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.code !== undefined && { code: input.code }),
      ...(input.parentId !== undefined && { parent_id: input.parentId }),
      ...(input.headEmployeeId !== undefined && { head_employee_id: input.headEmployeeId }),
    };
    if (Object.keys(changes).length === 0) {
      ctx.noAudit('nothing to change');
      return before;
    }
    await ctx.db
      .updateTable('hr_departments')
      .set({ ...changes, updated_at: sql`now()` })
      .where('id', '=', input.id)
      .execute();
    const after = (await findDepartment(ctx.db, input.id))!;
    await ctx.audit({ entity: 'hr.department', entityId: input.id, before, after });
    return after;
  },
});

export const deleteDepartment = defineAction({
  name: 'deleteDepartment',
  description: 'Deletes a department that has no employees (ever) and no sub-departments.',
  permission: PERMISSIONS.departmentsWrite,
  write: true,
  input: z.object({ id: z.uuid() }),
  output: z.object({ id: z.string(), deleted: z.boolean() }),
  async run(ctx, input) {
    await lockTree(ctx.db);
    const before = await findDepartment(ctx.db, input.id);
    if (!before) throw notFound('department', input.id);
    const [child, member, event] = await Promise.all([
      ctx.db.selectFrom('hr_departments').select('id').where('parent_id', '=', input.id).executeTakeFirst(),
      ctx.db.selectFrom('hr_employees').select('id').where('department_id', '=', input.id).executeTakeFirst(),
      ctx.db
        .selectFrom('hr_employee_events')
        .select('id')
        .where('department_id', '=', input.id)
        .executeTakeFirst(),
    ]);
    if (child || member || event) throw conflict('DEPARTMENT_NOT_EMPTY', { departmentId: input.id });
    await ctx.db.deleteFrom('hr_departments').where('id', '=', input.id).execute();
    await ctx.audit({ entity: 'hr.department', entityId: input.id, before, after: null });
    return { id: input.id, deleted: true };
  },
});

const orgNodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  parentId: z.string().nullable(),
  head: z.object({ id: z.string(), name: z.string(), position: z.string() }).nullable(),
  /** Employees of the department itself (not dismissed). */
  headcount: z.number().int(),
  /** Employees of the department and all its sub-departments. */
  totalHeadcount: z.number().int(),
});

export const getOrgChart = defineAction({
  name: 'getOrgChart',
  description: 'Every department with its head and headcounts, as a flat list of nodes with parentId.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({}),
  output: z.object({ items: z.array(orgNodeSchema) }),
  async run(ctx) {
    const rows = await ctx.db
      .selectFrom('hr_departments as d')
      .leftJoin('hr_employees as h', 'h.id', 'd.head_employee_id')
      .select([
        'd.id',
        'd.name',
        'd.code',
        'd.parent_id',
        'h.id as head_id',
        sql<string | null>`h.last_name || ' ' || h.first_name`.as('head_name'),
        'h.position as head_position',
        sql<number>`(select count(*) from hr_employees e where e.department_id = d.id and e.status <> 'dismissed')`.as(
          'headcount',
        ),
      ])
      .orderBy('d.name')
      .execute();
    const children = new Map<string | null, typeof rows>();
    for (const row of rows) {
      const list = children.get(row.parent_id) ?? [];
      list.push(row);
      children.set(row.parent_id, list);
    }
    const totals = new Map<string, number>();
    const total = (id: string): number => {
      const known = totals.get(id);
      if (known !== undefined) return known;
      const own = Number(rows.find((r) => r.id === id)?.headcount ?? 0);
      const sum = own + (children.get(id) ?? []).reduce((n, c) => n + total(c.id), 0);
      totals.set(id, sum);
      return sum;
    };
    return {
      items: rows.map((row) => ({
        id: row.id,
        name: row.name,
        code: row.code,
        parentId: row.parent_id,
        head:
          row.head_id && row.head_name
            ? { id: row.head_id, name: row.head_name, position: row.head_position ?? '' }
            : null,
        headcount: Number(row.headcount),
        totalHeadcount: total(row.id),
      })),
    };
  },
});
