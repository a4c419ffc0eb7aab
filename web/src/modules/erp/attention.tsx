// The warehouse's part of "Waiting for you": products below their reorder level, drafts not yet
// posted.
import { useCallback } from 'react';
import { fetchPage } from '../../app/api';
import { AttentionItems } from '../../app/attention';
import { useI18n } from '../../i18n/i18n';

export default function ErpAttention() {
  const { t } = useI18n();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const [below, drafts] = await Promise.all([
        fetchPage('/api/erp/products', { belowReorder: true, active: true, limit: 1 }, signal),
        fetchPage('/api/erp/stock-documents', { status: 'draft', limit: 1 }, signal),
      ]);
      return [
        {
          key: 'erp-reorder',
          count: below.total,
          label: t('erp.attention.reorder'),
          to: '/erp/reorder',
          tone: 'danger' as const,
        },
        {
          key: 'erp-drafts',
          count: drafts.total,
          label: t('erp.attention.drafts'),
          to: '/erp/documents?status=draft',
        },
      ];
    },
    [t],
  );
  return <AttentionItems load={load} />;
}
