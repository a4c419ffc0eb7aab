import { describe, expect, it } from 'vitest';
import { checkPrice, checkQuantity, formatMilli, fromDb, toMilli } from './quantity.js';

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

  it('bound quantities, prices and what a line is worth, so no total outgrows its column', () => {
    expect(checkQuantity('999999999999', 'pcs')).toBe(999999999999000n);
    expect(checkQuantity('1000000000000', 'pcs')).toBe('QUANTITY_TOO_LARGE');
    expect(checkQuantity('999999999999999', 'kg')).toBe('QUANTITY_TOO_LARGE');
    expect(checkQuantity('99999999999999999999', 'pcs')).toBe('QUANTITY_TOO_LARGE');
    expect(checkPrice('12500.5', 2000n)).toBe(1250050n);
    expect(checkPrice(' 7 ', 1000n)).toBe(700n);
    expect(checkPrice('1.234', 1000n)).toBe('PRICE_INVALID');
    expect(checkPrice('-5', 1000n)).toBe('PRICE_INVALID');
    expect(checkPrice('9999999999999999', 1000n)).toBe('PRICE_TOO_LARGE');
    expect(checkPrice('999999999999', 999000n)).toBe(99999999999900n);
    // 10 000 x 100 000 000 000 soʻm = 10^15: a slip, not a receipt.
    expect(checkPrice('100000000000', 10000000n)).toBe('LINE_VALUE_TOO_LARGE');
  });
});
