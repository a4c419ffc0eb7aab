import type { SelectHTMLAttributes } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useWarehouses } from './erp-api';
import type { Warehouse } from './types';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  value: string;
  warehouses: Warehouse[];
  onChange(id: string): void;
};

/** A warehouse to pick for a document ("Choose…" first, each as "CODE · Name"). */
export function WarehouseSelect({ value, warehouses, onChange, ...rest }: Props) {
  const { t } = useI18n();
  return (
    <select className="input" value={value} onChange={(event) => onChange(event.target.value)} {...rest}>
      <option value="">{t('erp.common.choose')}</option>
      {warehouses.map((w) => (
        <option key={w.id} value={w.id}>
          {w.code} · {w.name}
        </option>
      ))}
    </select>
  );
}

/** A list's warehouse filter: "All warehouses" first, then every warehouse. */
export function WarehouseFilter({
  value,
  onChange,
  testId,
}: {
  value: string;
  onChange(id: string): void;
  testId?: string;
}) {
  const { t } = useI18n();
  const { warehouses } = useWarehouses();
  return (
    <label className="toolbar-field">
      <span className="visually-hidden">{t('erp.fields.warehouse')}</span>
      <select
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid={testId}
      >
        <option value="">{t('erp.common.allWarehouses')}</option>
        {warehouses.map((w) => (
          <option key={w.id} value={w.id}>
            {w.code} · {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}
