// The HR API as the web app uses it: types of what /api/hr answers, and small readers.
import { api, fetchPage, type ListQuery } from '../../app/api';

export const HR = '/api/hr';

export const EMPLOYEE_STATUSES = ['active', 'on_leave', 'dismissed'] as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUSES)[number];
export const ABSENCE_TYPES = ['vacation', 'sick', 'trip'] as const;
export type AbsenceType = (typeof ABSENCE_TYPES)[number];
export const ABSENCE_STATUSES = ['requested', 'approved', 'rejected', 'cancelled'] as const;
export type AbsenceStatus = (typeof ABSENCE_STATUSES)[number];

export type OrgNode = {
  id: string;
  name: string;
  code: string;
  parentId: string | null;
  head: { id: string; name: string; position: string } | null;
  headcount: number;
  totalHeadcount: number;
};

export type Department = {
  id: string;
  name: string;
  code: string;
  parentId: string | null;
  parentName: string | null;
  headEmployeeId: string | null;
  headName: string | null;
  headcount: number;
};

export type Employee = {
  id: string;
  firstName: string;
  lastName: string;
  middleName: string | null;
  fullName: string;
  departmentId: string;
  departmentName: string;
  position: string;
  managerId: string | null;
  managerName: string | null;
  userId: string | null;
  hireDate: string;
  status: EmployeeStatus;
  dismissalDate: string | null;
  workPhone: string | null;
  workEmail: string | null;
  asOf?: string | null;
  // Present only for those who may read personal data.
  birthDate?: string | null;
  passport?: string | null;
  pinfl?: string | null;
  address?: string | null;
  salary?: string | null;
};

export type HistoryRecord = {
  id: string;
  type: 'hired' | 'transfer' | 'salary_change' | 'dismissal';
  date: string;
  departmentId: string;
  departmentName: string;
  position: string;
  salary?: string | null;
  note: string | null;
};

export type Absence = {
  id: string;
  employeeId: string;
  employeeName: string;
  departmentId: string;
  departmentName: string;
  type: AbsenceType;
  from: string;
  to: string;
  days: number;
  status: AbsenceStatus;
  note: string | null;
};

export type VacationBalance = {
  year: number;
  allowance: number;
  approved: number;
  requested: number;
  remaining: number;
};

export const getOrgChart = (signal?: AbortSignal) =>
  api<{ items: OrgNode[] }>('GET', `${HR}/org-chart`, undefined, { signal });

export const listEmployees = (query: ListQuery, signal?: AbortSignal) =>
  fetchPage<Employee>(`${HR}/employees`, query, signal);

export const listAbsences = (query: ListQuery, signal?: AbortSignal) =>
  fetchPage<Absence>(`${HR}/absences`, query, signal);

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
