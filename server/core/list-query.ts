// The list conventions of the API: limit (default 50, max 500), offset, sort=field|-field,
// q, and answers of { items, total }.
import { z } from 'zod';

export function listInput<const S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  sortFields: S,
  filters: F,
  defaultSort: `${'' | '-'}${S[number]}`,
) {
  const allowed = new Set<string>(sortFields);
  return z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
    sort: z
      .string()
      .default(defaultSort)
      .refine((value) => allowed.has(value.replace(/^-/, '')), {
        message: `Sort by one of: ${sortFields.join(', ')} (prefix - for descending)`,
      }),
    q: z.string().trim().max(200).optional(),
    ...filters,
  });
}

export function listOutput<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}

export function parseSort<F extends string>(sort: string): { field: F; direction: 'asc' | 'desc' } {
  return sort.startsWith('-')
    ? { field: sort.slice(1) as F, direction: 'desc' }
    : { field: sort as F, direction: 'asc' };
}

/** Query-string booleans: "true"/"false" as well as real booleans (from processes). */
export const queryBoolean = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean(),
);

/** Escapes % and _ so user text matches literally inside LIKE patterns. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// PostgreSQL has no year 0 (ISO's 0000) and a Date past 9999 has no ISO text: a date or an
// instant a user gives keeps to years 1900-2999, which every business date fits, and a day's
// edge shifted to Tashkent time stays a valid timestamp.
const yearInRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return !/^\d{4}-/.test(value) || (year >= 1900 && year <= 2999);
};
const OUT_OF_RANGE = 'DATE_OUT_OF_RANGE';

/** A calendar date (YYYY-MM-DD) in years 1900-2999. */
export const isoDate = z.iso.date().refine(yearInRange, { message: OUT_OF_RANGE });

/** An instant with its offset, in years 1900-2999. */
export const isoDateTime = z.iso.datetime({ offset: true }).refine(yearInRange, { message: OUT_OF_RANGE });

/**
 * A filter's edge: a calendar date (a whole day to the action) or an instant. One issue either
 * way, in the caller's language: a union of the two would say only "invalid input".
 */
export const isoDateOrDateTime = z.string().superRefine((value, ctx) => {
  const parsed = (value.length === 10 ? isoDate : isoDateTime).safeParse(value);
  if (parsed.success) return;
  const outOfRange = parsed.error.issues.some((issue) => issue.message === OUT_OF_RANGE);
  ctx.addIssue({ code: 'custom', message: outOfRange ? OUT_OF_RANGE : 'DATE_OR_INSTANT_INVALID' });
});

export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
