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

export const isoDateTime = z.iso.datetime({ offset: true });

export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
