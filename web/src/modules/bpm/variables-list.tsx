// Process variables as a readable list: the name, then the value as a person would write it.
import { useI18n } from '../../i18n/i18n';
import type { Variables } from './api';

function isDateText(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/.test(value);
}

export function VariablesList({ variables, testId }: { variables: Variables; testId?: string }) {
  const { t, formatNumber, formatDate, formatDateTime } = useI18n();
  const entries = Object.entries(variables);
  if (entries.length === 0)
    return (
      <p className="muted" data-testid={testId}>
        {t('bpm.variables.none')}
      </p>
    );
  const show = (value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'boolean') return value ? t('bpm.variables.yes') : t('bpm.variables.no');
    if (typeof value === 'number') return formatNumber(value);
    if (typeof value === 'string')
      return isDateText(value) ? (value.length > 10 ? formatDateTime(value) : formatDate(value)) : value;
    return JSON.stringify(value);
  };
  return (
    <dl className="bpm-variables" data-testid={testId}>
      {entries.map(([name, value]) => (
        <div key={name} className="bpm-variable">
          <dt>{name}</dt>
          <dd className={typeof value === 'object' && value !== null ? 'bpm-code' : undefined}>
            {show(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}
