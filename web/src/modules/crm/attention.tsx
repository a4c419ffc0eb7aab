// The sales part of "Waiting for you": the user's overdue activities and today's.
import { useCallback } from 'react';
import { api } from '../../app/api';
import { AttentionItems } from '../../app/attention';
import { useI18n } from '../../i18n/i18n';
import { CRM } from './api';

export default function CrmAttention() {
  const { t } = useI18n();
  const load = useCallback(
    async (signal: AbortSignal) => {
      const day = await api<{ overdue: unknown[]; today: unknown[] }>('GET', `${CRM}/my-day`, undefined, {
        signal,
      });
      return [
        {
          key: 'crm-overdue',
          count: day.overdue.length,
          label: t('crm.attention.overdue'),
          to: '/crm/my-day',
          tone: 'danger' as const,
        },
        { key: 'crm-today', count: day.today.length, label: t('crm.attention.today'), to: '/crm/my-day' },
      ];
    },
    [t],
  );
  return <AttentionItems load={load} />;
}
