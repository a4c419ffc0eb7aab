// What every HR action file shares: the typed action declarer, date helpers and the rules
// on who may see personal data.
import { type RawBuilder, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { validationFailed } from '../../server/core/errors.js';
import { isoDate } from '../../server/core/list-query.js';
import { type Actor, actionsOf, can } from '../../server/core/module.js';
import { tashkentDate } from '../../server/core/tashkent-time.js';
import type { HrTables } from './schema.js';

/** Declares an action of the HR module; `ctx.db` knows the module's own tables. */
export const defineAction = actionsOf<HrTables>();

export type Trx = Transaction<HrTables>;

export const PERMISSIONS = {
  employeesRead: 'hr.employees.read',
  employeesWrite: 'hr.employees.write',
  departmentsWrite: 'hr.departments.write',
  absencesWrite: 'hr.absences.write',
  personalRead: 'hr.personal.read',
  personalWrite: 'hr.personal.write',
} as const;

/** A calendar date, `YYYY-MM-DD`. */
export const dateSchema = isoDate;

/** Optional text: trimmed, and an empty string means "none". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

/** A `date` column as `YYYY-MM-DD` text (pg would hand a local-midnight Date otherwise). */
export function dateText(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

export function dateTextNull(column: string): RawBuilder<string | null> {
  return sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

export function canReadPersonal(actor: Actor): boolean {
  return can(actor, PERMISSIONS.personalRead);
}

/** A field whose referenced row does not exist: 400 with the field's path, like any invalid input. */
export function unknownReference(path: string, message: string): never {
  throw validationFailed([{ path, message }]);
}

const DAY_MS = 86_400_000;

export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

/** Calendar days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** The days of [from, to] that fall in `year`. */
export function daysInYear(from: string, to: string, year: number): number {
  const start = from > `${year}-01-01` ? from : `${year}-01-01`;
  const end = to < `${year}-12-31` ? to : `${year}-12-31`;
  return start > end ? 0 : daysBetween(start, end);
}

/** Today in Tashkent: who is away, who has joined. */
export const today = (): string => tashkentDate();
