import { describe, expect, it } from 'vitest';
import { asRows, columnsOf } from './variable-rows';

describe('variables as tables', () => {
  it('takes a list of records as rows, with every key any row has as a column', () => {
    const lines = [
      { product: 'Sement', quantity: '4' },
      { product: 'Gisht', quantity: '10', note: 'red' },
    ];
    expect(asRows(lines)).toBe(lines);
    expect(columnsOf(lines)).toEqual(['product', 'quantity', 'note']);
  });

  it('leaves other values as they are', () => {
    expect(asRows([])).toBeNull();
    expect(asRows(['a', 'b'])).toBeNull();
    expect(asRows([{ a: 1 }, 2])).toBeNull();
    expect(asRows({ a: 1 })).toBeNull();
    expect(asRows([[1, 2]])).toBeNull();
  });
});
