import type { ColDef } from 'ag-grid-community';
import { describe, expect, it } from 'vitest';
import { phoneLayout } from './phone-layout';

type Row = { name: string; warehouse: string; available: string; cost: string };

describe('phoneLayout', () => {
  const columns: ColDef<Row>[] = [
    { field: 'name', flex: 2, minWidth: 240 },
    { field: 'warehouse', width: 112 },
    { colId: 'available', flex: 1, minWidth: 115 },
    { field: 'cost', width: 135 },
  ];
  const laid = phoneLayout(columns, { name: 90, warehouse: 70, available: 130 });

  it('hides the columns a phone does not show and lets the others share the width', () => {
    expect(laid.map((c) => c.hide)).toEqual([false, false, false, true]);
    expect(laid.map((c) => c.flex)).toEqual([1.5, 1, 1, undefined]);
    expect(laid[1]).not.toHaveProperty('width');
  });

  it('gives each shown column the least width named for a phone, not the desk’s', () => {
    expect(laid.map((c) => c.minWidth)).toEqual([90, 70, 130, undefined]);
  });
});
