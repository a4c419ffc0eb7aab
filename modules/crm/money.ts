// Decimal strings for money and quantities, computed in BigInt units (never floats).

const MONEY = /^\d{1,16}(\.\d{1,2})?$/;
const QUANTITY = /^\d{1,15}(\.\d{1,3})?$/;

export function isMoney(value: string): boolean {
  return MONEY.test(value);
}

export function isQuantity(value: string): boolean {
  return QUANTITY.test(value) && toUnits(value, 3) > 0n;
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
