// A date field in the app's language rather than the browser's: typed day first (24.11.2026),
// with the browser's own calendar a click away. A native date input shows the browser's format
// (mm/dd/yyyy in an English browser), whatever language the app speaks.
import { type InputHTMLAttributes, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { formatDateText, parseDateText } from './date-text';
import { Icon } from './icons';

type DateInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'type'> & {
  /** An ISO date ("2026-11-24"), or '' for none. */
  value: string;
  /**
   * Called with the ISO date once the text is a whole date, '' when it is emptied; with a text
   * that is no date when the field is left, so that the form refuses it beside the field (a
   * filter gets '' instead: `filter`).
   */
  onChange(value: string): void;
  filter?: boolean;
  min?: string;
  max?: string;
};

export function DateInput({
  value,
  onChange,
  filter = false,
  min,
  max,
  disabled,
  className,
  onBlur,
  ...input
}: DateInputProps) {
  const { t, locale } = useI18n();
  const [text, setText] = useState(() => formatDateText(value, locale));
  const [unreadable, setUnreadable] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  // A value set from outside (the calendar, a reset, another language) replaces the text,
  // unless the text already says it.
  useEffect(() => {
    setText((current) => (parseDateText(current) === value ? current : formatDateText(value, locale)));
  }, [value, locale]);

  const openPicker = () => {
    const native = picker.current;
    if (!native) return;
    try {
      native.showPicker();
    } catch {
      native.focus();
    }
  };

  return (
    <span className={`date-input${unreadable ? ' date-input-invalid' : ''}`}>
      <input
        {...input}
        className={className ?? 'input'}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('date.placeholder')}
        title={unreadable ? t('date.invalid') : input.title}
        disabled={disabled}
        value={text}
        aria-invalid={unreadable || input['aria-invalid'] || undefined}
        onChange={(event) => {
          const typed = event.target.value;
          setText(typed);
          const iso = parseDateText(typed);
          if (iso !== null) {
            setUnreadable(false);
            if (iso !== value) onChange(iso);
          }
        }}
        onBlur={(event) => {
          const iso = parseDateText(text);
          if (iso === null) {
            setUnreadable(true);
            onChange(filter ? '' : text.trim());
          } else if (iso !== '') {
            setText(formatDateText(iso, locale));
          }
          onBlur?.(event);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && event.altKey) {
            event.preventDefault();
            openPicker();
          }
          input.onKeyDown?.(event);
        }}
      />
      <button
        type="button"
        className="date-input-pick"
        aria-label={t('date.pick')}
        title={t('date.pick')}
        disabled={disabled}
        onClick={openPicker}
      >
        <Icon name="calendar" size={16} />
      </button>
      {/* The browser's calendar, opened by the button; never focused or read out itself. */}
      <input
        ref={picker}
        className="date-input-native"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        value={parseDateText(text) ? value : ''}
        min={min}
        max={max}
        disabled={disabled}
        onChange={(event) => {
          setUnreadable(false);
          setText(formatDateText(event.target.value, locale));
          onChange(event.target.value);
        }}
      />
    </span>
  );
}
