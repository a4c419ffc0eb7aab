import { Icon } from '../../app/icons';
import { useI18n } from '../../i18n/i18n';

/**
 * "CSV" and "Excel" downloads of what a list shows: its filters (empty ones left out), every
 * row. The links are named by `testId` with "-csv" or "-xlsx" after it.
 */
export function ExportLinks({
  path,
  filters,
  title,
  testId,
}: {
  path: string;
  filters: Record<string, string | undefined>;
  title: string;
  testId: string;
}) {
  const { t } = useI18n();
  const href = (format: 'csv' | 'xlsx') => {
    const query = new URLSearchParams({ format });
    for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
    return `${path}?${query.toString()}`;
  };
  return (['csv', 'xlsx'] as const).map((format) => (
    <a
      key={format}
      className="button button-secondary"
      href={href(format)}
      download
      title={title}
      data-testid={`${testId}-${format}`}
    >
      <Icon name="log" />
      {t(`erp.balances.export.${format}`)}
    </a>
  ));
}
