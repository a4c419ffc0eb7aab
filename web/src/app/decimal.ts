// Exact decimals for money and quantities: decimal strings scaled to BigInt units, never floats
// (a float sum of prices drifts by a tiyin, and past 2^53 tiyin it drops whole soʻm).

/**
 * "12.5" at scale 3 -> 12500n; "-3" -> -3000n; "2,5" reads as "2.5" and spaces (thousands
 * separators) are ignored; places beyond the scale are cut. Null when it is not a number.
 */
export function toUnits(value: string, scale: number): bigint | null {
  const text = value.replace(/\s/g, '').replace(',', '.');
  const negative = text.startsWith('-');
  const match = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/.exec(negative ? text.slice(1) : text);
  if (!match) return null;
  const fraction = (match[2] ?? match[3] ?? '').slice(0, scale).padEnd(scale, '0');
  const units = BigInt(match[1] ?? '0') * 10n ** BigInt(scale) + BigInt(fraction || '0');
  return negative ? -units : units;
}

/** 12500n at scale 3 -> "12.500", or "12.5" with `trim` (no trailing zeros, no lone point). */
export function fromUnits(units: bigint, scale: number, options: { trim?: boolean } = {}): string {
  const negative = units < 0n;
  const absolute = negative ? -units : units;
  const factor = 10n ** BigInt(scale);
  let fraction = scale > 0 ? (absolute % factor).toString().padStart(scale, '0') : '';
  if (options.trim) fraction = fraction.replace(/0+$/, '');
  return `${negative ? '-' : ''}${absolute / factor}${fraction ? `.${fraction}` : ''}`;
}

/** a / b rounded half away from zero, for scaling a product back down. */
export function divideRounded(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const quotient = (absA + absB / 2n) / absB;
  return negative ? -quotient : quotient;
}
