import { describe, expect, it } from 'vitest';
import { formatDateText, parseDateText, parseTimeText } from './date-text';

describe('dates as typed in the app language', () => {
  it('shows an ISO date day first, with the language separator', () => {
    expect(formatDateText('2026-11-04', 'uz')).toBe('04.11.2026');
    expect(formatDateText('2026-11-04', 'ru')).toBe('04.11.2026');
    expect(formatDateText('2026-11-04', 'en')).toBe('04/11/2026');
    expect(formatDateText('', 'ru')).toBe('');
    expect(formatDateText('31.02.2026', 'ru')).toBe('31.02.2026');
  });

  it('reads what people type', () => {
    expect(parseDateText('24.11.2026')).toBe('2026-11-24');
    expect(parseDateText(' 4/3/2026 ')).toBe('2026-03-04');
    expect(parseDateText('4-3-26')).toBe('2026-03-04');
    expect(parseDateText('04 03 2026')).toBe('2026-03-04');
    expect(parseDateText('2026-03-04')).toBe('2026-03-04');
    expect(parseDateText('29.02.2028')).toBe('2028-02-29');
    expect(parseDateText('')).toBe('');
    expect(parseDateText('   ')).toBe('');
  });

  it('refuses what is no date', () => {
    for (const text of [
      '31.02.2026',
      '29.02.2027',
      '24.11',
      '24.13.2026',
      '0.1.2026',
      'abc',
      '1.1.202',
      '2026-02-30',
      '111.1.2026',
    ]) {
      expect({ text, parsed: parseDateText(text) }).toEqual({ text, parsed: null });
    }
  });
});

describe('times as typed', () => {
  it('reads the hour with or without minutes, on a 24-hour clock', () => {
    expect(parseTimeText('9')).toBe('09:00');
    expect(parseTimeText('930')).toBe('09:30');
    expect(parseTimeText('9:30')).toBe('09:30');
    expect(parseTimeText(' 18.05 ')).toBe('18:05');
    expect(parseTimeText('0000')).toBe('00:00');
    expect(parseTimeText('')).toBe('');
  });

  it('refuses what is no time', () => {
    for (const text of ['24:00', '9:60', '9:5', 'nine', '12345', '9:30 pm']) {
      expect({ text, parsed: parseTimeText(text) }).toEqual({ text, parsed: null });
    }
  });
});
