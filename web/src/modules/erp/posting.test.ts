import { describe, expect, it } from 'vitest';
import {
  addLine,
  checkForm,
  countSheetLines,
  documentBody,
  emptyForm,
  exceeds,
  formOfDocument,
  MAX_LINES,
  shortByLineKey,
  today,
} from './posting';
import type { StockDocument } from './types';

const nails = { id: 'p1', sku: 'NAIL-10', name: 'Nails', unit: 'pcs' as const };
const cement = { id: 'p2', sku: 'CEM', name: 'Cement', unit: 'kg' as const };

describe('checkForm', () => {
  it('asks for the warehouse, at least one line, and valid quantities per unit', () => {
    const form = emptyForm('receipt', '');
    expect(checkForm(form)).toEqual({
      warehouseId: 'erp.validation.required',
      lines: 'erp.validation.noLines',
    });
    const lines = [
      { key: 'a', product: nails, quantity: '1.5' },
      { key: 'b', product: cement, quantity: '2,125' },
      { key: 'c', product: cement, quantity: '0' },
    ];
    expect(checkForm({ ...form, warehouseId: 'w1', lines })).toEqual({
      'lines.0.quantity': 'erp.validation.whole',
      'lines.2.quantity': 'erp.validation.notPositive',
    });
  });

  it('refuses a date the date field could not read, and an empty one', () => {
    const line = { key: 'a', product: nails, quantity: '3' };
    const form = { ...emptyForm('receipt', 'w1'), lines: [line] };
    expect(checkForm({ ...form, date: '31.02.2026' })).toEqual({ date: 'date.invalid' });
    expect(checkForm({ ...form, date: '' })).toEqual({ date: 'erp.validation.required' });
    expect(checkForm({ ...form, date: '2026-11-03' })).toEqual({});
  });

  it('needs a reason for a write-off, a comment for "other", a target for a transfer and a client for a shipment', () => {
    const line = { key: 'a', product: nails, quantity: '3' };
    expect(checkForm({ ...emptyForm('write_off', 'w1'), lines: [line] })).toEqual({
      reason: 'erp.validation.required',
    });
    expect(checkForm({ ...emptyForm('write_off', 'w1'), reason: 'other', lines: [line] })).toEqual({
      comment: 'erp.validation.required',
    });
    expect(checkForm({ ...emptyForm('transfer', 'w1'), targetWarehouseId: 'w1', lines: [line] })).toEqual({
      targetWarehouseId: 'erp.validation.sameWarehouse',
    });
    expect(checkForm({ ...emptyForm('shipment', 'w1'), lines: [line] })).toEqual({
      clientId: 'erp.validation.required',
    });
    expect(checkForm({ ...emptyForm('count', 'w1'), lines: [{ ...line, quantity: '0' }] })).toEqual({});
  });
});

describe('documentBody', () => {
  it('sends normalized quantities and only the fields of the type', () => {
    const form = {
      ...emptyForm('write_off', 'w1'),
      reason: 'damaged' as const,
      targetWarehouseId: 'w2',
      clientId: 'c1',
      lines: [{ key: 'a', product: cement, quantity: '1 250,50' }],
    };
    expect(documentBody(form)).toMatchObject({
      type: 'write_off',
      warehouseId: 'w1',
      targetWarehouseId: null,
      clientId: null,
      reason: 'damaged',
      comment: null,
      lines: [{ productId: 'p2', quantity: '1250.5' }],
    });
  });
});

describe('addLine', () => {
  it('adds a new product as a line and a repeated one to its line', () => {
    const first = addLine([], nails, '10', 'k1');
    expect(first).toMatchObject({ index: 0, merged: false });
    const second = addLine(first.lines, cement, '0.5', 'k2');
    const third = addLine(second.lines, cement, '0,25', 'k3');
    expect(third).toMatchObject({ index: 1, merged: true });
    expect(third.lines.map((line) => line.quantity)).toEqual(['10', '0.75']);
  });
});

describe('shortByLineKey', () => {
  it('marks the lines named by a STOCK_INSUFFICIENT refusal', () => {
    const lines = [
      { key: 'a', product: nails, quantity: '50' },
      { key: 'b', product: cement, quantity: '1' },
    ];
    const short = [
      { lineNo: 1, productId: 'p1', warehouseId: 'w1', requested: '50.000', available: '7.000' },
    ];
    expect(Object.keys(shortByLineKey(lines, short))).toEqual(['a']);
    const moved = [{ lineNo: 5, productId: 'p2', warehouseId: 'w1', requested: '1', available: '0' }];
    expect(Object.keys(shortByLineKey(lines, moved))).toEqual(['b']);
  });

  it('compares with what is available exactly', () => {
    expect(exceeds('7.001', '7.000')).toBe(true);
    expect(exceeds('7', '7.000')).toBe(false);
    expect(exceeds('7', undefined)).toBe(false);
  });
});

describe('formOfDocument', () => {
  it('shows a saved draft with plain quantities', () => {
    const doc = {
      type: 'receipt',
      date: '2026-03-05',
      warehouseId: 'w1',
      targetWarehouseId: null,
      reason: null,
      comment: null,
      clientId: null,
      lines: [
        {
          id: 'l1',
          lineNo: 1,
          productId: 'p2',
          productSku: 'CEM',
          productName: 'Cement',
          unit: 'kg',
          quantity: '12.500',
          price: null,
        },
      ],
    } as unknown as StockDocument;
    expect(formOfDocument(doc).lines[0]?.quantity).toBe('12.5');
    expect(today(new Date(2026, 0, 9))).toBe('2026-01-09');
  });
});

describe('countSheetLines', () => {
  const balance = (productId: string, quantity: string, unit: 'pcs' | 'kg' = 'pcs') => ({
    productId,
    productSku: productId.toUpperCase(),
    productName: `Mahsulot ${productId}`,
    unit,
    quantity,
  });
  let n = 0;
  const key = () => `k${++n}`;

  it('adds each product in stock at its quantity on hand, keeping what was already typed', () => {
    const typed = [
      { key: 'a', product: { id: 'p1', sku: 'P1', name: 'Bir', unit: 'pcs' as const }, quantity: '7' },
    ];
    const { lines, added } = countSheetLines(
      typed,
      [balance('p1', '10.000'), balance('p2', '12.500', 'kg'), balance('p3', '0.000')],
      key,
    );
    expect(added).toBe(1);
    expect(lines.map((l) => [l.product.id, l.quantity])).toEqual([
      ['p1', '7'],
      ['p2', '12.5'],
    ]);
  });

  it('stops at the most lines a document holds', () => {
    const many = Array.from({ length: MAX_LINES + 5 }, (_, i) => balance(`p${i}`, '1'));
    const { lines, added } = countSheetLines([], many, key);
    expect(lines).toHaveLength(MAX_LINES);
    expect(added).toBe(MAX_LINES);
  });
});
