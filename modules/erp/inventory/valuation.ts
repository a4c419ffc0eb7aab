// Stock value: a perpetual weighted average cost per (product, warehouse), ERPNext's "Moving
// Average" and Odoo's AVCO kept on the balance row. Values are BigInt tiyin (2 decimals), like
// prices, never floats. What comes in adds its own value when it has one (a receipt's price, a
// transfer's value leaving the source, a reversed issue's value as it left); what goes out
// takes its share of the balance's value (quantity out / quantity on hand), so the last unit out
// takes exactly what is left and an empty balance is worth nothing. A reversal takes out what
// its original brought in (a receipt at a mistyped price is undone, not averaged in), at most
// what the balance is worth.

export const VALUE_SCALE = 2;

/** Reads a value the database returned as numeric(20,2) text ("-1250.00" -> -125000n). */
export function valueFromDb(text: string): bigint {
  return BigInt(text.replace('.', ''));
}

/** Tiyin as numeric text: 125000n -> "1250.00". */
export function formatValue(tiyin: bigint): string {
  const negative = tiyin < 0n;
  const digits = (negative ? -tiyin : tiyin).toString().padStart(VALUE_SCALE + 1, '0');
  const text = `${digits.slice(0, -VALUE_SCALE)}.${digits.slice(-VALUE_SCALE)}`;
  return negative ? `-${text}` : text;
}

/** `whole * part / of`, rounded half up (all non-negative, `of` > 0). */
function share(whole: bigint, part: bigint, of: bigint): bigint {
  return (2n * whole * part + of) / (2n * of);
}

/** A quantity (milli-units) at a price (tiyin per unit), in tiyin. */
export function lineValue(quantityMilli: bigint, priceTiyin: bigint): bigint {
  return share(quantityMilli, priceTiyin, 1000n);
}

/**
 * The value a movement adds to (or, negative, takes from) a balance holding `quantity` worth
 * `value`: its own signed `known` value when it has one (coming in, what it brings; going out,
 * a reversal, minus what its original brought in), else the average cost's share.
 */
export function valueChange(
  balance: { quantity: bigint; value: bigint },
  delta: bigint,
  known: bigint | undefined,
): bigint {
  if (delta > 0n) {
    if (known !== undefined) return known;
    return balance.quantity > 0n ? share(balance.value, delta, balance.quantity) : 0n;
  }
  if (delta === 0n) return 0n;
  const out = -delta;
  // The guard has kept `out` within what is on hand; the last of it takes all that is left.
  if (out >= balance.quantity) return -balance.value;
  // Goods that left meanwhile at a higher average may have taken part of what a reversal
  // would take back: it takes what is there, never more.
  if (known !== undefined) return -known < balance.value ? known : -balance.value;
  return -share(balance.value, out, balance.quantity);
}

/** The average cost of one unit (tiyin), or null for an empty balance. */
export function averageCost(quantityMilli: bigint, value: bigint): bigint | null {
  return quantityMilli > 0n ? share(value, 1000n, quantityMilli) : null;
}
