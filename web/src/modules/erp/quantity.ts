// Quantities as people type them and as the API writes them: exact decimals with at most
// 3 places (whole numbers for pieces), kept as strings and compared as BigInt thousandths.
import { divideRounded, fromUnits, toUnits } from '../../app/decimal';
import type { Unit } from './types';

export const SCALE = 3;

/** How many decimals a unit allows: pieces are whole, kg, l and m go to grams, millilitres, millimetres. */
export const UNIT_DECIMALS: Record<Unit, number> = { pcs: 0, kg: 3, l: 3, m: 3 };

export type QuantityProblem =
  | 'required'
  | 'notNumber'
  | 'notPositive'
  | 'negative'
  | 'whole'
  | 'tooPrecise'
  | 'tooLarge';

/** The server refuses a line of a trillion units or more (a slip that would overflow a total). */
const MAX_WHOLE_DIGITS = 12;

export type ParsedQuantity = { ok: true; value: string } | { ok: false; problem: QuantityProblem };

const DECIMAL = /^(\d{1,15})(?:\.(\d*))?$|^\.(\d+)$/;

/**
 * Reads a quantity typed in any of our languages: "12", "2,5" and "2.5" are the same; spaces
 * (thousands separators) are ignored. Answers the API's form ("2.5") or the problem.
 *
 * @example parseQuantity('1 250,5', 'kg') // { ok: true, value: '1250.5' }
 */
export function parseQuantity(
  text: string,
  unit: Unit,
  options: { allowZero?: boolean } = {},
): ParsedQuantity {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (compact === '') return { ok: false, problem: 'required' };
  if (compact.startsWith('-')) {
    return DECIMAL.test(compact.slice(1))
      ? { ok: false, problem: 'negative' }
      : { ok: false, problem: 'notNumber' };
  }
  const unsigned = compact.startsWith('+') ? compact.slice(1) : compact;
  if (/^\d{16,}(\.\d*)?$/.test(unsigned)) return { ok: false, problem: 'tooLarge' };
  const match = DECIMAL.exec(unsigned);
  if (!match) return { ok: false, problem: 'notNumber' };
  const whole = (match[1] ?? '0').replace(/^0+(?=\d)/, '');
  if (whole.length > MAX_WHOLE_DIGITS) return { ok: false, problem: 'tooLarge' };
  const fraction = (match[2] ?? match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > UNIT_DECIMALS[unit]) {
    return { ok: false, problem: unit === 'pcs' ? 'whole' : 'tooPrecise' };
  }
  const value = fraction ? `${whole}.${fraction}` : whole;
  if (toMilli(value) === 0n && !options.allowZero) return { ok: false, problem: 'notPositive' };
  return { ok: true, value };
}

/** "12.5" -> 12500n; "-3" -> -3000n; anything else -> 0n. */
export function toMilli(value: string | number | null | undefined): bigint {
  if (value === null || value === undefined) return 0n;
  return toUnits(String(value), SCALE) ?? 0n;
}

/** 12500n -> "12.5" (no trailing zeros), the form the API accepts and formatNumber reads. */
export function fromMilli(milli: bigint): string {
  return fromUnits(milli, SCALE, { trim: true });
}

/** The exact sum of decimal strings. */
export function sumQuantities(values: readonly string[]): string {
  return fromMilli(values.reduce((total, value) => total + toMilli(value), 0n));
}

/** a - b, exactly. */
export function subtractQuantities(a: string, b: string): string {
  return fromMilli(toMilli(a) - toMilli(b));
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function compareQuantities(a: string, b: string): number {
  const difference = toMilli(a) - toMilli(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** quantity x price, exactly to the thousandth (half up): "2.5" x "12000.50" -> "30001.25". */
export function multiplyAmount(quantity: string, price: string): string {
  return fromMilli(divideRounded(toMilli(quantity) * toMilli(price), 1000n));
}
