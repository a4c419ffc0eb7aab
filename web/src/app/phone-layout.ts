import type { ColDef } from 'ag-grid-community';

/**
 * The columns a phone shows, by colId (or field), each with the least width it needs there in
 * pixels: what a quantity such as "16 000 dona" or a phone number takes whole, less for a name,
 * which an ellipsis may cut. Together they must fit a 390 px screen's grid (358 px).
 */
export type PhoneColumns = Readonly<Record<string, number>>;

/**
 * The columns as a phone shows them: only the chosen ones, at their least width, sharing what
 * is left (a wide name column takes at most half as much again as a figure).
 */
export function phoneLayout<T>(columns: ColDef<T>[], keep: PhoneColumns): ColDef<T>[] {
  return columns.map((column) => {
    const id = column.colId ?? (typeof column.field === 'string' ? column.field : undefined);
    const minWidth = id === undefined ? undefined : keep[id];
    if (minWidth === undefined) return { ...column, hide: true };
    const { width: _width, ...rest } = column;
    return { ...rest, hide: false, flex: Math.min(column.flex ?? 1, 1.5), minWidth };
  });
}
