import { describe, expect, it } from 'vitest';
import { exactMatch, matchRank, rankProducts } from './lookup';

const products = [
  { sku: 'NAIL-100', name: 'Mix nails 100 mm', barcode: '4780000000017' },
  { sku: 'CEM-400', name: 'Cement M400', barcode: '4780000000024' },
  { sku: 'NAIL-10', name: 'Nails 10 mm', barcode: null },
  { sku: 'PAINT-W', name: 'White paint', barcode: 'CEM-4', active: true },
  { sku: 'OLD-1', name: 'Nails (old stock)', barcode: null, active: false },
];

describe('matchRank', () => {
  it('ranks exact codes, SKU prefixes, names and words in that order', () => {
    expect(matchRank(products[1]!, 'cem-400')).toBe(0);
    expect(matchRank(products[1]!, '4780000000024')).toBe(0);
    expect(matchRank(products[1]!, 'CEM')).toBe(1);
    expect(matchRank(products[2]!, 'nails')).toBe(2);
    expect(matchRank(products[0]!, 'nails')).toBe(3);
    expect(matchRank(products[1]!, '400')).toBe(4);
    expect(matchRank(products[1]!, 'paint')).toBe(null);
    expect(matchRank(products[1]!, '  ')).toBe(null);
  });
});

describe('rankProducts', () => {
  it('puts the exact code first, then shorter SKUs, and leaves inactive products out', () => {
    expect(rankProducts(products, 'nail-10').map((p) => p.sku)).toEqual(['NAIL-10', 'NAIL-100']);
    expect(rankProducts(products, 'nails').map((p) => p.sku)).toEqual(['NAIL-10', 'NAIL-100']);
    expect(rankProducts(products, 'CEM-4').map((p) => p.sku)).toEqual(['PAINT-W', 'CEM-400']);
  });

  it('a scanned barcode finds its product at once', () => {
    expect(exactMatch(products, '4780000000017')?.sku).toBe('NAIL-100');
    expect(exactMatch(products, 'nail-10')?.sku).toBe('NAIL-10');
    expect(exactMatch(products, 'NAIL')).toBe(null);
    expect(exactMatch(products, 'old-1')).toBe(null);
  });
});
