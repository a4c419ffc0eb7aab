// A list of records among the process variables (a deal's lines, stock per warehouse) as rows and
// columns, so that it is shown as a table instead of JSON text.
export type Row = Record<string, unknown>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty array whose items are all plain objects: it reads best as rows and columns. */
export function asRows(value: unknown): Row[] | null {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isRow)) return null;
  return value;
}

/** The columns of such rows: every key that any row has, in the order first seen. */
export function columnsOf(rows: Row[]): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}
