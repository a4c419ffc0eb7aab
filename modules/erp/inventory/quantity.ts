// Exact decimal arithmetic for quantities (3 decimals) and prices (2 decimals): values are
// BigInt counts of the smallest step, never floats.
import type { Unit } from '../schema.js';
import { lineValue, VALUE_SCALE } from './valuation.js';

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
  | 'QUANTITY_WHOLE_UNITS'
  | 'QUANTITY_TOO_LARGE';

// Bounds that keep every sum the database holds inside its columns (quantities numeric(18,3),
// prices numeric(18,2), values numeric(20,2)) for at least a thousand such lines on one balance,
// and far beyond any real warehouse: a line of a trillion units, or worth a quadrillion soʻm,
// is a typing slip, refused beside its field rather than overflowing a column (a 500).
/** A number with more digits than any column holds, whatever its sign. */
const TOO_MANY_DIGITS = /^-?\d{16,}(\.\d*)?$/;
/** A line's quantity stays below a trillion units (milli-units). */
export const MAX_QUANTITY = 10n ** 15n;
/** A price stays below a trillion soʻm (tiyin). */
export const MAX_PRICE = 10n ** 14n;
/** A line's value (quantity x price) stays below a quadrillion soʻm (tiyin). */
export const MAX_LINE_VALUE = 10n ** 17n;

/** Checks a line quantity against its product's unit; returns the milli-units or the problem. */
export function checkQuantity(
  value: string | number,
  unit: Unit,
  allowZero = false,
): bigint | QuantityProblem {
  const parsed = parseScaled(value, QUANTITY_SCALE);
  if (!parsed) {
    const text = String(value).trim();
    if (TOO_MANY_DIGITS.test(text)) return 'QUANTITY_TOO_LARGE';
    return text.startsWith('-') && parseScaled(text.slice(1), QUANTITY_SCALE)
      ? 'QUANTITY_NOT_POSITIVE'
      : 'QUANTITY_NOT_NUMBER';
  }
  if (parsed.decimals > UNIT_DECIMALS[unit])
    return unit === 'pcs' ? 'QUANTITY_WHOLE_UNITS' : 'QUANTITY_TOO_PRECISE';
  if (parsed.value === 0n && !allowZero) return 'QUANTITY_NOT_POSITIVE';
  if (parsed.value >= MAX_QUANTITY) return 'QUANTITY_TOO_LARGE';
  return parsed.value;
}

export type PriceProblem = 'PRICE_INVALID' | 'PRICE_TOO_LARGE' | 'LINE_VALUE_TOO_LARGE';

/**
 * Checks a price (soʻm, at most 2 decimals) and, with the line's quantity, what the line is
 * worth; returns the price in tiyin or the problem.
 */
export function checkPrice(value: string | number, quantityMilli: bigint): bigint | PriceProblem {
  const parsed = parseScaled(value, VALUE_SCALE);
  if (!parsed && TOO_MANY_DIGITS.test(String(value).trim())) return 'PRICE_TOO_LARGE';
  if (!parsed || parsed.decimals > VALUE_SCALE) return 'PRICE_INVALID';
  if (parsed.value >= MAX_PRICE) return 'PRICE_TOO_LARGE';
  if (lineValue(quantityMilli, parsed.value) >= MAX_LINE_VALUE) return 'LINE_VALUE_TOO_LARGE';
  return parsed.value;
}
