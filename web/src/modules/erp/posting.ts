// The posting screen's logic without React: what a document form holds, how it is checked
// before it is sent, the body the API takes, and where a refusal's short lines belong.
import type { LineProduct } from './erp-api';
import {
  compareQuantities,
  fromMilli,
  parseQuantity,
  type QuantityProblem,
  sumQuantities,
  toMilli,
} from './quantity';
import type { Balance, DocumentType, Reason, ShortLine, StockDocument } from './types';

export type FormLine = { key: string; product: LineProduct; quantity: string };

export type DocumentForm = {
  type: DocumentType;
  date: string;
  warehouseId: string;
  targetWarehouseId: string;
  reason: Reason | '';
  comment: string;
  clientId: string;
  lines: FormLine[];
};

/** Problems found before sending: a catalogue key per field path ("lines.2.quantity"). */
export type FormProblems = Record<
  string,
  `erp.validation.${QuantityProblem | 'sameWarehouse' | 'noLines'}` | 'date.invalid'
>;

/** Today in the browser's calendar, as the API writes dates. */
export function today(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function emptyForm(type: DocumentType, warehouseId: string): DocumentForm {
  return {
    type,
    date: today(),
    warehouseId,
    targetWarehouseId: '',
    reason: '',
    comment: '',
    clientId: '',
    lines: [],
  };
}

/** A saved draft as the form shows it ("10.000" is shown as "10"). */
export function formOfDocument(doc: StockDocument): DocumentForm {
  return {
    type: doc.type,
    date: doc.date,
    warehouseId: doc.warehouseId,
    targetWarehouseId: doc.targetWarehouseId ?? '',
    reason: doc.reason ?? '',
    comment: doc.comment ?? '',
    clientId: doc.clientId ?? '',
    lines: doc.lines.map((line) => ({
      key: line.id,
      product: { id: line.productId, sku: line.productSku, name: line.productName, unit: line.unit },
      quantity: trimZeros(line.quantity),
    })),
  };
}

function trimZeros(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

/** A line's quantity problem, if any (a count may say zero). */
export function lineProblem(form: Pick<DocumentForm, 'type'>, line: FormLine): QuantityProblem | null {
  const parsed = parseQuantity(line.quantity, line.product.unit, { allowZero: form.type === 'count' });
  return parsed.ok ? null : parsed.problem;
}

/** What must be fixed before the document can be sent; empty when nothing. */
export function checkForm(form: DocumentForm): FormProblems {
  const problems: FormProblems = {};
  if (!form.warehouseId) problems.warehouseId = 'erp.validation.required';
  if (!form.date) problems.date = 'erp.validation.required';
  // The date field passes on a text that is no date (31.02.2026) for this to refuse.
  else if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date)) problems.date = 'date.invalid';
  if (form.type === 'transfer') {
    if (!form.targetWarehouseId) problems.targetWarehouseId = 'erp.validation.required';
    else if (form.targetWarehouseId === form.warehouseId)
      problems.targetWarehouseId = 'erp.validation.sameWarehouse';
  }
  if (form.type === 'write_off') {
    if (!form.reason) problems.reason = 'erp.validation.required';
    else if (form.reason === 'other' && !form.comment.trim()) problems.comment = 'erp.validation.required';
  }
  if (form.type === 'shipment' && !form.clientId.trim()) problems.clientId = 'erp.validation.required';
  if (form.lines.length === 0) problems.lines = 'erp.validation.noLines';
  form.lines.forEach((line, index) => {
    const problem = lineProblem(form, line);
    if (problem) problems[`lines.${index}.quantity`] = `erp.validation.${problem}`;
  });
  return problems;
}

/** The request body of POST/PATCH /api/erp/stock-documents. */
export function documentBody(form: DocumentForm) {
  return {
    type: form.type,
    date: form.date,
    warehouseId: form.warehouseId,
    targetWarehouseId: form.type === 'transfer' ? form.targetWarehouseId || null : null,
    reason: form.type === 'write_off' ? form.reason || null : null,
    comment: form.comment.trim() || null,
    clientId: form.type === 'shipment' ? form.clientId.trim() || null : null,
    lines: form.lines.map((line) => {
      const parsed = parseQuantity(line.quantity, line.product.unit, { allowZero: form.type === 'count' });
      return { productId: line.product.id, quantity: parsed.ok ? parsed.value : line.quantity.trim() };
    }),
  };
}

/**
 * Adds a product to the lines: a product already on a line gets the quantity added to it
 * (a scanner scanning the same item twice), otherwise a new line. Answers the lines and the
 * index of the line that took it.
 */
export function addLine(
  lines: readonly FormLine[],
  product: LineProduct,
  quantity: string,
  newKey: string,
): { lines: FormLine[]; index: number; merged: boolean } {
  const index = lines.findIndex((line) => line.product.id === product.id);
  if (index < 0)
    return { lines: [...lines, { key: newKey, product, quantity }], index: lines.length, merged: false };
  const existing = lines[index]!;
  const a = parseQuantity(existing.quantity, product.unit, { allowZero: true });
  const b = parseQuantity(quantity, product.unit, { allowZero: true });
  const sum = a.ok && b.ok ? sumQuantities([a.value, b.value]) : quantity;
  const next = lines.map((line, i) => (i === index ? { ...line, quantity: sum } : line));
  return { lines: next, index, merged: true };
}

/** Which form line each short line of a 409 is about: by line number, else by product. */
export function shortByLineKey(
  lines: readonly FormLine[],
  short: readonly ShortLine[],
): Record<string, ShortLine> {
  const result: Record<string, ShortLine> = {};
  for (const entry of short) {
    const byNumber = lines[entry.lineNo - 1];
    const line =
      byNumber && byNumber.product.id === entry.productId
        ? byNumber
        : lines.find((candidate) => candidate.product.id === entry.productId);
    if (line) result[line.key] = entry;
  }
  return result;
}

/** Whether a line asks for more than is available (only documents that take stock out). */
export function exceeds(quantity: string, available: string | null | undefined): boolean {
  return available !== null && available !== undefined && compareQuantities(quantity, available) > 0;
}

/** The most lines a document holds (the API's limit). */
export const MAX_LINES = 1000;

/**
 * An inventory count's sheet filled from the warehouse's balances: a line per product in stock
 * that the sheet does not have yet, at the quantity on hand, for the clerk to overwrite with
 * what is counted. Lines already there keep what was typed; the sheet stops at MAX_LINES.
 */
export function countSheetLines(
  lines: readonly FormLine[],
  balances: readonly Pick<Balance, 'productId' | 'productSku' | 'productName' | 'unit' | 'quantity'>[],
  newKey: () => string,
): { lines: FormLine[]; added: number } {
  const present = new Set(lines.map((line) => line.product.id));
  const next = [...lines];
  for (const b of balances) {
    if (next.length >= MAX_LINES) break;
    if (present.has(b.productId) || compareQuantities(b.quantity, '0') <= 0) continue;
    present.add(b.productId);
    next.push({
      key: newKey(),
      product: { id: b.productId, sku: b.productSku, name: b.productName, unit: b.unit },
      quantity: fromMilli(toMilli(b.quantity)),
    });
  }
  return { lines: next, added: next.length - lines.length };
}
