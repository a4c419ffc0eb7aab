// Process variables as a readable list: the name, then the value as a person would write it; a list
// of records (a deal's lines, stock per warehouse) as a small table rather than JSON text.
import { useI18n } from '../../i18n/i18n';
import type { Variables } from './api';
import { asRows, columnsOf } from './variable-rows';

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
      {entries.map(([name, value]) => {
        const rows = asRows(value);
        if (rows) {
          const columns = columnsOf(rows);
          return (
            <div key={name} className="bpm-variable bpm-variable-wide">
              <dt>{name}</dt>
              <dd className="bpm-mini-table-wrap">
                <table className="bpm-mini-table bpm-code">
                  <thead>
                    <tr>
                      {columns.map((column) => (
                        <th key={column} scope="col">
                          {column}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row, index) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the rows are read-only and never move.
                      <tr key={index}>
                        {columns.map((column) => (
                          <td key={column}>{show(row[column])}</td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </dd>
            </div>
          );
        }
        return (
          <div key={name} className="bpm-variable">
            <dt>{name}</dt>
            <dd className={typeof value === 'object' && value !== null ? 'bpm-code' : undefined}>
              {show(value)}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
