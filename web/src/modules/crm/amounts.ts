// Sums of money that come per currency (a pipeline's deals, a campaign's won deals): each shown
// in its own currency, never added across them.
import type { I18n } from '../../i18n/i18n';
import { CURRENCIES, type Currency } from './api';

export type Amounts = Partial<Record<Currency, string>>;

/** Sums in several currencies, each in its own: "12 500 000 soʻm · 3 000 $". */
export function amountsText(i18n: I18n, amounts: Amounts): string {
  // Soʻm first, then the others in a fixed order, on every line alike.
  const entries = CURRENCIES.flatMap((currency) => {
    const total = amounts[currency];
    return total === undefined ? [] : [[currency, total] as const];
  });
  if (entries.length === 0) return i18n.formatMoney(0);
  return entries.map(([currency, total]) => i18n.formatMoney(total, currency)).join(' · ');
}
