// The sales part of "Waiting for you": the user's overdue activities and today's, the overdue
// service requests they see and the open ones assigned to them.
import { useCallback } from 'react';
import { api } from '../../app/api';
import { AttentionItems } from '../../app/attention';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { CRM } from './api';

export default function CrmAttention() {
  const { t } = useI18n();
  const { user } = useSession();
  const me = user?.id ?? '';
  const load = useCallback(
    async (signal: AbortSignal) => {
      // Counts only: one row a page, the total is what shows.
      const count = (query: string) =>
        api<{ total: number }>('GET', `${CRM}/tickets?limit=1&${query}`, undefined, { signal }).then(
          (r) => r.total,
        );
      const [day, lateTickets, myTickets] = await Promise.all([
        api<{ overdue: unknown[]; today: unknown[] }>('GET', `${CRM}/my-day`, undefined, { signal }),
        count('overdue=true'),
        me ? count(`open=true&assigneeId=${encodeURIComponent(me)}`) : Promise.resolve(0),
      ]);
      return [
        {
          key: 'crm-tickets-overdue',
          count: lateTickets,
          label: t('crm.attention.ticketsOverdue'),
          to: '/crm/tickets?view=overdue',
          tone: 'danger' as const,
        },
        {
          key: 'crm-tickets-mine',
          count: myTickets,
          label: t('crm.attention.ticketsMine'),
          to: '/crm/tickets?view=mine',
        },
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
    [t, me],
  );
  return <AttentionItems load={load} />;
}
