// A report's period: its first and last day (Tashkent), both optional in the API. Left out,
// it is the current month up to today; given only its end, that end's month. One rule refuses
// an end before the start, on the `to` field.
import type { z } from 'zod';
import { isoDate } from './list-query.js';
import { tashkentDate, tashkentDayStart } from './tashkent-time.js';

export const periodFields = {
  /** The period's first day (Tashkent); the current month's first day when left out. */
  from: isoDate.optional(),
  /** Its last day, included; today when left out. */
  to: isoDate.optional(),
};

export type PeriodInput = { from?: string | undefined; to?: string | undefined };

/** The period's days, filled in: from <= to always holds once the rule has passed. */
export function periodOf(input: PeriodInput): { from: string; to: string } {
  const to = input.to ?? tashkentDate();
  return { from: input.from ?? `${(input.to ?? to).slice(0, 8)}01`, to };
}

/** The instants the period starts and ends (its last day included). */
export function periodInstants(input: PeriodInput): { start: Date; end: Date } {
  const { from, to } = periodOf(input);
  return { start: tashkentDayStart(from), end: tashkentDayStart(to, 1) };
}

const isDate = (value: string | undefined) => value === undefined || isoDate.safeParse(value).success;

/** Adds the rule "the period does not end before it starts" to an input schema holding `periodFields`. */
export function withPeriodRule<S extends z.ZodType<PeriodInput>>(schema: S) {
  // zod runs an object's rule even when a field failed its own check: a bad date is that field's
  // issue only. A fresh options object each time: zod takes over the one a rule is given.
  return schema.refine(
    (input) => {
      if (!isDate(input.from) || !isDate(input.to)) return true;
      const { from, to } = periodOf(input);
      return from <= to;
    },
    { path: ['to'], message: 'PERIOD_END_BEFORE_START' },
  );
}
