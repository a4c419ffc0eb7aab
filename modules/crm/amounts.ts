// Counts with sums per currency, as the reports give them: deals in soʻm and in dollars are
// never added together (the suite keeps no exchange rates).
import { z } from 'zod';
import { currencySchema } from './deal-schema.js';
import { formatUnits, toUnits } from './money.js';

export const amountsSchema = z.partialRecord(currencySchema, z.string());
export type Amounts = z.infer<typeof amountsSchema>;

export const countAndAmountSchema = z.object({ count: z.number().int(), amount: amountsSchema });
export type CountAndAmount = z.infer<typeof countAndAmountSchema>;

/** Adds a sum in a currency to the sums already there. */
export function addAmount(into: Amounts, currency: string, total: string): void {
  const key = currency as keyof Amounts;
  const before = into[key];
  into[key] = formatUnits((before === undefined ? 0n : toUnits(before, 2)) + toUnits(total, 2), 2);
}

/** Rows of (currency, count, sum) as one count and its sums per currency. */
export function tally(rows: { currency: string; n: number; total: string }[]): CountAndAmount {
  const amount: Amounts = {};
  let count = 0;
  for (const r of rows) {
    count += Number(r.n);
    addAmount(amount, r.currency, r.total);
  }
  return { count, amount };
}
