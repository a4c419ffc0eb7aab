import { describe, expect, it } from 'vitest';
import { presetOf, presetPeriod } from './period-presets';

describe('period presets', () => {
  it('give this month, the last one, this quarter and this year up to today', () => {
    expect(presetPeriod('month', '2026-11-25')).toEqual({ from: '2026-11-01', to: '2026-11-25' });
    expect(presetPeriod('lastMonth', '2026-11-25')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(presetPeriod('quarter', '2026-11-25')).toEqual({ from: '2026-10-01', to: '2026-11-25' });
    expect(presetPeriod('year', '2026-11-25')).toEqual({ from: '2026-01-01', to: '2026-11-25' });
  });

  it('cross the year in January and know a leap February', () => {
    expect(presetPeriod('lastMonth', '2027-01-05')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetPeriod('lastMonth', '2028-03-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetPeriod('quarter', '2027-03-31')).toEqual({ from: '2027-01-01', to: '2027-03-31' });
  });

  it('tell which preset a period is, and none for a period picked by hand', () => {
    expect(presetOf({ from: '2026-10-01', to: '2026-10-31' }, '2026-11-25')).toBe('lastMonth');
    expect(presetOf({ from: '2026-11-03', to: '2026-11-25' }, '2026-11-25')).toBeNull();
  });
});
