// Absences (vacation, sick leave, business trips) with their status flow, and the yearly
// vacation allowance. Rules:
// - absences of one employee may not overlap, unless one is rejected or cancelled (409 ABSENCE_OVERLAP);
// - a vacation may not take more days than are left of the year's allowance, counting requested and
//   approved vacations (422 VACATION_BALANCE_EXCEEDED); days are calendar days, both ends included;
// - anyone may request an absence for the employee linked to their own account; HR (hr.absences.write)
//   for anyone. HR or the employee's manager (hr.getManager) approve or reject; the employee cancels
//   their own absence while it is requested or not yet begun; HR cancels any.
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, forbidden, notFound, ruleViolation } from '../../server/core/errors.js';
import { likePattern, listInput, listOutput, parseSort } from '../../server/core/list-query.js';
import { type ActionContext, can } from '../../server/core/module.js';
import { findManager } from './assignment.js';
import {
  dateSchema,
  dateText,
  daysBetween,
  daysInYear,
  defineAction,
  PERMISSIONS,
  type Trx,
  today,
  unknownReference,
} from './define.js';
import { departmentSubtree } from './departments.js';
import { lockEmployee } from './employee-schema.js';
import {
  ABSENCE_STATUSES,
  ABSENCE_TYPES,
  type AbsenceStatus,
  type AbsenceType,
  type HrTables,
} from './schema.js';

type Ctx = ActionContext<HrTables>;

/** Calendar days of vacation per year unless an allowance is set for the employee and year. */
export const DEFAULT_VACATION_DAYS = 21;

export const absenceSchema = z.object({
  id: z.string(),
  employeeId: z.string(),
  employeeName: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  type: z.enum(ABSENCE_TYPES),
  from: z.string(),
  to: z.string(),
  /** Calendar days, both ends included. */
  days: z.number().int(),
  status: z.enum(ABSENCE_STATUSES),
  note: z.string().nullable(),
  requestedBy: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AbsenceDto = z.infer<typeof absenceSchema>;

function selectAbsences(db: Trx) {
  return db
    .selectFrom('hr_absences as a')
    .innerJoin('hr_employees as e', 'e.id', 'a.employee_id')
    .innerJoin('hr_departments as d', 'd.id', 'e.department_id')
    .select([
      'a.id',
      'a.employee_id',
      sql<string>`e.last_name || ' ' || e.first_name`.as('employee_name'),
      'e.department_id',
      'd.name as department_name',
      'a.type',
      dateText('a.from_date').as('from'),
      dateText('a.to_date').as('to'),
      'a.status',
      'a.note',
      'a.requested_by',
      'a.decided_by',
      'a.decided_at',
      'a.created_at',
    ]);
}

type AbsenceRow = Awaited<ReturnType<ReturnType<typeof selectAbsences>['executeTakeFirstOrThrow']>>;

function toDto(row: AbsenceRow): AbsenceDto {
  return {
    id: row.id,
    employeeId: row.employee_id,
    employeeName: row.employee_name,
    departmentId: row.department_id,
    departmentName: row.department_name,
    type: row.type,
    from: row.from,
    to: row.to,
    days: daysBetween(row.from, row.to),
    status: row.status,
    note: row.note,
    requestedBy: row.requested_by,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
  };
}

async function findAbsence(db: Trx, id: string): Promise<AbsenceDto | undefined> {
  const row = await selectAbsences(db).where('a.id', '=', id).executeTakeFirst();
  return row && toDto(row);
}

/** The employee linked to the acting user, if any. */
async function ownEmployeeId(ctx: Ctx): Promise<string | null> {
  if (ctx.actor.kind !== 'user') return null;
  const row = await ctx.db
    .selectFrom('hr_employees')
    .select('id')
    .where('user_id', '=', ctx.actor.id)
    .executeTakeFirst();
  return row?.id ?? null;
}

export type VacationBalance = {
  employeeId: string;
  year: number;
  allowance: number;
  approved: number;
  requested: number;
  remaining: number;
};

export async function vacationBalance(
  db: Trx,
  employeeId: string,
  year: number,
  exceptAbsenceId?: string,
): Promise<VacationBalance> {
  const allowance = await db
    .selectFrom('hr_vacation_allowances')
    .select('days')
    .where('employee_id', '=', employeeId)
    .where('year', '=', year)
    .executeTakeFirst();
  let query = db
    .selectFrom('hr_absences')
    .select([dateText('from_date').as('from'), dateText('to_date').as('to'), 'status'])
    .where('employee_id', '=', employeeId)
    .where('type', '=', 'vacation')
    .where('status', 'in', ['requested', 'approved'])
    .where('from_date', '<=', `${year}-12-31`)
    .where('to_date', '>=', `${year}-01-01`);
  if (exceptAbsenceId) query = query.where('id', '<>', exceptAbsenceId);
  const rows = await query.execute();
  const sum = (status: AbsenceStatus) =>
    rows.filter((r) => r.status === status).reduce((n, r) => n + daysInYear(r.from, r.to, year), 0);
  const days = allowance?.days ?? DEFAULT_VACATION_DAYS;
  const approved = sum('approved');
  const requested = sum('requested');
  return { employeeId, year, allowance: days, approved, requested, remaining: days - approved - requested };
}

/** The rules every new absence obeys; the employee's row is locked so that checks and insert are one step. */
async function checkNewAbsence(
  ctx: Ctx,
  input: { employeeId: string; type: AbsenceType; from: string; to: string },
): Promise<void> {
  if (!(await lockEmployee(ctx.db, input.employeeId))) {
    unknownReference('employeeId', ctx.translate('HR_EMPLOYEE_UNKNOWN'));
  }
  const employee = await ctx.db
    .selectFrom('hr_employees')
    .select('status')
    .where('id', '=', input.employeeId)
    .executeTakeFirstOrThrow();
  if (employee.status === 'dismissed')
    throw ruleViolation('EMPLOYEE_DISMISSED', { employeeId: input.employeeId });
  const other = await ctx.db
    .selectFrom('hr_absences')
    .select(['id', 'type', 'status', dateText('from_date').as('from'), dateText('to_date').as('to')])
    .where('employee_id', '=', input.employeeId)
    .where('status', 'in', ['requested', 'approved'])
    .where('from_date', '<=', input.to)
    .where('to_date', '>=', input.from)
    .orderBy('from_date')
    .executeTakeFirst();
  if (other) {
    throw conflict(
      'ABSENCE_OVERLAP',
      { absenceId: other.id, type: other.type, status: other.status, from: other.from, to: other.to },
      { type: ctx.translate(`HR_ABSENCE_${other.type}`), from: other.from, to: other.to },
    );
  }
  if (input.type !== 'vacation') return;
  const firstYear = Number(input.from.slice(0, 4));
  const lastYear = Number(input.to.slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    const asked = daysInYear(input.from, input.to, year);
    const balance = await vacationBalance(ctx.db, input.employeeId, year);
    if (asked > balance.remaining) {
      throw ruleViolation(
        'VACATION_BALANCE_EXCEEDED',
        { year, allowance: balance.allowance, remaining: balance.remaining, requested: asked },
        { year, remaining: Math.max(balance.remaining, 0), requested: asked },
      );
    }
  }
}

const newAbsence = {
  type: z.enum(ABSENCE_TYPES),
  from: dateSchema,
  to: dateSchema,
  note: z.string().trim().max(1000).nullable().optional(),
};
const datesInOrder = (v: { from: string; to: string }) => v.from <= v.to;

async function insertAbsence(
  ctx: Ctx,
  input: { employeeId: string; type: AbsenceType; from: string; to: string; note?: string | null },
  status: 'requested' | 'approved',
): Promise<AbsenceDto> {
  await checkNewAbsence(ctx, input);
  const row = await ctx.db
    .insertInto('hr_absences')
    .values({
      employee_id: input.employeeId,
      type: input.type,
      from_date: input.from,
      to_date: input.to,
      status,
      note: input.note ?? null,
      requested_by: ctx.actor.id,
      decided_by: status === 'approved' ? ctx.actor.id : null,
      decided_at: status === 'approved' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const created = (await findAbsence(ctx.db, row.id))!;
  await ctx.audit({ entity: 'hr.absence', entityId: row.id, before: null, after: created });
  await ctx.emit({
    type: status === 'approved' ? 'hr.absence.approved' : 'hr.absence.requested',
    aggregateType: 'hr.employee',
    aggregateId: input.employeeId,
    payload: {
      absenceId: row.id,
      employeeId: input.employeeId,
      type: input.type,
      from: input.from,
      to: input.to,
      days: created.days,
    },
  });
  return created;
}

export const requestAbsence = defineAction({
  name: 'requestAbsence',
  description:
    'Requests an absence (status requested). Without employeeId, for the employee linked to the caller; ' +
    'for another employee the caller needs hr.absences.write.',
  permission: PERMISSIONS.employeesRead,
  write: true,
  input: z
    .object({ employeeId: z.uuid().optional(), ...newAbsence })
    .refine(datesInOrder, { message: 'HR_DATES_ORDER', path: ['to'] }),
  output: absenceSchema,
  async run(ctx, input) {
    const own = await ownEmployeeId(ctx);
    const employeeId = input.employeeId ?? own;
    if (!employeeId) throw ruleViolation('EMPLOYEE_NOT_LINKED');
    if (employeeId !== own && !can(ctx.actor, PERMISSIONS.absencesWrite))
      throw forbidden(PERMISSIONS.absencesWrite);
    return insertAbsence(ctx, { ...input, employeeId }, 'requested');
  },
});

export const recordAbsence = defineAction({
  name: 'recordAbsence',
  description: 'Records an approved absence in one step (HR, or a process after its own approval).',
  permission: PERMISSIONS.absencesWrite,
  write: true,
  input: z
    .object({ employeeId: z.uuid(), ...newAbsence })
    .refine(datesInOrder, { message: 'HR_DATES_ORDER', path: ['to'] }),
  output: absenceSchema,
  async run(ctx, input) {
    return insertAbsence(ctx, input, 'approved');
  },
});

/** HR, or the user linked to the employee's manager (as hr.getManager finds them). */
async function mayDecide(ctx: Ctx, employeeId: string): Promise<boolean> {
  if (can(ctx.actor, PERMISSIONS.absencesWrite)) return true;
  const own = await ownEmployeeId(ctx);
  if (!own) return false;
  const manager = await findManager(ctx.db, employeeId);
  return manager?.employeeId === own;
}

async function transition(
  ctx: Ctx,
  id: string,
  to: 'approved' | 'rejected' | 'cancelled',
  note: string | null | undefined,
): Promise<AbsenceDto> {
  const current = await ctx.db
    .selectFrom('hr_absences')
    .select(['employee_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!current) throw notFound('absence', id);
  await lockEmployee(ctx.db, current.employee_id);
  const before = (await findAbsence(ctx.db, id))!;
  const own = await ownEmployeeId(ctx);
  if (to === 'cancelled') {
    const isOwn = own === before.employeeId;
    if (!isOwn && !(await mayDecide(ctx, before.employeeId))) throw forbidden(PERMISSIONS.absencesWrite);
    const cancellable =
      before.status === 'requested' ||
      (before.status === 'approved' && (can(ctx.actor, PERMISSIONS.absencesWrite) || before.from > today()));
    if (!cancellable) throw transitionRefused(ctx, before);
  } else {
    if (!(await mayDecide(ctx, before.employeeId))) throw forbidden(PERMISSIONS.absencesWrite);
    if (before.status !== 'requested') throw transitionRefused(ctx, before);
  }
  await ctx.db
    .updateTable('hr_absences')
    .set({
      status: to,
      decided_by: ctx.actor.id,
      decided_at: new Date(),
      updated_at: sql`now()`,
      ...(note !== undefined && note !== null && { note }),
    })
    .where('id', '=', id)
    .execute();
  const after = (await findAbsence(ctx.db, id))!;
  await ctx.audit({ entity: 'hr.absence', entityId: id, before, after });
  if (to === 'approved') {
    await ctx.emit({
      type: 'hr.absence.approved',
      aggregateType: 'hr.employee',
      aggregateId: after.employeeId,
      payload: {
        absenceId: id,
        employeeId: after.employeeId,
        type: after.type,
        from: after.from,
        to: after.to,
        days: after.days,
      },
    });
  }
  return after;
}

function transitionRefused(ctx: Ctx, absence: AbsenceDto) {
  return conflict(
    'ABSENCE_TRANSITION_INVALID',
    { absenceId: absence.id, status: absence.status },
    { status: ctx.translate(`HR_STATUS_${absence.status}`) },
  );
}

const decision = z.object({ id: z.uuid(), note: z.string().trim().max(1000).nullable().optional() });

export const approveAbsence = defineAction({
  name: 'approveAbsence',
  description: "Approves a requested absence (HR or the employee's manager).",
  permission: PERMISSIONS.employeesRead,
  write: true,
  input: decision,
  output: absenceSchema,
  run: (ctx, input) => transition(ctx, input.id, 'approved', input.note),
});

export const rejectAbsence = defineAction({
  name: 'rejectAbsence',
  description: "Rejects a requested absence (HR or the employee's manager).",
  permission: PERMISSIONS.employeesRead,
  write: true,
  input: decision,
  output: absenceSchema,
  run: (ctx, input) => transition(ctx, input.id, 'rejected', input.note),
});

export const cancelAbsence = defineAction({
  name: 'cancelAbsence',
  description:
    'Cancels an absence: the employee their own while requested or not begun; HR or the manager any requested one; HR an approved one.',
  permission: PERMISSIONS.employeesRead,
  write: true,
  input: decision,
  output: absenceSchema,
  run: (ctx, input) => transition(ctx, input.id, 'cancelled', input.note),
});

export const getAbsence = defineAction({
  name: 'getAbsence',
  description: 'One absence.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ id: z.uuid() }),
  output: absenceSchema,
  async run(ctx, input) {
    const absence = await findAbsence(ctx.db, input.id);
    if (!absence) throw notFound('absence', input.id);
    return absence;
  },
});

const sortColumns = {
  from: 'a.from_date',
  to: 'a.to_date',
  createdAt: 'a.created_at',
  employee: 'e.last_name',
} as const;

export const listAbsences = defineAction({
  name: 'listAbsences',
  description:
    'Lists absences; from/to select those that touch the period; departmentId includes its sub-departments.',
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: listInput(
    ['from', 'to', 'createdAt', 'employee'],
    {
      employeeId: z.uuid().optional(),
      departmentId: z.uuid().optional(),
      status: z.enum(ABSENCE_STATUSES).optional(),
      type: z.enum(ABSENCE_TYPES).optional(),
      from: dateSchema.optional(),
      to: dateSchema.optional(),
    },
    '-from',
  ),
  output: listOutput(absenceSchema),
  async run(ctx, input) {
    let query = selectAbsences(ctx.db);
    if (input.q) {
      const pattern = likePattern(input.q);
      query = query.where((eb) =>
        eb.or([
          eb('e.first_name', 'ilike', pattern),
          eb('e.last_name', 'ilike', pattern),
          eb('a.note', 'ilike', pattern),
        ]),
      );
    }
    if (input.employeeId) query = query.where('a.employee_id', '=', input.employeeId);
    if (input.departmentId) {
      query = query.where('e.department_id', 'in', await departmentSubtree(ctx.db, input.departmentId));
    }
    if (input.status) query = query.where('a.status', '=', input.status);
    if (input.type) query = query.where('a.type', '=', input.type);
    if (input.from) query = query.where('a.to_date', '>=', input.from);
    if (input.to) query = query.where('a.from_date', '<=', input.to);
    const { field, direction } = parseSort<keyof typeof sortColumns>(input.sort);
    const [rows, count] = await Promise.all([
      query
        .orderBy(sortColumns[field], direction)
        .orderBy('a.id')
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

const balanceSchema = z.object({
  employeeId: z.string(),
  year: z.number().int(),
  allowance: z.number().int(),
  approved: z.number().int(),
  requested: z.number().int(),
  /** May be negative when an allowance was lowered below what was already taken. */
  remaining: z.number().int(),
});

const yearSchema = z.coerce.number().int().min(2000).max(2100);

export const getVacationBalance = defineAction({
  name: 'getVacationBalance',
  description:
    "An employee's vacation allowance for a year (21 days unless set) and the days approved, requested and left.",
  permission: PERMISSIONS.employeesRead,
  write: false,
  input: z.object({ id: z.uuid(), year: yearSchema.optional() }),
  output: balanceSchema,
  async run(ctx, input) {
    const exists = await ctx.db
      .selectFrom('hr_employees')
      .select('id')
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!exists) throw notFound('employee', input.id);
    return vacationBalance(ctx.db, input.id, input.year ?? Number(today().slice(0, 4)));
  },
});

export const setVacationAllowance = defineAction({
  name: 'setVacationAllowance',
  description: "Sets an employee's vacation allowance (calendar days) for a year.",
  permission: PERMISSIONS.absencesWrite,
  write: true,
  input: z.object({ id: z.uuid(), year: yearSchema, days: z.number().int().min(0).max(366) }),
  output: balanceSchema,
  async run(ctx, input) {
    if (!(await lockEmployee(ctx.db, input.id))) throw notFound('employee', input.id);
    const before = await vacationBalance(ctx.db, input.id, input.year);
    await ctx.db
      .insertInto('hr_vacation_allowances')
      .values({ employee_id: input.id, year: input.year, days: input.days })
      .onConflict((oc) =>
        oc.columns(['employee_id', 'year']).doUpdateSet({ days: input.days, updated_at: sql`now()` }),
      )
      .execute();
    const after = await vacationBalance(ctx.db, input.id, input.year);
    await ctx.audit({
      entity: 'hr.vacation_allowance',
      entityId: `${input.id}:${input.year}`,
      before,
      after,
    });
    return after;
  },
});
