// A column of JSON documents for statements that take their rows as arrays (`unnest`).
import { type RawBuilder, sql } from 'kysely';

/**
 * A `jsonb[]` of the documents given as JSON texts (null for SQL NULL), sent as one parameter
 * holding a JSON array: the texts are joined as they are. Passed as a `jsonb[]` parameter
 * instead, each document would be escaped into an array literal by the driver (a regular
 * expression over every character, the quotes doubled in size) and unescaped again by
 * PostgreSQL before being parsed: for a group's answers and audit snapshots, most of what the
 * statement costs to send.
 */
export function jsonbColumn(texts: readonly (string | null)[]): RawBuilder<unknown> {
  const array = `[${texts.map((t) => t ?? 'null').join(',')}]`;
  return sql`array(select nullif(j.value, 'null'::jsonb)
    from jsonb_array_elements(${array}::jsonb) with ordinality as j (value, n) order by j.n)`;
}
