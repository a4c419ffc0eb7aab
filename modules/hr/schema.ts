// Kysely types of the HR module's tables. Dates are `date` columns, always selected as
// `YYYY-MM-DD` text; salaries are numeric(18,2), decimal strings on both backends.
import type { ColumnType, Generated } from 'kysely';

type DateOnly = ColumnType<string, string, string>;
type DateOnlyNull = ColumnType<string | null, string | null | undefined, string | null>;
type DecimalNull = ColumnType<string | null, string | null | undefined, string | null>;

export const EMPLOYEE_STATUSES = ['active', 'on_leave', 'dismissed'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];

export const EVENT_TYPES = ['hired', 'transfer', 'salary_change', 'dismissal'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ABSENCE_TYPES = ['vacation', 'sick', 'trip'] as const;
export type AbsenceType = (typeof ABSENCE_TYPES)[number];

export const ABSENCE_STATUSES = ['requested', 'approved', 'rejected', 'cancelled'] as const;
export type AbsenceStatus = (typeof ABSENCE_STATUSES)[number];

export type HrTables = {
  hr_departments: {
    id: Generated<string>;
    name: string;
    /** Unique (case-insensitive); a BPM candidate group names a department by it. */
    code: string;
    parent_id: string | null;
    head_employee_id: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  hr_positions: {
    id: Generated<string>;
    name: string;
    created_at: Generated<Date>;
  };
  hr_employees: {
    id: Generated<string>;
    first_name: string;
    last_name: string;
    middle_name: string | null;
    department_id: string;
    position: string;
    manager_id: string | null;
    user_id: string | null;
    hire_date: DateOnly;
    status: EmployeeStatus;
    dismissal_date: DateOnlyNull;
    work_phone: string | null;
    work_email: string | null;
    birth_date: DateOnlyNull;
    passport: string | null;
    pinfl: string | null;
    address: string | null;
    salary: DecimalNull;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  /** Dated, append-only history: each row holds the department, position and salary from its date on. */
  hr_employee_events: {
    id: Generated<string>;
    employee_id: string;
    type: EventType;
    effective_date: DateOnly;
    department_id: string;
    position: string;
    salary: DecimalNull;
    note: string | null;
    created_by: string | null;
    created_at: Generated<Date>;
  };
  hr_absences: {
    id: Generated<string>;
    employee_id: string;
    type: AbsenceType;
    from_date: DateOnly;
    to_date: DateOnly;
    status: AbsenceStatus;
    note: string | null;
    requested_by: string | null;
    decided_by: string | null;
    decided_at: Date | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  hr_vacation_allowances: {
    employee_id: string;
    year: number;
    days: number;
    updated_at: Generated<Date>;
  };
};
