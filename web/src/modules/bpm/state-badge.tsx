// An instance's state as a coloured word.
import { useI18n } from '../../i18n/i18n';
import type { InstanceState } from './api';

const CLASS: Record<InstanceState, string> = {
  active: 'badge bpm-state-active',
  completed: 'badge badge-success',
  cancelled: 'badge badge-muted',
  failed: 'badge bpm-badge-danger',
};

export function StateBadge({ state }: { state: InstanceState }) {
  const { t } = useI18n();
  return (
    <span className={CLASS[state] ?? 'badge'} data-testid="instance-state">
      {t(`bpm.state.${state}`)}
    </span>
  );
}
