import { Button, Spinner } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';

/** The side panel while its record loads, or why it could not. */
export function DrawerStatus({
  loading,
  error,
  onClose,
}: {
  loading: boolean;
  error: string | null;
  onClose(): void;
}) {
  const { t } = useI18n();
  return (
    <div className="drawer-layer">
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <div className="drawer drawer-status" role="dialog" aria-modal="true" aria-label={t('common.loading')}>
        {loading ? <Spinner size="large" /> : <p className="form-error">{error}</p>}
        {error ? <Button onClick={onClose}>{t('common.close')}</Button> : null}
      </div>
    </div>
  );
}
