// Employees: hiring (which writes the first dated history record), reading with personal data
// only for those allowed, and changing contacts, manager, linked user and personal data.
import { sql } from 'kysely';
import { z } from 'zod';
import {
  conflict,
  forbidden,
  isAppError,
  isUniqueViolation,
  notFound,
  ruleViolation,
} from '../../server/core/errors.js';
import { likePattern, listInput, listOutput, parseSort, queryBoolean } from '../../server/core/list-query.js';
import { type ActionContext, can } from '../../server/core/module.js';
import { canReadPersonal, dateSchema, defineAction, PERMISSIONS, unknownReference } from './define.js';
import { departmentSubtree } from './departments.js';
import {
  addPosition,
  type EmployeeDto,
  employeeSchema,
  findEmployeeRow,
  lockEmployee,
  PERSONAL_FIELDS,
  personalInput,
  phoneSchema,
  pinflBirthDate,
  selectEmployees,
  toEmployeeDto,
  workEmailSchema,
} from './employee-schema.js';
import { stateAsOf } from './history.js';
import { EMPLOYEE_STATUSES, type HrTables } from './schema.js';

const name = z.string().trim().min(1).max(100);

type Ctx = ActionContext<HrTables>;

/** Refuses personal fields from someone without hr.personal.write. */
function assertMayWritePersonal(ctx: Ctx, input: Record<string, unknown>): void {
  const given = PERSONAL_FIELDS.filter((field) => input[field] !== undefined);
  if (given.length > 0 && !can(ctx.actor, PERMISSIONS.personalWrite)) {
    throw forbidden(PERMISSIONS.personalWrite);
  }
}

/** A PINFL that encodes another birth date than the one given is refused at the PINFL. */
function assertPinflMatchesBirthDate(
  ctx: Ctx,
  pinfl: string | null | undefined,
  birthDate: string | null | undefined,
) {
  if (!pinfl || !birthDate) return;
  if (pinflBirthDate(pinfl) !== birthDate) unknownReference('pinfl', ctx.translate('HR_PINFL_BIRTH_DATE'));
}

/**
 * Checks that a core user exists, through the admin module's action. Linking needs the right
 * to read users (admin.users.read): whoever picks the account in the web app lists users anyway.
 */
async function assertUserLinkable(ctx: Ctx, userId: string, exceptEmployeeId?: string): Promise<void> {
  try {
    await ctx.call('admin.getUser', { id: userId });
  } catch (error) {
    if (isAppError(error) && error.status === 404)
      unknownReference('userId', ctx.translate('HR_USER_UNKNOWN'));
    throw error;
  }
  let query = ctx.db.selectFrom('hr_employees').select('id').where('user_id', '=', userId);
  if (exceptEmployeeId) query = query.where('id', '<>', exceptEmployeeId);
  const taken = await query.executeTakeFirst();
  if (taken) throw conflict('EMPLOYEE_USER_TAKEN', { field: 'userId', employeeId: taken.id });
}

async function assertDepartment(ctx: Ctx, id: string, path = 'departmentId'): Promise<void> {
  const row = await ctx.db.selectFrom('hr_departments').select('id').where('id', '=', id).executeTakeFirst();
  if (!row) unknownReference(path, ctx.translate('HR_DEPARTMENT_UNKNOWN'));
}

/** The manager must exist, and must not (through their own managers) report to `employeeId`. */
async function assertManager(ctx: Ctx, managerId: string, employeeId?: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('hr_employees')
    .select('id')
    .where('id', '=', managerId)
    .executeTakeFirst();
  if (!row) unknownReference('managerId', ctx.translate('HR_EMPLOYEE_UNKNOWN'));
  if (!employeeId) return;
  const chain = await sql<{ id: string }>`
    with recursive up(id, depth) as (
      select id, 0 from hr_employees where id = ${managerId}
      union all
      select e.manager_id, up.depth + 1 from hr_employees e join up on e.id = up.id
      where e.manager_id is not null and up.depth < 1000
    )
    select id from up`.execute(ctx.db);
  if (chain.rows.some((r) => r.id === employeeId)) {
    throw ruleViolation('MANAGER_CYCLE', { field: 'managerId', managerId });
  }
}

function translateUnique(error: unknown): never {
  if (isUniqueViolation(error, 'hr_employees_user_key'))
    throw conflict('EMPLOYEE_USER_TAKEN', { field: 'userId' });
  if (isUniqueViolation(error, 'hr_employees_pinfl_key'))
    throw conflict('EMPLOYEE_PINFL_TAKEN', { field: 'pinfl' });
  throw error;
}

const sortColumns = {
  lastName: 'e.last_name',
  firstName: 'e.first_name',
  hireDate: 'e.hire_date',
  position: 'e.position',
  department: 'd.name',
  status: 'e.status',
  createdAt: 'e.created_at',
} as const;

export const listEmployees = defineAction({
  name: 'listEmployees',
  description:
    'Lists employees, filtered by text, department (with its sub-departments), status, manager or user.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: listInput(
    ['lastName', 'firstName', 'hireDate', 'position', 'department', 'status', 'createdAt'],
    {
      departmentId: z.uuid().optional(),
      includeSubdepartments: queryBoolean.optional(),
      status: z.enum(EMPLOYEE_STATUSES).optional(),
      managerId: z.uuid().optional(),
      userId: z.uuid().optional(),
      position: z.string().trim().max(200).optional(),
    },
    'lastName',
  ),
  output: listOutput(employeeSchema),
  async run(ctx, input) {
    let query = selectEmployees(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) =>
        eb.or([
          eb('e.first_name', 'ilike', pattern),
          eb('e.last_name', 'ilike', pattern),
          eb(sql`e.last_name || ' ' || e.first_name`, 'ilike', pattern),
          eb(sql`e.first_name || ' ' || e.last_name`, 'ilike', pattern),
          eb('e.position', 'ilike', pattern),
          eb('e.work_email', 'ilike', pattern),
          eb('e.work_phone', 'ilike', pattern),
        ]),
      );
    }
    if (input.departmentId) {
      const ids = input.includeSubdepartments
        ? await departmentSubtree(ctx.db, input.departmentId)
        : [input.departmentId];
      query = query.where('e.department_id', 'in', ids);
    }
    if (input.status) query = query.where('e.status', '=', input.status);
    if (input.managerId) query = query.where('e.manager_id', '=', input.managerId);
    if (input.userId) query = query.where('e.user_id', '=', input.userId);
    if (input.position) query = query.where('e.position', 'ilike', likePattern(input.position));
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(sortColumns[field], direction)
        .orderBy('e.last_name')
        .orderBy('e.id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const personal = canReadPersonal(ctx.actor);
    return { items: rows.map((row) => toEmployeeDto(row, personal)), total: Number(count.n) };
  },
});

export const getEmployee = defineAction({
  name: 'getEmployee',
  description:
    'One employee by id or by linked user id; with asOf, the department, position, salary and status on that date.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z
    .object({ id: z.uuid().optional(), userId: z.uuid().optional(), asOf: dateSchema.optional() })
    .refine((v) => (v.id === undefined) !== (v.userId === undefined), {
      message: 'HR_ONE_OF_ID_USER',
      path: ['id'],
    }),
  output: employeeSchema.extend({ asOf: z.string().nullable() }),
  async run(ctx, input) {
    let query = selectEmployees(ctx.db);
    query = input.id ? query.where('e.id', '=', input.id) : query.where('e.user_id', '=', input.userId ?? '');
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('employee', input.id ?? input.userId);
    const employee = toEmployeeDto(row, canReadPersonal(ctx.actor));
    if (!input.asOf) return { ...employee, asOf: null };
    const state = await stateAsOf(ctx.db, row.id, input.asOf);
    if (!state) throw ruleViolation('EMPLOYEE_NOT_HIRED_AS_OF', { asOf: input.asOf }, { date: input.asOf });
    const current = row.status === 'dismissed' ? 'active' : row.status;
    return {
      ...employee,
      departmentId: state.departmentId,
      departmentName: state.departmentName,
      position: state.position,
      status: state.dismissed ? ('dismissed' as const) : current,
      dismissalDate: state.dismissed ? row.dismissal_date : null,
      ...('salary' in employee && { salary: state.salary }),
      asOf: input.asOf,
    };
  },
});

export const createEmployee = defineAction({
  name: 'createEmployee',
  description: 'Hires an employee: the card and the first dated history record (hired).',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.object({
    firstName: name,
    lastName: name,
    middleName: name.nullable().optional(),
    departmentId: z.uuid(),
    position: z.string().trim().min(1).max(200),
    managerId: z.uuid().nullable().optional(),
    userId: z.uuid().nullable().optional(),
    hireDate: dateSchema,
    workPhone: phoneSchema.nullable().optional(),
    workEmail: workEmailSchema.nullable().optional(),
    ...personalInput,
  }),
  output: employeeSchema,
  async run(ctx, input) {
    assertMayWritePersonal(ctx, input);
    assertPinflMatchesBirthDate(ctx, input.pinfl, input.birthDate);
    await assertDepartment(ctx, input.departmentId);
    if (input.managerId) await assertManager(ctx, input.managerId);
    if (input.userId) await assertUserLinkable(ctx, input.userId);
    let id: string;
    try {
      const row = await ctx.db
        .insertInto('hr_employees')
        .values({
          first_name: input.firstName,
          last_name: input.lastName,
          middle_name: input.middleName ?? null,
          department_id: input.departmentId,
          position: input.position,
          manager_id: input.managerId ?? null,
          user_id: input.userId ?? null,
          hire_date: input.hireDate,
          status: 'active',
          work_phone: input.workPhone ?? null,
          work_email: input.workEmail ?? null,
          birth_date: input.birthDate ?? null,
          passport: input.passport ?? null,
          pinfl: input.pinfl ?? null,
          address: input.address ?? null,
          salary: input.salary ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    } catch (error) {
      translateUnique(error);
    }
    await ctx.db
      .insertInto('hr_employee_events')
      .values({
        employee_id: id,
        type: 'hired',
        effective_date: input.hireDate,
        department_id: input.departmentId,
        position: input.position,
        salary: input.salary ?? null,
        created_by: ctx.actor.id,
      })
      .execute();
    await addPosition(ctx.db, input.position);
    const row = (await findEmployeeRow(ctx.db, id))!;
    await ctx.audit({ entity: 'hr.employee', entityId: id, before: null, after: toEmployeeDto(row, true) });
    await ctx.emit({
      type: 'hr.employee.hired',
      aggregateType: 'hr.employee',
      aggregateId: id,
      payload: {
        employeeId: id,
        departmentId: input.departmentId,
        position: input.position,
        hireDate: input.hireDate,
        userId: input.userId ?? null,
      },
    });
    return toEmployeeDto(row, canReadPersonal(ctx.actor));
  },
});

export const updateEmployee = defineAction({
  name: 'updateEmployee',
  description:
    'Changes names, contacts, manager, linked user, status (active or on leave) and personal data. ' +
    'Department, position and salary change through dated transfers and salary changes.',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.strictObject({
    id: z.uuid(),
    firstName: name.optional(),
    lastName: name.optional(),
    middleName: name.nullable().optional(),
    managerId: z.uuid().nullable().optional(),
    userId: z.uuid().nullable().optional(),
    status: z.enum(['active', 'on_leave']).optional(),
    workPhone: phoneSchema.nullable().optional(),
    workEmail: workEmailSchema.nullable().optional(),
    birthDate: personalInput.birthDate,
    passport: personalInput.passport,
    pinfl: personalInput.pinfl,
    address: personalInput.address,
  }),
  output: employeeSchema,
  async run(ctx, input) {
    assertMayWritePersonal(ctx, input);
    if (!(await lockEmployee(ctx.db, input.id))) throw notFound('employee', input.id);
    const beforeRow = (await findEmployeeRow(ctx.db, input.id))!;
    const before: EmployeeDto = toEmployeeDto(beforeRow, true);
    if (input.status && before.status === 'dismissed') throw ruleViolation('EMPLOYEE_DISMISSED');
    assertPinflMatchesBirthDate(
      ctx,
      input.pinfl === undefined ? before.pinfl : input.pinfl,
      input.birthDate === undefined ? before.birthDate : input.birthDate,
    );
    if (input.managerId) await assertManager(ctx, input.managerId, input.id);
    if (input.userId && input.userId !== beforeRow.user_id)
      await assertUserLinkable(ctx, input.userId, input.id);
    const changes = {
      ...(input.firstName !== undefined && { first_name: input.firstName }),
      ...(input.lastName !== undefined && { last_name: input.lastName }),
      ...(input.middleName !== undefined && { middle_name: input.middleName }),
      ...(input.managerId !== undefined && { manager_id: input.managerId }),
      ...(input.userId !== undefined && { user_id: input.userId }),
      ...(input.status !== undefined && { status: input.status }),
      ...(input.workPhone !== undefined && { work_phone: input.workPhone }),
      ...(input.workEmail !== undefined && { work_email: input.workEmail }),
      ...(input.birthDate !== undefined && { birth_date: input.birthDate }),
      ...(input.passport !== undefined && { passport: input.passport }),
      ...(input.pinfl !== undefined && { pinfl: input.pinfl }),
      ...(input.address !== undefined && { address: input.address }),
    };
    if (Object.keys(changes).length === 0) {
      ctx.noAudit('nothing to change');
      return toEmployeeDto(beforeRow, canReadPersonal(ctx.actor));
    }
    try {
      await ctx.db
        .updateTable('hr_employees')
        .set({ ...changes, updated_at: sql`now()` })
        .where('id', '=', input.id)
        .execute();
    } catch (error) {
      translateUnique(error);
    }
    const row = (await findEmployeeRow(ctx.db, input.id))!;
    await ctx.audit({ entity: 'hr.employee', entityId: input.id, before, after: toEmployeeDto(row, true) });
    return toEmployeeDto(row, canReadPersonal(ctx.actor));
  },
});

export const listPositions = defineAction({
  name: 'listPositions',
  description: 'The positions in use, by name.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: listInput(['name'], {}, 'name'),
  output: listOutput(z.object({ id: z.string(), name: z.string() })),
  async run(ctx, input) {
    let query = ctx.db.selectFrom('hr_positions').select(['id', 'name']);
    if (input.q) query = query.where('name', 'ilike', likePattern(input.q));
    const direction = input.sort.startsWith('-') ? 'desc' : 'asc';
    const [items, count] = await Promise.all([
      query.orderBy('name', direction).limit(input.limit).offset(input.offset).execute(),
      query
        .clearSelect()
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  },
});

export const createPosition = defineAction({
  name: 'createPosition',
  description: 'Adds a position to the list (a name already there is answered as it is).',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.object({ name: z.string().trim().min(1).max(200) }),
  output: z.object({ id: z.string(), name: z.string() }),
  async run(ctx, input) {
    const existing = await ctx.db
      .selectFrom('hr_positions')
      .select(['id', 'name'])
      .where(sql`lower(name)`, '=', input.name.toLowerCase())
      .executeTakeFirst();
    if (existing) {
      ctx.noAudit('the position exists');
      return existing;
    }
    const row = await ctx.db
      .insertInto('hr_positions')
      .values({ name: input.name })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    await ctx.audit({ entity: 'hr.position', entityId: row.id, before: null, after: row });
    return row;
  },
});
