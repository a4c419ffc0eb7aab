// The employee as the API shows it, and the rules of its fields. Personal data (birth date,
// passport, PINFL, address, salary) is present only for those who hold hr.personal.read:
// for everyone else those keys are absent, not null.
import { sql } from 'kysely';
import { z } from 'zod';
import { iso } from '../../server/core/list-query.js';
import type { Actor } from '../../server/core/module.js';
import { canReadPersonal, dateSchema, dateText, dateTextNull, type Trx } from './define.js';
import { EMPLOYEE_STATUSES } from './schema.js';

export const PERSONAL_FIELDS = ['birthDate', 'passport', 'pinfl', 'address', 'salary'] as const;

/** Whether a PINFL (JSHSHIR) is well formed: 14 digits, the first 1–6, then a real DDMMYY birth date. */
export function isValidPinfl(value: string): boolean {
  if (!/^[1-6]\d{13}$/.test(value)) return false;
  const birth = pinflBirthDate(value);
  return birth !== null;
}

/** The birth date a PINFL encodes (its first digit gives the century), or null if it is not a date. */
export function pinflBirthDate(value: string): string | null {
  const century = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 }[Number(value[0])];
  if (!century) return null;
  const day = Number(value.slice(1, 3));
  const month = Number(value.slice(3, 5));
  const year = century + Number(value.slice(5, 7));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

export const pinflSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, ''))
  .refine(isValidPinfl, { message: 'HR_PINFL_INVALID' });

export const passportSchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .refine((v) => /^[A-Z]{2}\d{7}$/.test(v), { message: 'HR_PASSPORT_INVALID' });

/** Soʻm as a decimal string with at most two decimals: "5000000", "5000000.50". */
export const salarySchema = z
  .string()
  .trim()
  .transform((v) => v.replace(/\s+/g, ''))
  .refine((v) => /^\d{1,16}(\.\d{1,2})?$/.test(v), { message: 'HR_SALARY_INVALID' });

export const phoneSchema = z
  .string()
  .trim()
  .max(40)
  .refine((v) => v === '' || /^\+?[\d\s()-]{5,40}$/.test(v), { message: 'HR_PHONE_INVALID' })
  .transform((v) => (v === '' ? null : v));

export const workEmailSchema = z.union([
  z.literal('').transform(() => null),
  z.email().trim().toLowerCase().max(254),
]);

/** The personal fields as inputs; null clears one. */
export const personalInput = {
  birthDate: dateSchema.nullable().optional(),
  passport: passportSchema.nullable().optional(),
  pinfl: pinflSchema.nullable().optional(),
  address: z.string().trim().max(500).nullable().optional(),
  salary: salarySchema.nullable().optional(),
};

export const employeeSchema = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  middleName: z.string().nullable(),
  fullName: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  position: z.string(),
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  userId: z.string().nullable(),
  hireDate: z.string(),
  status: z.enum(EMPLOYEE_STATUSES),
  dismissalDate: z.string().nullable(),
  workPhone: z.string().nullable(),
  workEmail: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Present only for holders of hr.personal.read. */
  birthDate: z.string().nullable().optional(),
  passport: z.string().nullable().optional(),
  pinfl: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  /** Monthly salary in soʻm, a decimal string. */
  salary: z.string().nullable().optional(),
});
export type EmployeeDto = z.infer<typeof employeeSchema>;

export function selectEmployees(db: Trx) {
  return db
    .selectFrom('hr_employees as e')
    .innerJoin('hr_departments as d', 'd.id', 'e.department_id')
    .leftJoin('hr_employees as m', 'm.id', 'e.manager_id')
    .select([
      'e.id',
      'e.first_name',
      'e.last_name',
      'e.middle_name',
      'e.department_id',
      'd.name as department_name',
      'e.position',
      'e.manager_id',
      sql<string | null>`m.last_name || ' ' || m.first_name`.as('manager_name'),
      'e.user_id',
      dateText('e.hire_date').as('hire_date'),
      'e.status',
      dateTextNull('e.dismissal_date').as('dismissal_date'),
      'e.work_phone',
      'e.work_email',
      dateTextNull('e.birth_date').as('birth_date'),
      'e.passport',
      'e.pinfl',
      'e.address',
      sql<string | null>`e.salary::text`.as('salary'),
      'e.created_at',
      'e.updated_at',
    ]);
}

export type EmployeeRow = Awaited<ReturnType<ReturnType<typeof selectEmployees>['executeTakeFirstOrThrow']>>;

/** The DTO of a row; personal data only when `personal` is true. */
export function toEmployeeDto(row: EmployeeRow, personal: boolean): EmployeeDto {
  const dto: EmployeeDto = {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    middleName: row.middle_name,
    fullName: `${row.last_name} ${row.first_name}${row.middle_name ? ` ${row.middle_name}` : ''}`,
    departmentId: row.department_id,
    departmentName: row.department_name,
    position: row.position,
    managerId: row.manager_id,
    managerName: row.manager_name,
    userId: row.user_id,
    hireDate: row.hire_date,
    status: row.status,
    dismissalDate: row.dismissal_date,
    workPhone: row.work_phone,
    workEmail: row.work_email,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
  if (!personal) return dto;
  return {
    ...dto,
    birthDate: row.birth_date,
    passport: row.passport,
    pinfl: row.pinfl,
    address: row.address,
    salary: row.salary,
  };
}

export async function findEmployeeRow(db: Trx, id: string): Promise<EmployeeRow | undefined> {
  return selectEmployees(db).where('e.id', '=', id).executeTakeFirst();
}

/** The employee as `actor` may see it. */
export async function findEmployee(db: Trx, id: string, actor: Actor): Promise<EmployeeDto | undefined> {
  const row = await findEmployeeRow(db, id);
  return row && toEmployeeDto(row, canReadPersonal(actor));
}

/** Locks the employee's row: absences and history changes of one employee take turns. */
export async function lockEmployee(db: Trx, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('hr_employees')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds a position name to the list of positions, once. */
export async function addPosition(db: Trx, position: string): Promise<void> {
  await db
    .insertInto('hr_positions')
    .values({ name: position })
    .onConflict((oc) => oc.doNothing())
    .execute();
}
