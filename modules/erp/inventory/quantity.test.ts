import { describe, expect, it } from 'vitest';
import { checkQuantity, formatMilli, fromDb, toMilli } from './quantity.js';

describe('quantities', () => {
  it('parse and print exactly, without floats', () => {
    expect(toMilli('12.5')).toBe(12500n);
    expect(toMilli(0.1)).toBe(100n);
    expect(formatMilli(toMilli('0.1') + toMilli('0.2'))).toBe('0.300');
    expect(fromDb('-12.500')).toBe(-12500n);
    expect(formatMilli(-5n)).toBe('-0.005');
  });

  it('respect the unit: whole pieces, 3 decimals for kg, l, m', () => {
    expect(checkQuantity('3', 'pcs')).toBe(3000n);
    expect(checkQuantity('3.5', 'pcs')).toBe('QUANTITY_WHOLE_UNITS');
    expect(checkQuantity('3.000', 'pcs')).toBe(3000n);
    expect(checkQuantity('1.234', 'kg')).toBe(1234n);
    expect(checkQuantity('1.2345', 'kg')).toBe('QUANTITY_TOO_PRECISE');
    expect(checkQuantity(0, 'kg')).toBe('QUANTITY_NOT_POSITIVE');
    expect(checkQuantity(0, 'kg', true)).toBe(0n);
    expect(checkQuantity('-2', 'l')).toBe('QUANTITY_NOT_POSITIVE');
    expect(checkQuantity('abc', 'm')).toBe('QUANTITY_NOT_NUMBER');
    expect(checkQuantity('1e3', 'm')).toBe('QUANTITY_NOT_NUMBER');
    expect(checkQuantity(Number.NaN, 'm')).toBe('QUANTITY_NOT_NUMBER');
  });
});
