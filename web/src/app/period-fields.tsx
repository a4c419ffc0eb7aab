// A report's period as two date fields, "from" and "to": the end may not come before the
// start, which the caller says beside them (in the element whose id is the test id and -period-error).
import { DateInput } from './date-input';

export function PeriodFields({
  from,
  to,
  onFrom,
  onTo,
  labels,
  testId,
  className,
}: {
  from: string;
  to: string;
  onFrom(value: string): void;
  onTo(value: string): void;
  labels: { from: string; to: string };
  /** What the fields' test ids start with; they end in -from and -to. */
  testId: string;
  className: string;
}) {
  const backwards = periodBackwards(from, to);
  return (
    <>
      <label className={`toolbar-field ${className}`}>
        <span className="toolbar-label">{labels.from}</span>
        <DateInput filter value={from} onChange={onFrom} data-testid={`${testId}-from`} />
      </label>
      <label className={`toolbar-field ${className}`}>
        <span className="toolbar-label">{labels.to}</span>
        <DateInput
          filter
          value={to}
          min={from || undefined}
          onChange={onTo}
          aria-invalid={backwards || undefined}
          aria-describedby={backwards ? `${testId}-period-error` : undefined}
          data-testid={`${testId}-to`}
        />
      </label>
    </>
  );
}

/** Whether a period ends before it starts (both days given). */
export function periodBackwards(from: string, to: string): boolean {
  return Boolean(from && to && to < from);
}
