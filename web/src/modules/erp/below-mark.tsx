import type { ReactNode } from 'react';
import { Icon } from '../../app/icons';
import { useI18n } from '../../i18n/i18n';

/** A quantity, marked red with a warning sign when the product is below its reorder level. */
export function BelowMark({ below, children }: { below: boolean; children: ReactNode }) {
  const { t } = useI18n();
  if (!below) return <span className="erp-cell-quantity">{children}</span>;
  const label = t('erp.common.belowBadge');
  return (
    <span className="erp-cell-quantity erp-below" title={label} data-testid="below-mark">
      <Icon name="alert" size={15} />
      {children}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}
