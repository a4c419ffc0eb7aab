import { describe, expect, it } from 'vitest';
import { divideRounded, fromUnits, toUnits } from './decimal';

describe('exact decimals', () => {
  it('reads what people type in any of our languages', () => {
    expect(toUnits('12.5', 3)).toBe(12500n);
    expect(toUnits('1 250,5', 2)).toBe(125050n);
    expect(toUnits('-3', 3)).toBe(-3000n);
    expect(toUnits('.5', 2)).toBe(50n);
    expect(toUnits('7.', 2)).toBe(700n);
    expect(toUnits('0.0019', 3)).toBe(1n);
    expect(toUnits('12345678901234567890', 2)).toBe(1234567890123456789000n);
  });

  it('says null for what is not a number', () => {
    for (const text of ['', '-', '.', 'abc', '1.2.3', '1e5', '--1']) expect(toUnits(text, 2)).toBeNull();
  });

  it('writes units back with fixed or trimmed places', () => {
    expect(fromUnits(12500n, 3)).toBe('12.500');
    expect(fromUnits(12500n, 3, { trim: true })).toBe('12.5');
    expect(fromUnits(-1n, 3)).toBe('-0.001');
    expect(fromUnits(0n, 2)).toBe('0.00');
    expect(fromUnits(0n, 3, { trim: true })).toBe('0');
    expect(fromUnits(42n, 0)).toBe('42');
  });

  it('rounds half away from zero', () => {
    expect(divideRounded(1500n, 1000n)).toBe(2n);
    expect(divideRounded(1499n, 1000n)).toBe(1n);
    expect(divideRounded(-1500n, 1000n)).toBe(-2n);
    expect(divideRounded(-1499n, 1000n)).toBe(-1n);
  });
});
