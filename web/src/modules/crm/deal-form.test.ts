import { describe, expect, it } from 'vitest';
import { linesTotal } from './deal-form';

describe('a deal form’s amount from its lines', () => {
  it('sums quantity x price exactly, to the tiyin, as people type them', () => {
    expect(linesTotal([{ quantity: '2,5', price: '100 000.10' }])).toBe('250000.25');
    // 0.1 + 0.2 in floats is 0.30000000000000004; three lines of 0.1 must still be 0.30.
    expect(linesTotal([0, 1, 2].map(() => ({ quantity: '1', price: '0.1' })))).toBe('0.30');
    // Past 2^53 tiyin a float loses whole soʻm.
    expect(linesTotal([{ quantity: '1000', price: '99999999999.99' }])).toBe('99999999999990.00');
    expect(linesTotal([{ quantity: '0.005', price: '1' }])).toBe('0.01');
  });

  it('leaves out a line still being typed', () => {
    expect(
      linesTotal([
        { quantity: '', price: '5' },
        { quantity: '2', price: 'abc' },
        { quantity: '3', price: '5' },
      ]),
    ).toBe('15.00');
  });
});
