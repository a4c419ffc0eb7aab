import type { ICellRendererParams } from 'ag-grid-community';

// The grid registers no cell-style module (it would add to every page's bundle), so cellClass
// and the "rightAligned" column type style only headers: cells are styled by these renderers.

/** A number (already formatted), aligned right. */
export function RightCell({ value, valueFormatted }: ICellRendererParams) {
  return <span className="erp-right">{valueFormatted ?? value}</span>;
}

/** A code (SKU, barcode, number) in the monospace font. */
export function CodeCell({ value, valueFormatted }: ICellRendererParams) {
  return <span className="erp-mono">{valueFormatted ?? value}</span>;
}
