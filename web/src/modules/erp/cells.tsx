import type { ICellRendererParams } from 'ag-grid-community';

// Cells styled by renderers rather than cellClass: a renderer also carries the formatted value's
// own class (a sign's colour, the monospace of a code) where one class per column would not.

/** A number (already formatted), aligned right. */
export function RightCell({ value, valueFormatted }: ICellRendererParams) {
  return <span className="erp-right">{valueFormatted ?? value}</span>;
}

/** A code (SKU, barcode, number) in the monospace font. */
export function CodeCell({ value, valueFormatted }: ICellRendererParams) {
  return <span className="erp-mono">{valueFormatted ?? value}</span>;
}
