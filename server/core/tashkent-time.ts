// The company's clock: Uzbekistan keeps UTC+5 all year (no daylight saving), so "today", a
// day in a report and a time in an export are Tashkent's, whatever the server's time zone.

export const TASHKENT_OFFSET_MS = 5 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Tashkent day `now` falls in, as the instants it starts and ends. */
export function tashkentDay(now: Date): { start: Date; end: Date } {
  const local = now.getTime() + TASHKENT_OFFSET_MS;
  const start = local - (local % DAY_MS) - TASHKENT_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + DAY_MS) };
}

/** The date (YYYY-MM-DD) in Tashkent at `now`: a document's or a record's "today". */
export function tashkentDate(now: Date = new Date()): string {
  return new Date(now.getTime() + TASHKENT_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Tashkent day (YYYY-MM-DD) starts; `plusDays` 1 gives the instant it ends. */
export function tashkentDayStart(date: string, plusDays = 0): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) + plusDays * DAY_MS - TASHKENT_OFFSET_MS);
}

/** An instant as people in Tashkent read it: "2026-11-24 09:30:00". */
export function tashkentTime(at: Date): string {
  return new Date(at.getTime() + TASHKENT_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
