import { describe, expect, it } from 'vitest';
import { formatDateTime } from './i18n';

describe('formatDateTime', () => {
  const now = new Date(2026, 10, 24, 12, 0);

  it('leaves the year out for this year, so lists stay narrow', () => {
    const at = new Date(2026, 10, 24, 9, 52);
    expect(formatDateTime(at, 'uz', now)).toBe('24-noy, 09:52');
    expect(formatDateTime(at, 'ru', now)).toBe('24 нояб., 09:52');
    expect(formatDateTime(at, 'en', now)).toBe('24 Nov, 09:52');
  });

  it('shows the year of another year', () => {
    const at = new Date(2025, 2, 5, 18, 3);
    expect(formatDateTime(at, 'uz', now)).toBe('5-mar, 2025, 18:03');
    expect(formatDateTime(at, 'ru', now)).toMatch(/^5 мар\. 2025 г\., 18:03$/);
    expect(formatDateTime(at, 'en', now)).toBe('5 Mar 2025, 18:03');
  });

  it('is empty for no date and for a broken one', () => {
    expect(formatDateTime(null, 'ru', now)).toBe('');
    expect(formatDateTime('not a date', 'ru', now)).toBe('');
  });
});
