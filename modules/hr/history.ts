// The dated history of an employee: hired, transfers, salary changes and dismissal. Each
// record holds the department, position and salary from its date on, so the state "as of"
// any date is the last record on or before it. Records are added in date order: a change
// dated before the last recorded one is refused, which keeps the card's current values
// equal to the last record.
import { sql } from 'kysely';
import { z } from 'zod';
import { forbidden, notFound, ruleViolation } from '../../server/core/errors.js';
import { can } from '../../server/core/module.js';
import {
  canReadPersonal,
  dateSchema,
  dateText,
  defineAction,
  PERMISSIONS,
  type Trx,
  unknownReference,
} from './define.js';
import {
  addPosition,
  employeeSchema,
  findEmployeeRow,
  lockEmployee,
  salarySchema,
  toEmployeeDto,
} from './employee-schema.js';
import { EVENT_TYPES } from './schema.js';

export type StateAsOf = {
  departmentId: string;
  departmentName: string;
  position: string;
  salary: string | null;
  dismissed: boolean;
};

/** The employee's department, position and salary on `date`; undefined before the hire date. */
export async function stateAsOf(db: Trx, employeeId: string, date: string): Promise<StateAsOf | undefined> {
  const rows = await db
    .selectFrom('hr_employee_events as ev')
    .innerJoin('hr_departments as d', 'd.id', 'ev.department_id')
    .select([
      'ev.type',
      'ev.department_id',
      'd.name as department_name',
      'ev.position',
      sql<string | null>`ev.salary::text`.as('salary'),
    ])
    .where('ev.employee_id', '=', employeeId)
    .where('ev.effective_date', '<=', date)
    .orderBy('ev.effective_date')
    .orderBy('ev.created_at')
    .execute();
  const last = rows.at(-1);
  if (!last) return undefined;
  return {
    departmentId: last.department_id,
    departmentName: last.department_name,
    position: last.position,
    salary: last.salary,
    dismissed: rows.some((r) => r.type === 'dismissal'),
  };
}

const eventSchema = z.object({
  id: z.string(),
  type: z.enum(EVENT_TYPES),
  date: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  position: z.string(),
  /** Present only for holders of hr.personal.read. */
  salary: z.string().nullable().optional(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const listEmployeeHistory = defineAction({
  name: 'listEmployeeHistory',
  description:
    'The dated history of an employee, oldest first. Salary changes are listed only for holders of hr.personal.read.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: z.object({ items: z.array(eventSchema) }),
  async run(ctx, input) {
    const exists = await ctx.db
      .selectFrom('hr_employees')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!exists) throw notFound('employee', input.id);
    const personal = canReadPersonal(ctx.actor);
    let query = ctx.db
      .selectFrom('hr_employee_events as ev')
      .innerJoin('hr_departments as d', 'd.id', 'ev.department_id')
      .select([
        'ev.id',
        'ev.type',
        dateText('ev.effective_date').as('date'),
        'ev.department_id',
        'd.name as department_name',
        'ev.position',
        sql<string | null>`ev.salary::text`.as('salary'),
        'ev.note',
        'ev.created_at',
      ])
      .where('ev.employee_id', '=', input.id);
    if (!personal) query = query.where('ev.type', '<>', 'salary_change');
    const rows = await query.orderBy('ev.effective_date').orderBy('ev.created_at').execute();
    return {
      items: rows.map((r) => ({
        id: r.id,
        type: r.type,
        date: r.date,
        departmentId: r.department_id,
        departmentName: r.department_name,
        position: r.position,
        ...(personal && { salary: r.salary }),
        note: r.note,
        createdAt: r.created_at.toISOString(),
      })),
    };
  },
});

/** Locks the employee and checks a new record's date: not dismissed, not before the last record. */
async function prepareChange(db: Trx, id: string, date: string) {
  if (!(await lockEmployee(db, id))) throw notFound('employee', id);
  const row = (await findEmployeeRow(db, id))!;
  if (row.status === 'dismissed') throw ruleViolation('EMPLOYEE_DISMISSED', { employeeId: id });
  const last = await db
    .selectFrom('hr_employee_events')
    .select(dateText('effective_date').as('date'))
    .where('employee_id', '=', id)
    .orderBy('effective_date', 'desc')
    .executeTakeFirst();
  const floor = last?.date ?? row.hire_date;
  if (date < floor)
    throw ruleViolation('EMPLOYEE_EVENT_DATE', { field: 'date', lastDate: floor }, { date: floor });
  return row;
}

const note = z.string().trim().max(1000).nullable().optional();

export const transferEmployee = defineAction({
  name: 'transferEmployee',
  description:
    'Moves an employee to another department and/or position from a date (a dated history record).',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.object({
    id: z.uuid(),
    date: dateSchema,
    departmentId: z.uuid().optional(),
    position: z.string().trim().min(1).max(200).optional(),
    note,
  }),
  output: employeeSchema,
  async run(ctx, input) {
    const row = await prepareChange(ctx.db, input.id, input.date);
    const departmentId = input.departmentId ?? row.department_id;
    const position = input.position ?? row.position;
    if (departmentId === row.department_id && position === row.position) {
      throw ruleViolation('EMPLOYEE_NOTHING_CHANGES');
    }
    if (input.departmentId) {
      const exists = await ctx.db
        .selectFrom('hr_departments')
        .select('id')
        .where('id', '=', input.departmentId)
        .executeTakeFirst();
      if (!exists) unknownReference('departmentId', ctx.translate('HR_DEPARTMENT_UNKNOWN'));
    }
    await ctx.db
      .insertInto('hr_employee_events')
      .values({
        employee_id: input.id,
        type: 'transfer',
        effective_date: input.date,
        department_id: departmentId,
        position,
        salary: row.salary,
        note: input.note ?? null,
        created_by: ctx.actor.id,
      })
      .execute();
    await ctx.db
      .updateTable('hr_employees')
      .set({ department_id: departmentId, position, updated_at: sql`now()` })
      .where('id', '=', input.id)
      .execute();
    await addPosition(ctx.db, position);
    const after = (await findEmployeeRow(ctx.db, input.id))!;
    await ctx.audit({
      entity: 'hr.employee',
      entityId: input.id,
      before: toEmployeeDto(row, true),
      after: { ...toEmployeeDto(after, true), transferDate: input.date },
    });
    await ctx.emit({
      type: 'hr.employee.transferred',
      aggregateType: 'hr.employee',
      aggregateId: input.id,
      payload: {
        employeeId: input.id,
        date: input.date,
        fromDepartmentId: row.department_id,
        toDepartmentId: departmentId,
        fromPosition: row.position,
        toPosition: position,
      },
    });
    return toEmployeeDto(after, canReadPersonal(ctx.actor));
  },
});

export const changeSalary = defineAction({
  name: 'changeSalary',
  description: 'Sets a new salary from a date (a dated history record); needs hr.personal.write.',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.object({ id: z.uuid(), date: dateSchema, salary: salarySchema, note }),
  output: employeeSchema,
  async run(ctx, input) {
    if (!can(ctx.actor, PERMISSIONS.personalWrite)) throw forbidden(PERMISSIONS.personalWrite);
    const row = await prepareChange(ctx.db, input.id, input.date);
    await ctx.db
      .insertInto('hr_employee_events')
      .values({
        employee_id: input.id,
        type: 'salary_change',
        effective_date: input.date,
        department_id: row.department_id,
        position: row.position,
        salary: input.salary,
        note: input.note ?? null,
        created_by: ctx.actor.id,
      })
      .execute();
    await ctx.db
      .updateTable('hr_employees')
      .set({ salary: input.salary, updated_at: sql`now()` })
      .where('id', '=', input.id)
      .execute();
    const after = (await findEmployeeRow(ctx.db, input.id))!;
    await ctx.audit({
      entity: 'hr.employee',
      entityId: input.id,
      before: toEmployeeDto(row, true),
      after: { ...toEmployeeDto(after, true), salaryDate: input.date },
    });
    return toEmployeeDto(after, canReadPersonal(ctx.actor));
  },
});

export const dismissEmployee = defineAction({
  name: 'dismissEmployee',
  description: 'Dismisses an employee from a date (a dated history record); they keep their history.',
  permission: PERMISSIONS.employeesWrite,
  write: true,
  input: z.object({ id: z.uuid(), date: dateSchema, note }),
  output: employeeSchema,
  async run(ctx, input) {
    const row = await prepareChange(ctx.db, input.id, input.date);
    await ctx.db
      .insertInto('hr_employee_events')
      .values({
        employee_id: input.id,
        type: 'dismissal',
        effective_date: input.date,
        department_id: row.department_id,
        position: row.position,
        salary: row.salary,
        note: input.note ?? null,
        created_by: ctx.actor.id,
      })
      .execute();
    await ctx.db
      .updateTable('hr_employees')
      .set({ status: 'dismissed', dismissal_date: input.date, updated_at: sql`now()` })
      .where('id', '=', input.id)
      .execute();
    const after = (await findEmployeeRow(ctx.db, input.id))!;
    await ctx.audit({
      entity: 'hr.employee',
      entityId: input.id,
      before: toEmployeeDto(row, true),
      after: toEmployeeDto(after, true),
    });
    await ctx.emit({
      type: 'hr.employee.dismissed',
      aggregateType: 'hr.employee',
      aggregateId: input.id,
      payload: {
        employeeId: input.id,
        date: input.date,
        departmentId: row.department_id,
        userId: row.user_id,
      },
    });
    return toEmployeeDto(after, canReadPersonal(ctx.actor));
  },
});
