// Decimal strings for money and quantities, computed in BigInt units (never floats).
import { z } from 'zod';

// The columns are numeric(18,2) and numeric(18,3): 16 and 15 digits before the point.
const MONEY = /^\d+(\.\d{1,2})?$/;
const QUANTITY = /^\d+(\.\d{1,3})?$/;
const MONEY_DIGITS = 16;
const QUANTITY_DIGITS = 15;

/** Why a text is not an amount of money, or null: too large is told apart from malformed. */
export function moneyProblem(value: string): 'MONEY_INVALID' | 'MONEY_TOO_LARGE' | null {
  if (!MONEY.test(value)) return 'MONEY_INVALID';
  return wholeDigits(value) > MONEY_DIGITS ? 'MONEY_TOO_LARGE' : null;
}

/** Why a text is not a quantity above zero, or null. */
export function quantityProblem(value: string): 'QUANTITY_INVALID' | 'QUANTITY_TOO_LARGE' | null {
  if (!QUANTITY.test(value) || toUnits(value, 3) === 0n) return 'QUANTITY_INVALID';
  return wholeDigits(value) > QUANTITY_DIGITS ? 'QUANTITY_TOO_LARGE' : null;
}

/** Digits before the point, leading zeros aside ("000123" is a three-digit number). */
function wholeDigits(value: string): number {
  return value.split('.')[0]!.replace(/^0+(?=\d)/, '').length;
}

/** "12.5" at 2 decimals -> 1250n. */
export function toUnits(value: string, decimals: number): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(`${whole}${fraction.padEnd(decimals, '0').slice(0, decimals)}`);
}

export function formatUnits(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

/** The sum of quantity x price over lines, rounded half up to cents. */
export function linesTotal(lines: { quantity: string; price: string }[]): string {
  let milliCents = 0n; // quantity in thousandths x price in cents
  for (const l of lines) milliCents += toUnits(l.quantity, 3) * toUnits(l.price, 2);
  return formatUnits((milliCents + 500n) / 1000n, 2);
}

/** An amount of money as input: a decimal string or a number, kept as the string. */
export const moneySchema = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((v) => String(v))
  .superRefine((value, ctx) => {
    const problem = moneyProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
