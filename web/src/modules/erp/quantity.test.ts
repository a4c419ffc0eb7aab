import { describe, expect, it } from 'vitest';
import {
  compareQuantities,
  fromMilli,
  multiplyAmount,
  parseQuantity,
  subtractQuantities,
  sumQuantities,
  toMilli,
} from './quantity';

describe('parseQuantity', () => {
  it('accepts whole pieces and up to 3 decimals of kg, l and m', () => {
    expect(parseQuantity('10', 'pcs')).toEqual({ ok: true, value: '10' });
    expect(parseQuantity('2.5', 'kg')).toEqual({ ok: true, value: '2.5' });
    expect(parseQuantity('0.125', 'l')).toEqual({ ok: true, value: '0.125' });
    expect(parseQuantity('12.500', 'm')).toEqual({ ok: true, value: '12.5' });
    expect(parseQuantity('7.000', 'pcs')).toEqual({ ok: true, value: '7' });
  });

  it('reads the comma and the thousands spaces of Uzbek and Russian', () => {
    expect(parseQuantity('2,5', 'kg')).toEqual({ ok: true, value: '2.5' });
    expect(parseQuantity('1 250,75', 'kg')).toEqual({ ok: true, value: '1250.75' });
    expect(parseQuantity('1\u00a0000', 'pcs')).toEqual({ ok: true, value: '1000' });
    expect(parseQuantity(' 007 ', 'pcs')).toEqual({ ok: true, value: '7' });
    expect(parseQuantity(',5', 'kg')).toEqual({ ok: true, value: '0.5' });
  });

  it('names what is wrong', () => {
    expect(parseQuantity('', 'pcs')).toEqual({ ok: false, problem: 'required' });
    expect(parseQuantity('abc', 'pcs')).toEqual({ ok: false, problem: 'notNumber' });
    expect(parseQuantity('1e3', 'pcs')).toEqual({ ok: false, problem: 'notNumber' });
    expect(parseQuantity('1.2.3', 'kg')).toEqual({ ok: false, problem: 'notNumber' });
    expect(parseQuantity('0', 'pcs')).toEqual({ ok: false, problem: 'notPositive' });
    expect(parseQuantity('0.000', 'kg')).toEqual({ ok: false, problem: 'notPositive' });
    expect(parseQuantity('-3', 'pcs')).toEqual({ ok: false, problem: 'negative' });
    expect(parseQuantity('1.5', 'pcs')).toEqual({ ok: false, problem: 'whole' });
    expect(parseQuantity('1.2345', 'kg')).toEqual({ ok: false, problem: 'tooPrecise' });
    expect(parseQuantity('999 999 999 999', 'pcs')).toEqual({ ok: true, value: '999999999999' });
    expect(parseQuantity('1 000 000 000 000', 'pcs')).toEqual({ ok: false, problem: 'tooLarge' });
    expect(parseQuantity('99999999999999999999', 'kg')).toEqual({ ok: false, problem: 'tooLarge' });
  });

  it('lets a count say zero', () => {
    expect(parseQuantity('0', 'pcs', { allowZero: true })).toEqual({ ok: true, value: '0' });
  });
});

describe('exact arithmetic', () => {
  it('converts to and from thousandths', () => {
    expect(toMilli('12.500')).toBe(12500n);
    expect(toMilli('-3')).toBe(-3000n);
    expect(toMilli('0.001')).toBe(1n);
    expect(toMilli(null)).toBe(0n);
    expect(fromMilli(12500n)).toBe('12.5');
    expect(fromMilli(-1n)).toBe('-0.001');
    expect(fromMilli(0n)).toBe('0');
  });

  it('sums, subtracts and compares without float errors', () => {
    expect(sumQuantities(['0.1', '0.2'])).toBe('0.3');
    expect(sumQuantities([])).toBe('0');
    expect(subtractQuantities('7.000', '10')).toBe('-3');
    expect(compareQuantities('50', '7.000')).toBe(1);
    expect(compareQuantities('7', '7.000')).toBe(0);
    expect(compareQuantities('0.001', '0.01')).toBe(-1);
  });

  it('values a line exactly: quantity times price, to the thousandth', () => {
    expect(multiplyAmount('2.5', '12000.50')).toBe('30001.25');
    expect(multiplyAmount('0.001', '0.5')).toBe('0.001');
    expect(multiplyAmount('0.001', '0.4')).toBe('0');
    expect(multiplyAmount('1000000', '12345678.91')).toBe('12345678910000');
    expect(multiplyAmount('123456789.123', '99999999.99')).toBe('12345678911065432.109');
    expect(multiplyAmount('3', '0')).toBe('0');
  });
});
