// The periods a sales head picks most: this month, the last one, this quarter, this year (to
// today, Tashkent's days), as the from and to dates a report takes.

export const PERIOD_PRESETS = ['month', 'lastMonth', 'quarter', 'year'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const day = (year: number, month: number, date: number) =>
  new Date(Date.UTC(year, month, date)).toISOString().slice(0, 10);

/** The preset's first and last day, `today` being YYYY-MM-DD. */
export function presetPeriod(preset: PeriodPreset, today: string): { from: string; to: string } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  switch (preset) {
    case 'month':
      return { from: day(year, month, 1), to: today };
    case 'lastMonth':
      // Day 0 of a month is the last day of the one before.
      return { from: day(year, month - 1, 1), to: day(year, month, 0) };
    case 'quarter':
      return { from: day(year, month - (month % 3), 1), to: today };
    case 'year':
      return { from: day(year, 0, 1), to: today };
  }
}

/** The preset a period is, if it is one. */
export function presetOf(period: { from: string; to: string }, today: string): PeriodPreset | null {
  return (
    PERIOD_PRESETS.find((p) => {
      const preset = presetPeriod(p, today);
      return preset.from === period.from && preset.to === period.to;
    }) ?? null
  );
}
