import { expect, it } from 'vitest';
import { tashkentDate, tashkentDay, tashkentDayStart, tashkentTime } from './tashkent-time.js';

it('reckons days and times in Tashkent (UTC+5), whatever the server runs in', () => {
  const { start, end } = tashkentDay(new Date('2026-03-10T20:30:00Z'));
  expect(start.toISOString()).toBe('2026-03-10T19:00:00.000Z');
  expect(end.toISOString()).toBe('2026-03-11T19:00:00.000Z');
  // 20:30 UTC is already the next day in Tashkent; 18:59 is not.
  expect(tashkentDate(new Date('2026-03-10T20:30:00Z'))).toBe('2026-03-11');
  expect(tashkentDate(new Date('2026-03-10T18:59:59Z'))).toBe('2026-03-10');
  expect(tashkentDayStart('2026-03-11').toISOString()).toBe('2026-03-10T19:00:00.000Z');
  expect(tashkentDayStart('2026-02-28', 1).toISOString()).toBe('2026-02-28T19:00:00.000Z');
  expect(tashkentDayStart('2026-12-31', 1).toISOString()).toBe('2026-12-31T19:00:00.000Z');
  expect(tashkentTime(new Date('2026-11-24T04:30:05Z'))).toBe('2026-11-24 09:30:05');
});
