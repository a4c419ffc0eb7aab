import { describe, expect, it } from 'vitest';
import { diffRows } from './audit-diff';

describe('diffRows', () => {
  it('marks changed, added and removed keys, and keeps unchanged ones', () => {
    const rows = diffRows(
      { name: 'Ali', roles: ['employee'], active: true, old: 1 },
      { name: 'Ali', roles: ['employee', 'hr'], active: false, added: 'x' },
    );
    expect(rows.map((row) => [row.key, row.changed])).toEqual([
      ['name', false],
      ['roles', true],
      ['active', true],
      ['old', true],
      ['added', true],
    ]);
  });

  it('treats a missing side as empty, so a created record shows every field as new', () => {
    expect(diffRows(null, { id: '1' })).toEqual([
      { key: 'id', before: undefined, after: '1', changed: true },
    ]);
    expect(diffRows(null, null)).toEqual([]);
  });
});
