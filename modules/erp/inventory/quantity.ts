// Exact decimal arithmetic for quantities (3 decimals) and prices (2 decimals): values are
// BigInt counts of the smallest step, never floats.
import type { Unit } from '../schema.js';

export const QUANTITY_SCALE = 3;

const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/** "12.5" -> 12500n (milli-units); null for text that is not a non-negative decimal. */
export function parseScaled(
  value: string | number,
  scale: number,
): { value: bigint; decimals: number } | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value.trim();
  if (/e/i.test(text)) return null;
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > scale) return { value: 0n, decimals: fraction.length };
  return { value: BigInt(match[1]! + fraction.padEnd(scale, '0')), decimals: fraction.length };
}

export function toMilli(value: string | number): bigint {
  const parsed = parseScaled(value, QUANTITY_SCALE);
  if (!parsed || parsed.decimals > QUANTITY_SCALE) throw new Error(`not a quantity: ${value}`);
  return parsed.value;
}

/** Reads a quantity the database returned ("-12.500" included). */
export function fromDb(value: string): bigint {
  const negative = value.startsWith('-');
  const milli = toMilli(negative ? value.slice(1) : value);
  return negative ? -milli : milli;
}

export function formatMilli(milli: bigint, scale = QUANTITY_SCALE): string {
  const negative = milli < 0n;
  const digits = (negative ? -milli : milli).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

export const UNIT_DECIMALS: Record<Unit, number> = { pcs: 0, kg: 3, l: 3, m: 3 };

export type QuantityProblem =
  | 'QUANTITY_NOT_NUMBER'
  | 'QUANTITY_NOT_POSITIVE'
  | 'QUANTITY_TOO_PRECISE'
  | 'QUANTITY_WHOLE_UNITS';

/** Checks a line quantity against its product's unit; returns the milli-units or the problem. */
export function checkQuantity(
  value: string | number,
  unit: Unit,
  allowZero = false,
): bigint | QuantityProblem {
  const parsed = parseScaled(value, QUANTITY_SCALE);
  if (!parsed) {
    const text = String(value).trim();
    return text.startsWith('-') && parseScaled(text.slice(1), QUANTITY_SCALE)
      ? 'QUANTITY_NOT_POSITIVE'
      : 'QUANTITY_NOT_NUMBER';
  }
  if (parsed.decimals > UNIT_DECIMALS[unit])
    return unit === 'pcs' ? 'QUANTITY_WHOLE_UNITS' : 'QUANTITY_TOO_PRECISE';
  if (parsed.value === 0n && !allowZero) return 'QUANTITY_NOT_POSITIVE';
  return parsed.value;
}
