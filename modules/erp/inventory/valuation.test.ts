import { describe, expect, it } from 'vitest';
import { averageCost, formatValue, lineValue, valueChange, valueFromDb } from './valuation.js';

describe('stock valuation arithmetic', () => {
  it('values a quantity at a price, rounding half a tiyin up', () => {
    expect(lineValue(2500n, 1001n)).toBe(2503n); // 2.5 x 10.01 = 25.025
    expect(lineValue(1000n, 0n)).toBe(0n);
    expect(lineValue(3n, 1n)).toBe(0n); // 0.003 x 0.01
  });

  it('takes each unit out at its share of the value, the last one taking what is left', () => {
    let balance = { quantity: 3000n, value: 1000n }; // 3 pieces worth 10.00
    const out = () => {
      const change = valueChange(balance, -1000n, undefined);
      balance = { quantity: balance.quantity - 1000n, value: balance.value + change };
      return change;
    };
    expect([out(), out(), out()]).toEqual([-333n, -334n, -333n]);
    expect(balance).toEqual({ quantity: 0n, value: 0n });
  });

  it('brings in its own value, or else the average, or nothing into an empty balance', () => {
    const held = { quantity: 4000n, value: 6000000n }; // 4 at 15 000.00
    expect(valueChange(held, 2000n, 10n)).toBe(10n);
    expect(valueChange(held, 2000n, undefined)).toBe(3000000n);
    expect(valueChange({ quantity: 0n, value: 0n }, 2000n, undefined)).toBe(0n);
    expect(valueChange(held, 0n, undefined)).toBe(0n);
  });

  it('takes back what a reversed movement brought in, at most what the balance is worth', () => {
    const held = { quantity: 110000n, value: 2000000000n }; // 110 worth 20 000 000.00
    expect(valueChange(held, -10000n, -1000000000n)).toBe(-1000000000n);
    expect(valueChange({ quantity: 15000n, value: 60000n }, -10000n, -100000n)).toBe(-60000n);
    // The last units out still take all there is.
    expect(valueChange({ quantity: 10000n, value: 5n }, -10000n, -1n)).toBe(-5n);
  });

  it('reads and writes numeric text both ways', () => {
    expect(valueFromDb('-1250.05')).toBe(-125005n);
    expect(formatValue(-125005n)).toBe('-1250.05');
    expect(formatValue(5n)).toBe('0.05');
    expect(averageCost(3000n, 1000n)).toBe(333n);
    expect(averageCost(0n, 0n)).toBeNull();
  });
});
