// A date and a time of day in the app's language: the date field (date-input.tsx) and the time
// typed on a 24-hour clock, instead of a native datetime-local input in the browser's format
// (mm/dd/yyyy, hh:mm AM in an English browser).
import { type InputHTMLAttributes, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { DateInput } from './date-input';
import { parseTimeText } from './date-text';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'type'> & {
  /** Local time as "2026-11-24T09:30", or ''. */
  value: string;
  /**
   * The local date and time once both are readable; '' when both are emptied; otherwise a text
   * that no date parser reads, so that the form refuses it beside the field.
   */
  onChange(value: string): void;
};

const split = (value: string) => {
  const [date = '', time = ''] = value.split('T');
  return { date, time: time.slice(0, 5) };
};

export function DateTimeInput({ value, onChange, disabled, id, min: _min, max: _max, ...input }: Props) {
  const { t } = useI18n();
  const [date, setDate] = useState(() => split(value).date);
  const [time, setTime] = useState(() => split(value).time);

  // A value set from outside replaces both parts, unless they already say it.
  useEffect(() => {
    const parts = split(value);
    if (!value.includes('T')) return;
    setDate(parts.date);
    setTime((current) => (parseTimeText(current) === parts.time ? current : parts.time));
  }, [value]);

  const emit = (nextDate: string, nextTime: string) => {
    const readTime = parseTimeText(nextTime);
    if (nextDate === '' && readTime === '') onChange('');
    else if (/^\d{4}-\d{2}-\d{2}$/.test(nextDate) && readTime) onChange(`${nextDate}T${readTime}`);
    else onChange(`unreadable: ${nextDate} ${nextTime}`);
  };

  return (
    <span className="date-time-input">
      <DateInput
        {...input}
        id={id}
        value={/^\d{4}-\d{2}-\d{2}$/.test(date) ? date : ''}
        disabled={disabled}
        onChange={(next) => {
          setDate(next);
          emit(next, time);
        }}
      />
      <input
        className="input date-time-input-time"
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="09:00"
        aria-label={t('date.time')}
        aria-invalid={input['aria-invalid']}
        disabled={disabled}
        value={time}
        onChange={(event) => {
          setTime(event.target.value);
          emit(date, event.target.value);
        }}
        onBlur={() => {
          const read = parseTimeText(time);
          if (read) setTime(read);
        }}
      />
    </span>
  );
}
